package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cursor's pages of assets (built by the JNI shim) and the lazily decoded {@link Asset}. */
class LazyAssetTest {
    static KiliClient client;

    @BeforeAll
    static void open() {
        client = Emulator.shared().client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static List<Asset> indexed(String page) {
        return List.of(NativeBridge.pageAssets(page.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void lazyGettersAgreeWithTheParsedObject() {
        String page = "[ {\"id\":\"a\\\"1\",\"externalId\":\"\u00e9t\u00e9 \ud83d\ude00\",\"status\":null,"
                + "\"isHoneypot\":true,\"skipped\":false,\"content\":42,\"createdAt\":{\"x\":[1,\"]}\"]}} ,\n"
                + "{}, {\"id\":\"first\",\"id\":\"last\",\"jsonMetadata\":{\"k\":\"v\"},\"labels\":[{\"id\":\"l\"}]},"
                + "{\"i\\u0064\":\"escaped-key\",\"status\":\"TODO\"}, {\"skipped\" : true , \"id\" : \"ws\" } ]";
        List<Asset> assets = indexed(page);
        assertEquals(5, assets.size());
        List<Object> parsed = (List<Object>) Json.parse(page);
        for (int i = 0; i < assets.size(); i++) {
            @SuppressWarnings("unchecked")
            Asset want = new Asset((Map<String, Object>) parsed.get(i));
            Asset got = assets.get(i);
            // each getter before anything parsed the whole object, then the whole object
            assertEquals(want.id(), got.id(), "id of " + i);
            assertEquals(want.externalId(), got.externalId(), "externalId of " + i);
            assertEquals(want.status(), got.status(), "status of " + i);
            assertEquals(want.content(), got.content(), "content of " + i);
            assertEquals(want.createdAt(), got.createdAt(), "createdAt of " + i);
            assertEquals(want.isHoneypot(), got.isHoneypot(), "isHoneypot of " + i);
            assertEquals(want.skipped(), got.skipped(), "skipped of " + i);
            assertEquals(want.fields(), got.fields(), "fields of " + i);
            assertEquals(want.json(), got.json(), "json of " + i);
        }
        Asset a = assets.get(0);
        assertEquals("a\"1", a.id());
        assertEquals("\u00e9t\u00e9 \ud83d\ude00", a.externalId());
        assertNull(a.status());
        assertEquals("42", a.content());
        assertEquals(Boolean.TRUE, a.isHoneypot());
        assertEquals(Boolean.FALSE, a.skipped());
        assertEquals("last", assets.get(2).id()); // the last duplicate wins, as in the map
        assertEquals("escaped-key", assets.get(3).id());
        assertEquals("ws", assets.get(4).id());
        assertNull(assets.get(1).id());
        // nested values are parsed once: repeated reads return the same objects
        Asset b = assets.get(2);
        assertSame(b.labels().get(0), b.labels().get(0));
        assertSame(b.fields(), b.fields());
        assertEquals("v", b.get("jsonMetadata.k"));
    }

    @Test
    void malformedPagesAreInternalErrors() {
        for (String bad : new String[] {"", "{}", "[1]", "[{}", "[{\"a\":}]", "[{\"a\" 1}]", "[{\"a\":\"x]", "[{}] x",
                "[{},]"}) {
            assertThrows(InternalException.class, () -> indexed(bad), bad);
        }
        assertEquals(0, indexed("[]").size());
        assertEquals(0, indexed(" [ ] ").size());
    }

    @Test
    void cursorSpanningSeveralPagesYieldsEveryAssetOnceInOrder() {
        List<String> ids = new ArrayList<>();
        List<Asset> assets = new ArrayList<>();
        try (AssetCursor c = client.assets(QueryTest.read()).pageSize(7)) { // 25 = 3 * 7 + 4
            while (c.hasNext()) {
                Asset a = c.next();
                assets.add(a);
                ids.add(a.id());
            }
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < Emulator.READ_ASSETS; i++) {
            want.add(String.format("asset-%02d", i));
        }
        assertEquals(want, ids);
        // decoded after the cursor was closed: each asset owns its bytes
        for (int i = 0; i < assets.size(); i++) {
            Asset a = assets.get(i);
            assertEquals(String.format("ext-%02d", i), a.externalId());
            assertEquals((long) i, a.get("jsonMetadata.rank"));
            assertEquals(a.fields(), Asset.fromJson(a.json()).fields());
        }
    }

    @Test
    void closeInTheMiddleOfAPage() {
        List<Asset> seen = new ArrayList<>();
        AssetCursor c = client.assets(QueryTest.read().fields("id", "externalId")).pageSize(10);
        for (int i = 0; i < 3; i++) {
            assertTrue(c.hasNext());
            seen.add(c.next());
        }
        c.close();
        assertTrue(c.isClosed());
        assertThrows(InvalidStateException.class, c::hasNext);
        assertThrows(InvalidStateException.class, c::next);
        assertEquals(List.of("asset-00", "asset-01", "asset-02"),
                List.of(seen.get(0).id(), seen.get(1).id(), seen.get(2).id()));
        assertEquals("ext-02", seen.get(2).externalId());
        assertFalse(seen.get(0).fields().containsKey("status"));
        assertNull(seen.get(0).status());
    }
}
