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
    // The getters' slots at the start of {@link #members}, in the order of the JNI shim's
    // ASSET_SLOT_NAMES (kili_jni.c).
    private static final int SLOT_ID = 0;
    private static final int SLOT_EXTERNAL_ID = 1;
    private static final int SLOT_CONTENT = 2;
    private static final int SLOT_STATUS = 3;
    private static final int SLOT_CREATED_AT = 4;
    private static final int SLOT_IS_HONEYPOT = 5;
    private static final int SLOT_SKIPPED = 6;
    private static final int ABSENT = -1; // slot value: no such member
    // slot value -2: a key has escapes, so only the parsed map can tell; see member()

    // Member kinds, as written by the JNI shim.
    private static final int KIND_STRING = 1; // a string with escapes
    private static final int KIND_SCALAR = 3; // a number, true, false or null
    private static final int KIND_PLAIN_ASCII = 16; // a string without escapes, all ASCII
    private static final int KIND_MASK = 7 | 16; // without the key-escaped flag (8)

    /** The asset's JSON object (UTF-8), or null when built from a map. */
    private final byte[] raw;
    /**
     * Where the members of {@link #raw} lie (built by the JNI shim): the getters' slots (offset
     * in this array of the member's ints, or negative), then per member keyStart, keyEnd,
     * valueStart, valueEnd, kind. Null with raw.
     */
    private final int[] members;
    /** The parsed object (unmodifiable), set once; null until a reader needs all of it. */
    private volatile Map<String, Object> map;

    Asset(Map<String, Object> map) {
        this.raw = null;
        this.members = null;
        this.map = Collections.unmodifiableMap(map);
    }

    /** An asset over its JSON text and the shim's index of its members (both owned by it). */
    Asset(byte[] raw, int[] members) {
        this.raw = raw;
        this.members = members;
    }

    /** Parses one asset JSON object. */
    public static Asset fromJson(String json) {
        return new Asset(Json.parseObject(json));
    }

    /** The asset id. */
    public String id() {
        return str(SLOT_ID, "id");
    }

    /** The external id (the caller's name of the asset). */
    public String externalId() {
        return str(SLOT_EXTERNAL_ID, "externalId");
    }

    /** The content: text, a URL, or a path on the server. */
    public String content() {
        return str(SLOT_CONTENT, "content");
    }

    /** The status ({@code TODO}, {@code ONGOING}, {@code LABELED}, {@code REVIEWED}, {@code TO_REVIEW}). */
    public String status() {
        return str(SLOT_STATUS, "status");
    }

    /** The creation date as sent by the server (ISO 8601). */
    public String createdAt() {
        return str(SLOT_CREATED_AT, "createdAt");
    }

    /** The metadata object; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jsonMetadata() {
        Object m = fields().get("jsonMetadata");
        return m instanceof Map ? Collections.unmodifiableMap((Map<String, Object>) m) : Collections.emptyMap();
    }

    /** Whether the asset is a honeypot; null when not requested. */
    public Boolean isHoneypot() {
        Object v = member(SLOT_IS_HONEYPOT, "isHoneypot");
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /** Whether the asset was skipped; null when not requested. */
    public Boolean skipped() {
        Object v = member(SLOT_SKIPPED, "skipped");
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

    private String str(int slot, String k) {
        Object v = member(slot, k);
        return v == null ? null : v.toString();
    }

    /**
     * The top-level member {@code k} (a getter's, located by {@code slot}), decoding only that
     * member while the object has not been parsed as a whole; containers go through
     * {@link #fields()} so that repeated reads return the same objects.
     */
    private Object member(int slot, String k) {
        Map<String, Object> m = map;
        if (m != null) {
            return m.get(k);
        }
        int i = members[slot];
        if (i == ABSENT) {
            return null;
        }
        if (i < 0) {
            return fields().get(k);
        }
        int vs = members[i + 2];
        int ve = members[i + 3];
        switch (members[i + 4] & KIND_MASK) {
            case KIND_PLAIN_ASCII: // the common case, and the cheapest decoding
                return new String(raw, vs + 1, ve - vs - 2, StandardCharsets.ISO_8859_1);
            case 0: // plain, not ASCII
                return new String(raw, vs + 1, ve - vs - 2, StandardCharsets.UTF_8);
            case KIND_STRING:
            case KIND_SCALAR:
                return Json.parse(new String(raw, vs, ve - vs, StandardCharsets.UTF_8));
            default:
                return fields().get(k);
        }
    }

    @Override
    public String toString() {
        return "Asset{id=" + id() + ", externalId=" + externalId() + "}";
    }
}
