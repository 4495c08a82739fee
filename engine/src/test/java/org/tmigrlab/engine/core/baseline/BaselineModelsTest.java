package org.tmigrlab.engine.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.Runs.MS;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;

class BaselineModelsTest {

    static final List<String> MODELS = List.of("mainline", "rfc2017", "push", "local", "oracle");

    private static RunResult run(Scenario s, String model) {
        return Lab.run(s.withModel(model), TraceSink.NONE);
    }

    private static long metric(RunResult r, String name) {
        return (Long) r.metrics().get(name);
    }

    /** Acceptance: all CPUs but one stay busy; the idle one keeps arming timers in short bursts. */
    @Test
    void withAllButOneCpuBusyLocalAndPushWakeTheIdleCpuMoreThanMainline() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 8, nodes: 2}
                until: 1s
                workload:
                  activity: {busy: 500us, load: 1.0, loadPerCpu: {7: 0.01}}
                  timers: {cpus: [7], rate: 4000, timeouts: [{in: 5ms}, {in: 50ms}]}
                """);
        RunResult mainline = run(s, "mainline");
        assertThat(mainline.timers()).hasSizeGreaterThan(10);
        for (String m : List.of("local", "push")) {
            RunResult r = run(s, m);
            assertThat(r.cpus().get(7).wakeups()).as(m).isGreaterThan(mainline.cpus().get(7).wakeups());
            assertThat(metric(r, "wakeups")).as(m).isGreaterThan(metric(mainline, "wakeups"));
            assertThat(r.violations()).as(m).isEmpty();
        }
        assertThat(mainline.cpus().get(7).wakeups()).isZero();
        assertThat(metric(run(s, "oracle"), "wakeups")).isZero();
    }

    /** Acceptance: a fully idle machine and one global timer cost exactly one wake-up under every model. */
    @ParameterizedTest
    @ValueSource(strings = {"busy", "idle"})
    void onAFullyIdleMachineOneGlobalTimerCostsOneWakeupEverywhere(String armedWhile) {
        String arm = armedWhile.equals("busy") ? """
                  - {at: 1ms, cpu: 3, op: busy}
                  - {at: 2ms, cpu: 3, op: arm, timer: T, in: 20ms}
                  - {at: 3ms, cpu: 3, op: idle}
                """ : """
                  - {at: 2ms, cpu: 3, op: arm, timer: T, in: 20ms}
                """;
        Scenario s = Runs.scenario("machine: {cpus: 8, nodes: 2}\nuntil: 100ms\nscript:\n" + arm);
        for (String m : MODELS) {
            RunResult r = run(s, m);
            assertThat(metric(r, "wakeups")).as(m).isEqualTo(1);
            assertThat(metric(r, "globalWakeups")).as(m).isEqualTo(1);
            assertThat(Runs.timer(r, "T").firedAt()).as(m).isEqualTo(23 * MS);
            assertThat(r.violations()).as(m).isEmpty();
        }
    }

    @Test
    void pushPlacesOnTheNearestBusyCpuAndTheTimerStaysThere() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 8, nodes: 2}
                until: 100ms
                script:
                  - {at: 0, cpu: 6, op: busy}
                  - {at: 0, cpu: 2, op: busy}
                  - {at: 1ms, cpu: 1, op: arm, timer: near, in: 10ms}
                  - {at: 1ms, cpu: 1, op: arm, timer: pinned, in: 10ms, pinned: true}
                  - {at: 1ms, cpu: 5, op: arm, timer: other-node, in: 10ms}
                  - {at: 2ms, cpu: 2, op: idle}
                """);
        RunResult r = run(s, "push");
        TimerRecord near = Runs.timer(r, "near");
        assertThat(near.armedOn()).isEqualTo(1);
        assertThat(near.cpu()).isEqualTo(2);          // same node (LLC) as CPU 1, before CPU 6
        assertThat(near.firedOn()).isEqualTo(2);      // stays even though CPU 2 idles at expiry
        assertThat(near.remote()).isFalse();
        assertThat(Runs.timer(r, "pinned").cpu()).isEqualTo(1);
        assertThat(Runs.timer(r, "other-node").cpu()).isEqualTo(6);
        assertThat(r.cpus().get(2).timerWakeups()).isEqualTo(1); // woken for a timer it never armed
        assertThat(metric(r, "timersPushed")).isEqualTo(2);
        assertThat(metric(r, "pushedCrossNode")).isZero();
        assertThat(r.violations()).isEmpty();
        // Mainline queues every timer where it is armed.
        assertThat(Runs.timer(run(s, "mainline"), "near").cpu()).isEqualTo(1);
    }

    @Test
    void pushWalksSchedDomainsFromTheInnermost() {
        Cpu self = new Cpu(0, 0, 0, 0, 0, 1024);
        assertThat(PushModel.domainLevel(self, new Cpu(1, 0, 0, 0, 0, 1024))).isZero();   // SMT sibling
        assertThat(PushModel.domainLevel(self, new Cpu(2, 0, 0, 0, 1, 1024))).isEqualTo(1); // same LLC
        assertThat(PushModel.domainLevel(self, new Cpu(3, 0, 0, 1, 2, 1024))).isEqualTo(2); // same package
        assertThat(PushModel.domainLevel(self, new Cpu(4, 0, 1, 2, 3, 1024))).isEqualTo(3); // same node
        assertThat(PushModel.domainLevel(self, new Cpu(5, 1, 1, 3, 4, 1024))).isEqualTo(4); // another node
    }

    @Test
    void pushLeavesIsolatedCpusAlone() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 4}
                until: 50ms
                script:
                  - {at: 0, cpu: 3, op: isolate}
                  - {at: 0, cpu: 1, op: busy}
                  - {at: 1ms, cpu: 3, op: arm, timer: iso, in: 5ms}
                  - {at: 1ms, cpu: 2, op: arm, timer: hk, in: 5ms}
                """);
        RunResult r = run(s, "push");
        assertThat(Runs.timer(r, "iso").cpu()).isEqualTo(3);
        assertThat(Runs.timer(r, "hk").cpu()).isEqualTo(1);
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void oracleSharesOneWakeupAmongTimersDueInTheSameJiffy() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 8, nodes: 2}
                until: 100ms
                script:
                  - {at: 1ms, cpu: 1, op: arm, timer: a, expiresAt: 20ms}
                  - {at: 1ms, cpu: 4, op: arm, timer: b, expiresAt: 20ms}
                  - {at: 1ms, cpu: 7, op: arm, timer: c, expiresAt: 20ms}
                """);
        RunResult oracle = run(s, "oracle");
        RunResult local = run(s, "local");
        assertThat(metric(oracle, "wakeups")).isEqualTo(1);
        assertThat(metric(local, "wakeups")).isEqualTo(3);
        for (String t : List.of("a", "b", "c")) assertThat(Runs.timer(oracle, t).firedAt()).isEqualTo(21 * MS);
        assertThat(oracle.violations()).isEmpty();
    }

    @Test
    void oracleRidesOnAPinnedWakeupAndCostsNothingWhileACpuIsAwake() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 4}
                until: 100ms
                script:
                  - {at: 1ms, cpu: 1, op: arm, timer: g, expiresAt: 20ms}
                  - {at: 1ms, cpu: 2, op: arm, timer: p, expiresAt: 20ms, pinned: true}
                  - {at: 1ms, cpu: 3, op: arm, timer: later, expiresAt: 40ms}
                  - {at: 30ms, cpu: 0, op: busy}
                  - {at: 50ms, cpu: 0, op: idle}
                """);
        RunResult r = run(s, "oracle");
        assertThat(metric(r, "globalWakeups")).isZero();
        assertThat(metric(r, "pinnedWakeups")).isEqualTo(1);
        assertThat(Runs.timer(r, "g").firedOn()).isEqualTo(2);
        assertThat(Runs.timer(r, "later").firedOn()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void everyBaselineIsRegisteredAndNamed() {
        for (String m : List.of("push", "local", "oracle")) {
            assertThat(Lab.defaultCatalog().models()).containsKey(m);
            assertThat(Lab.prepare(Runs.scenario("machine: {cpus: 2}").withModel(m), TraceSink.NONE, Lab.defaultCatalog())
                    .model().name()).isEqualTo(m);
        }
    }
}
