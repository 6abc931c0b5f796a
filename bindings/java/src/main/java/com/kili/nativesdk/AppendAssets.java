package com.kili.nativesdk;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@link KiliClient#appendManyToDataset}: the Python SDK's
 * {@code append_many_to_dataset()} parameters ({@code content_array},
 * {@code external_id_array}, {@code json_metadata_array}, ...). Other parameters
 * ({@code multi_layer_content_array}, {@code from_csv}, {@code csv_separator}) go through
 * {@link #param(String, Object)}.
 *
 * <p>Not thread-safe while being built.
 */
public final class AppendAssets extends Args<AppendAssets> {
    private AppendAssets() {}

    /** Assets to add to project {@code projectId}. */
    public static AppendAssets project(String projectId) {
        if (projectId == null || projectId.isEmpty()) {
            throw new IllegalArgumentException("project_id: expected a non-empty project id");
        }
        return new AppendAssets().param("project_id", projectId);
    }

    /** {@code content_array}: texts, URLs or local paths, one per asset. */
    public AppendAssets contentArray(Collection<String> contents) {
        return param("content_array", strings("content_array", contents));
    }

    /** {@code content_array}: texts, URLs or local paths, one per asset. */
    public AppendAssets contentArray(String... contents) {
        return param("content_array", strings("content_array", contents));
    }

    /** {@code external_id_array}: one external id per asset. */
    public AppendAssets externalIdArray(Collection<String> ids) {
        return param("external_id_array", strings("external_id_array", ids));
    }

    /** {@code external_id_array}: one external id per asset. */
    public AppendAssets externalIdArray(String... ids) {
        return param("external_id_array", strings("external_id_array", ids));
    }

    /** {@code json_metadata_array}: one metadata object per asset. */
    public AppendAssets jsonMetadataArray(List<? extends Map<String, ?>> metadata) {
        return param("json_metadata_array", metadata);
    }

    /** {@code json_content_array}: one JSON content (or null) per asset. */
    public AppendAssets jsonContentArray(List<?> jsonContents) {
        return param("json_content_array", jsonContents);
    }

    /** {@code is_honeypot_array}. */
    public AppendAssets isHoneypotArray(List<Boolean> flags) {
        return param("is_honeypot_array", flags);
    }

    /** {@code wait_until_availability} (default true). */
    public AppendAssets waitUntilAvailability(boolean wait) {
        return param("wait_until_availability", wait);
    }

    /** {@code disable_tqdm}: accepted for parity; progress goes to the event listener. */
    public AppendAssets disableTqdm(boolean disable) {
        return param("disable_tqdm", disable);
    }
}
