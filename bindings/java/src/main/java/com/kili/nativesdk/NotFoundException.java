package com.kili.nativesdk;

/** {@code KILI_NOT_FOUND}: a project, asset or external id does not exist or is not visible. Immutable and thread-safe. */
public class NotFoundException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public NotFoundException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
