package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

/** {@code tmigr bench} runs and prints its table; no timing is asserted (the machine decides). */
class BenchCommandTest {

    @Test
    void printsEventsPerSecondAndTheRatioToTheCeiling() {
        Outcome r = tmigr("bench", "--cpus", "8,16", "--seconds", "0.2", "--no-memory");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("events/s").contains("ceiling ev/s").contains("ratio").contains("work-ahead ev/s").contains("gen sim s/s");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+(8|16)\\s+2\\s+\\d+\\s+.*"))).hasSize(2);
    }

    @Test
    void wholeRunMode() {
        Outcome r = tmigr("bench", "--cpus", "8", "--simulate", "200ms");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("--simulate 200ms").contains("timers armed");
        // the same run with the workload generated ahead: the same events, wake-ups and armings
        Outcome a = tmigr("bench", "--cpus", "8", "--simulate", "200ms", "--work-ahead");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("second thread");
        assertThat(counts(r.out())).hasSize(2);
        assertThat(counts(a.out())).isEqualTo(counts(r.out()));
    }

    @Test
    void measuresTheWorkloadOfAScenarioFile() {
        Outcome r = tmigr("bench", "--scenario", "../scenarios/named/quiet-numa-4n.yaml", "--cpus", "16", "--seconds", "0.2", "--no-memory");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("quiet-numa-4n.yaml's workload");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+16\\s+4\\s+\\d+\\s+.*"))).hasSize(1);
        // a ping-pong workload has no work-ahead figure
        Outcome p = tmigr("bench", "--scenario", "../scenarios/named/web-server-2s64.yaml", "--cpus", "8", "--seconds", "0.2", "--no-memory");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out().lines().filter(l -> l.matches("\\s+8\\s+2\\s.*\\s-\\s+[0-9.]+"))).hasSize(1);
    }

    @Test
    void theDecompositionWorkloadsRun() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("..", "benchmarks", "workloads"))) {
            List<java.nio.file.Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(4);
            for (java.nio.file.Path f : yaml) {
                Outcome r = tmigr("bench", "--scenario", f.toString(), "--cpus", "8", "--seconds", "0.1", "--no-memory");
                assertThat(r.code()).as(f + ": " + r.err()).isZero();
            }
        }
    }

    @Test
    void badInput() {
        assertThat(tmigr("bench", "--seconds", "0").code()).isEqualTo(2);
        assertThat(tmigr("bench", "--cpus", "0").code()).isEqualTo(2);
        assertThat(tmigr("bench", "--simulate", "soon").code()).isEqualTo(2);
        Outcome missing = tmigr("bench", "--scenario", "no-such.yaml");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--scenario: no-such.yaml: no such file");
        Outcome noWorkload = tmigr("bench", "--scenario", "../scenarios/quickstart.yaml");
        assertThat(noWorkload.code()).isEqualTo(2);
        assertThat(noWorkload.err()).contains("no workload to measure");
    }

    /** The events column and the wake-up/arming line of a --simulate table. */
    private static java.util.List<String> counts(String out) {
        return out.lines().filter(l -> l.matches("\\s+8\\s+2\\s+\\d+\\s.*") || l.contains("wakeups"))
                .map(l -> l.matches("\\s+8\\s.*") ? l.trim().split("\\s+")[2] : l.trim()).toList();
    }
}
