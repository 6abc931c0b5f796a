package com.kili.nativesdk;

/**
 * The native methods of the JNI shim ({@code src/main/c/kili_jni.c}), one per C ABI function.
 *
 * <p>Internal: handles are raw {@code long} pointers, and the callers in this package guarantee
 * that a handle is live and not used concurrently where the C ABI forbids it. Every method that
 * maps a fallible C call throws a {@link KiliException} subclass built from the C error; a zero
 * handle throws {@link InvalidArgumentException} instead of crashing. Strings cross as UTF-8
 * {@code byte[]} (never modified UTF-8). Thread-safety: as the C functions they wrap.
 */
final class NativeBridge {
    static {
        NativeLoader.load();
    }

    private NativeBridge() {}

    /** Forces the static initialiser (library loading and version check). */
    static void ensureLoaded() {}

    static native String version();

    static native int abiVersion();

    /** The {@code KILI_ABI_VERSION} of the header the shim was compiled against. */
    static native int headerAbiVersion();

    static native String statusName(int status);

    static native long clientNew(byte[] optionsJson);

    /** Installs {@code dispatcher} (or uninstalls with null) as the client's event callback. */
    static native void clientSetListener(long client, EventDispatcher dispatcher);

    static native void clientFree(long client);

    static native long cancelNew();

    static native void cancelTrigger(long cancel);

    static native void cancelFree(long cancel);

    static native long assetsQuery(long client, byte[] argsJson, int timeoutMs, long cancel);

    /**
     * Up to {@code maxItems} next assets, or null at the end. Each {@link Asset} is built by the
     * shim over its own copy of its JSON and an index of its members (layout: kili_jni.c); a
     * page that is not an array of objects throws {@link InternalException}.
     */
    static native Asset[] cursorNextAssets(long cursor, int maxItems);

    /** The assets {@link #cursorNextAssets} would build from {@code page} (for tests). */
    static native Asset[] pageAssets(byte[] page);

    static native long cursorExpectedTotal(long cursor);

    static native void cursorFree(long cursor);

    static native long assetsCount(long client, byte[] argsJson, int timeoutMs, long cancel);

    /** {@code kili_assets_export} to the file {@code path} (UTF-8); the number of assets written. */
    static native long assetsExport(long client, byte[] argsJson, byte[] format, byte[] path, int timeoutMs,
            long cancel);

    static native byte[] assetsMutate(long client, byte[] action, byte[] argsJson, int timeoutMs, long cancel);
}
