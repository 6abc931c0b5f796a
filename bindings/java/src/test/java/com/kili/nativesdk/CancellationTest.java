package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation of calls blocked in native code. A {@link StallingProxy} holds the request and
 * signals when it arrived, so the test acts only once the call is known to be blocked.
 */
class CancellationTest {
    private StallingProxy proxy;
    private KiliClient client;

    @BeforeEach
    void open() throws Exception {
        proxy = new StallingProxy(Emulator.shared().baseUrl);
        client = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(proxy.endpoint()).build();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        proxy.close();
    }

    private static AssetQuery read() {
        return AssetQuery.project(Emulator.READ_PROJECT);
    }

    /** Runs {@code call} on a new thread; returns the thread and what it threw. */
    private static Thread run(Runnable call, AtomicReference<Throwable> thrown, AtomicBoolean interruptedAfter) {
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "blocked-call");
        t.start();
        return t;
    }

    @Test
    void interruptCancelsABlockedCount() throws Exception {
        assertEquals(Emulator.READ_ASSETS, client.countAssets(read())); // works through the proxy
        proxy.stall();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread t = run(() -> client.countAssets(read()), thrown, interrupted);
        assertTrue(proxy.requestHeld.await(30, TimeUnit.SECONDS), "the request never reached the proxy");
        t.interrupt();
        t.join(20_000);
        assertTrue(!t.isAlive(), "the interrupted call did not return");
        assertInstanceOf(CancelledException.class, thrown.get());
        assertTrue(interrupted.get(), "the interrupt status must stay set");
    }

    @Test
    void interruptCancelsABlockedCursor() throws Exception {
        proxy.stall();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread t = run(() -> {
            try (AssetCursor c = client.assets(read())) {
                c.forEachRemaining(a -> { });
            }
        }, thrown, interrupted);
        assertTrue(proxy.requestHeld.await(30, TimeUnit.SECONDS), "the request never reached the proxy");
        t.interrupt();
        t.join(20_000);
        assertTrue(!t.isAlive(), "the interrupted query did not return");
        assertInstanceOf(CancelledException.class, thrown.get());
    }

    @Test
    void cancelTokenCancelsABlockedMutation() throws Exception {
        proxy.stall();
        CancelToken token = new CancelToken();
        CompletableFuture<MutationResult> f = CompletableFuture.supplyAsync(() -> client.deleteManyFromDataset(
                AssetSelection.externalIds(Emulator.READ_PROJECT, "ext-00"), CallOptions.cancelledBy(token)));
        assertTrue(proxy.requestHeld.await(30, TimeUnit.SECONDS), "the request never reached the proxy");
        token.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        assertInstanceOf(CancelledException.class, e.getCause());
        assertTrue(token.isCancelled());
        // a cancelled token fails later calls at once, without touching the server
        proxy.resume();
        assertThrows(CancelledException.class, () -> client.countAssets(read(), CallOptions.cancelledBy(token)));
    }

    @Test
    void closingTheClientCancelsItsBlockedCalls() throws Exception {
        proxy.stall();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread t = run(() -> client.countAssets(read()), thrown, interrupted);
        assertTrue(proxy.requestHeld.await(30, TimeUnit.SECONDS), "the request never reached the proxy");
        client.close(); // must not wait for the stalled server
        t.join(20_000);
        assertTrue(!t.isAlive(), "the blocked call did not return");
        assertInstanceOf(CancelledException.class, thrown.get());
        assertTrue(client.isClosed());
    }

    @Test
    void alreadyInterruptedThreadIsCancelledAtOnce() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancelledException.class, () -> client.countAssets(read()));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(Emulator.READ_ASSETS, client.countAssets(read())); // the client is still usable
    }

    @Test
    void timeoutStopsABlockedCall() {
        proxy.stall();
        KiliException e = assertThrows(KiliException.class,
                () -> client.countAssets(read(), CallOptions.timeout(Duration.ofMillis(300))));
        assertInstanceOf(KiliTimeoutException.class, e, e.toString());
    }

    @Test
    void closingACursorFromAnotherThreadStopsIt() throws Exception {
        // 200 assets in pages of 10: the library can prefetch a few pages, never all of them,
        // so the iterating thread must end up blocked on a held request.
        try (Emulator big = Emulator.start("--generate-project", Emulator.WRITE_PROJECT, "--generate-assets", "200");
                StallingProxy p = new StallingProxy(big.baseUrl);
                KiliClient paged = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(p.endpoint())
                        .pageSize(10).prefetchPages(0).build()) {
            AssetCursor cursor = paged.assets(AssetQuery.project(Emulator.WRITE_PROJECT).fields("id"));
            for (int i = 0; i < 10; i++) {
                cursor.next(); // the first page
            }
            p.stall();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread t = run(() -> cursor.forEachRemaining(a -> { }), thrown, interrupted);
            assertTrue(p.requestHeld.await(30, TimeUnit.SECONDS), "no further page was requested");
            cursor.close();
            t.join(20_000);
            assertTrue(!t.isAlive(), "close did not stop the iterating thread");
            // it sees the cancelled fetch, or the closed cursor if close came between two items
            assertTrue(thrown.get() instanceof CancelledException || thrown.get() instanceof InvalidStateException,
                    String.valueOf(thrown.get()));
            assertTrue(cursor.isClosed());
        }
    }
}
