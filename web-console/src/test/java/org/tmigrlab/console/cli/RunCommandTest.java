package org.tmigrlab.console.cli;

import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class RunCommandTest {
    @TempDir
    Path dir;



    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void badScenarioExitsTwoAndNamesFileAndField() throws IOException {
        Path f = file("bad.yaml", """
                machine: {cpus: 4}
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 1ms, cpu: 0, op: sleep}
                """);

        Outcome o = tmigr("run", f.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(f + ": script[1].op: unknown op 'sleep'", "allowed: busy, idle");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void outOfRangeCpuInJsonExitsTwo() throws IOException {
        Path f = file("bad.json", "{\"machine\": {\"cpus\": 2}, \"expect\": [{\"cpu\": 5, \"wakeupsAtMost\": 0}]}");

        Outcome o = tmigr("run", f.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(f + ": expect[0].cpu: ", "0..1");
    }

    @Test
    void malformedYamlExitsTwoWithLineAndColumn() throws IOException {
        Path f = file("broken.yaml", "machine:\n  cpus: [4\n");

        Outcome o = tmigr("run", f.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(f.toString(), "malformed YAML").containsPattern("line \\d+, column \\d+");
    }

    @Test
    void missingFileExitsTwo() {
        Path f = dir.resolve("nope.yaml");

        Outcome o = tmigr("run", f.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(f + ": no such file");
    }

    @Test
    void unknownFormatExitsTwoBeforeReadingAnything() {
        Outcome o = tmigr("run", "--format", "csv", dir.resolve("never-read.yaml").toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--format: 'csv'", "table, json");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(tmigr("run", "--sed", "3").code()).isEqualTo(2);
    }

    @Test
    void helpDocumentsExitCodes() {
        Outcome o = tmigr("run", "--help");

        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("--format", "--trace", "--seed", "--no-check", "Exit codes", "bad input");
    }

    // ---- happy path: runs the simulator ----------------------------------------------------------

    @Test
    void defaultScenarioRunsAndAllExpectationsHold() {
        Outcome o = tmigr("run");

        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("scenario default", "timers", "net-rx", "expectations", "✓").doesNotContain("✗");
    }

    @Test
    void jsonReportIsByteIdenticalAcrossRunsAndHonoursOverrides() {
        Outcome first = tmigr("run", "--format", "json", "--seed", "99", "--no-check");
        Outcome second = tmigr("run", "--format", "json", "--seed", "99", "--no-check");

        assertThat(first.code()).isZero();
        assertThat(first.out()).isEqualTo(second.out());
        assertThat(first.out()).contains("\"seed\": 99,", "\"checkInvariants\": false", "\"expectations\": [");
    }

    @Test
    void failedExpectationExitsOne() throws IOException {
        Path f = file("late.yaml", """
                machine: {cpus: 2}
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 0, cpu: 1, op: arm, timer: t, in: 10ms}
                expect:
                  - {timer: t, firesBy: 5ms}
                """);

        Outcome o = tmigr("run", f.toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("✗ {timer: t, firesBy: 5ms}");
    }

    @Test
    void traceOptionWritesKernelTraceLines() throws IOException {
        Path trace = dir.resolve("run.trace");

        Outcome o = tmigr("run", "--trace", trace.toString());

        assertThat(o.code()).isZero();
        assertThat(Files.readString(trace)).contains("tmigr_cpu_idle: cpu=9", "timer_expire_entry:");
    }

    @Test
    void traceIntoAMissingDirectoryIsBadInput() {
        Outcome o = tmigr("run", "--trace", dir.resolve("no/such/dir/run.trace").toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--trace: cannot create");
    }

    @Test
    void workAheadGivesTheSameReport() {
        Path named = Path.of("..", "scenarios", "named");
        for (String f : new String[] {"quiet-numa-4n.yaml", "batch-256c4n.yaml"}) {
            Outcome one = tmigr("run", named.resolve(f).toString(), "--format", "json", "--no-check");
            Outcome ahead = tmigr("run", named.resolve(f).toString(), "--format", "json", "--no-check", "--work-ahead");
            assertThat(ahead.code()).as(ahead.err()).isZero();
            assertThat(ahead.err()).isEmpty();
            assertThat(ahead.out()).as(f).isEqualTo(one.out());
        }
        // a ping-pong cannot be generated ahead: same report, and a note saying so
        Path web = named.resolve("web-server-2s64.yaml");
        Outcome one = tmigr("run", web.toString(), "--format", "json", "--no-check");
        Outcome ahead = tmigr("run", web.toString(), "--format", "json", "--no-check", "--work-ahead");
        assertThat(ahead.out()).isEqualTo(one.out());
        assertThat(ahead.err()).contains("--work-ahead", "ping-pong");
    }
}
