package com.kili.nativesdk;

/**
 * Receives the progress, warning and log events of a client and of its cursors.
 *
 * <p>Threading: {@link #onEvent} may run on any thread, including the library's own native
 * threads (attached to the JVM as daemons), and concurrently for different events; it must be
 * thread-safe and return quickly. Calling a blocking {@link KiliClient} method from inside it
 * fails with {@link InvalidStateException}. Exceptions it throws are caught and dropped.
 */
@FunctionalInterface
public interface KiliEventListener {
    /** Called once per event. */
    void onEvent(KiliEvent event);
}
