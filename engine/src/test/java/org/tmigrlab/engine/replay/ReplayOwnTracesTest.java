package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.replay.Disagreement.Cause;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.trace.KernelTraceWriter;

/**
 * Machines no capture covers (issue acceptance 2: other CPU counts and layouts): the lab writes
 * its own run as kernel ftrace text, and replaying that text must give the lab's decisions back —
 * the machine, tree, HZ and time alignment derived from the text alone, every decision agreeing.
 */
class ReplayOwnTracesTest {

    @TempDir
    Path dir;

    private ReplayResult roundTrip(String yaml) throws IOException {
        Scenario s = new ScenarioReader().read(yaml, ScenarioReader.Format.YAML);
        Path trace = dir.resolve("lab.trace");
        try (Writer w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            KernelTraceWriter sink = new KernelTraceWriter(w);
            RunResult r = Lab.run(s, sink);
            sink.flush();
            // (the imbalanced tree breaks numa-purity on purpose)
            if (s.bugs().isEmpty()) assertThat(r.violations()).isEmpty();
        }
        return Replay.run(trace, ReplayOptions.defaults());
    }

    private static void everyDecisionAgrees(ReplayResult r) {
        Fidelity f = r.fidelity();
        System.out.printf("%d CPUs, %d nodes, HZ %d: timers %d/%d, tmigr_cpu_idle %d/%d, bucket_expiry %d/%d%n",
                r.machine().possibleCpus(), r.machine().nodeCount(), r.hz(), f.timers().agreements(), f.timers().decisions(),
                f.idle().agreements(), f.idle().decisions(), f.bucketEqualJiffies(), f.bucketChecked());
        assertThat(f.timers().decisions()).isPositive();
        assertThat(f.idle().decisions()).isPositive();
        assertThat(f.timers().percent()).isEqualTo(100.0);
        assertThat(f.idle().percent()).isEqualTo(100.0);
        assertThat(f.bucketMismatches()).isZero();
        assertThat(f.timers().disagreements(Cause.MODEL)).isZero();
    }

    @Test
    void thirtyTwoCpusOnFourNodesAtHz1000() throws IOException {
        ReplayResult r = roundTrip("""
                machine: {cpus: 32, nodes: 4}
                hz: 1000
                until: 1s
                workload:
                  activity: {busy: {dist: exponential, mean: 1ms}, loadPerNode: [0.9, 0.05, 0.05, 0.05]}
                  timers: {rate: 300, cancel: 0.3, rearm: 0.3, pinned: 0.1, deferrable: 0.1}
                """);
        assertThat(r.machine().possibleCpus()).isEqualTo(32);
        assertThat(r.machine().nodeCount()).isEqualTo(4);
        assertThat(r.hz()).isEqualTo(1000);
        assertThat(r.tree().equal()).isTrue();
        everyDecisionAgrees(r);
    }

    @Test
    void interleavedNodesBuiltTheWayOldKernelsDid() throws IOException {
        // 48 CPUs, node = cpu % 2 (il48-2), the tree of a kernel before "Fix imbalanced NUMA trees"
        // (a group below the crossnode level spans both nodes): recognised, and replayed with the
        // same switch.
        StringBuilder nodes = new StringBuilder();
        for (int c = 0; c < 48; c++) nodes.append(c == 0 ? "" : ", ").append(c % 2);
        ReplayResult r = roundTrip("""
                machine: {cpus: 48, nodes: 2, cpuNodes: [%s]}
                bugs: [imbalanced-numa-trees]
                hz: 250
                until: 1s
                workload:
                  activity: {busy: {dist: exponential, mean: 2ms}, load: 0.3}
                  timers: {rate: 200, cancel: 0.2, pinned: 0.1}
                """.formatted(nodes));
        assertThat(r.machine().nodeCount()).isEqualTo(2);
        assertThat(r.machine().nodeOf(1)).isEqualTo(1);
        assertThat(r.hz()).isEqualTo(250);
        assertThat(r.tree().equal()).isTrue();
        assertThat(r.tree().imbalanced()).isTrue();
        assertThat(r.scenario().bugs()).contains(org.tmigrlab.engine.core.Bug.IMBALANCED_NUMA_TREES);
        everyDecisionAgrees(r);
    }

    @Test
    void hundredAndTwentyEightCpusAtHz100() throws IOException {
        ReplayResult r = roundTrip("""
                machine: {cpus: 128, nodes: 2}
                hz: 100
                until: 2s
                workload:
                  activity: {busy: {dist: exponential, mean: 5ms}, load: 0.1}
                  timers: {rate: 50, cancel: 0.3}
                """);
        assertThat(r.machine().possibleCpus()).isEqualTo(128);
        assertThat(r.hz()).isEqualTo(100);
        assertThat(r.tree().equal()).isTrue();
        everyDecisionAgrees(r);
    }
}
