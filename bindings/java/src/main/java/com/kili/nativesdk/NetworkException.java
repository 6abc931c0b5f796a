package com.kili.nativesdk;

/** {@code KILI_NETWORK}: the server could not be reached or the connection broke. Immutable and thread-safe. */
public class NetworkException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public NetworkException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
