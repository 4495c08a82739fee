package org.tmigrlab.console.live;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.json.JsonObject;

import org.tmigrlab.engine.scenario.Durations;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Step;

/**
 * Reads one injected step: the keys of a scenario script step ({@code cpu}, {@code op} and the
 * op's own keys), with {@code at} optional (default: now) and never in the past.
 */
final class StepReader {
    private StepReader() {
    }

    static List<String> keys(Op op) {
        return switch (op) {
            case ARM -> List.of("at", "cpu", "op", "timer", "in", "expiresAt", "pinned", "deferrable");
            case REARM -> List.of("at", "cpu", "op", "timer", "in", "expiresAt");
            case CANCEL -> List.of("at", "cpu", "op", "timer");
            default -> List.of("at", "cpu", "op");
        };
    }

    /**
     * @param armed timer names armed so far (script and earlier injections): cancel and rearm must name one
     */
    static Step read(JsonObject o, String path, int cpus, long now, Set<String> armed) {
        Object opv = o.getValue("op");
        Op op = opv instanceof String s ? Op.byKey(s).orElse(null) : null;
        if (op == null)
            throw ApiException.bad(path + ".op: " + (opv == null ? "required" : "unknown op " + Req.describe(opv))
                    + "; allowed: " + Op.allowed());
        Req.allow(o, path, keys(op));
        int cpu = (int) Req.integer(o, "cpu", path, 0, cpus - 1, null);
        long at = Req.time(o, "at", path, now);
        if (at < now)
            throw ApiException.bad(path + ".at: " + Durations.format(at) + " is in the past (the experiment is at "
                    + Durations.format(now) + "); omit at to run the step now");
        String timer = null;
        long in = -1;
        long expiresAt = -1;
        boolean pinned = false;
        boolean deferrable = false;
        if (op == Op.ARM || op == Op.REARM || op == Op.CANCEL) {
            timer = Req.string(o, "timer", path, true);
            if (op != Op.ARM && !armed.contains(timer))
                throw ApiException.bad(path + ".timer: timer '" + timer + "' was never armed in this experiment; "
                        + op.key() + " needs an armed timer" + known(armed));
        }
        if (op == Op.ARM || op == Op.REARM) {
            boolean hasIn = o.containsKey("in");
            boolean hasAt = o.containsKey("expiresAt");
            if (hasIn == hasAt)
                throw ApiException.bad(path + ": " + op.key() + " takes exactly one of 'in' (relative) or 'expiresAt' (absolute), got "
                        + (hasIn ? "both" : "neither"));
            if (hasIn) {
                in = Req.time(o, "in", path, null);
            } else {
                expiresAt = Req.time(o, "expiresAt", path, null);
                if (expiresAt < at)
                    throw ApiException.bad(path + ".expiresAt: " + Durations.format(expiresAt) + " is before the step time "
                            + Durations.format(at) + "; a timer cannot be armed in the past");
            }
            if (op == Op.ARM) {
                pinned = Req.bool(o, "pinned", path, false);
                deferrable = Req.bool(o, "deferrable", path, false);
            }
        }
        return new Step(at, cpu, op, timer, in, expiresAt, pinned, deferrable, 0);
    }

    private static String known(Set<String> armed) {
        if (armed.isEmpty()) return "; no timer is armed yet";
        TreeSet<String> sorted = new TreeSet<>(armed);
        List<String> first = sorted.stream().limit(10).toList();
        return "; armed: " + String.join(", ", first) + (sorted.size() > 10 ? ", ..." : "");
    }
}
