package com.kili.nativesdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@link KiliClient#addMetadata} and {@link KiliClient#setMetadata}: the
 * Python SDK's {@code add_metadata()} / {@code set_metadata()} parameters: one
 * {@code json_metadata} object per asset (values: strings, numbers or booleans), the assets by
 * {@code asset_ids} or {@code external_ids} within {@code project_id}.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssetMetadata extends Args<AssetMetadata> {
    private AssetMetadata() {}

    /** {@code metadata.get(i)} for asset {@code assetIds.get(i)} of {@code projectId}. */
    public static AssetMetadata ofAssetIds(String projectId, Collection<String> assetIds,
            List<? extends Map<String, ?>> metadata) {
        return new AssetMetadata().param("json_metadata", objects(metadata)).param("project_id", projectId)
                .param("asset_ids", strings("asset_ids", assetIds));
    }

    /** {@code metadata.get(i)} for the asset with external id {@code externalIds.get(i)}. */
    public static AssetMetadata ofExternalIds(String projectId, Collection<String> externalIds,
            List<? extends Map<String, ?>> metadata) {
        return new AssetMetadata().param("json_metadata", objects(metadata)).param("project_id", projectId)
                .param("external_ids", strings("external_ids", externalIds));
    }

    private static List<Map<String, ?>> objects(List<? extends Map<String, ?>> metadata) {
        if (metadata == null) {
            throw new IllegalArgumentException("json_metadata: expected a list of objects, got null");
        }
        return new ArrayList<>(metadata);
    }
}
