package org.tmigrlab.engine.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.scenario.Expectation;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;

/** A small hand-built run: one remote expiry, one pinned local one, one cancelled timer, one violation. */
final class ReportFixtures {
    static final long MS = 1_000_000;

    private ReportFixtures() {
    }

    static Scenario scenario() {
        return new Scenario(Machine.contiguous(4, 2), new int[]{0, 1, 2, 3}, "kernel", 2, "lowest-active", "mainline",
                Set.of(Bug.STALE_WAKEUP_REQUEUE, Bug.QUICK_CHECK_TOP_ONLY, Bug.MISSING_CPU_UPDATE), 1000, 7, 50 * MS, List.of(),
                List.of(new Expectation("net-rx", 7 * MS, -1, false, 0, -1, -1, -1, -1, "{timer: net-rx, firesBy: 7ms, on: 0}"),
                        new Expectation("gc", -1, -1, true, -1, -1, -1, -1, -1, "{timer: gc, firesAt: never}"),
                        new Expectation(null, -1, -1, false, -1, 1, 0, -1, -1, "{cpu: 1, wakeupsAtMost: 0}")),
                true);
    }

    /** {@code reversed} builds the hash-ordered nested metric in the opposite insertion order. */
    static RunResult result(boolean reversed) {
        List<TimerRecord> timers = List.of(
                new TimerRecord("net-rx", 1 * MS, 1, 1, false, false, 6, 6, 6 * MS, 6 * MS, 0, true, 0L, null),
                new TimerRecord("watchdog", 2 * MS, 3, 3, true, false, 9, 9, 9 * MS, 9 * MS + 250_000, 3, false, 250_000L, null),
                new TimerRecord("gc", 2 * MS, 2, 2, false, true, 30, 31, 30 * MS, null, null, false, null, 4 * MS));
        List<CpuRecord> cpus = List.of(new CpuRecord(0, 0, 0, 0, 0), new CpuRecord(1, 0, 0, 0, 48 * MS),
                new CpuRecord(2, 2, 1, 1, 47_500_000), new CpuRecord(3, 1, 1, 0, 49 * MS));
        Map<String, Long> perLevel = new HashMap<>();
        List<String> keys = reversed ? List.of("lvl2", "lvl1", "lvl0", "lvl10") : List.of("lvl10", "lvl0", "lvl1", "lvl2");
        for (String k : keys) perLevel.put(k, (long) k.length());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("wakeups", 3L);
        metrics.put("remoteExpiries", 1);
        metrics.put("latenessP99Us", 250.5);
        metrics.put("walkStepsPerLevel", perLevel);
        metrics.put("handOffs", List.of(1, 2, 3));
        metrics.put("none", null);
        List<Violation> violations = List.of(new Violation(12 * MS, "no-lost-timer", "gc \"pending\" but nobody wakes", List.of(1, 3), List.of(2)));
        return new RunResult(timers, cpus, metrics, violations, null, 50 * MS);
    }

    static Report report() {
        return Report.of("demo", "scenarios/demo.yaml", scenario(), result(false));
    }
}
