package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.replay.Disagreement.Cause;
import org.tmigrlab.engine.trace.KernelCaptures;

/**
 * The real captures of {@code ../shared/data/kernel-traces} (Linux 6.12.95 under QEMU TCG, HZ=250)
 * replayed through the lab: the machine, tree and HZ come from the trace, and the kernel's
 * decisions are held against the lab's. README "Replaying real traces" explains every class of
 * remaining disagreement; here they are pinned down: none is a model difference.
 */
class ReplayCapturesTest {

    private static ReplayResult replay(String name) {
        Path trace = KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals(name)).findFirst().orElseThrow();
        return Replay.run(trace, ReplayOptions.defaults());
    }

    private static void print(ReplayResult r) {
        Fidelity f = r.fidelity();
        System.out.printf("%s: timers %.1f%% (%d/%d), tmigr_cpu_idle %.1f%% (%d/%d), bucket_expiry %d/%d%n", r.file(),
                f.timers().percent(), f.timers().agreements(), f.timers().decisions(), f.idle().percent(),
                f.idle().agreements(), f.idle().decisions(), f.bucketEqualJiffies() + f.bucketEqualLagging(), f.bucketChecked());
        System.out.print(ReplayReport.table(r));
    }

    @Test
    void fourCpuCapture() {
        ReplayResult r = replay("cpus4-nodes1-net");
        print(r);
        assertThat(r.machine().possibleCpus()).isEqualTo(4);
        assertThat(r.machine().nodeCount()).isEqualTo(1);
        assertThat(r.hz()).isEqualTo(250);
        assertThat(r.idleSource()).isEqualTo(TraceProfile.IdleSource.TMIGR);
        assertThat(r.tree().present()).isTrue();
        assertThat(r.tree().equal()).as("tree and groupmasks as the kernel built them").isTrue();
        assertThat(r.tree().imbalanced()).isFalse();
        Fidelity f = r.fidelity();
        // Kernel-side facts: every tmigr_cpu_idle line, every expiry of a global timer armed in the capture.
        assertThat(f.idle().decisions()).isEqualTo(501);
        assertThat(f.timers().decisions()).isEqualTo(488);
        assertThat(f.timers().percent()).isGreaterThanOrEqualTo(95.0);
        assertThat(f.idle().percent()).isGreaterThanOrEqualTo(95.0);
        assertThat(f.timers().disagreements(Cause.MODEL)).as("unexplained timer disagreements").isZero();
        assertThat(f.idle().disagreements(Cause.MODEL)).as("unexplained wakeup disagreements").isZero();
        assertThat(f.bucketChecked()).isEqualTo(1066);
        assertThat(f.bucketMismatches()).isZero();
        assertThat(f.bucketEqualLagging()).as("tcp_orphan_update re-armed behind an expired deferrable timer").isEqualTo(2);
    }

    @Test
    void sixteenCpuTwoNodeCapture() {
        ReplayResult r = replay("cpus16-nodes2-net");
        print(r);
        assertThat(r.machine().possibleCpus()).isEqualTo(16);
        assertThat(r.machine().nodeCount()).isEqualTo(2);
        for (int c = 0; c < 16; c++) assertThat(r.machine().nodeOf(c)).isEqualTo(c < 8 ? 0 : 1);
        assertThat(r.hz()).isEqualTo(250);
        assertThat(r.tree().equal()).isTrue();
        Fidelity f = r.fidelity();
        assertThat(f.idle().decisions()).isEqualTo(801);
        assertThat(f.timers().decisions()).isEqualTo(825);
        assertThat(f.timers().percent()).isGreaterThanOrEqualTo(95.0);
        assertThat(f.idle().percent()).isGreaterThanOrEqualTo(95.0);
        assertThat(f.timers().disagreements(Cause.MODEL)).isZero();
        assertThat(f.idle().disagreements(Cause.MODEL)).isZero();
        assertThat(f.bucketChecked()).isEqualTo(1941);
        assertThat(f.bucketMismatches()).isZero();
        assertThat(f.bucketEqualLagging()).isEqualTo(2);
    }

    @Test
    void everyDisagreementIsListedWithItsEvidence() {
        ReplayResult r = replay("cpus4-nodes1-net");
        for (Disagreement d : r.fidelity().timers().listed()) {
            assertThat(d.kernel()).startsWith("CPU ");
            assertThat(d.lab()).startsWith("CPU ");
            assertThat(d.reason()).isNotBlank();
            assertThat(d.line()).isPositive();
        }
        Map<String, Object> json = ReplayReport.toMap(r);
        assertThat(json).containsKeys("trace", "machine", "tree", "replay", "outcome", "fidelity");
    }

    @Test
    void whatIfReplaysTheSameInputsUnderAnotherConfiguration() {
        Path trace = KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals("cpus16-nodes2-net")).findFirst().orElseThrow();
        TraceProfile profile = TraceProfile.scan(trace);
        ReplayResult kernel = Replay.run(trace, profile, ReplayOptions.defaults(), org.tmigrlab.engine.Lab.defaultCatalog(), null);
        ReplayResult four = Replay.run(trace, profile, ReplayOptions.defaults().withChildrenPerGroup(4),
                org.tmigrlab.engine.Lab.defaultCatalog(), null);
        // Same inputs: the same timers armed (a re-arm to the same expiry of a timer still pending
        // leaves no new record, so allow a handful); a different tree changes who pulls.
        assertThat(four.run().timers().size()).isCloseTo(kernel.run().timers().size(), org.assertj.core.data.Offset.offset(20));
        assertThat(four.outcome().get("global timers expired")[0]).isEqualTo(kernel.outcome().get("global timers expired")[0]);
        assertThat(four.configuration()).isEqualTo("mainline cpg=4");
        String table = ReplayReport.whatIf(java.util.List.of(kernel, four));
        assertThat(table).contains("what-if", "lab mainline", "lab mainline cpg=4", "pulled by another CPU");
    }
}
