package com.kili.nativesdk;

/** {@code KILI_CANCELLED}: the call was cancelled by a {@link CancelToken} or by {@link Thread#interrupt()} (the interrupt status stays set). Immutable and thread-safe. */
public class CancelledException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public CancelledException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
