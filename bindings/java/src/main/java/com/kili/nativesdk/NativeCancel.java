package com.kili.nativesdk;

/**
 * Owns one native {@code kili_cancel_t}. Internal.
 *
 * <p>Thread-safety: {@link #trigger()} may race with {@link #free()} from any thread (a
 * {@link CancelToken} or an interrupt may fire while the call ends); the monitor makes a
 * trigger after free a no-op instead of a use-after-free. Freed exactly once.
 */
final class NativeCancel {
    private long ptr;
    private volatile boolean triggered;

    NativeCancel() {
        ptr = NativeBridge.cancelNew();
    }

    synchronized long ptr() {
        return ptr;
    }

    synchronized void trigger() {
        triggered = true;
        if (ptr != 0) {
            NativeBridge.cancelTrigger(ptr);
        }
    }

    /** Whether {@link #trigger()} was called (by a token, an interrupt or a close). */
    boolean wasTriggered() {
        return triggered;
    }

    synchronized void free() {
        if (ptr != 0) {
            NativeBridge.cancelFree(ptr);
            ptr = 0;
        }
    }
}
