package com.kili.nativesdk;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@link KiliClient#assets} and {@link KiliClient#countAssets}: the Python
 * SDK's {@code assets()} / {@code count_assets()} parameters. Typed setters cover the common
 * ones; any other filter (e.g. {@code honeypot_mark_gte}, {@code step_name_in},
 * {@code label_labeler_in}) is set with {@link #param(String, Object)} under its snake_case name.
 * {@link KiliClient#countAssets(AssetQuery)} drops the listing-only keys ({@code fields},
 * {@code first}, {@code skip}, ...), so one query object serves both.
 *
 * <p>Not thread-safe while being built.
 */
public final class AssetQuery extends Args<AssetQuery> {
    private AssetQuery() {}

    /** A query over the assets of project {@code projectId}. */
    public static AssetQuery project(String projectId) {
        if (projectId == null || projectId.isEmpty()) {
            throw new IllegalArgumentException("project_id: expected a non-empty project id");
        }
        return new AssetQuery().param("project_id", projectId);
    }

    /** {@code fields}: dotted field names to return (e.g. {@code "labels.author.email"}). */
    public AssetQuery fields(String... fields) {
        return param("fields", strings("fields", fields));
    }

    /** {@code fields}: dotted field names to return. */
    public AssetQuery fields(Collection<String> fields) {
        return param("fields", strings("fields", fields));
    }

    /** {@code first}: the maximum number of assets to return. */
    public AssetQuery first(long first) {
        return param("first", first);
    }

    /** {@code skip}: the number of assets to skip (ordered by creation date). */
    public AssetQuery skip(long skip) {
        return param("skip", skip);
    }

    /** {@code asset_id}: one asset. */
    public AssetQuery assetId(String assetId) {
        return param("asset_id", assetId);
    }

    /** {@code asset_id_in}. */
    public AssetQuery assetIdIn(String... ids) {
        return param("asset_id_in", strings("asset_id_in", ids));
    }

    /** {@code asset_id_in}. */
    public AssetQuery assetIdIn(Collection<String> ids) {
        return param("asset_id_in", strings("asset_id_in", ids));
    }

    /** {@code asset_id_not_in}. */
    public AssetQuery assetIdNotIn(String... ids) {
        return param("asset_id_not_in", strings("asset_id_not_in", ids));
    }

    /** {@code external_id_in}. */
    public AssetQuery externalIdIn(String... ids) {
        return param("external_id_in", strings("external_id_in", ids));
    }

    /** {@code external_id_in}. */
    public AssetQuery externalIdIn(Collection<String> ids) {
        return param("external_id_in", strings("external_id_in", ids));
    }

    /** {@code external_id_strictly_in}. */
    public AssetQuery externalIdStrictlyIn(String... ids) {
        return param("external_id_strictly_in", strings("external_id_strictly_in", ids));
    }

    /** {@code external_id_contains}. */
    public AssetQuery externalIdContains(String... parts) {
        return param("external_id_contains", strings("external_id_contains", parts));
    }

    /** {@code status_in}: {@code TODO}, {@code ONGOING}, {@code LABELED}, {@code REVIEWED}, {@code TO_REVIEW}. */
    public AssetQuery statusIn(String... statuses) {
        return param("status_in", strings("status_in", statuses));
    }

    /** {@code skipped}. */
    public AssetQuery skipped(boolean skipped) {
        return param("skipped", skipped);
    }

    /** {@code created_at_gte} (ISO 8601). */
    public AssetQuery createdAtGte(String date) {
        return param("created_at_gte", date);
    }

    /** {@code created_at_lte} (ISO 8601). */
    public AssetQuery createdAtLte(String date) {
        return param("created_at_lte", date);
    }

    /** {@code updated_at_gte} (ISO 8601). */
    public AssetQuery updatedAtGte(String date) {
        return param("updated_at_gte", date);
    }

    /** {@code updated_at_lte} (ISO 8601). */
    public AssetQuery updatedAtLte(String date) {
        return param("updated_at_lte", date);
    }

    /** {@code metadata_where}: metadata key to value (or {@code [min, max]} for numbers). */
    public AssetQuery metadataWhere(Map<String, ?> where) {
        return param("metadata_where", where);
    }

    /** {@code assignee_in}. */
    public AssetQuery assigneeIn(String... users) {
        return param("assignee_in", strings("assignee_in", users));
    }

    /** {@code label_type_in}: {@code AUTOSAVE}, {@code DEFAULT}, {@code INFERENCE}, {@code PREDICTION}, {@code REVIEW}. */
    public AssetQuery labelTypeIn(String... types) {
        return param("label_type_in", strings("label_type_in", types));
    }

    /** {@code label_author_in}. */
    public AssetQuery labelAuthorIn(String... authors) {
        return param("label_author_in", strings("label_author_in", authors));
    }

    /** {@code label_category_search}, e.g. {@code JOB.CATEGORY_A.count > 0}. */
    public AssetQuery labelCategorySearch(String query) {
        return param("label_category_search", query);
    }

    /** {@code issue_type}: {@code ISSUE} or {@code QUESTION}. */
    public AssetQuery issueType(String type) {
        return param("issue_type", type);
    }

    /** {@code issue_status}: {@code OPEN}, {@code SOLVED} or {@code CANCELLED}. */
    public AssetQuery issueStatus(String status) {
        return param("issue_status", status);
    }

    /** {@code step_name_in} (workflow V2). */
    public AssetQuery stepNameIn(String... names) {
        return param("step_name_in", strings("step_name_in", names));
    }

    /** {@code step_status_in} (workflow V2). */
    public AssetQuery stepStatusIn(String... statuses) {
        return param("step_status_in", strings("step_status_in", statuses));
    }

    /**
     * {@code download_media_errors}: what a listing that downloads media does when a download
     * fails ({@code "raise"} or {@code "report"}). Listing only: {@link #forCount()} drops it.
     *
     * @throws IllegalArgumentException if {@code policy} is null
     */
    public AssetQuery downloadMediaErrors(MediaErrorPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("download_media_errors: expected RAISE or REPORT, got null");
        }
        return param("download_media_errors", policy.wireName());
    }

    /** A copy of these arguments without the listing-only keys, for {@code countAssets}. */
    public AssetQuery forCount() {
        AssetQuery q = new AssetQuery();
        q.params().putAll(params());
        for (String k : List.of("fields", "first", "skip", "disable_tqdm", "as_generator", "format",
                "download_media", "download_media_errors", "local_media_dir", "label_output_format")) {
            q.remove(k);
        }
        return q;
    }
}
