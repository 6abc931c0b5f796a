package com.kili.nativesdk;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small dependency-free JSON reader and writer (RFC 8259), enough for the argument objects
 * sent to and the documents received from the C ABI.
 *
 * <p>Reading maps objects to insertion-ordered {@code Map<String, Object>}, arrays to
 * {@code List<Object>}, numbers to {@code Long} when integral and in range, else {@code Double}
 * (or {@code BigDecimal} beyond double range), and {@code true/false/null} to
 * {@code Boolean}/null. Writing accepts maps, iterables, arrays, strings, numbers, booleans,
 * null, {@link Raw} fragments and {@link JsonWritable} objects.
 *
 * <p>Thread-safety: stateless; all methods may be called from any thread.
 */
public final class Json {
    private Json() {}

    /** A pre-serialised JSON fragment written verbatim (the caller vouches for its validity). */
    public static final class Raw {
        private final String json;

        /** Wraps {@code json}, which must be one valid JSON value. */
        public Raw(String json) {
            if (json == null) {
                throw new IllegalArgumentException("json: expected a JSON text, got null");
            }
            this.json = json;
        }

        @Override
        public String toString() {
            return json;
        }
    }

    /** An object that knows its own JSON form. */
    public interface JsonWritable {
        /** Appends this value's JSON to {@code out}. */
        void writeJson(StringBuilder out);
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException when {@code text} is not valid JSON; the message names
     *     the character offset
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.ws();
        Object v = r.value();
        r.ws();
        if (r.pos != text.length()) {
            throw r.error("unexpected trailing characters");
        }
        return v;
    }

    /** Parses a JSON object; an {@link IllegalArgumentException} when it is another value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + typeName(v));
        }
        return (Map<String, Object>) v;
    }

    /** The JSON text of {@code value}; see the class comment for the accepted types. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(64);
        write(value, sb);
        return sb.toString();
    }

    /** Appends the JSON text of {@code value} to {@code out}. */
    public static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            quote((String) value, out);
        } else if (value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON cannot represent the number " + d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d);
            } else {
                out.append(d);
            }
        } else if (value instanceof Number) {
            out.append(value.toString());
        } else if (value instanceof Raw) {
            out.append(value.toString());
        } else if (value instanceof JsonWritable) {
            ((JsonWritable) value).writeJson(out);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + typeName(e.getKey()));
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable) {
            out.append('[');
            boolean first = true;
            for (Object o : (Iterable<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(o, out);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(Array.get(value, i), out);
            }
            out.append(']');
        } else if (value instanceof Enum) {
            quote(((Enum<?>) value).name(), out);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        return v.getClass().getSimpleName();
    }

    /** Recursive-descent reader over a String; one instance per parse. */
    private static final class Reader {
        private final String s;
        private int pos;
        private int depth;

        Reader(String s) {
            if (s == null) {
                throw new IllegalArgumentException("json: expected a JSON text, got null");
            }
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        Object value() {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return v;
        }

        private void enter() {
            if (++depth > 512) {
                throw error("nesting deeper than 512");
            }
        }

        private Map<String, Object> object() {
            enter();
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                depth--;
                return m;
            }
            while (true) {
                ws();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                String k = string();
                ws();
                if (pos >= s.length() || s.charAt(pos) != ':') {
                    throw error("expected ':'");
                }
                pos++;
                ws();
                m.put(k, value());
                ws();
                if (pos >= s.length()) {
                    throw error("unterminated object");
                }
                char c = s.charAt(pos++);
                if (c == '}') {
                    depth--;
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++;
            List<Object> l = new ArrayList<>();
            ws();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                depth--;
                return l;
            }
            while (true) {
                ws();
                l.add(value());
                ws();
                if (pos >= s.length()) {
                    throw error("unterminated array");
                }
                char c = s.charAt(pos++);
                if (c == ']') {
                    depth--;
                    return l;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++; // opening quote
            int start = pos;
            // Fast path: no escapes.
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    return s.substring(start, pos++);
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(s.length() - start < 64 ? 16 : 64);
            sb.append(s, start, pos);
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                        break;
                    default:
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                }
            }
            throw error("unterminated string");
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            boolean integral = true;
            int digits = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                } else {
                    break;
                }
                pos++;
            }
            String t = s.substring(start, pos);
            if (digits == 0) {
                throw error("bad number '" + t + "'");
            }
            try {
                if (integral) {
                    if (t.length() <= 18) {
                        return Long.parseLong(t);
                    }
                    BigInteger b = new BigInteger(t);
                    return b.bitLength() < 64 ? (Object) b.longValue() : new BigDecimal(b);
                }
                double d = Double.parseDouble(t);
                return Double.isInfinite(d) ? new BigDecimal(t) : d;
            } catch (NumberFormatException ex) {
                throw error("bad number '" + t + "'");
            }
        }
    }

    /** An unmodifiable view, used for values handed to callers. */
    static <T> List<T> unmodifiable(List<T> l) {
        return l == null ? null : Collections.unmodifiableList(l);
    }
}
