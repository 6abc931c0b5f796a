package com.kili.nativesdk;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The assets of a query, fetched page by page (one JNI crossing per page) while the library
 * prefetches the next pages in the background. Each {@link Asset} decodes its fields lazily,
 * when first read.
 *
 * <p>Ownership: holds one native {@code kili_cursor_t} and its cancel token, released exactly
 * once by {@link #close()} (which the {@link #stream()}'s close calls; use try-with-resources);
 * a {@link Cleaner} releases them if the cursor becomes unreachable unclosed. The cursor keeps its {@link KiliClient} reachable.
 *
 * <p>Thread-safety: one thread at a time iterates; {@link #close()} may be called from any
 * thread and cancels a fetch in progress; after it {@link #hasNext()} and {@link #next()}
 * throw {@link InvalidStateException} (a closed cursor never looks exhausted). Errors: {@link #hasNext()}/{@link #next()} throw
 * the {@link KiliException} of a failed fetch, and again on later calls;
 * {@link Thread#interrupt()} of the iterating thread cancels the cursor
 * ({@link CancelledException}).
 */
public final class AssetCursor implements Iterator<Asset>, AutoCloseable {
    private static final int PAGE = 100;

    @SuppressWarnings("unused") // a strong reference: the cursor keeps its client reachable
    private final KiliClient client;
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CallScope scope;
    private final Object lock = new Object();
    // The current page, built by the shim; each asset decodes its fields when first read.
    private Asset[] page = NO_ASSETS;
    private int index;
    private boolean done;
    private int pageSize = PAGE;

    private static final Asset[] NO_ASSETS = {};

    /** Frees the native cursor, then its cancel token; the Cleaner's action. */
    private static final class State implements Runnable {
        private final long ptr;
        private final CallScope scope;

        State(long ptr, CallScope scope) {
            this.ptr = ptr;
            this.scope = scope;
        }

        @Override
        public void run() {
            NativeBridge.cursorFree(ptr);
            scope.close();
        }
    }

    AssetCursor(KiliClient client, long ptr, CallScope scope) {
        this.client = client;
        this.scope = scope;
        this.state = new State(ptr, scope);
        this.cleanable = KiliClient.CLEANER.register(this, state);
    }

    @Override
    public boolean hasNext() {
        synchronized (lock) {
            if (closed.get()) {
                throw closedError(); // never let a closed cursor look exhausted
            }
            while (index >= page.length) {
                if (done) {
                    return false;
                }
                fetch();
            }
            return true;
        }
    }

    @Override
    public Asset next() {
        synchronized (lock) {
            if (closed.get()) {
                throw closedError();
            }
            if (!hasNext()) {
                throw new NoSuchElementException("the query has no more assets");
            }
            Asset a = page[index];
            page[index++] = null; // drop our reference: memory stays bounded
            return a;
        }
    }

    /** Sets the number of assets fetched per JNI call (tests use small pages). */
    AssetCursor pageSize(int n) {
        synchronized (lock) {
            pageSize = n;
        }
        return this;
    }

    private static InvalidStateException closedError() {
        return new InvalidStateException(Status.INVALID_STATE.code(), "the AssetCursor is closed",
                "{\"status\":\"INVALID_STATE\"}");
    }

    private void fetch() {
        if (closed.get()) {
            throw closedError();
        }
        Asset[] assets;
        scope.guard.enter();
        try {
            assets = NativeBridge.cursorNextAssets(state.ptr, pageSize);
        } finally {
            scope.guard.exit();
        }
        index = 0;
        page = NO_ASSETS;
        if (assets == null && scope.cancel.wasTriggered()) {
            // A cancelled listing must never look complete: report the cancellation even if
            // the library ended the stream as exhausted.
            throw new CancelledException(Status.CANCELLED.code(), "the query was cancelled",
                    "{\"status\":\"CANCELLED\"}");
        }
        if (assets == null) {
            done = true;
            return;
        }
        page = assets;
    }

    /**
     * The number of assets the query is expected to yield, once the server reported it
     * (usually after the first page), else -1.
     */
    public long expectedTotal() {
        synchronized (lock) {
            if (closed.get()) {
                return -1;
            }
            return NativeBridge.cursorExpectedTotal(state.ptr);
        }
    }

    /**
     * A sequential stream of the remaining assets; closing the stream closes this cursor, so
     * use it in try-with-resources.
     */
    public Stream<Asset> stream() {
        Spliterator<Asset> s = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(s, false).onClose(this::close);
    }

    /** The remaining assets as a list, then closes the cursor. */
    public List<Asset> toList() {
        try {
            List<Asset> out = new ArrayList<>();
            forEachRemaining(out::add);
            return out;
        } finally {
            close();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Releases the native cursor, once; later calls are no-ops. From another thread it cancels
     * a fetch in progress, then waits for it to return.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            scope.trigger(); // stops a fetch blocked on another thread and the prefetching
            synchronized (lock) {
                cleanable.clean();
                page = NO_ASSETS;
                done = true;
            }
        }
    }

    @Override
    public String toString() {
        return "AssetCursor{" + (closed.get() ? "closed" : "open") + "}";
    }
}
