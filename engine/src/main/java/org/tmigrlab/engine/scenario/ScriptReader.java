package org.tmigrlab.engine.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads and checks the {@code script} list; steps come back sorted by (at, file order). */
final class ScriptReader {
    private static final List<String> COMMON = List.of("at", "cpu", "op");
    /** Absolute expiry of arm/rearm; not {@code at}, which every step already uses for its own time. */
    static final String EXPIRES_AT = "expiresAt";

    private ScriptReader() {
    }

    /** Keys each op takes besides {@code at}, {@code cpu} and {@code op}. */
    static List<String> extraKeys(Op op) {
        return switch (op) {
            case ARM -> List.of("timer", "in", EXPIRES_AT, "pinned", "deferrable");
            case REARM -> List.of("timer", "in", EXPIRES_AT);
            case CANCEL -> List.of("timer");
            default -> List.of();
        };
    }

    static List<Step> read(JsonNode script, String path, int cpus) {
        if (script == null) return List.of();
        if (!script.isArray()) throw new ScenarioException(path, "expected a list of steps, got " + Fields.show(script));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) steps.add(step(script.get(i), path + "[" + i + "]", cpus, i));
        // Same-time steps keep file order: the sort is stable and order breaks ties explicitly.
        steps.sort(Comparator.comparingLong(Step::at).thenComparingInt(Step::order));
        return checkTimerNames(steps, path);
    }

    private static Step step(JsonNode node, String path, int cpus, int order) {
        Fields f = Fields.of(node, path, "a step with at, cpu and op");
        long at = Fields.asTime(f.required("at", "the step time, " + Durations.UNITS_HELP), f.path("at"));
        int cpu = Fields.asInt(f.required("cpu", "a CPU in 0.." + (cpus - 1)), f.path("cpu"), 0, cpus - 1);
        JsonNode opNode = f.required("op", "one of " + Op.allowed());
        Op op = Op.byKey(opNode.isTextual() ? opNode.textValue() : "").orElseThrow(() -> new ScenarioException(
                f.path("op"), "unknown op " + (opNode.isTextual() ? "'" + opNode.textValue() + "'"
                        + Fields.didYouMean(opNode.textValue(), allOps()) : Fields.show(opNode))
                        + "; allowed: " + Op.allowed()));
        checkKeys(f, op);

        String timer = null;
        long inNs = -1;
        long atNs = -1;
        if (op == Op.ARM || op == Op.REARM || op == Op.CANCEL) {
            timer = Fields.asText(f.required("timer", "the timer's name"), f.path("timer"));
        }
        if (op == Op.ARM || op == Op.REARM) {
            boolean hasIn = f.has("in");
            boolean hasAt = f.has(EXPIRES_AT);
            if (hasIn == hasAt)
                throw new ScenarioException(path, op.key() + " takes exactly one of 'in' (relative) or '" + EXPIRES_AT
                        + "' (absolute), got " + (hasIn ? "both" : "neither"));
            if (hasIn) {
                inNs = Fields.asTime(f.get("in"), f.path("in"));
                if (inNs > Long.MAX_VALUE - at)
                    throw new ScenarioException(f.path("in"), Fields.show(f.get("in")) + " after " + Durations.format(at) + " overflows");
            } else {
                atNs = Fields.asTime(f.get(EXPIRES_AT), f.path(EXPIRES_AT));
                if (atNs < at)
                    throw new ScenarioException(f.path(EXPIRES_AT), Durations.format(atNs)
                            + " is before the step time " + Durations.format(at) + "; a timer cannot be armed in the past");
            }
        }
        boolean pinned = op == Op.ARM && f.bool("pinned", false);
        boolean deferrable = op == Op.ARM && f.bool("deferrable", false);
        return new Step(at, cpu, op, timer, inNs, atNs, pinned, deferrable, order);
    }

    /** A key another op takes gets a more useful message than a plain unknown key. */
    private static void checkKeys(Fields f, Op op) {
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(extraKeys(op));
        for (String key : f.keys()) {
            if (allowed.contains(key)) continue;
            boolean otherOpsKey = false;
            for (Op other : Op.values()) otherOpsKey |= extraKeys(other).contains(key);
            if (otherOpsKey)
                throw new ScenarioException(f.path(key), "'" + key + "' is not allowed for op " + op.key()
                        + "; allowed here: " + String.join(", ", allowed));
        }
        f.allow(allowed);
    }

    /**
     * cancel/rearm must name a timer armed by an earlier step (in run order), and rearm keeps the
     * flags of that arming, as {@code mod_timer()} keeps {@code timer->flags}.
     */
    private static List<Step> checkTimerNames(List<Step> sorted, String path) {
        Map<String, Step> lastArm = new TreeMap<>(); // sorted: suggestions must not depend on hashing
        List<Step> out = new ArrayList<>(sorted.size());
        for (Step s : sorted) {
            Step step = s;
            if (s.op() == Op.ARM) {
                lastArm.put(s.timer(), s);
            } else if (s.op() == Op.CANCEL || s.op() == Op.REARM) {
                Step arm = lastArm.get(s.timer());
                if (arm == null)
                    throw new ScenarioException(path + "[" + s.order() + "].timer", "timer '" + s.timer()
                            + "' is not armed by any step before this one (at " + Durations.format(s.at()) + ")"
                            + Fields.didYouMean(s.timer(), lastArm.keySet()));
                if (s.op() == Op.REARM)
                    step = new Step(s.at(), s.cpu(), s.op(), s.timer(), s.inNs(), s.atNs(), arm.pinned(), arm.deferrable(), s.order());
            }
            out.add(step);
        }
        return out;
    }

    /** Timer names armed anywhere in the script. */
    static Set<String> armedNames(List<Step> steps) {
        Set<String> names = new TreeSet<>();
        for (Step s : steps) if (s.op() == Op.ARM) names.add(s.timer());
        return names;
    }

    private static List<String> allOps() {
        return Arrays.stream(Op.values()).map(Op::key).toList();
    }
}
