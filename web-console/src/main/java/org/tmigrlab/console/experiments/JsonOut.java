package org.tmigrlab.console.experiments;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small JSON writer for the experiment outputs. Written by hand rather than with an
 * {@code ObjectMapper} for two reasons: numbers go through {@link Num} (same bytes on every JVM),
 * and {@link Compact} values (one armed timer, one run's metrics) print on a single line, so a
 * file with a hundred thousand timers stays readable and diffable line by line.
 *
 * <p>Accepts maps (insertion order is kept: pass {@code LinkedHashMap}s), collections, strings,
 * numbers, booleans, {@code null}, Jackson {@link JsonNode}s and {@link Compact}. Two-space indent, {@code \n}
 * line ends, a final newline.
 */
public final class JsonOut {

    /** A value written on one line. */
    public record Compact(Object value) {
    }

    private JsonOut() {
    }

    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        value(b, value, 0, false);
        return b.append('\n').toString();
    }

    private static void value(StringBuilder b, Object v, int indent, boolean compact) {
        if (v instanceof Compact c) {
            value(b, c.value(), indent, true);
        } else if (v instanceof JsonNode node) {
            if (node.isNumber()) b.append(Num.format(node.numberValue()));
            else if (node.isContainerNode()) b.append(node);   // settings values: small, printed as given
            else b.append(node.isNull() ? "null" : node.toString());
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) b.append(',');
                first = false;
                newline(b, indent + 1, compact);
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                value(b, e.getValue(), indent + 1, compact);
            }
            newline(b, indent, compact);
            b.append('}');
        } else if (v instanceof Collection<?> list) {
            if (list.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) b.append(',');
                first = false;
                newline(b, indent + 1, compact);
                value(b, o, indent + 1, compact);
            }
            newline(b, indent, compact);
            b.append(']');
        } else if (v instanceof Number n) {
            String s = Num.format(n);
            b.append(s == null ? "null" : s);
        } else if (v instanceof Boolean bool) {
            b.append(bool);
        } else if (v == null) {
            b.append("null");
        } else {
            string(b, v.toString());
        }
    }

    private static void newline(StringBuilder b, int indent, boolean compact) {
        if (compact) {
            // {"a": 1, "b": 2}: a space after commas only
            if (b.charAt(b.length() - 1) == ',') b.append(' ');
            return;
        }
        b.append('\n');
        b.append("  ".repeat(indent));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }
}
