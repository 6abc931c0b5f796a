package com.kili.nativesdk;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Turns {@link Thread#interrupt()} of a thread blocked in a native call into a trigger of that
 * call's native cancel token. Internal.
 *
 * <p>Why a channel: {@link AbstractInterruptibleChannel#begin()} is the JDK's public hook that
 * registers an action run by {@code Thread.interrupt()} itself (the same mechanism that makes
 * blocking NIO interruptible), so no watcher thread and no polling are needed. A thread already
 * interrupted when it enters triggers the token at once. The "channel" is closed by the first
 * interrupt, after which the token stays triggered. The interrupt status is left set.
 *
 * <p>Thread-safety: {@link #enter()}/{@link #exit()} pair up on the calling thread; one guard
 * may be reused by successive calls of one thread at a time (a cursor).
 */
final class InterruptGuard extends AbstractInterruptibleChannel {
    private final NativeCancel cancel;

    InterruptGuard(NativeCancel cancel) {
        this.cancel = cancel;
    }

    /** Before a blocking native call. */
    void enter() {
        begin();
    }

    /** After it, in a finally block. */
    void exit() {
        try {
            end(true);
        } catch (AsynchronousCloseException e) {
            // Interrupted during the call: the native call itself reports KILI_CANCELLED, or
            // finished first and its result stands; either way the interrupt status stays set.
        }
    }

    @Override
    protected void implCloseChannel() {
        cancel.trigger();
    }
}
