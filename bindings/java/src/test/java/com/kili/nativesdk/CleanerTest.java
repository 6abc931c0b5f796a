package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * The Cleaner safety net frees forgotten native objects. Observed through the event listener:
 * the library releases it (the shim deletes its JNI global reference) only once the client and
 * all its cursors are freed, so the listener becoming collectable proves the frees happened.
 */
class CleanerTest {
    /** A listener object with identity (a non-capturing lambda could be a shared singleton). */
    private static final class Listener implements KiliEventListener {
        @Override
        public void onEvent(KiliEvent event) {}
    }

    private static WeakReference<Listener> forgetClientAndCursor(ReferenceQueue<Listener> q) {
        Listener l = new Listener();
        KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(Emulator.shared().endpoint())
                .eventListener(l).build();
        AssetCursor cursor = c.assets(AssetQuery.project(Emulator.READ_PROJECT).first(3));
        assertEquals("asset-00", cursor.next().id());
        return new WeakReference<>(l, q); // neither the client nor the cursor is closed
    }

    @Test
    void unclosedClientAndCursorAreFreedByTheCleaner() throws InterruptedException {
        ReferenceQueue<Listener> q = new ReferenceQueue<>();
        WeakReference<Listener> ref = forgetClientAndCursor(q);
        long deadline = System.nanoTime() + 30_000_000_000L;
        // Wait on the reference queue (with a timeout per round) while asking for collections:
        // the Cleaner thread frees the handles after one GC, the listener goes after the next.
        while (q.remove(200) == null) {
            assertTrue(System.nanoTime() < deadline, "the forgotten client/cursor were never freed");
            System.gc();
        }
        assertTrue(ref.get() == null);
    }
}
