package com.kili.nativesdk;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One asset as returned by a query: the common fields as getters (null when the field was not
 * requested in {@code fields} or is null) plus the whole JSON object ({@link #fields()},
 * {@link #get(String)} for dotted paths, {@link #json()}). Keys are Kili's camelCase names as
 * in the Python SDK's dicts ({@code externalId}, {@code jsonMetadata}, {@code labels}, ...).
 *
 * <p>An asset from a cursor keeps its JSON text and decodes lazily: the string and boolean
 * getters decode only their own member; {@link #fields()}, {@link #get(String)},
 * {@link #jsonMetadata()}, {@link #labels()} and {@link #json()} parse the whole object once.
 *
 * <p>Thread-safe for reading (the lazy parse is done at most once, under a private lock); the
 * top-level maps and lists handed out are unmodifiable views (nested values are the parsed JSON
 * as is: do not modify them).
 */
public final class Asset {
    /** Ints per top-level member in {@link #keys}: keyStart, keyEnd, valueStart, valueEnd, kind. */
    static final int MEMBER_INTS = 5;

    // Member kinds, as written by the JNI shim's page index (kili_jni.c).
    private static final int KIND_PLAIN_STRING = 0; // a string without escapes
    private static final int KIND_SCALAR = 3; // a number, true, false or null
    private static final int KIND_KEY_ESCAPED = 8; // flag: the key has escapes

    /** The asset's JSON object (UTF-8), or null when built from a map. */
    private final byte[] raw;
    /** Where each top-level member of {@link #raw} lies (offsets into raw); null with raw. */
    private final int[] keys;
    /** The parsed object (unmodifiable), set once; null until a reader needs all of it. */
    private volatile Map<String, Object> map;

    Asset(Map<String, Object> map) {
        this.raw = null;
        this.keys = null;
        this.map = Collections.unmodifiableMap(map);
    }

    /** An asset over its JSON text and the shim's member index of it (both owned by it). */
    Asset(byte[] raw, int[] keys) {
        this.raw = raw;
        this.keys = keys;
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
        Object m = fields().get("jsonMetadata");
        return m instanceof Map ? Collections.unmodifiableMap((Map<String, Object>) m) : Collections.emptyMap();
    }

    /** Whether the asset is a honeypot; null when not requested. */
    public Boolean isHoneypot() {
        Object v = member("isHoneypot");
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /** Whether the asset was skipped; null when not requested. */
    public Boolean skipped() {
        Object v = member("skipped");
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /** The labels (each a map: {@code id}, {@code author}, {@code jsonResponse}, ...); empty when absent. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> labels() {
        Object l = fields().get("labels");
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
        Object cur = fields();
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
        Map<String, Object> m = map;
        if (m == null) {
            synchronized (raw) { // raw is private and never null here: a lock nobody else takes
                m = map;
                if (m == null) {
                    m = Collections.unmodifiableMap(Json.parseObject(new String(raw, StandardCharsets.UTF_8)));
                    map = m;
                }
            }
        }
        return m;
    }

    /** The asset as a JSON object text. */
    public String json() {
        return Json.write(fields());
    }

    private String str(String k) {
        Object v = member(k);
        return v == null ? null : v.toString();
    }

    /**
     * The top-level member {@code k} (an ASCII name), decoding only that member while the
     * object has not been parsed as a whole; containers and escaped keys go through
     * {@link #fields()} so that repeated reads return the same objects.
     */
    private Object member(String k) {
        Map<String, Object> m = map;
        if (m != null) {
            return m.get(k);
        }
        // The last occurrence wins, as in the parsed map.
        for (int i = keys.length - MEMBER_INTS; i >= 0; i -= MEMBER_INTS) {
            int kind = keys[i + 4];
            if ((kind & KIND_KEY_ESCAPED) != 0) {
                return fields().get(k);
            }
            if (!keyEquals(keys[i], keys[i + 1], k)) {
                continue;
            }
            int vs = keys[i + 2];
            int ve = keys[i + 3];
            if (kind == KIND_PLAIN_STRING) {
                return new String(raw, vs + 1, ve - vs - 2, StandardCharsets.UTF_8);
            }
            if (kind == KIND_SCALAR) {
                return Json.parse(new String(raw, vs, ve - vs, StandardCharsets.ISO_8859_1));
            }
            return fields().get(k);
        }
        return null;
    }

    private boolean keyEquals(int start, int end, String k) {
        int n = k.length();
        if (end - start != n) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (raw[start + j] != k.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Asset{id=" + id() + ", externalId=" + externalId() + "}";
    }
}
