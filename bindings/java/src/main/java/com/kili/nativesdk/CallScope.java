package com.kili.nativesdk;

/**
 * The native resources of one blocking call (or one cursor): a fresh native cancel token,
 * registered with the caller's {@link CancelToken} if any, and an {@link InterruptGuard}.
 * Internal.
 *
 * <p>Thread-safety: {@link #close()} runs once, after the call returned; {@link #trigger()} may
 * be called from any thread.
 */
final class CallScope implements AutoCloseable {
    final NativeCancel cancel;
    final InterruptGuard guard;
    final int timeoutMs;
    private final CancelToken token;

    CallScope(CallOptions options) {
        CallOptions o = options == null ? CallOptions.DEFAULT : options;
        this.timeoutMs = o.timeoutMillis();
        this.token = o.cancelToken();
        this.cancel = new NativeCancel();
        this.guard = new InterruptGuard(cancel);
        if (token != null) {
            token.register(cancel);
        }
    }

    void trigger() {
        cancel.trigger();
    }

    @Override
    public void close() {
        if (token != null) {
            token.unregister(cancel);
        }
        cancel.free();
    }
}
