package com.kili.nativesdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The answer of a mutation: {@link #result()} is exactly what the Python SDK method returns
 * (e.g. {@code {"id", "asset_ids"}} for {@code append_many_to_dataset}), and the per-item
 * outcomes say which items {@link #succeeded()}, were {@link #declined()} by the server,
 * {@link #failed()}, or are still {@link #pending()} (an import not waited for). Immutable and
 * thread-safe.
 */
public final class MutationResult {
    private final String json;
    private final Map<String, Object> map;

    MutationResult(String json, Map<String, Object> map) {
        this.json = json;
        this.map = map;
    }

    static MutationResult parse(String json) {
        return new MutationResult(json, Json.parseObject(json));
    }

    /** The whole answer as JSON ({@code {"result": ..., "outcomes": {...}}}). */
    public String json() {
        return json;
    }

    /** The reference SDK's return value: a map, a list, or null. */
    public Object result() {
        return map.get("result");
    }

    /**
     * The {@code asset_ids} of the result (e.g. the ids of appended assets), or, when the result
     * has none, the asset ids of the succeeded items.
     */
    public List<String> assetIds() {
        Object r = result();
        if (r instanceof Map && ((Map<?, ?>) r).get("asset_ids") instanceof List) {
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) ((Map<?, ?>) r).get("asset_ids")) {
                out.add(o == null ? null : o.toString());
            }
            return Collections.unmodifiableList(out);
        }
        List<String> out = new ArrayList<>();
        for (ItemOutcome o : succeeded()) {
            out.add(o.assetId());
        }
        return Collections.unmodifiableList(out);
    }

    /** Items done. */
    public List<ItemOutcome> succeeded() {
        return outcomes("succeeded");
    }

    /** Items the server refused as not applicable. */
    public List<ItemOutcome> declined() {
        return outcomes("declined");
    }

    /** Items whose write failed or could not be confirmed. */
    public List<ItemOutcome> failed() {
        return outcomes("failed");
    }

    /** Asynchronous imports accepted but not waited for. */
    public List<ItemOutcome> pending() {
        return outcomes("pending");
    }

    private List<ItemOutcome> outcomes(String key) {
        Object o = map.get("outcomes");
        if (!(o instanceof Map) || !(((Map<?, ?>) o).get(key) instanceof List)) {
            return Collections.emptyList();
        }
        List<ItemOutcome> out = new ArrayList<>();
        for (Object item : (List<?>) ((Map<?, ?>) o).get(key)) {
            out.add(ItemOutcome.of(item));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "MutationResult" + json;
    }
}
