package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryTest {
    static KiliClient client;

    @BeforeAll
    static void open() {
        client = Emulator.shared().client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static AssetQuery read() {
        return AssetQuery.project(Emulator.READ_PROJECT);
    }

    @Test
    void listsEveryAssetInCreationOrderWithCommonFields() {
        List<Asset> all;
        try (AssetCursor c = client.assets(read())) {
            all = new ArrayList<>();
            while (c.hasNext()) {
                all.add(c.next());
            }
            assertFalse(c.hasNext());
            assertThrows(NoSuchElementException.class, c::next);
            assertEquals(Emulator.READ_ASSETS, c.expectedTotal());
        }
        assertEquals(Emulator.READ_ASSETS, all.size());
        Asset a = all.get(3);
        assertEquals("asset-03", a.id());
        assertEquals("ext-03", a.externalId());
        assertEquals("https://example.com/img-3.jpg", a.content());
        assertEquals("REVIEWED", a.status());
        assertEquals("test", a.jsonMetadata().get("split"));
        assertEquals(3L, a.get("jsonMetadata.rank"));
        assertTrue(a.createdAt().startsWith("2024-01-01"), a.createdAt());
        Asset labeled = all.get(2);
        assertEquals(1, labeled.labels().size());
        assertEquals("label-2", labeled.get("labels.0.id"));
        assertEquals("alice@example.com", labeled.get("labels.0.author.email"));
        assertEquals(a.fields(), Asset.fromJson(a.json()).fields());
    }

    @Test
    void fieldsFirstSkipAndFiltersAreSent() {
        List<Asset> page = client.listAssets(read().fields("id", "externalId").skip(5).first(4));
        assertEquals(List.of("asset-05", "asset-06", "asset-07", "asset-08"),
                page.stream().map(Asset::id).collect(Collectors.toList()));
        assertEquals(Set.of("id", "externalId"), page.get(0).fields().keySet());
        assertNull(page.get(0).content());

        List<Asset> todo = client.listAssets(read().statusIn("TODO"));
        assertEquals(5, todo.size());
        assertTrue(todo.stream().allMatch(x -> "TODO".equals(x.status())));

        assertEquals(List.of("asset-01", "asset-02"), client.listAssets(read().externalIdIn("ext-01", "ext-02"))
                .stream().map(Asset::id).sorted().collect(Collectors.toList()));
        assertEquals(2, client.listAssets(read().assetIdIn("asset-10", "asset-11")).size());
        assertEquals(13, client.listAssets(read().metadataWhere(Map.of("split", "train"))).size());
    }

    @Test
    void countsWithFiltersAndIgnoresListingKeys() {
        assertEquals(Emulator.READ_ASSETS, client.countAssets(read()));
        assertEquals(5, client.countAssets(read().statusIn("LABELED")));
        assertEquals(10, client.countAssets(read().statusIn("LABELED", "REVIEWED").first(1).fields("id")));
        assertEquals(3, client.countAssets(read().labelCategorySearch("CLASSIFICATION_JOB.CAT.count > 0")));
        assertEquals(Emulator.READ_ASSETS,
                client.countAssetsJson("{\"project_id\":\"" + Emulator.READ_PROJECT + "\"}", CallOptions.DEFAULT));
    }

    @Test
    void rawJsonQueryOverload() {
        try (AssetCursor c = client.assetsJson("{\"project_id\":\"p-read\",\"first\":2,\"fields\":[\"id\"]}",
                CallOptions.DEFAULT)) {
            assertEquals(List.of("asset-00", "asset-01"), c.stream().map(Asset::id).collect(Collectors.toList()));
        }
    }

    @Test
    void streamCloseClosesTheCursor() {
        AssetCursor cursor = client.assets(read());
        try (Stream<Asset> s = cursor.stream()) {
            assertEquals(List.of("asset-00", "asset-01", "asset-02"),
                    s.limit(3).map(Asset::id).collect(Collectors.toList()));
            assertFalse(cursor.isClosed());
        }
        assertTrue(cursor.isClosed());
        assertThrows(InvalidStateException.class, cursor::hasNext); // closed is not "exhausted"
        cursor.close(); // closing twice is a no-op
    }

    @Test
    void tryWithResourcesAndUseAfterClose() {
        AssetCursor kept;
        try (KiliClient c = Emulator.shared().client(); AssetCursor cursor = c.assets(read().first(1))) {
            kept = cursor;
            assertTrue(cursor.hasNext());
        }
        assertTrue(kept.isClosed());
        KiliClient c = Emulator.shared().client();
        c.close();
        c.close();
        assertTrue(c.isClosed());
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> c.countAssets(read()));
        assertEquals(Status.INVALID_STATE, e.status());
        assertThrows(InvalidStateException.class, () -> c.assets(read()));
    }

    @Test
    void cursorOutlivesAndKeepsItsClient() {
        KiliClient c = Emulator.shared().client();
        AssetCursor cursor = c.assets(read());
        c.close(); // the C ABI lets cursors outlive their client handle
        try (cursor) {
            assertEquals(Emulator.READ_ASSETS, cursor.stream().count());
        }
    }

    @Test
    void deprecationWarningsReachTheListener() {
        ConcurrentLinkedQueue<KiliEvent> events = new ConcurrentLinkedQueue<>();
        try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(Emulator.shared().endpoint())
                .eventListener(events::add).build()) {
            assertEquals(2, c.countAssets(read().externalIdContains("ext-01", "ext-02").first(2)));
        }
        assertTrue(events.stream().anyMatch(e -> e.type() == KiliEvent.Type.WARNING
                && "deprecation".equals(e.kind()) && e.message().contains("external_id_contains")), events.toString());
    }

    @Test
    void listenerExceptionsDoNotBreakCalls() {
        try (KiliClient c = Emulator.shared().client()) {
            c.setEventListener(e -> {
                throw new IllegalStateException("listener bug");
            });
            assertEquals(1, c.countAssets(read().externalIdContains("ext-00")));
            c.setEventListener(null);
        }
    }

    @Test
    void libraryVersionMatches() {
        assertTrue(KiliClient.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), KiliClient.libraryVersion());
        assertEquals(NativeBridge.headerAbiVersion(), KiliClient.abiVersion());
    }
}
