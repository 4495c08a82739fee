package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.engine.workload.Distribution;
import org.tmigrlab.engine.workload.Workload;

/** The {@code workload:} and {@code metrics:} sections: what they read into, and errors that name the key. */
class WorkloadReaderTest {

    private static Scenario read(String yaml) {
        return new ScenarioReader().read(yaml, ScenarioReader.Format.YAML);
    }

    @Test
    void readsEverySection() {
        Scenario s = read("""
                machine: {cpus: 8, nodes: 2}
                until: 2s
                metrics: {window: 100ms}
                workload:
                  activity:
                    busy: {dist: lognormal, mean: 2ms, sigma: 0.5}
                    idle: {dist: uniform, min: 1ms, max: 3ms}
                    load: 0.2
                    loadPerNode: [0.5, 0.1]
                    loadPerCpu: {3: 1.0}
                    cpus: [0, 1, 2, 3]
                  interrupts: {rate: 50, cpus: [4], task: 100us, arm: 0.5}
                  timers:
                    rate: 100
                    timeouts: [{in: 4ms, weight: 3}, {in: {dist: trace, values: [1s, 2s]}}]
                    cancel: 0.5
                    rearm: 0.25
                    pinned: 0.1
                    deferrable: 0.2
                    pingPong: {probability: 0.1, burst: {dist: exponential, mean: 20us}, repeat: 0.9}
                    cpus: [0, 5]
                """);
        Workload w = s.workload();
        assertThat(s.metricsWindow()).isEqualTo(100_000_000L);
        assertThat(w.activity().busy()).isEqualTo(Distribution.lognormal(2_000_000, 0.5));
        assertThat(w.activity().idle()).isEqualTo(Distribution.uniform(1_000_000, 3_000_000));
        assertThat(w.activity().load()).isEqualTo(0.2);
        assertThat(w.activity().loadPerNode()).containsExactly(0.5, 0.1);
        assertThat(w.activity().loadPerCpu()).isEqualTo(Map.of(3, 1.0));
        assertThat(w.activity().cpus()).containsExactly(0, 1, 2, 3);
        assertThat(w.interrupts()).isEqualTo(new Workload.Interrupts(50, List.of(4), Distribution.fixed(100_000), 0.5));
        assertThat(w.timers().timeouts()).containsExactly(new Workload.Timeout(Distribution.fixed(4_000_000), 3),
                new Workload.Timeout(Distribution.trace(List.of(1_000_000_000L, 2_000_000_000L)), 1));
        assertThat(w.timers().pingPong()).isEqualTo(new Workload.PingPong(0.1, Distribution.exponential(20_000), 0.9));
        assertThat(w.timers().cpus()).containsExactly(0, 5);
    }

    @Test
    void absentSectionsMeanNoWorkloadAndNoWindows() {
        Scenario s = read("machine: {cpus: 2}");
        assertThat(s.workload()).isEqualTo(Workload.NONE);
        assertThat(s.workload().isEmpty()).isTrue();
        assertThat(s.metricsWindow()).isZero();
    }

    @Test
    void timersWithoutAMixUseTheKernelsTypicalTimeouts() {
        Scenario s = read("""
                machine: {cpus: 2}
                workload: {timers: {rate: 10}}
                """);
        assertThat(s.workload().timers().timeouts()).isEqualTo(Workload.Timers.DEFAULT_TIMEOUTS);
    }

    static Stream<Arguments> badWorkloads() {
        return Stream.of(
                Arguments.of("unknown workload key", "workload: {timer: {rate: 1}}", "workload.timer", "did you mean 'timers'"),
                Arguments.of("unknown timers key", "workload: {timers: {rate: 1, cancle: 0.5}}", "workload.timers.cancle", "did you mean 'cancel'"),
                Arguments.of("probability above 1", "workload: {timers: {rate: 1, cancel: 1.5}}", "workload.timers.cancel", "0..1"),
                Arguments.of("probability as a string", "workload: {timers: {rate: 1, pinned: '0.5'}}", "workload.timers.pinned", "number"),
                Arguments.of("fates above 1", "workload: {timers: {rate: 1, cancel: 0.7, rearm: 0.5}}", "workload.timers.rearm", "exceed 1"),
                Arguments.of("negative rate", "workload: {timers: {rate: -1}}", "workload.timers.rate", "0..100000"),
                Arguments.of("missing rate", "workload: {timers: {cancel: 0.1}}", "workload.timers.rate", "missing"),
                Arguments.of("unknown distribution", "workload: {activity: {busy: {dist: gamma, mean: 1ms}, load: 0.5}}",
                        "workload.activity.busy.dist", "allowed: fixed, exponential"),
                Arguments.of("distribution key of another family", "workload: {activity: {busy: {dist: exponential, sigma: 1}, load: 0.5}}",
                        "workload.activity.busy.sigma", "unknown key"),
                Arguments.of("bad time", "workload: {activity: {busy: 5 mins, load: 0.5}}", "workload.activity.busy", "unit"),
                Arguments.of("uniform upside down", "workload: {activity: {busy: {dist: uniform, min: 2ms, max: 1ms}, load: 0.5}}",
                        "workload.activity.busy.max", "below min"),
                Arguments.of("empty trace", "workload: {activity: {busy: {dist: trace, values: []}, load: 0.5}}",
                        "workload.activity.busy.values", "non-empty"),
                Arguments.of("zero busy mean", "workload: {activity: {busy: 0, load: 0.5}}", "workload.activity.busy", "above 0"),
                Arguments.of("no idle and no load", "workload: {activity: {busy: 1ms}}", "workload.activity", "load"),
                Arguments.of("load per node of the wrong length", "workload: {activity: {busy: 1ms, loadPerNode: [0.5, 0.5, 0.5]}}",
                        "workload.activity.loadPerNode", "2 nodes"),
                Arguments.of("load per cpu of a missing cpu", "workload: {activity: {busy: 1ms, load: 0.1, loadPerCpu: {9: 1.0}}}",
                        "workload.activity.loadPerCpu.9", "does not exist"),
                Arguments.of("load per cpu not a number", "workload: {activity: {busy: 1ms, load: 0.1, loadPerCpu: {x: 1.0}}}",
                        "workload.activity.loadPerCpu.x", "not a CPU"),
                Arguments.of("interrupt cpu out of range", "workload: {interrupts: {rate: 1, cpus: [0, 4]}}",
                        "workload.interrupts.cpus[1]", "does not exist"),
                Arguments.of("timer cpu out of range", "workload: {timers: {rate: 1, cpus: [7]}}", "workload.timers.cpus[0]", "does not exist"),
                Arguments.of("empty timeout mix", "workload: {timers: {rate: 1, timeouts: []}}", "workload.timers.timeouts", "empty"),
                Arguments.of("zero weight", "workload: {timers: {rate: 1, timeouts: [{in: 1ms, weight: 0}]}}",
                        "workload.timers.timeouts[0].weight", "above 0"),
                Arguments.of("ping-pong without probability", "workload: {timers: {rate: 1, pingPong: {repeat: 0.5}}}",
                        "workload.timers.pingPong.probability", "missing"),
                Arguments.of("workload not a mapping", "workload: [1]", "workload", "mapping"),
                Arguments.of("zero window", "metrics: {window: 0}", "metrics.window", "longer than 0"),
                Arguments.of("tiny window", "until: 10s\nmetrics: {window: 1us}", "metrics.window", "more than"),
                Arguments.of("unknown metrics key", "metrics: {windows: 1ms}", "metrics.windows", "did you mean 'window'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWorkloads")
    void badWorkloadParametersNameTheKey(String what, String yaml, String field, String detail) {
        assertThatThrownBy(() -> read("machine: {cpus: 4, nodes: 2}\n" + yaml))
                .isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(detail);
                });
    }

    @Test
    void copiesCheckTheirValueAndNameTheKey() {
        Scenario s = read("""
                machine: {cpus: 4}
                workload: {activity: {busy: 1ms, load: 0.5, loadPerCpu: {3: 1.0}}}
                script: [{at: 0, cpu: 2, op: busy}]
                """);
        assertThat(s.withModel("oracle").model()).isEqualTo("oracle");
        assertThat(s.withSeed(9).seed()).isEqualTo(9);
        assertThat(s.withCpus(16).machine().possibleCpus()).isEqualTo(16);
        assertThat(s.withCpus(16).onlineOrder()).hasSize(16);
        assertThat(s.withNodes(2).machine().nodeCount()).isEqualTo(2);
        assertThat(s.withChildrenPerGroup(4).childrenPerGroup()).isEqualTo(4);
        assertThat(s.withHz(250).hz()).isEqualTo(250);
        assertThat(s.withMetricsWindow(10_000_000).metricsWindow()).isEqualTo(10_000_000);
        assertThatThrownBy(() -> s.withHz(123)).isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.field()).isEqualTo("hz"));
        assertThatThrownBy(() -> s.withChildrenPerGroup(3))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.field()).isEqualTo("hierarchy.childrenPerGroup"));
        // CPU 3 is named by the workload, CPU 2 by the script.
        assertThatThrownBy(() -> s.withCpus(3)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.field()).isEqualTo("machine.cpus");
            assertThat(e.getMessage()).contains("loadPerCpu");
        });
        assertThatThrownBy(() -> s.withCpus(2)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.field()).isEqualTo("machine.cpus");
            assertThat(e.getMessage()).contains("script[0]");
        });
        assertThatThrownBy(() -> s.withNodes(5)).isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.field()).isEqualTo("machine.nodes"));
    }

    @Test
    void overridesReachWorkloadKeysThroughTheReader() {
        String yaml = """
                machine: {cpus: 4}
                workload: {timers: {rate: 10}}
                """;
        var tree = ScenarioOverrides.tree(yaml, ScenarioReader.Format.YAML);
        var set = List.of(new ScenarioOverrides.Setting("workload.timers.cancel", ScenarioOverrides.value("k", "0.25")));
        Scenario s = ScenarioOverrides.read(new ScenarioReader(), ScenarioOverrides.apply(tree, set));
        assertThat(s.workload().timers().cancel()).isEqualTo(0.25);
        var bad = List.of(new ScenarioOverrides.Setting("workload.timers.cancel", ScenarioOverrides.value("k", "2")));
        assertThatThrownBy(() -> ScenarioOverrides.read(new ScenarioReader(), ScenarioOverrides.apply(tree, bad)))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.field()).isEqualTo("workload.timers.cancel"));
    }
}
