package org.tmigrlab.engine.sim;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.engine.check.Violation;

/**
 * Everything a run produced, in deterministic order — except {@link #runtime()}, the wall-clock
 * side, which reports leave out unless asked.
 *
 * @param timers     one record per arming, in arming order
 * @param cpus       one record per possible CPU
 * @param metrics    named totals, insertion-ordered (README "Metrics" lists them)
 * @param violations invariant violations in time order
 * @param hierarchy  the hierarchy at the end of the run
 * @param endTime    ns
 * @param windows    per-window counters ({@code metrics.window}); empty without windows
 * @param runtime    wall-clock cost of the run: not deterministic
 */
public record RunResult(List<TimerRecord> timers, List<CpuRecord> cpus, Map<String, Object> metrics,
                        List<Violation> violations, Hierarchy hierarchy, long endTime,
                        List<WindowMetrics> windows, RuntimeStats runtime) {

    public RunResult {
        windows = List.copyOf(windows);
        if (runtime == null) runtime = RuntimeStats.NONE;
    }

    /** A result without windows or runtime figures (tests, hand-built reports). */
    public RunResult(List<TimerRecord> timers, List<CpuRecord> cpus, Map<String, Object> metrics,
                     List<Violation> violations, Hierarchy hierarchy, long endTime) {
        this(timers, cpus, metrics, violations, hierarchy, endTime, List.of(), RuntimeStats.NONE);
    }

    /**
     * The numeric entries of {@link #metrics()} as doubles, in the same order: one row of a
     * comparison table or CSV. Deterministic (no wall-clock figure is included); non-numeric
     * entries ({@code aborted}) are left out.
     */
    public Map<String, Double> scalarMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            if (e.getValue() instanceof BigDecimal bd) out.put(e.getKey(), bd.doubleValue());
            else if (e.getValue() instanceof Number n) out.put(e.getKey(), n.doubleValue());
        }
        return Collections.unmodifiableMap(out);
    }
}
