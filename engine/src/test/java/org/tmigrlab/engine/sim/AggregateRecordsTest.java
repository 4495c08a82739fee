package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * {@link Simulator#aggregateRecords()} (what {@code tmigr bench} and long runs use) must report
 * exactly the metrics, CPUs and windows of a normal run — only the per-arming timer list is
 * dropped — while recycling the slots of generated timers, so the timers it holds follow the
 * pending ones rather than every arming.
 */
class AggregateRecordsTest {

    static Stream<Path> named() throws IOException {
        Path dir = Path.of("..", "scenarios", "named");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static RunResult run(Scenario s, boolean aggregate) {
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        if (aggregate) sim.aggregateRecords();
        return sim.run();
    }

    @ParameterizedTest
    @MethodSource("named")
    void sameMetricsAsWithRecords(Path file) throws IOException {
        Scenario s = new ScenarioReader().read(file).withCheckInvariants(false);
        RunResult full = run(s, false);
        RunResult agg = run(s, true);
        assertThat(agg.metrics()).isEqualTo(full.metrics());
        assertThat(agg.cpus()).isEqualTo(full.cpus());
        assertThat(agg.windows()).isEqualTo(full.windows());
        assertThat(agg.timers()).isEmpty();
        assertThat(full.timers()).hasSize(((Number) full.metrics().get("timersArmed")).intValue());
    }

    @Test
    void withTheCheckerTooNothingIsViolatedAndMetricsMatch() throws IOException {
        Scenario s = new ScenarioReader().read(Path.of("..", "scenarios", "named", "idle-laptop.yaml"));
        RunResult full = run(s, false);
        RunResult agg = run(s, true);
        assertThat(agg.metrics()).isEqualTo(full.metrics());
        assertThat(agg.violations()).isEqualTo(full.violations());
    }

    /** The console's default workload (timeouts up to 400 ms) on 64 CPUs for 20 s. */
    static final String DEFAULT_WORKLOAD = """
            machine: {cpus: 64, nodes: 2}
            seed: 1
            until: 20s
            checkInvariants: false
            workload:
              activity:
                busy: {dist: exponential, mean: 3ms}
                idle: {dist: exponential, mean: 25ms}
              timers:
                rate: 500
                timeouts:
                  - {in: {dist: uniform, min: 4ms, max: 40ms}, weight: 3}
                  - {in: {dist: uniform, min: 40ms, max: 400ms}, weight: 1}
                cancel: 0.4
                pinned: 0.1
                deferrable: 0.1
              interrupts:
                rate: 20
            """;

    @Test
    void timerSlotsFollowPendingTimersNotArmings() {
        Scenario s = new ScenarioReader().read(DEFAULT_WORKLOAD, ScenarioReader.Format.YAML);
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        sim.aggregateRecords();
        RunResult r = sim.run();
        long armed = ((Number) r.metrics().get("timersArmed")).longValue();
        assertThat(armed).isGreaterThan(50_000);
        // held: timers pending, or waiting for their fate step (at most 400 ms of armings)
        assertThat((long) sim.liveTimerSlots()).isLessThan(armed / 10).isGreaterThanOrEqualTo(sim.pendingTimers());
        Simulator full = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        full.run();
        assertThat((long) full.liveTimerSlots()).isEqualTo(armed); // with records: one slot per (unique) name
    }
}
