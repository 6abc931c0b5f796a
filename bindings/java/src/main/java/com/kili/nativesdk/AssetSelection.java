package com.kili.nativesdk;

import java.util.Collection;

/**
 * The arguments of {@link KiliClient#deleteManyFromDataset}, {@link KiliClient#addToReview}
 * and {@link KiliClient#sendBackToQueue}: assets selected by {@code asset_ids}, or by
 * {@code external_ids} with {@code project_id}, as in the Python SDK.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssetSelection extends Args<AssetSelection> {
    private AssetSelection() {}

    /** The assets with these ids. */
    public static AssetSelection assetIds(Collection<String> ids) {
        return new AssetSelection().param("asset_ids", strings("asset_ids", ids));
    }

    /** The assets with these ids. */
    public static AssetSelection assetIds(String... ids) {
        return new AssetSelection().param("asset_ids", strings("asset_ids", ids));
    }

    /** The assets with these external ids in project {@code projectId}. */
    public static AssetSelection externalIds(String projectId, Collection<String> ids) {
        return new AssetSelection().param("external_ids", strings("external_ids", ids)).param("project_id", projectId);
    }

    /** The assets with these external ids in project {@code projectId}. */
    public static AssetSelection externalIds(String projectId, String... ids) {
        return new AssetSelection().param("external_ids", strings("external_ids", ids)).param("project_id", projectId);
    }

    /** Adds {@code project_id} (optional with asset ids; the library then checks membership). */
    public AssetSelection projectId(String projectId) {
        return param("project_id", projectId);
    }
}
