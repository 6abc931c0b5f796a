package com.kili.nativesdk;

/**
 * The value of {@link AssetQuery#downloadMediaErrors}: what a listing that downloads media does
 * when a download fails. Immutable; thread-safe.
 */
public enum MediaErrorPolicy {
    /** {@code "raise"}: the call fails on the first media download error. */
    RAISE("raise"),
    /** {@code "report"}: the download errors are reported and the call goes on. */
    REPORT("report");

    private final String wireName;

    MediaErrorPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The value sent to the library ({@code "raise"} or {@code "report"}). */
    public String wireName() {
        return wireName;
    }
}
