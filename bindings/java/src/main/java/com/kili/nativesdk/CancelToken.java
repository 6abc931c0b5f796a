package com.kili.nativesdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An explicit cancel switch for calls and cursors: pass it in {@link CallOptions}, then
 * {@link #cancel()} from any thread makes every call and cursor started with it stop with a
 * {@link CancelledException}, promptly.
 *
 * <p>It holds no native resource itself: each call gets its own native token, registered here
 * for the duration of the call (or the life of the cursor), so one CancelToken may serve any
 * number of calls and needs no closing. Cancellation is permanent: calls started with an
 * already cancelled token fail at once. Thread-safety: fully thread-safe.
 */
public final class CancelToken {
    private final Object lock = new Object();
    private final Set<NativeCancel> active = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean cancelled;

    /** A new, untriggered token. */
    public CancelToken() {}

    /** Cancels every call and cursor using this token, now and later. Idempotent, non-blocking. */
    public void cancel() {
        List<NativeCancel> toTrigger;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toTrigger = new ArrayList<>(active);
        }
        for (NativeCancel c : toTrigger) {
            c.trigger();
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    void register(NativeCancel c) {
        synchronized (lock) {
            if (!cancelled) {
                active.add(c);
                return;
            }
        }
        c.trigger();
    }

    void unregister(NativeCancel c) {
        synchronized (lock) {
            active.remove(c);
        }
    }
}
