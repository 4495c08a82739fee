package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tmigr bench} runs and prints its table; no timing is asserted (the machine decides). */
class BenchCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TmigrCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void printsEventsPerSecondAndTheRatioToTheCeiling() {
        String[] r = run("bench", "--cpus", "8,16", "--seconds", "0.2", "--no-memory");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("events/s").contains("ceiling ev/s").contains("ratio").contains("work-ahead ev/s").contains("gen sim s/s");
        assertThat(r[1].lines().filter(l -> l.matches("\\s+(8|16)\\s+2\\s+\\d+\\s+.*"))).hasSize(2);
    }

    @Test
    void wholeRunMode() {
        String[] r = run("bench", "--cpus", "8", "--simulate", "200ms");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("--simulate 200ms").contains("timers armed");
        // the same run with the workload generated ahead: the same events, wake-ups and armings
        String[] a = run("bench", "--cpus", "8", "--simulate", "200ms", "--work-ahead");
        assertThat(a[0]).as(a[2]).isEqualTo("0");
        assertThat(a[1]).contains("second thread");
        assertThat(counts(r[1])).hasSize(2);
        assertThat(counts(a[1])).isEqualTo(counts(r[1]));
    }

    @Test
    void measuresTheWorkloadOfAScenarioFile() {
        String[] r = run("bench", "--scenario", "../scenarios/named/quiet-numa-4n.yaml", "--cpus", "16", "--seconds", "0.2", "--no-memory");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("quiet-numa-4n.yaml's workload");
        assertThat(r[1].lines().filter(l -> l.matches("\\s+16\\s+4\\s+\\d+\\s+.*"))).hasSize(1);
        // a ping-pong workload has no work-ahead figure
        String[] p = run("bench", "--scenario", "../scenarios/named/web-server-2s64.yaml", "--cpus", "8", "--seconds", "0.2", "--no-memory");
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        assertThat(p[1].lines().filter(l -> l.matches("\\s+8\\s+2\\s.*\\s-\\s+[0-9.]+"))).hasSize(1);
    }

    @Test
    void theDecompositionWorkloadsRun() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("..", "benchmarks", "workloads"))) {
            List<java.nio.file.Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(4);
            for (java.nio.file.Path f : yaml) {
                String[] r = run("bench", "--scenario", f.toString(), "--cpus", "8", "--seconds", "0.1", "--no-memory");
                assertThat(r[0]).as(f + ": " + r[2]).isEqualTo("0");
            }
        }
    }

    @Test
    void badInput() {
        assertThat(run("bench", "--seconds", "0")[0]).isEqualTo("2");
        assertThat(run("bench", "--cpus", "0")[0]).isEqualTo("2");
        assertThat(run("bench", "--simulate", "soon")[0]).isEqualTo("2");
        String[] missing = run("bench", "--scenario", "no-such.yaml");
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("--scenario: no-such.yaml: no such file");
        String[] noWorkload = run("bench", "--scenario", "../scenarios/quickstart.yaml");
        assertThat(noWorkload[0]).isEqualTo("2");
        assertThat(noWorkload[2]).contains("no workload to measure");
    }

    /** The events column and the wake-up/arming line of a --simulate table. */
    private static java.util.List<String> counts(String out) {
        return out.lines().filter(l -> l.matches("\\s+8\\s+2\\s+\\d+\\s.*") || l.contains("wakeups"))
                .map(l -> l.matches("\\s+8\\s.*") ? l.trim().split("\\s+")[2] : l.trim()).toList();
    }
}
