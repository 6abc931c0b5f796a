package com.kili.nativesdk;

import java.util.Collection;

/**
 * The arguments of {@link KiliClient#changeAssetExternalIds}: the Python SDK's
 * {@code change_asset_external_ids()} parameters: {@code new_external_ids}, one per asset
 * selected by {@code asset_ids}, or by {@code external_ids} with {@code project_id}.
 *
 * <p>Not thread-safe while being built.
 */
public final class ChangeExternalIds extends Args<ChangeExternalIds> {
    private ChangeExternalIds() {}

    /** Renames: {@code newExternalIds.get(i)} becomes the external id of {@code assetIds.get(i)}. */
    public static ChangeExternalIds ofAssetIds(Collection<String> assetIds, Collection<String> newExternalIds) {
        return new ChangeExternalIds().param("new_external_ids", strings("new_external_ids", newExternalIds))
                .param("asset_ids", strings("asset_ids", assetIds));
    }

    /** Renames by current external id within project {@code projectId}. */
    public static ChangeExternalIds ofExternalIds(String projectId, Collection<String> externalIds,
            Collection<String> newExternalIds) {
        return new ChangeExternalIds().param("new_external_ids", strings("new_external_ids", newExternalIds))
                .param("external_ids", strings("external_ids", externalIds)).param("project_id", projectId);
    }
}
