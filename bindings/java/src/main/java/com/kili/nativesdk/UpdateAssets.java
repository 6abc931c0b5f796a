package com.kili.nativesdk;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@link KiliClient#updatePropertiesInAssets}: the Python SDK's
 * {@code update_properties_in_assets()} parameters. Assets are selected by {@code asset_ids},
 * or by {@code external_ids} with {@code project_id}; each list parameter has one entry per
 * selected asset (null = leave unchanged). Other parameters ({@code consensus_marks},
 * {@code honeypot_marks}, {@code to_be_labeled_by_array}, {@code json_contents},
 * {@code is_used_for_consensus_array}, {@code resolution_array},
 * {@code page_resolutions_array}) go through {@link #param(String, Object)}.
 *
 * <p>Not thread-safe while being built.
 */
public final class UpdateAssets extends Args<UpdateAssets> {
    private UpdateAssets() {}

    /** Updates of the assets with these ids. */
    public static UpdateAssets assetIds(Collection<String> ids) {
        return new UpdateAssets().param("asset_ids", strings("asset_ids", ids));
    }

    /** Updates of the assets with these ids. */
    public static UpdateAssets assetIds(String... ids) {
        return new UpdateAssets().param("asset_ids", strings("asset_ids", ids));
    }

    /** Updates of the assets with these external ids in project {@code projectId}. */
    public static UpdateAssets externalIds(String projectId, Collection<String> ids) {
        return new UpdateAssets().param("project_id", projectId).param("external_ids", strings("external_ids", ids));
    }

    /** {@code priorities}: one integer (or null) per asset. */
    public UpdateAssets priorities(List<Integer> priorities) {
        return param("priorities", priorities);
    }

    /** {@code json_metadatas}: one metadata object (or null) per asset. */
    public UpdateAssets jsonMetadatas(List<? extends Map<String, ?>> metadata) {
        return param("json_metadatas", metadata);
    }

    /** {@code contents}: one content (or null) per asset. */
    public UpdateAssets contents(List<String> contents) {
        return param("contents", contents);
    }

    /** {@code status_array}: one status (or null) per asset. */
    public UpdateAssets statusArray(List<String> statuses) {
        return param("status_array", statuses);
    }

    /** {@code is_honeypot_array}: one flag (or null) per asset. */
    public UpdateAssets isHoneypotArray(List<Boolean> flags) {
        return param("is_honeypot_array", flags);
    }
}
