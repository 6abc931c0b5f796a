package com.kili.nativesdk;

/** {@code KILI_INVALID_ARGUMENT}: an argument is missing, ill-typed or out of range; {@link #path()} names it. Immutable and thread-safe. */
public class InvalidArgumentException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public InvalidArgumentException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
