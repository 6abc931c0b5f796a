package com.kili.nativesdk;

/**
 * The output format of {@link KiliClient#exportAssets}: the C ABI's {@code format} argument of
 * {@code kili_assets_export}. Immutable; thread-safe.
 */
public enum ExportFormat {
    /** One JSON object per line ({@code \n}-terminated), exactly the assets a cursor returns. */
    NDJSON("ndjson"),
    /**
     * A header row (the query's {@code fields}, or the flattened keys of the first asset such as
     * {@code currentStep.name}), then one row per asset; nested objects and values crossing
     * lists (e.g. {@code labels.author.email}) are written as JSON text.
     */
    CSV("csv");

    private final String wireName;

    ExportFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The name the native library expects ({@code "ndjson"} or {@code "csv"}). */
    public String wireName() {
        return wireName;
    }
}
