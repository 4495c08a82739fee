package org.tmigrlab.engine.scenario;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One mapping of a scenario file, with its path, and typed reads that fail with a
 * {@link ScenarioException} naming that path, the value seen and what would be allowed.
 * The reader works on Jackson's tree rather than binding to classes so that every message can
 * say exactly which entry is wrong (data binding would report Java types, not file paths).
 */
final class Fields {
    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** {@code node} must be a mapping; {@code what} describes what it should hold. */
    static Fields of(JsonNode node, String path, String what) {
        if (node == null || !node.isObject())
            throw new ScenarioException(path, "expected a mapping (" + what + "), got " + show(node));
        return new Fields(node, path);
    }

    /** Rejects any key not in {@code allowed}: a misspelt optional key would otherwise be silently ignored. */
    Fields allow(Collection<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key))
                throw new ScenarioException(path(key), "unknown key '" + key + "'" + didYouMean(key, allowed)
                        + "; allowed here: " + String.join(", ", allowed));
        }
        return this;
    }

    Fields allow(String... allowed) {
        return allow(List.of(allowed));
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return node.has(key);
    }

    JsonNode get(String key) {
        return node.get(key);
    }

    /** The keys present, in file order. */
    Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    JsonNode required(String key, String what) {
        if (!node.has(key)) throw new ScenarioException(path(key), "missing; expected " + what);
        return node.get(key);
    }

    int intValue(String key, int min, int max, int dflt) {
        return has(key) ? asInt(get(key), path(key), min, max) : dflt;
    }

    boolean bool(String key, boolean dflt) {
        return has(key) ? asBool(get(key), path(key)) : dflt;
    }

    String text(String key, String dflt) {
        return has(key) ? asText(get(key), path(key)) : dflt;
    }

    // ---- single values, also used for list elements --------------------------------------

    static int asInt(JsonNode v, String path, int min, int max) {
        return (int) asLong(v, path, min, max);
    }

    static long asLong(JsonNode v, String path, long min, long max) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max)
            throw new ScenarioException(path, "expected an integer in " + range(min, max) + ", got " + show(v));
        return v.asLong();
    }

    static boolean asBool(JsonNode v, String path) {
        if (v == null || !v.isBoolean()) throw new ScenarioException(path, "expected true or false, got " + show(v));
        return v.booleanValue();
    }

    static String asText(JsonNode v, String path) {
        if (v == null || !v.isTextual() || v.textValue().isBlank())
            throw new ScenarioException(path, "expected a non-empty string, got " + show(v));
        return v.textValue();
    }

    /** A point in time or a duration, ns, never negative. */
    static long asTime(JsonNode v, String path) {
        long ns;
        if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
            ns = v.asLong();
        } else if (v != null && v.isTextual()) {
            try {
                ns = Durations.parse(v.textValue());
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(path, e.getMessage());
            }
        } else {
            throw new ScenarioException(path, "expected " + Durations.UNITS_HELP + ", got " + show(v));
        }
        if (ns < 0) throw new ScenarioException(path, "negative time " + show(v) + "; times must be >= 0");
        return ns;
    }

    /** {@code value} must be one of {@code allowed}; the message lists them all. */
    static String oneOf(JsonNode v, String path, String what, Collection<String> allowed) {
        String s = asText(v, path);
        if (!allowed.contains(s))
            throw new ScenarioException(path, "unknown " + what + " '" + s + "'" + didYouMean(s, allowed)
                    + "; allowed: " + String.join(", ", allowed));
        return s;
    }

    /** How a value looked in the file, for messages ({@code "16"} for a string, {@code 16} for a number). */
    static String show(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        return v.isNull() ? "null" : v.toString();
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    }

    /** Suggests the closest allowed name for a likely typo (edit distance ≤ 2, or a case slip). */
    static String didYouMean(String bad, Collection<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = candidate.equalsIgnoreCase(bad) ? 0 : distance(bad, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
