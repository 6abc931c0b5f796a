package com.kili.nativesdk;

/** {@code KILI_RATE_LIMITED}: the server kept answering 429 until the retry deadline. Immutable and thread-safe. */
public class RateLimitedException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public RateLimitedException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
