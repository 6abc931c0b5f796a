package com.kili.nativesdk;

import java.util.Map;
import java.util.Objects;

/**
 * What happened to one item of a bulk call: its asset id and external id (either may be null
 * when unknown) and, for declined or failed items, the reason. Immutable and thread-safe.
 */
public final class ItemOutcome {
    private final String assetId;
    private final String externalId;
    private final String reason;

    ItemOutcome(String assetId, String externalId, String reason) {
        this.assetId = assetId;
        this.externalId = externalId;
        this.reason = reason;
    }

    static ItemOutcome of(Object o) {
        if (!(o instanceof Map)) {
            return new ItemOutcome(null, null, null);
        }
        Map<?, ?> m = (Map<?, ?>) o;
        return new ItemOutcome(str(m.get("asset_id")), str(m.get("external_id")), str(m.get("reason")));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** The asset id, or null when unknown. */
    public String assetId() {
        return assetId;
    }

    /** The external id, or null when unknown. */
    public String externalId() {
        return externalId;
    }

    /** Why the item was declined or failed; null for succeeded items. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ItemOutcome)) {
            return false;
        }
        ItemOutcome x = (ItemOutcome) o;
        return Objects.equals(assetId, x.assetId) && Objects.equals(externalId, x.externalId)
                && Objects.equals(reason, x.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(assetId, externalId, reason);
    }

    @Override
    public String toString() {
        return "ItemOutcome{assetId=" + assetId + ", externalId=" + externalId
                + (reason == null ? "" : ", reason=" + reason) + "}";
    }
}
