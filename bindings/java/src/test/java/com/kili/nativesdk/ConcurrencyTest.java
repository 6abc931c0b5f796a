package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One client shared by 16 threads, each listing and counting concurrently. */
class ConcurrencyTest {
    @Test
    void sixteenThreadsShareOneClient() throws Exception {
        int threads = 16;
        List<String> expected;
        try (KiliClient client = Emulator.shared().client()) {
            expected = client.listAssets(AssetQuery.project(Emulator.READ_PROJECT).fields("id")).stream()
                    .map(Asset::id).collect(Collectors.toList());
            assertEquals(Emulator.READ_ASSETS, expected.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int n = t;
                    Callable<Integer> task = () -> {
                        start.await();
                        int checks = 0;
                        for (int round = 0; round < 5; round++) {
                            String status = Emulator.STATUSES[(n + round) % 5];
                            assertEquals(5, client.countAssets(AssetQuery.project(Emulator.READ_PROJECT).statusIn(status)));
                            try (AssetCursor c = client.assets(AssetQuery.project(Emulator.READ_PROJECT).fields("id"))) {
                                assertEquals(expected, c.stream().map(Asset::id).collect(Collectors.toList()));
                            }
                            checks++;
                        }
                        return checks;
                    };
                    results.add(pool.submit(task));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get(120, TimeUnit.SECONDS);
                }
                assertEquals(threads * 5, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
