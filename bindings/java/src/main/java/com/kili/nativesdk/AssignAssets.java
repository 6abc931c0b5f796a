package com.kili.nativesdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The arguments of {@link KiliClient#assignAssetsToLabelers}: the Python SDK's
 * {@code assign_assets_to_labelers()} parameters: {@code to_be_labeled_by_array}, for each
 * asset selected by {@code asset_ids} (or by {@code external_ids} with {@code project_id}) the
 * ids of the users who become its assignees; an empty list unassigns the asset.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssignAssets extends Args<AssignAssets> {
    private AssignAssets() {}

    /** {@code userIds.get(i)} become the assignees of {@code assetIds.get(i)}. */
    public static AssignAssets ofAssetIds(Collection<String> assetIds, List<? extends Collection<String>> userIds) {
        return new AssignAssets().param("to_be_labeled_by_array", lists(userIds))
                .param("asset_ids", strings("asset_ids", assetIds));
    }

    /** Like {@link #ofAssetIds}, with assets by external id within {@code projectId}. */
    public static AssignAssets ofExternalIds(String projectId, Collection<String> externalIds,
            List<? extends Collection<String>> userIds) {
        return new AssignAssets().param("to_be_labeled_by_array", lists(userIds))
                .param("external_ids", strings("external_ids", externalIds)).param("project_id", projectId);
    }

    private static List<List<String>> lists(List<? extends Collection<String>> userIds) {
        if (userIds == null) {
            throw new IllegalArgumentException("to_be_labeled_by_array: expected a list of lists of user ids, got null");
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < userIds.size(); i++) {
            out.add(strings("to_be_labeled_by_array[" + i + "]", userIds.get(i)));
        }
        return out;
    }
}
