package com.kili.nativesdk;

/**
 * The arguments of {@link KiliClient#updateAssetConsensus}: the Python SDK's
 * {@code update_asset_consensus()} parameters: {@code project_id}, {@code is_consensus} and
 * the asset by {@code asset_id} or {@code external_id}.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssetConsensus extends Args<AssetConsensus> {
    private AssetConsensus() {}

    /** Consensus on ({@code true}) or off for asset {@code assetId} of {@code projectId}. */
    public static AssetConsensus ofAssetId(String projectId, String assetId, boolean isConsensus) {
        return new AssetConsensus().param("project_id", projectId).param("is_consensus", isConsensus)
                .param("asset_id", assetId);
    }

    /** Consensus on ({@code true}) or off for the asset with {@code externalId} in {@code projectId}. */
    public static AssetConsensus ofExternalId(String projectId, String externalId, boolean isConsensus) {
        return new AssetConsensus().param("project_id", projectId).param("is_consensus", isConsensus)
                .param("external_id", externalId);
    }
}
