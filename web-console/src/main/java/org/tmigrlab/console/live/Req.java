package org.tmigrlab.console.live;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.vertx.core.json.JsonObject;

import org.tmigrlab.engine.scenario.Durations;

/**
 * Reading request bodies: every problem is a 400 {@link ApiException} whose message starts with
 * the field path and says what is allowed. Unknown keys are errors, as in scenario files.
 */
final class Req {
    private Req() {
    }

    /** The body must be a JSON object; {@code example} shows a valid one. */
    static JsonObject object(Object body, String address, String example) {
        if (body instanceof JsonObject o) return o;
        throw ApiException.bad(address + ": the body must be a JSON object, got " + describe(body) + "; e.g. " + example);
    }

    static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        return v.getClass().getSimpleName().replace("Json", "").toLowerCase() + " " + v;
    }

    static void allow(JsonObject o, String path, List<String> keys) {
        for (String k : o.fieldNames()) {
            if (!keys.contains(k))
                throw ApiException.bad(join(path, k) + ": unknown key; allowed here: " + String.join(", ", keys));
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String op(JsonObject o, String path, List<String> allowed) {
        Object v = o.getValue("op");
        if (!(v instanceof String s))
            throw ApiException.bad(join(path, "op") + ": missing or not a string; allowed: " + String.join(", ", allowed));
        if (!allowed.contains(s))
            throw ApiException.bad(join(path, "op") + ": unknown op '" + s + "'; allowed: " + String.join(", ", allowed));
        return s;
    }

    static String string(JsonObject o, String key, String path, boolean required) {
        Object v = o.getValue(key);
        if (v == null) {
            if (required) throw ApiException.bad(join(path, key) + ": required");
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) throw ApiException.bad(join(path, key) + ": expected a non-empty string, got " + describe(v));
        return s;
    }

    static long integer(JsonObject o, String key, String path, long min, long max, Long dflt) {
        Object v = o.getValue(key);
        if (v == null) {
            if (dflt == null) throw ApiException.bad(join(path, key) + ": required, an integer in " + min + ".." + max);
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long))
            throw ApiException.bad(join(path, key) + ": expected an integer in " + min + ".." + max + ", got " + describe(v));
        long n = ((Number) v).longValue();
        if (n < min || n > max) throw ApiException.bad(join(path, key) + ": " + n + " is not in " + min + ".." + max);
        return n;
    }

    static double fraction(JsonObject o, String key, String path, double dflt) {
        return number(o, key, path, 0, 1, dflt);
    }

    static double number(JsonObject o, String key, String path, double min, double max, double dflt) {
        Object v = o.getValue(key);
        if (v == null) return dflt;
        if (!(v instanceof Number n)) throw ApiException.bad(join(path, key) + ": expected a number in " + min + ".." + max + ", got " + describe(v));
        double d = n.doubleValue();
        if (!(d >= min && d <= max)) throw ApiException.bad(join(path, key) + ": " + d + " is not in " + min + ".." + max);
        return d;
    }

    static boolean bool(JsonObject o, String key, String path, boolean dflt) {
        Object v = o.getValue(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b)) throw ApiException.bad(join(path, key) + ": expected true or false, got " + describe(v));
        return b;
    }

    /** A time: integer ns or a string with a unit ({@code 250us}, {@code 1.5ms}). */
    static long time(JsonObject o, String key, String path, Long dflt) {
        Object v = o.getValue(key);
        if (v == null) {
            if (dflt == null) throw ApiException.bad(join(path, key) + ": required, " + Durations.UNITS_HELP);
            return dflt;
        }
        long ns;
        if (v instanceof Integer || v instanceof Long) {
            ns = ((Number) v).longValue();
        } else if (v instanceof String s) {
            try {
                ns = Durations.parse(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.bad(join(path, key) + ": " + e.getMessage());
            }
        } else {
            throw ApiException.bad(join(path, key) + ": expected " + Durations.UNITS_HELP + ", got " + describe(v));
        }
        if (ns < 0) throw ApiException.bad(join(path, key) + ": negative time; times must be >= 0");
        return ns;
    }

    static Set<String> set(String... s) {
        return Set.copyOf(Arrays.asList(s));
    }
}
