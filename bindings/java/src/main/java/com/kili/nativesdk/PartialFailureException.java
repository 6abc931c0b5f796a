package com.kili.nativesdk;

import java.util.Map;

/**
 * {@code KILI_PARTIAL_FAILURE}: a bulk call succeeded for some items and not for others. The
 * details carry the call's {@code "result"} and per-item {@code "outcomes"}, exposed as a
 * {@link MutationResult} by {@link #partialResult()}. Immutable and thread-safe.
 */
public class PartialFailureException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public PartialFailureException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }

    /** The result and outcomes of the call as far as it went (lists empty when not reported). */
    public MutationResult partialResult() {
        Map<String, Object> d = details();
        return new MutationResult(Json.write(d), d);
    }
}
