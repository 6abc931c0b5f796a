package com.kili.nativesdk;

import java.time.Duration;

/**
 * Options of one blocking call: a timeout (the whole call, retries included; zero = only the
 * client's own deadlines) and an optional {@link CancelToken}. For a query the timeout applies
 * to each page fetch and the token stays attached to the cursor.
 *
 * <p>Immutable and thread-safe; the {@code with*} methods return new instances.
 */
public final class CallOptions {
    /** No timeout, no cancel token. */
    public static final CallOptions DEFAULT = new CallOptions(0, null);

    private final int timeoutMs;
    private final CancelToken cancelToken;

    private CallOptions(int timeoutMs, CancelToken cancelToken) {
        this.timeoutMs = timeoutMs;
        this.cancelToken = cancelToken;
    }

    /** Options with only a timeout. */
    public static CallOptions timeout(Duration timeout) {
        return DEFAULT.withTimeout(timeout);
    }

    /** Options with only a cancel token. */
    public static CallOptions cancelledBy(CancelToken token) {
        return DEFAULT.withCancelToken(token);
    }

    /**
     * These options with {@code timeout} (null or zero = none).
     *
     * @throws IllegalArgumentException if {@code timeout} is negative or longer than
     *     {@code Integer.MAX_VALUE} milliseconds
     */
    public CallOptions withTimeout(Duration timeout) {
        long ms = timeout == null ? 0 : timeout.toMillis();
        if (ms < 0 || ms > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout: expected 0.." + Integer.MAX_VALUE + " ms, got " + ms + " ms");
        }
        if (timeout != null && ms == 0 && !timeout.isZero()) {
            ms = 1; // a sub-millisecond timeout must not mean "no timeout"
        }
        return new CallOptions((int) ms, cancelToken);
    }

    /** These options with {@code token} (null = not cancellable except by interrupt). */
    public CallOptions withCancelToken(CancelToken token) {
        return new CallOptions(timeoutMs, token);
    }

    /** The timeout in milliseconds; 0 = none. */
    public int timeoutMillis() {
        return timeoutMs;
    }

    /** The cancel token, or null. */
    public CancelToken cancelToken() {
        return cancelToken;
    }
}
