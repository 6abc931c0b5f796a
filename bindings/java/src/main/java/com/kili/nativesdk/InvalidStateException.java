package com.kili.nativesdk;

/** {@code KILI_INVALID_STATE}: the object does not allow the call now (closed, or called from an event listener). Immutable and thread-safe. */
public class InvalidStateException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public InvalidStateException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
