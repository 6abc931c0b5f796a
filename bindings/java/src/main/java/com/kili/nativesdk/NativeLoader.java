package com.kili.nativesdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Loads the JNI shim ({@code libkilijni.so}, and {@code libkili.so} when the shim is linked to
 * it dynamically) once per class loader.
 *
 * <p>Order: {@code System.loadLibrary("kilijni")} first (a library installed on
 * {@code java.library.path}); if that fails, the natives of the running platform are looked up
 * on the classpath under {@code /native/<os>-<arch>/} (e.g. {@code /native/linux-x86_64/}, the
 * content of the classifier artifact {@code com.kili.nativesdk:kili-native:VERSION:linux-x86_64}),
 * extracted into a fresh temporary directory ({@code -Dkili.native.tmpdir=DIR} chooses its parent,
 * e.g. when {@code java.io.tmpdir} is mounted {@code noexec}) and loaded from there. A release
 * natives jar holds one self-contained {@code libkilijni.so} (the Rust library linked in
 * statically); a development build also holds {@code libkili.so}, found by the shim through its
 * {@code $ORIGIN} rpath. Set the system property {@code kili.native.skipSystem=true} to skip the
 * first step.
 *
 * <p>Checks: a natives directory stamped with another kili-native version than these classes is
 * refused (the JNI methods of two versions need not match); after loading, the ABI version of
 * the library is compared with the header the shim was compiled against and a mismatch is
 * refused.
 *
 * <p>Thread-safety: called from {@link NativeBridge}'s static initialiser, which the JVM runs
 * once. Errors: {@link UnsatisfiedLinkError}; when no natives exist for the running platform,
 * its message names the platform detected ({@code os.name}, {@code os.arch}) and the exact
 * dependency ({@code groupId:artifactId:version:classifier}) to add.
 */
final class NativeLoader {
    /** The platforms for which this release publishes a natives classifier artifact. */
    static final List<String> PUBLISHED_PLATFORMS = List.of("linux-x86_64");
    /** Written by build-native.sh beside the natives: the kili-native version they belong to. */
    static final String NATIVES_STAMP = "kili-native.properties";

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
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            String platform = platform(os, arch);
            String dir = "/native/" + platform;
            Coordinates self = Coordinates.ofThisBuild();
            UnsatisfiedLinkError err = null;
            if (NativeLoader.class.getResource(dir + "/" + System.mapLibraryName("kilijni")) == null) {
                err = new UnsatisfiedLinkError(missingNativesMessage(self, platform, os, arch));
            } else {
                try {
                    checkStamp(self, dir);
                    loadFromClasspath(dir);
                } catch (IOException | UnsatisfiedLinkError e) {
                    err = new UnsatisfiedLinkError("kili-native: cannot load libkilijni from java.library.path nor from"
                            + " the classpath resources " + dir + "/: " + e.getMessage());
                    err.initCause(e);
                }
            }
            if (err != null) {
                if (systemError != null) {
                    err.addSuppressed(systemError);
                }
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

    /**
     * The platform name of the natives directory and of the classifier: {@code <os>-<arch>}
     * with the JVM's aliases folded ({@code amd64} = {@code x86_64}, {@code arm64} =
     * {@code aarch64}, {@code Mac OS X} = {@code macos}).
     */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows"
                : os.replaceAll("[^a-z0-9]", "");
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch.replaceAll("[^a-z0-9_]", "");
        return o + "-" + a;
    }

    /** {@code /native/<os>-<arch>} of the running JVM, e.g. {@code /native/linux-x86_64}. */
    static String resourceDir() {
        return "/native/" + platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The error when the classpath holds no natives for {@code platform}. */
    static String missingNativesMessage(Coordinates self, String platform, String os, String arch) {
        String detected = "kili-native: no native library for " + platform + " (os.name=" + os + ", os.arch=" + arch
                + ") on java.library.path or the classpath (/native/" + platform + "/). ";
        if (PUBLISHED_PLATFORMS.contains(platform)) {
            return detected + "Add the dependency " + self.withClassifier(platform) + " beside " + self
                    + " (Maven: <classifier>" + platform + "</classifier>; Gradle: '" + self.withClassifier(platform)
                    + "').";
        }
        return detected + "kili-native " + self.version + " publishes natives only for " + PUBLISHED_PLATFORMS
                + " (e.g. " + self.withClassifier(PUBLISHED_PLATFORMS.get(0)) + "); for " + platform
                + ", build libkilijni (bindings/java/build-native.sh) and put it on java.library.path.";
    }

    /**
     * Refuses natives stamped with another version than these classes. Unstamped natives and
     * classes built outside Maven (no version known) are accepted: the ABI check still applies.
     */
    static void checkStamp(Coordinates self, String dir) throws IOException {
        String stamped = readProperties(dir + "/" + NATIVES_STAMP).getProperty("version");
        if (stamped != null && self.version != null && !stamped.equals(self.version)) {
            throw new UnsatisfiedLinkError("kili-native: the natives on the classpath (" + dir + "/) are version "
                    + stamped + " but the classes are version " + self.version + "; use "
                    + self.withClassifier(dir.substring(dir.lastIndexOf('/') + 1)));
        }
    }

    private static void loadFromClasspath(String dir) throws IOException {
        Path parent = Path.of(System.getProperty("kili.native.tmpdir", System.getProperty("java.io.tmpdir")));
        Path tmp = Files.createTempDirectory(parent, "kili-native-");
        List<Path> files = new ArrayList<>();
        try {
            // libkili.so exists only beside a dynamically linked (development) shim: load it first.
            String core = dir + "/" + System.mapLibraryName("kili");
            if (NativeLoader.class.getResource(core) != null) {
                files.add(extract(core, tmp));
            }
            files.add(extract(dir + "/" + System.mapLibraryName("kilijni"), tmp));
            for (Path p : files) {
                System.load(p.toString());
            }
        } finally {
            // Once mapped, the files are no longer needed on Linux; elsewhere delete at exit.
            files.add(tmp);
            for (Path p : files) {
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
                throw new IOException("resource " + resource + " is missing");
            }
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    private static Properties readProperties(String resource) throws IOException {
        Properties p = new Properties();
        URL url = NativeLoader.class.getResource(resource);
        if (url != null) {
            try (InputStream in = url.openStream()) {
                p.load(in);
            }
        }
        return p;
    }

    /**
     * The Maven coordinates of these classes, from {@code kili-native.properties} (filtered by
     * Maven from the pom). Classes compiled outside Maven have no version: the message then says
     * {@code VERSION} and the version check is skipped. Immutable.
     */
    static final class Coordinates {
        final String groupId;
        final String artifactId;
        final String version;

        Coordinates(String groupId, String artifactId, String version) {
            this.groupId = groupId;
            this.artifactId = artifactId;
            this.version = version;
        }

        static Coordinates ofThisBuild() {
            Properties p;
            try {
                p = readProperties("/com/kili/nativesdk/kili-native.properties");
            } catch (IOException e) {
                p = new Properties();
            }
            String version = p.getProperty("version");
            // An unfiltered resource (built outside Maven) still says ${project.version}.
            if (version != null && version.startsWith("${")) {
                version = null;
            }
            return new Coordinates(p.getProperty("groupId", "com.kili.nativesdk"),
                    p.getProperty("artifactId", "kili-native"), version);
        }

        /** {@code groupId:artifactId:version:classifier}. */
        String withClassifier(String classifier) {
            return this + ":" + classifier;
        }

        /** {@code groupId:artifactId:version}. */
        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + (version == null ? "VERSION" : version);
        }
    }
}
