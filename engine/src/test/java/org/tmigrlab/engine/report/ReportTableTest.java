package org.tmigrlab.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
