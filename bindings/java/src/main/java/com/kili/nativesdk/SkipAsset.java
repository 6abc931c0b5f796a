package com.kili.nativesdk;

/**
 * The arguments of {@link KiliClient#skipOrUnskip}: the Python SDK's {@code skip_or_unskip()}
 * parameters: {@code action} ({@code "skip"} with a {@code reason}, or {@code "unskip"}),
 * {@code asset_id} and {@code project_id}.
 *
 * <p>Not thread-safe while being built.
 */
public final class SkipAsset extends Args<SkipAsset> {
    private SkipAsset() {}

    /** Skips asset {@code assetId} of {@code projectId} because of {@code reason}. */
    public static SkipAsset skip(String projectId, String assetId, String reason) {
        return new SkipAsset().param("action", "skip").param("asset_id", assetId).param("project_id", projectId)
                .param("reason", reason);
    }

    /** Unskips asset {@code assetId} of {@code projectId}. */
    public static SkipAsset unskip(String projectId, String assetId) {
        return new SkipAsset().param("action", "unskip").param("asset_id", assetId).param("project_id", projectId);
    }
}
