package com.kili.nativesdk;

/** {@code KILI_GRAPHQL}: the server answered with GraphQL {@code errors} (in {@link #details()}). Immutable and thread-safe. */
public class GraphQLException extends ServerException {
    private static final long serialVersionUID = 1L;

    /** See {@link KiliException#KiliException(int, String, String)}. */
    public GraphQLException(int code, String message, String detailsJson) {
        super(code, message, detailsJson);
    }
}
