package com.kili.nativesdk;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One asset as returned by a query: the common fields as getters (null when the field was not
 * requested in {@code fields} or is null) plus the whole JSON object ({@link #fields()},
 * {@link #get(String)} for dotted paths, {@link #json()}). Keys are Kili's camelCase names as
 * in the Python SDK's dicts ({@code externalId}, {@code jsonMetadata}, {@code labels}, ...).
 *
 * <p>Thread-safe for reading; the top-level maps and lists handed out are unmodifiable views
 * (nested values are the parsed JSON as is: do not modify them).
 */
public final class Asset {
    private final Map<String, Object> map;

    Asset(Map<String, Object> map) {
        this.map = Collections.unmodifiableMap(map);
    }

    /** Parses one asset JSON object. */
    public static Asset fromJson(String json) {
        return new Asset(Json.parseObject(json));
    }

    /** The asset id. */
    public String id() {
        return str("id");
    }

    /** The external id (the caller's name of the asset). */
    public String externalId() {
        return str("externalId");
    }

    /** The content: text, a URL, or a path on the server. */
    public String content() {
        return str("content");
    }

    /** The status ({@code TODO}, {@code ONGOING}, {@code LABELED}, {@code REVIEWED}, {@code TO_REVIEW}). */
    public String status() {
        return str("status");
    }

    /** The creation date as sent by the server (ISO 8601). */
    public String createdAt() {
        return str("createdAt");
    }

    /** The metadata object; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jsonMetadata() {
        Object m = map.get("jsonMetadata");
        return m instanceof Map ? Collections.unmodifiableMap((Map<String, Object>) m) : Collections.emptyMap();
    }

    /** Whether the asset is a honeypot; null when not requested. */
    public Boolean isHoneypot() {
        Object v = map.get("isHoneypot");
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /** Whether the asset was skipped; null when not requested. */
    public Boolean skipped() {
        Object v = map.get("skipped");
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /** The labels (each a map: {@code id}, {@code author}, {@code jsonResponse}, ...); empty when absent. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> labels() {
        Object l = map.get("labels");
        return l instanceof List ? Collections.unmodifiableList((List<Map<String, Object>>) l) : Collections.emptyList();
    }

    /**
     * The value at a dotted path ({@code "currentStep.status"}, {@code "labels.0.id"}), or null
     * when any step is missing.
     */
    public Object get(String dottedPath) {
        if (dottedPath == null || dottedPath.isEmpty()) {
            throw new IllegalArgumentException("dottedPath: expected a field name such as \"currentStep.status\"");
        }
        Object cur = map;
        for (String part : dottedPath.split("\\.")) {
            if (cur instanceof Map) {
                cur = ((Map<?, ?>) cur).get(part);
            } else if (cur instanceof List) {
                int i;
                try {
                    i = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    return null;
                }
                List<?> l = (List<?>) cur;
                cur = i >= 0 && i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    /** All fields of the asset as returned. */
    public Map<String, Object> fields() {
        return map;
    }

    /** The asset as a JSON object text. */
    public String json() {
        return Json.write(map);
    }

    private String str(String k) {
        Object v = map.get(k);
        return v == null ? null : v.toString();
    }

    @Override
    public String toString() {
        return "Asset{id=" + id() + ", externalId=" + externalId() + "}";
    }
}
