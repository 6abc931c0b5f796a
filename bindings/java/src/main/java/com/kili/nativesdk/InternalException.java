package com.kili.nativesdk;

/** {@code KILI_INTERNAL}: a bug in the library (including a caught panic). Immutable and thread-safe. */
public class InternalException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public InternalException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
