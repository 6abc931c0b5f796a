package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClientTest {
    @Test
    void clientFromRawJsonOptionsAndCursorToList() {
        Emulator emu = Emulator.shared();
        String options = "{\"api_key\":\"" + Emulator.API_KEY + "\",\"api_endpoint\":\"" + emu.endpoint()
                + "\",\"page_size\":10}";
        try (KiliClient c = KiliClient.fromJson(options)) {
            AssetCursor cursor = c.assets(AssetQuery.project(Emulator.READ_PROJECT).fields("id").first(12));
            List<Asset> list = cursor.toList();
            assertTrue(cursor.isClosed());
            assertEquals(12, list.size());
            assertEquals("asset-11", list.get(11).id());
        }
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> KiliClient.fromJson("{\"api_key\":\"k\",\"api_endpont\":\"x\"}"));
        assertTrue(e.getMessage().contains("api_endpoint"), e.getMessage());
    }

    @Test
    void callOptionsValidateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> CallOptions.timeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> CallOptions.timeout(Duration.ofDays(30)));
        assertEquals(1, CallOptions.timeout(Duration.ofNanos(10)).timeoutMillis());
        assertEquals(0, CallOptions.DEFAULT.timeoutMillis());
        CancelToken t = new CancelToken();
        assertEquals(t, CallOptions.cancelledBy(t).withTimeout(Duration.ofSeconds(1)).cancelToken());
    }

    @Test
    void eventsFromLibraryThreadsReachJava() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Set<String> operations = ConcurrentHashMap.newKeySet();
        try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(Emulator.shared().endpoint())
                .pageSize(10).eventListener(e -> {
                    threads.add(Thread.currentThread().getName());
                    if (e.type() == KiliEvent.Type.PROGRESS) {
                        operations.add(e.operation());
                    }
                }).build()) {
            try (AssetCursor cursor = c.assets(AssetQuery.project(Emulator.READ_PROJECT))) {
                assertEquals(Emulator.READ_ASSETS, cursor.stream().count());
            }
        }
        assertTrue(operations.contains("assets"), operations.toString());
        // progress of a listing is reported by the library's background fetcher: a native thread
        // that the shim attached to the JVM under the name "kili-native"
        assertTrue(threads.contains("kili-native"), threads.stream().collect(Collectors.joining(",")));
    }
}
