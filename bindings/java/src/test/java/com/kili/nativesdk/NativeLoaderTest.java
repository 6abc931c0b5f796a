package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The platform names, coordinates and errors of {@link NativeLoader} (loading itself is what every other test does). */
class NativeLoaderTest {
    /** Surefire passes the pom's version: the filtered kili-native.properties must say the same. */
    private static final String VERSION = System.getProperty("kili.version");

    @Test
    void foldsTheJvmsPlatformAliases() {
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "x86_64"));
        assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
        assertEquals("macos-aarch64", NativeLoader.platform("Mac OS X", "aarch64"));
        assertEquals("macos-x86_64", NativeLoader.platform("Mac OS X", "x86_64"));
        assertEquals("windows-x86_64", NativeLoader.platform("Windows 11", "amd64"));
        assertEquals("freebsd-riscv64", NativeLoader.platform("FreeBSD", "riscv64"));
        assertEquals("/native/" + NativeLoader.platform(System.getProperty("os.name"), System.getProperty("os.arch")),
                NativeLoader.resourceDir());
    }

    @Test
    void knowsItsOwnCoordinates() {
        assertNotNull(VERSION, "surefire must pass -Dkili.version");
        NativeLoader.Coordinates c = NativeLoader.Coordinates.ofThisBuild();
        assertEquals("com.kili.nativesdk:kili-native:" + VERSION, c.toString());
        assertEquals("com.kili.nativesdk:kili-native:" + VERSION + ":linux-x86_64", c.withClassifier("linux-x86_64"));
    }

    @Test
    void missingNativesNameTheDependencyAndThePlatform() {
        NativeLoader.Coordinates c = new NativeLoader.Coordinates("com.kili.nativesdk", "kili-native", "1.2.3");
        String m = NativeLoader.missingNativesMessage(c, "linux-x86_64", "Linux", "amd64");
        assertTrue(m.contains("no native library for linux-x86_64 (os.name=Linux, os.arch=amd64)"), m);
        assertTrue(m.contains("Add the dependency com.kili.nativesdk:kili-native:1.2.3:linux-x86_64 beside "
                + "com.kili.nativesdk:kili-native:1.2.3"), m);
        assertTrue(m.contains("<classifier>linux-x86_64</classifier>"), m);
    }

    @Test
    void anUnpublishedPlatformIsToldWhatExists() {
        NativeLoader.Coordinates c = new NativeLoader.Coordinates("com.kili.nativesdk", "kili-native", "1.2.3");
        String m = NativeLoader.missingNativesMessage(c, "macos-aarch64", "Mac OS X", "aarch64");
        assertTrue(m.contains("no native library for macos-aarch64 (os.name=Mac OS X, os.arch=aarch64)"), m);
        assertTrue(m.contains("publishes natives only for [linux-x86_64]"), m);
        assertTrue(!m.contains("Add the dependency"), m);
    }

    @Test
    void refusesNativesOfAnotherVersion() {
        NativeLoader.Coordinates self = NativeLoader.Coordinates.ofThisBuild();
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.checkStamp(self, "/native/test-other-version"));
        assertTrue(e.getMessage().contains("are version 0.0.0-test but the classes are version " + VERSION), e.getMessage());
        assertTrue(e.getMessage().contains("use com.kili.nativesdk:kili-native:" + VERSION + ":test-other-version"),
                e.getMessage());
        // The natives this build loaded carry its own version; an unstamped directory is accepted.
        assertNotNull(NativeLoader.class.getResource(NativeLoader.resourceDir() + "/" + NativeLoader.NATIVES_STAMP));
        assertDoesNotThrow(() -> NativeLoader.checkStamp(self, NativeLoader.resourceDir()));
        assertDoesNotThrow(() -> NativeLoader.checkStamp(self, "/native/no-such-platform"));
    }
}
