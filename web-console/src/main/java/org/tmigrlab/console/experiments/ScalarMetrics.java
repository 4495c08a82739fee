package org.tmigrlab.console.experiments;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.tmigrlab.engine.sim.RunResult;

/**
 * The numbers of one run that can be averaged across seeds and put in a CSV column:
 * {@link RunResult#scalarMetrics()}, any numeric entry of nested maps in {@link RunResult#metrics()}
 * flattened to dotted names ({@code lateness.global.p99}), plus {@code violations}. Lists (per-CPU, per-window series)
 * and text (an abort reason) are not scalars and are left out.
 *
 * <p>Wall-clock figures (the simulator's own speed) are dropped too: they differ from run to run
 * and would break "same seed, same bytes"; they belong in {@code run.json} only.
 */
public final class ScalarMetrics {
    private ScalarMetrics() {
    }

    public static Map<String, Number> of(RunResult result) {
        Map<String, Number> out = new LinkedHashMap<>();
        // The engine's own scalar view first (its order, its names); then anything nested it leaves out.
        for (Map.Entry<String, Double> e : result.scalarMetrics().entrySet())
            if (!isWallClock(e.getKey())) out.put(e.getKey(), e.getValue());
        Map<String, Number> nested = new LinkedHashMap<>();
        flatten("", result.metrics(), nested);
        nested.forEach(out::putIfAbsent);
        out.put("violations", (long) result.violations().size());
        return out;
    }

    /** Names of figures measured on the host's clock rather than in simulated time. */
    public static boolean isWallClock(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("wall") || n.contains("elapsed") || n.contains("realtime") || n.contains("eventspersecond")
                || n.contains("eventspersec") || n.contains("hostns") || n.contains("cputime");
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Number> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = prefix + e.getKey();
            Object v = e.getValue();
            if (isWallClock(name)) continue;
            if (v instanceof Number n) out.put(name, n);
            else if (v instanceof Map<?, ?> m) flatten(name + ".", m, out);
        }
    }
}
