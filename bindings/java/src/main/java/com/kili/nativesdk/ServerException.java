package com.kili.nativesdk;

/** {@code KILI_SERVER} (and, through {@link GraphQLException}, {@code KILI_GRAPHQL}): the server answered with an error. Immutable and thread-safe. */
public class ServerException extends KiliException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public ServerException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
