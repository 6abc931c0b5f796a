package com.kili.nativesdk;

import java.util.Collection;

/**
 * The arguments of {@link KiliClient#setAssetsPriority}: the Python SDK's
 * {@code set_assets_priority()} parameters: one {@code priority} (an integer &gt;= 0; higher is
 * served first) for the assets selected by {@code asset_ids}, or by {@code external_ids} with
 * {@code project_id}.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssetsPriority extends Args<AssetsPriority> {
    private AssetsPriority() {}

    /** Priority {@code priority} for the assets with these ids. */
    public static AssetsPriority ofAssetIds(int priority, Collection<String> assetIds) {
        return new AssetsPriority().param("priority", priority).param("asset_ids", strings("asset_ids", assetIds));
    }

    /** Priority {@code priority} for the assets with these external ids in {@code projectId}. */
    public static AssetsPriority ofExternalIds(int priority, String projectId, Collection<String> externalIds) {
        return new AssetsPriority().param("priority", priority)
                .param("external_ids", strings("external_ids", externalIds)).param("project_id", projectId);
    }
}
