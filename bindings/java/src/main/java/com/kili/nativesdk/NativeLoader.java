package com.kili.nativesdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI shim ({@code libkilijni.so}) and the kili library ({@code libkili.so}) once per
 * class loader.
 *
 * <p>Order: {@code System.loadLibrary("kilijni")} first (a library installed on
 * {@code java.library.path}); if that fails, both libraries are extracted from the jar's
 * {@code /native/<os>-<arch>/} into a fresh temporary directory and loaded from there (the shim
 * finds {@code libkili.so} beside itself through its {@code $ORIGIN} rpath). Set the system
 * property {@code kili.native.skipSystem=true} to skip the first step. After loading, the ABI
 * version of the library is compared with the header the shim was compiled against and a
 * mismatch is refused. Thread-safety: called from {@link NativeBridge}'s static initialiser,
 * which the JVM runs once. Errors: {@link UnsatisfiedLinkError} naming what was tried.
 */
final class NativeLoader {
    private NativeLoader() {}

    static void load() {
        UnsatisfiedLinkError systemError = null;
        boolean loaded = false;
        if (!Boolean.getBoolean("kili.native.skipSystem")) {
            try {
                System.loadLibrary("kilijni");
                loaded = true;
            } catch (UnsatisfiedLinkError e) {
                systemError = e;
            }
        }
        if (!loaded) {
            try {
                loadFromJar();
            } catch (IOException | UnsatisfiedLinkError e) {
                UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                        "kili-native: cannot load libkilijni from java.library.path nor from the jar resource "
                                + resourceDir() + ": " + e.getMessage());
                if (systemError != null) {
                    err.addSuppressed(systemError);
                }
                err.initCause(e);
                throw err;
            }
        }
        int lib = NativeBridge.abiVersion();
        int header = NativeBridge.headerAbiVersion();
        if (lib != header) {
            throw new UnsatisfiedLinkError("kili-native: the loaded libkili has ABI version " + lib
                    + " but the JNI shim was built for ABI version " + header);
        }
    }

    /** {@code /native/<os>-<arch>}, e.g. {@code /native/linux-x86_64}. */
    static String resourceDir() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return "/native/" + o + "-" + a;
    }

    private static void loadFromJar() throws IOException {
        String dir = resourceDir();
        Path tmp = Files.createTempDirectory("kili-native-");
        Path kili = extract(dir + "/" + System.mapLibraryName("kili"), tmp);
        Path shim = extract(dir + "/" + System.mapLibraryName("kilijni"), tmp);
        try {
            System.load(kili.toString());
            System.load(shim.toString());
        } finally {
            // Once mapped, the files are no longer needed on Linux; elsewhere delete at exit.
            for (Path p : new Path[] {shim, kili, tmp}) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().deleteOnExit();
                }
            }
        }
    }

    private static Path extract(String resource, Path dir) throws IOException {
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing (no native build for this platform?)");
            }
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }
}
