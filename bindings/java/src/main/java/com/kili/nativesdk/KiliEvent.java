package com.kili.nativesdk;

import java.util.Collections;
import java.util.Map;

/**
 * One event of the library: {@code progress} ({@link #operation()}, {@link #done()},
 * {@link #total()}), {@code warning} ({@link #kind()}: deprecation, empty_list, ignored, other;
 * {@link #method()}, {@link #message()}) or {@code log} ({@link #level()}, {@link #message()}).
 * Immutable and thread-safe.
 */
public final class KiliEvent {
    /** The event categories. */
    public enum Type { PROGRESS, WARNING, LOG, OTHER }

    private final String json;
    private final Map<String, Object> map;

    KiliEvent(String json) {
        this.json = json;
        Map<String, Object> m;
        try {
            m = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            m = Collections.emptyMap();
        }
        this.map = Collections.unmodifiableMap(m);
    }

    /** The category. */
    public Type type() {
        Object t = map.get("type");
        if ("progress".equals(t)) {
            return Type.PROGRESS;
        }
        if ("warning".equals(t)) {
            return Type.WARNING;
        }
        if ("log".equals(t)) {
            return Type.LOG;
        }
        return Type.OTHER;
    }

    /** The event as the library sent it. */
    public String json() {
        return json;
    }

    /** The event's fields. */
    public Map<String, Object> fields() {
        return map;
    }

    /** Progress: the operation (e.g. {@code append_many_to_dataset}); else null. */
    public String operation() {
        return str("operation");
    }

    /** Progress: items done so far; -1 when absent. */
    public long done() {
        return num("done");
    }

    /** Progress: items in all; -1 when absent or unknown. */
    public long total() {
        return num("total");
    }

    /** Warning: its kind ({@code deprecation}, {@code empty_list}, ...); else null. */
    public String kind() {
        return str("kind");
    }

    /** Warning: the SDK method concerned; else null. */
    public String method() {
        return str("method");
    }

    /** Warning or log: the text. */
    public String message() {
        return str("message");
    }

    /** Log: {@code debug}, {@code info}, {@code warn} or {@code error}; else null. */
    public String level() {
        return str("level");
    }

    private String str(String k) {
        Object v = map.get(k);
        return v == null ? null : v.toString();
    }

    private long num(String k) {
        Object v = map.get(k);
        return v instanceof Number ? ((Number) v).longValue() : -1;
    }

    @Override
    public String toString() {
        return "KiliEvent" + json;
    }
}
