package com.kili.nativesdk;

/** {@code KILI_TIMEOUT}: the call's timeout expired. Immutable and thread-safe. */
public class KiliTimeoutException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public KiliTimeoutException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
