package com.kili.nativesdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the builder-style argument objects: an ordered map from the Python SDK's snake_case
 * parameter names to values, serialised by {@link #toJson()}. Typed setters in the subclasses
 * cover the documented parameters; {@link #param(String, Object)} sets any other one (the
 * library rejects unknown names with an error naming the closest valid one).
 *
 * <p>Not thread-safe while being built; safe to share once no longer modified.
 *
 * @param <T> the concrete builder type, returned by the setters for chaining
 */
public abstract class Args<T extends Args<T>> implements Json.JsonWritable {
    private final Map<String, Object> values = new LinkedHashMap<>();

    Args() {}

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Sets parameter {@code name} (snake_case, as in the Python SDK) to {@code value}: a
     * string, number, boolean, Map, Collection, array, {@link Json.Raw} or null (sent as JSON
     * null). Replaces an earlier value.
     *
     * @throws IllegalArgumentException if {@code name} is null or empty
     */
    public T param(String name, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name: expected a snake_case parameter name such as \"project_id\"");
        }
        values.put(name, value);
        return self();
    }

    /** Removes parameter {@code name}. */
    public T remove(String name) {
        values.remove(name);
        return self();
    }

    /** The parameters set so far (live, insertion-ordered). */
    public Map<String, Object> params() {
        return values;
    }

    /** The JSON object sent to the library. */
    public String toJson() {
        return Json.write(values);
    }

    @Override
    public void writeJson(StringBuilder out) {
        Json.write(values, out);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + toJson();
    }

    /** A list copy of strings, rejecting a null collection with a message naming {@code name}. */
    static List<String> strings(String name, Collection<String> c) {
        if (c == null) {
            throw new IllegalArgumentException(name + ": expected a list of strings, got null");
        }
        return new ArrayList<>(c);
    }

    static List<String> strings(String name, String... s) {
        if (s == null) {
            throw new IllegalArgumentException(name + ": expected a list of strings, got null");
        }
        return Arrays.asList(s.clone());
    }
}
