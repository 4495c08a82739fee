package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.workload.StepCursor;
import org.tmigrlab.engine.workload.WorkAhead;
import org.tmigrlab.engine.workload.WorkloadGenerator;

/**
 * {@link Simulator#workAhead()}: the workload computed on a second thread must give the run a
 * single thread gives — every timer, every CPU, every metric — and the thread must end.
 */
class WorkAheadTest {

    private static final Path NAMED = Path.of("..", "scenarios", "named");

    private static RunResult oneThread(Scenario s) {
        return Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog()).run();
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch-256c4n.yaml", "idle-laptop.yaml", "quiet-numa-4n.yaml", "mostly-busy-16.yaml"})
    void sameRunAsOneThread(String file) throws IOException {
        Scenario s = new ScenarioReader().read(NAMED.resolve(file)).withCheckInvariants(false);
        RunResult one = oneThread(s);
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        assertThat(sim.workAhead()).as("no ping-pong in " + file).isTrue();
        RunResult ahead = sim.run();
        assertThat(ahead.metrics()).isEqualTo(one.metrics());
        assertThat(ahead.cpus()).isEqualTo(one.cpus());
        assertThat(ahead.timers()).isEqualTo(one.timers());
        assertThat(ahead.windows()).isEqualTo(one.windows());
    }

    @Test
    void sameStepsAsTheGeneratorAcrossManyBatches() throws IOException {
        // 64 CPUs for 10 s: about 26 batches of steps, with the hand-off between them
        Scenario s = new ScenarioReader().read(NAMED.resolve("web-server-2s64.yaml"));
        Scenario noPingPong = new ScenarioReader().read(Path.of("..", "benchmarks", "src", "main", "resources", "default-workload.yaml"));
        long until = 10_000_000_000L;
        WorkloadGenerator plain = new WorkloadGenerator(noPingPong.workload(), noPingPong.machine(), 3);
        try (WorkAhead ahead = new WorkAhead(new WorkloadGenerator(noPingPong.workload(), noPingPong.machine(), 3), until)) {
            StepCursor a = new StepCursor();
            StepCursor b = new StepCursor();
            long n = 0;
            while (plain.peekTime() <= until) {
                if (!plain.nextInto(a)) continue;
                assertThat(ahead.peekTime()).isEqualTo(a.at);
                assertThat(ahead.nextInto(b)).isTrue();
                assertThat(b.toStep()).as("step " + n).isEqualTo(a.toStep());
                assertThat(b.lastUse).isEqualTo(a.lastUse);
                n++;
            }
            assertThat(n).isGreaterThan(20L * 4096);
            assertThat(ahead.peekTime()).as("nothing after the end time").isEqualTo(Long.MAX_VALUE);
        }
        // a ping-pong reacts to expiries: it cannot be generated ahead
        assertThat(WorkAhead.possible(s.workload())).isFalse();
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        assertThat(sim.workAhead()).isFalse();
    }

    @Test
    void theThreadEndsWithTheRun() throws Exception {
        for (Thread t : producers()) t.join(10_000); // producers of earlier tests, closed, notice within 100 ms
        Scenario s = new ScenarioReader().read(NAMED.resolve("quiet-numa-4n.yaml")).withCheckInvariants(false);
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        assertThat(sim.workAhead()).isTrue();
        sim.runUntil(s.until() / 10);
        assertThat(producers()).hasSize(1);
        sim.finish();
        for (Thread t : producers()) t.join(10_000);
        assertThat(producers()).as("the producer stops after finish()").isEmpty();
    }

    @Test
    void steppingOnAfterCloseThrowsInsteadOfWaiting() throws IOException {
        Scenario s = new ScenarioReader().read(NAMED.resolve("quiet-numa-4n.yaml")).withCheckInvariants(false);
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        assertThat(sim.workAhead()).isTrue();
        sim.runUntil(s.until() / 10);
        sim.close();
        // the steps already handed over may still run; then the next batch is refused, not awaited
        assertThatThrownBy(() -> sim.runUntil(s.until())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close()");
    }

    private static List<Thread> producers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tmigr-workload-ahead") && t.isAlive()).toList();
    }
}
