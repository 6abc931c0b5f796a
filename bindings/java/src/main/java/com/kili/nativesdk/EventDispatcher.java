package com.kili.nativesdk;

import java.nio.charset.StandardCharsets;

/**
 * The object the JNI shim holds (as a global reference) as a client's event callback; it
 * forwards to the user's listener. Internal.
 *
 * <p>It references only the listener, never the client, so that the global reference does not
 * keep the client reachable. Thread-safety: called from any thread; the listener must be
 * thread-safe.
 */
final class EventDispatcher {
    private final KiliEventListener listener;

    EventDispatcher(KiliEventListener listener) {
        this.listener = listener;
    }

    /** Called by the shim with the event's UTF-8 JSON. Never throws. */
    void onNativeEvent(byte[] json) {
        try {
            listener.onEvent(new KiliEvent(new String(json, StandardCharsets.UTF_8)));
        } catch (Throwable t) { // NOPMD: a listener failure must not unwind into native code
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
        }
    }
}
