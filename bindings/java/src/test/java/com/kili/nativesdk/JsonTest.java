package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTripsNestedValues() {
        String text = "{\"a\":[1,-2.5,true,false,null,\"x\\\"y\\n\\u00e9\\ud83d\\ude00\"],\"b\":{\"c\":{}},\"d\":[]}";
        Object v = Json.parse(text);
        assertEquals(text.replace("\\u00e9", "\u00e9").replace("\\ud83d\\ude00", "\ud83d\ude00"), Json.write(v));
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertNull(a.get(4));
        assertEquals("x\"y\n\u00e9\ud83d\ude00", a.get(5));
    }

    @Test
    void errorsNameTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": tru}"));
        assertTrue(e.getMessage().contains("offset 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"abc"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[]"));
    }

    @Test
    void writesArgumentObjectsWithSnakeCaseNames() {
        AssetQuery q = AssetQuery.project("p").fields("id", "labels.author.email").first(3).statusIn("TODO")
                .metadataWhere(Map.of("rank", Arrays.asList(1, 5))).param("honeypot_mark_gte", 0.5);
        assertEquals("{\"project_id\":\"p\",\"fields\":[\"id\",\"labels.author.email\"],\"first\":3,"
                + "\"status_in\":[\"TODO\"],\"metadata_where\":{\"rank\":[1,5]},\"honeypot_mark_gte\":0.5}", q.toJson());
        assertEquals("{\"project_id\":\"p\",\"status_in\":[\"TODO\"],\"metadata_where\":{\"rank\":[1,5]},"
                + "\"honeypot_mark_gte\":0.5}", q.forCount().toJson());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("k", "v");
        assertEquals("{\"project_id\":\"p\",\"content_array\":[\"a\"],\"json_metadata_array\":[{\"k\":\"v\"}]}",
                AppendAssets.project("p").contentArray("a").jsonMetadataArray(List.of(meta)).toJson());
        assertEquals("{\"asset_ids\":[\"a\",\"b\"]}", AssetSelection.assetIds("a", "b").toJson());
        assertEquals("{\"new_external_ids\":[\"n\"],\"asset_ids\":[\"a\"]}",
                ChangeExternalIds.ofAssetIds(List.of("a"), List.of("n")).toJson());
        assertThrows(IllegalArgumentException.class, () -> AssetQuery.project(""));
        assertThrows(IllegalArgumentException.class, () -> AssetSelection.assetIds((List<String>) null));
    }

    @Test
    void builderToStringHidesTheApiKey() {
        String s = KiliClient.builder().apiKey("secret-key-123").apiEndpoint("http://x").toString();
        assertTrue(!s.contains("secret-key-123") && s.contains("***"), s);
    }
}
