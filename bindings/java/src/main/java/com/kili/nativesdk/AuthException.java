package com.kili.nativesdk;

/** {@code KILI_AUTH}: the API key is missing, unknown or refused. Immutable and thread-safe. */
public class AuthException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public AuthException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
