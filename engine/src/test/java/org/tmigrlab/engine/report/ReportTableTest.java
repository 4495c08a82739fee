package org.tmigrlab.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;

class ReportTableTest {

    @Test
    void showsTimersCpusViolationsAndExpectationResults() {
        String table = ReportTable.toTable(ReportFixtures.report());

        assertThat(table).contains("scenario demo (scenarios/demo.yaml)",
                "4 CPUs, 2 nodes, 2 children per group, model mainline, HZ=1000, seed 7",
                "bugs: quick-check-top-only, stale-wakeup-requeue, missing-cpu-update");
        assertThat(table).containsPattern("name +armed on +expires \\(ms\\) +fired at \\(ms\\) +on +late \\(us\\) +remote +note");
        assertThat(table).containsPattern("net-rx +1 +6\\.000 +6\\.000 +0 +0 +yes");
        assertThat(table).containsPattern("watchdog +3 +9\\.000 +9\\.250 +3 +250 +no +pinned");
        assertThat(table).containsPattern("gc +2 +30\\.000 +- +- +- +- +deferrable, cancelled at 4\\.000ms");
        assertThat(table).containsPattern("2 +2 +1 +1 +47\\.500");
        assertThat(table).contains("invariant violations: 1", "12.000ms no-lost-timer");
        assertThat(table).contains("✓ {timer: net-rx, firesBy: 7ms, on: 0}", "✓ {timer: gc, firesAt: never}",
                "✗ {violations: 0} (implicit", "1 of 4 failed");
    }

    @Test
    void expectationColumnIsAligned() {
        String table = ReportTable.toTable(ReportFixtures.report());

        int netRx = table.lines().filter(l -> l.contains("{timer: net-rx")).findFirst().orElseThrow().indexOf("fired at");
        int cpu = table.lines().filter(l -> l.contains("{cpu: 1")).findFirst().orElseThrow().indexOf("0 wakeups");
        assertThat(netRx).isEqualTo(cpu).isPositive();
    }

    @Test
    void sameReportRendersTheSameText() {
        assertThat(ReportTable.toTable(ReportFixtures.report())).isEqualTo(ReportTable.toTable(ReportFixtures.report()))
                .doesNotContain("\r");
    }

    @Test
    void aRearmIsNotShownAsACancel() {
        long ms = ReportFixtures.MS;
        List<TimerRecord> timers = List.of(
                new TimerRecord("ka", 9 * ms, 0, 0, false, false, 12, 13, 12 * ms, null, null, false, null, 10 * ms),
                new TimerRecord("ka", 10 * ms, 0, 0, false, false, 15, 16, 15 * ms, 16 * ms, 0, false, ms, null),
                new TimerRecord("gone", 1 * ms, 0, 0, false, false, 5, 6, 5 * ms, null, null, false, null, 2 * ms));
        RunResult r = new RunResult(timers, List.of(), new LinkedHashMap<>(), List.of(), null, 20 * ms);

        String table = ReportTable.toTable(Report.of("x", "x.yaml", ReportFixtures.scenario(), r));

        assertThat(table).containsPattern("ka .* re-armed at 10\\.000ms").containsPattern("gone .* cancelled at 2\\.000ms");
    }

    @Test
    void aStormOfViolationsIsCutShort() {
        List<Violation> storm = new ArrayList<>();
        for (int i = 0; i < 90; i++) storm.add(new Violation(i * ReportFixtures.MS, "bounded-wakeups", "again", List.of(), List.of(0)));
        RunResult r = new RunResult(List.of(), List.of(), new LinkedHashMap<>(), storm, null, 100 * ReportFixtures.MS);

        String table = ReportTable.toTable(Report.of("x", "x.yaml", ReportFixtures.scenario(), r));

        assertThat(table).contains("invariant violations: 90", "... 70 more (--format json lists them all)");
        assertThat(table.lines().filter(l -> l.contains("bounded-wakeups: again"))).hasSize(ReportTable.VIOLATIONS_SHOWN);
    }
}
