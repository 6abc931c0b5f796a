package com.kili.nativesdk;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

/**
 * A failed kili-native call: the C status, its message and the details JSON of the C error
 * ({@code kili_error_details_json}: always {@code "status"}, plus when known {@code "path"} of
 * the failing argument, the HTTP status, GraphQL {@code "errors"}, per-item outcomes).
 *
 * <p>Unchecked, like {@code UncheckedIOException}: callers catch the subclass of the category
 * they handle ({@link NotFoundException}, {@link AuthException}, {@link InvalidArgumentException},
 * {@link RateLimitedException}, {@link CancelledException}, {@link KiliTimeoutException},
 * {@link ServerException}, {@link PartialFailureException}, ...). Messages never contain the API
 * key. Immutable and thread-safe.
 */
public class KiliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status status;
    private final int code;
    private final String detailsJson;

    /** An exception with the given status code, message and details JSON (may be null = {@code {}}). */
    public KiliException(int code, String message, String detailsJson) {
        super(message);
        this.code = code;
        this.status = Status.of(code);
        this.detailsJson = detailsJson == null || detailsJson.isEmpty() ? "{}" : detailsJson;
    }

    /** The status category. */
    public Status status() {
        return status;
    }

    /** The numeric status code as returned by the C ABI. */
    public int code() {
        return code;
    }

    /** The details of the C error as a JSON object text. */
    public String detailsJson() {
        return detailsJson;
    }

    /** The details parsed; an empty map if the library sent something that is not an object. */
    public Map<String, Object> details() {
        try {
            return Collections.unmodifiableMap(Json.parseObject(detailsJson));
        } catch (IllegalArgumentException e) {
            return Collections.emptyMap();
        }
    }

    /** The failing argument path (e.g. {@code status_in[1]}) when the library named one, else null. */
    public String path() {
        Object p = details().get("path");
        return p instanceof String ? (String) p : null;
    }

    /** Builds the subclass matching {@code code}; called by the JNI shim with UTF-8 bytes. */
    static KiliException fromNative(int code, byte[] message, byte[] details) {
        return of(code, new String(message, StandardCharsets.UTF_8), new String(details, StandardCharsets.UTF_8));
    }

    /** The subclass matching {@code code}. */
    static KiliException of(int code, String message, String details) {
        switch (Status.of(code)) {
            case INVALID_ARGUMENT: return new InvalidArgumentException(code, message, details);
            case INVALID_STATE: return new InvalidStateException(code, message, details);
            case AUTH: return new AuthException(code, message, details);
            case NOT_FOUND: return new NotFoundException(code, message, details);
            case RATE_LIMITED: return new RateLimitedException(code, message, details);
            case NETWORK: return new NetworkException(code, message, details);
            case TIMEOUT: return new KiliTimeoutException(code, message, details);
            case CANCELLED: return new CancelledException(code, message, details);
            case GRAPHQL: return new GraphQLException(code, message, details);
            case SERVER: return new ServerException(code, message, details);
            case PARTIAL_FAILURE: return new PartialFailureException(code, message, details);
            case INTERNAL: return new InternalException(code, message, details);
            default: return new KiliException(code, message, details);
        }
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + (status == Status.UNKNOWN ? "status " + code : status.name()) + "]: "
                + getMessage();
    }
}
