package org.tmigrlab.engine.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Command-line overrides of scenario entries ({@code --set hierarchy.childrenPerGroup=4}), applied
 * to the parsed YAML/JSON tree <em>before</em> validation. Going through the tree rather than the
 * {@link Scenario} record means every key the file format knows is overridable without a list of
 * sweepable keys to maintain, and a bad key or value fails with exactly the message the same
 * entry would give in a file ({@code hierarchy.childrenPerGroup: 3 is not allowed; ...}).
 *
 * <p>Keys are dotted paths with optional list indexes: {@code machine.cpus}, {@code seed},
 * {@code script[2].in}. Missing mappings along the path are created (so an optional section the
 * file leaves out can still be set); the reader then rejects keys the schema does not know.
 * A value is read as one YAML flow value: {@code 16} is a number, {@code 5ms} a string,
 * {@code true} a boolean, {@code [0, 1]} a list, and {@code null} removes the key (its default
 * applies again).
 *
 * <p>Stateless and thread-safe.
 */
public final class ScenarioOverrides {

    /** One assignment of a value to a dotted key. */
    public record Setting(String key, JsonNode value) {
        /** The value as it would be written in a flow-style YAML file, for messages and file names. */
        public String valueText() {
            return value.isTextual() ? value.textValue() : value.toString();
        }

        @Override
        public String toString() {
            return key + "=" + valueText();
        }
    }

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[\\d{1,9}])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,9})]");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private ScenarioOverrides() {
    }

    /**
     * The tree of a scenario text. Call it on text the {@link ScenarioReader} has accepted: the
     * reader's error messages (line, column, duplicate keys) are the ones a user should see.
     */
    public static JsonNode tree(String text, ScenarioReader.Format format) {
        try {
            return (format == ScenarioReader.Format.JSON ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("", "malformed " + format.name() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Splits {@code v1,v2,...} at top-level commas (commas inside {@code [...]} or {@code {...}}
     * belong to a flow list or mapping) and reads each part as a YAML flow value.
     *
     * @param key for messages only
     */
    public static List<JsonNode> values(String key, String list) {
        List<JsonNode> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '[' || c == '{') depth++;
            else if (c == ']' || c == '}') depth--;
            else if (c == ',' && depth <= 0) {
                out.add(value(key, list.substring(start, i).trim()));
                start = i + 1;
            }
        }
        return out;
    }

    /** One value as YAML reads it; a blank value is an error, not an empty string. */
    public static JsonNode value(String key, String text) {
        if (text.isBlank())
            throw new ScenarioException(key, "empty value; give one like " + key + "=4 (several for a sweep: " + key + "=2,4,8)");
        try {
            JsonNode v = YAML.readTree(text);
            if (v == null || v.isMissingNode()) throw new ScenarioException(key, "cannot read value '" + text + "'");
            return v;
        } catch (JsonProcessingException e) {
            throw new ScenarioException(key, "cannot read value '" + text + "' as YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Checks the key's syntax and splits it; the first segment is a top-level key. */
    public static List<Object> path(String key) {
        List<Object> out = new ArrayList<>();
        if (key == null || key.isBlank())
            throw new ScenarioException("", "empty key; expected a dotted path such as hierarchy.childrenPerGroup or machine.cpus");
        for (String part : key.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches())
                throw new ScenarioException(key, "'" + key + "' is not a key path; expected dotted names with optional"
                        + " list indexes, such as hierarchy.childrenPerGroup, machine.cpus or script[2].in");
            out.add(m.group(1));
            Matcher ix = INDEX.matcher(m.group(2));
            while (ix.find()) out.add(Integer.parseInt(ix.group(1)));
        }
        return out;
    }

    /** A copy of {@code root} with every setting applied in order; {@code root} is not changed. */
    public static JsonNode apply(JsonNode root, List<Setting> settings) {
        if (root == null || !root.isObject())
            throw new ScenarioException("", "the scenario is not a mapping; nothing to override");
        JsonNode copy = root.deepCopy();
        for (Setting s : settings) set((ObjectNode) copy, s);
        return copy;
    }

    private static void set(ObjectNode root, Setting s) {
        List<Object> path = path(s.key());
        JsonNode node = root;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            Object seg = path.get(i);
            Object nextSeg = path.get(i + 1);
            JsonNode child = child(node, seg, where, s.key());
            appendSegment(where, seg);
            if (child == null || child.isNull()) {
                if (seg instanceof Integer || nextSeg instanceof Integer)
                    throw new ScenarioException(s.key(), where + " is not a list in this scenario; cannot index it");
                child = ((ObjectNode) node).putObject((String) seg);
            } else if (nextSeg instanceof Integer ? !child.isArray() : !child.isObject()) {
                throw new ScenarioException(s.key(), where + " is " + Fields.show(child) + ", not a "
                        + (nextSeg instanceof Integer ? "list" : "mapping") + "; cannot set " + s.key() + " inside it");
            }
            node = child;
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer ix) {
            ArrayNode list = (ArrayNode) node;
            checkIndex(list, ix, where, s.key());
            if (s.value().isNull()) list.remove(ix);
            else list.set(ix, s.value());
        } else if (s.value().isNull()) {
            ((ObjectNode) node).remove((String) last);
        } else {
            ((ObjectNode) node).set((String) last, s.value());
        }
    }

    private static JsonNode child(JsonNode node, Object seg, CharSequence where, String key) {
        if (seg instanceof Integer ix) {
            checkIndex((ArrayNode) node, ix, where, key);
            return node.get(ix);
        }
        return node.get((String) seg);
    }

    private static void checkIndex(ArrayNode list, int ix, CharSequence where, String key) {
        if (ix >= list.size())
            throw new ScenarioException(key, where + " has " + list.size() + " entries" + (list.isEmpty() ? "" : " (0.."
                    + (list.size() - 1) + ")") + "; no entry [" + ix + "] to set");
    }

    private static void appendSegment(StringBuilder where, Object seg) {
        if (seg instanceof Integer ix) where.append('[').append(ix).append(']');
        else where.append(where.length() == 0 ? "" : ".").append(seg);
    }

    /** Validates the overridden tree with {@code reader}: the same checks, and messages, as a file gets. */
    public static Scenario read(ScenarioReader reader, JsonNode tree) {
        try {
            return reader.read(JSON.writeValueAsString(tree), ScenarioReader.Format.JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
    }
}
