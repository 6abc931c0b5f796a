package com.kili.nativesdk;

/**
 * The status codes of the C ABI ({@code KILI_*} in {@code kili.h}); values are never renumbered.
 * Immutable and thread-safe.
 */
public enum Status {
    OK(0), DONE(1), INVALID_ARGUMENT(2), INVALID_STATE(3), AUTH(4), NOT_FOUND(5), RATE_LIMITED(6),
    NETWORK(7), TIMEOUT(8), CANCELLED(9), GRAPHQL(10), SERVER(11), PARTIAL_FAILURE(12), INTERNAL(13),
    /** A code this binding does not know (a newer library). */
    UNKNOWN(-1);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The numeric {@code kili_status_t} value ({@code -1} for {@link #UNKNOWN}). */
    public int code() {
        return code;
    }

    /** The status of a numeric code; {@link #UNKNOWN} for codes this binding does not know. */
    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code && s != UNKNOWN) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
