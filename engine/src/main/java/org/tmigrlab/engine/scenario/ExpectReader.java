package org.tmigrlab.engine.scenario;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads and checks the {@code expect} list. */
final class ExpectReader {
    /** The key that decides an entry's kind, and the keys that kind takes. */
    private static final Map<String, List<String>> KINDS = Map.of(
            "timer", List.of("timer", "firesBy", "firesAt", "on"),
            "cpu", List.of("cpu", "wakeupsAtMost", "wakeupsAtLeast"),
            "violations", List.of("violations"));
    private static final List<String> KIND_KEYS = List.of("timer", "cpu", "violations");

    private ExpectReader() {
    }

    static List<Expectation> read(JsonNode expect, String path, int cpus, Set<String> armedTimers) {
        if (expect == null) return List.of();
        if (!expect.isArray()) throw new ScenarioException(path, "expected a list of expectations, got " + Fields.show(expect));
        List<Expectation> out = new ArrayList<>();
        for (int i = 0; i < expect.size(); i++) out.add(entry(expect.get(i), path + "[" + i + "]", cpus, armedTimers));
        return out;
    }

    private static Expectation entry(JsonNode node, String path, int cpus, Set<String> armedTimers) {
        Fields f = Fields.of(node, path, "one of {timer, firesBy|firesAt, on}, {cpu, wakeupsAtMost|wakeupsAtLeast}, {violations}");
        List<String> kinds = KIND_KEYS.stream().filter(f::has).toList();
        if (kinds.size() != 1)
            throw new ScenarioException(path, (kinds.isEmpty() ? "says nothing to check" : "mixes " + String.join(" and ", kinds))
                    + "; an entry has exactly one of timer, cpu or violations");
        String kind = kinds.get(0);
        f.allow(KINDS.get(kind));
        String source = source(node);
        return switch (kind) {
            case "timer" -> timer(f, cpus, armedTimers, source);
            case "cpu" -> cpu(f, cpus, source);
            default -> new Expectation(null, -1, -1, false, -1, -1, -1, -1,
                    Fields.asInt(f.get("violations"), f.path("violations"), 0, Integer.MAX_VALUE), source);
        };
    }

    private static Expectation timer(Fields f, int cpus, Set<String> armedTimers, String source) {
        String name = Fields.asText(f.get("timer"), f.path("timer"));
        if (!armedTimers.contains(name))
            throw new ScenarioException(f.path("timer"), "timer '" + name + "' is never armed in the script"
                    + Fields.didYouMean(name, armedTimers) + (armedTimers.isEmpty() ? "" : "; armed: " + String.join(", ", armedTimers)));
        if (f.has("firesBy") == f.has("firesAt"))
            throw new ScenarioException(f.path(), "a timer expectation takes exactly one of firesBy or firesAt, got "
                    + (f.has("firesBy") ? "both" : "neither"));
        long firesBy = f.has("firesBy") ? Fields.asTime(f.get("firesBy"), f.path("firesBy")) : -1;
        boolean never = f.has("firesAt") && "never".equals(f.get("firesAt").textValue());
        long firesAt = f.has("firesAt") && !never ? firesAt(f) : -1;
        int on = f.has("on") ? Fields.asInt(f.get("on"), f.path("on"), 0, cpus - 1) : -1;
        if (never && on >= 0)
            throw new ScenarioException(f.path("on"), "'on' contradicts firesAt: never; a timer that never fires runs on no CPU");
        return new Expectation(name, firesBy, firesAt, never, on, -1, -1, -1, -1, source);
    }

    private static long firesAt(Fields f) {
        try {
            return Fields.asTime(f.get("firesAt"), f.path("firesAt"));
        } catch (ScenarioException e) {
            throw new ScenarioException(e.field(), e.detail() + ", or never");
        }
    }

    private static Expectation cpu(Fields f, int cpus, String source) {
        int cpu = Fields.asInt(f.get("cpu"), f.path("cpu"), 0, cpus - 1);
        if (!f.has("wakeupsAtMost") && !f.has("wakeupsAtLeast"))
            throw new ScenarioException(f.path(), "a cpu expectation needs wakeupsAtMost and/or wakeupsAtLeast");
        long atMost = f.has("wakeupsAtMost") ? Fields.asLong(f.get("wakeupsAtMost"), f.path("wakeupsAtMost"), 0, Long.MAX_VALUE) : -1;
        long atLeast = f.has("wakeupsAtLeast") ? Fields.asLong(f.get("wakeupsAtLeast"), f.path("wakeupsAtLeast"), 0, Long.MAX_VALUE) : -1;
        if (atMost >= 0 && atLeast > atMost)
            throw new ScenarioException(f.path("wakeupsAtLeast"), atLeast + " is above wakeupsAtMost " + atMost + "; no count can satisfy both");
        return new Expectation(null, -1, -1, false, -1, cpu, atMost, atLeast, -1, source);
    }

    /**
     * The entry as written, in flow style and file key order ({@code {timer: net-rx, firesBy: 7ms, on: 0}}),
     * so reports quote what the author typed rather than a normalised form.
     */
    static String source(JsonNode node) {
        StringBuilder sb = new StringBuilder("{");
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            sb.append(e.getKey()).append(": ").append(v.isTextual() && plain(v.textValue()) ? v.textValue() : v.toString());
            if (it.hasNext()) sb.append(", ");
        }
        return sb.append('}').toString();
    }

    /** Whether a string can appear unquoted in a flow mapping without changing meaning. */
    private static boolean plain(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
    }
}
