package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tmigrlab.engine.Runs.MS;

import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.trace.KernelTraceWriter;

/** The console's run-time hooks: {@link Simulator#inject} and {@link Simulator#runUntil(long, long)}. */
class SimulatorInjectTest {

    private static final String BASE = """
            machine: {cpus: 16, nodes: 2}
            until: 60ms
            script:
              - {at: 0, cpu: 0, op: busy}
              - {at: 0, cpu: 9, op: busy}
              - {at: 1ms, cpu: 9, op: arm, timer: net-rx, in: 5ms}
              - {at: 2ms, cpu: 9, op: idle}
            """;

    /** The same steps given in the script. */
    private static final String WITH_STEPS = BASE + """
              - {at: 10ms, cpu: 3, op: busy}
              - {at: 11ms, cpu: 3, op: arm, timer: late, in: 20ms}
              - {at: 12ms, cpu: 3, op: idle}
              - {at: 15ms, cpu: 0, op: idle}
            """;

    @Test
    void injectedStepsRunExactlyAsScriptSteps() {
        StringWriter scripted = new StringWriter();
        KernelTraceWriter w1 = new KernelTraceWriter(scripted);
        RunResult expected = Lab.run(Runs.scenario(WITH_STEPS), w1);
        w1.flush();

        StringWriter injected = new StringWriter();
        KernelTraceWriter w2 = new KernelTraceWriter(injected);
        Simulator sim = Lab.prepare(Runs.scenario(BASE), w2, Lab.defaultCatalog());
        sim.runUntil(5 * MS);
        sim.inject(new Step(10 * MS, 3, Op.BUSY, null, -1, -1, false, false, 0));
        sim.inject(new Step(11 * MS, 3, Op.ARM, "late", 20 * MS, -1, false, false, 0));
        sim.runUntil(11 * MS);
        sim.inject(new Step(12 * MS, 3, Op.IDLE, null, -1, -1, false, false, 0));
        sim.inject(new Step(15 * MS, 0, Op.IDLE, null, -1, -1, false, false, 0));
        sim.runUntil(60 * MS);
        RunResult actual = sim.finish();
        w2.flush();

        assertThat(actual.metrics()).isEqualTo(expected.metrics());
        assertThat(actual.timers()).isEqualTo(expected.timers());
        assertThat(actual.cpus()).isEqualTo(expected.cpus());
        assertThat(injected.toString()).isEqualTo(scripted.toString());
    }

    @Test
    void aStepInThePastRunsNow() {
        Simulator sim = Runs.simulator(BASE);
        sim.runUntil(20 * MS);
        sim.inject(new Step(0, 5, Op.BUSY, null, -1, -1, false, false, 0));
        sim.runUntil(20 * MS);
        assertThat(sim.cpuBusy(5)).isTrue();
        assertThat(sim.now()).isEqualTo(20 * MS);
    }

    @Test
    void runUntilStopsAfterMaxEvents() {
        Simulator sim = Runs.simulator(BASE);
        assertThat(sim.runUntil(60 * MS, 3)).isEqualTo(3);
        long t = sim.now();
        assertThat(t).isLessThan(60 * MS);
        long rest = sim.runUntil(60 * MS, Long.MAX_VALUE);
        assertThat(rest).isPositive();
        assertThat(sim.now()).isEqualTo(60 * MS);
        assertThat(sim.finish().metrics().get("events")).isEqualTo(3 + rest);
    }

    @Test
    void injectRejectsAnUnknownCpu() {
        Simulator sim = Runs.simulator(BASE);
        assertThatThrownBy(() -> sim.inject(new Step(0, 16, Op.BUSY, null, -1, -1, false, false, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..15");
    }
}
