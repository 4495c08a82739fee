package org.tmigrlab.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.report.Report;
import org.tmigrlab.engine.report.ReportJson;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.sim.WindowMetrics;
import org.tmigrlab.engine.trace.TraceSink;

/** Generated workloads inside the simulator: determinism, wake-up causes, windows, the JSON report. */
class WorkloadRunTest {

    static final String WORKLOAD = WorkloadGeneratorTest.BUSY_LAPTOP + "metrics: {window: 250ms}\n";

    private static RunResult run(Scenario s) {
        return Lab.run(s, TraceSink.NONE);
    }

    private static String json(Scenario s) {
        return ReportJson.toJson(Report.of("w", "w.yaml", s, run(s)));
    }

    @Test
    void sameSeedGivesByteIdenticalJson() {
        Scenario s = Runs.scenario(WORKLOAD);
        String a = json(s);
        assertThat(json(s)).isEqualTo(a);
        assertThat(a).contains("\"windows\": [").doesNotContain("runtime").doesNotContain("eventsPerSecond");
    }

    @Test
    void differentSeedsArmDifferentTimers() {
        Scenario s = Runs.scenario(WORKLOAD);
        assertThat(armed(run(s.withSeed(2)))).isNotEqualTo(armed(run(s)));
    }

    static List<String> armed(RunResult r) {
        return r.timers().stream().map(t -> t.name() + "@" + t.armedAt() + " on " + t.armedOn() + " -> " + t.expiresNs()
                + (t.pinned() ? " P" : "") + (t.deferrable() ? " D" : "")).toList();
    }

    @Test
    void interruptsOnIdleCpusAreCountedApartFromClockEventWakeups() {
        RunResult r = run(Runs.scenario(WORKLOAD));
        long irq = r.cpus().stream().mapToLong(CpuRecord::irqWakeups).sum();
        assertThat(irq).isPositive().isEqualTo((Long) r.metrics().get("irqWakeups"));
        for (CpuRecord c : r.cpus()) assertThat(c.wakeups()).isEqualTo(c.timerWakeups() + c.dutyWakeups());
        long wakeups = (Long) r.metrics().get("wakeups");
        assertThat((Long) r.metrics().get("allWakeups")).isEqualTo(wakeups + irq + (Long) r.metrics().get("ipiWakeups"));
        // Global timers' cost: clock-event wake-ups without a pinned timer due, idle ticks that ran one, enqueue IPIs.
        assertThat((Long) r.metrics().get("pinnedWakeups") + (Long) r.metrics().get("globalWakeups")
                - (Long) r.metrics().get("enqueueIpiWakeups") - (Long) r.metrics().get("idleTickGlobalWakeups")).isEqualTo(wakeups);
    }

    @Test
    void windowsAddUpToTheRun() {
        Scenario s = Runs.scenario(WORKLOAD);
        RunResult r = run(s);
        List<WindowMetrics> w = r.windows();
        assertThat(w).hasSize(8);
        assertThat(w.get(0).startNs()).isZero();
        assertThat(w.get(7).endNs()).isEqualTo(s.until());
        assertThat(w.stream().mapToLong(WindowMetrics::wakeups).sum()).isEqualTo((Long) r.metrics().get("wakeups"));
        assertThat(w.stream().mapToLong(WindowMetrics::irqWakeups).sum()).isEqualTo((Long) r.metrics().get("irqWakeups"));
        assertThat(w.stream().mapToLong(WindowMetrics::timersFired).sum()).isEqualTo((Long) r.metrics().get("timersFired"));
        assertThat(w.stream().mapToLong(WindowMetrics::timersArmed).sum()).isEqualTo((long) r.timers().size());
        assertThat(w.stream().mapToLong(WindowMetrics::maxLatenessGlobalNs).max().orElseThrow())
                .isEqualTo((Long) r.metrics().get("latenessGlobalMaxNs"));
    }

    @Test
    void latenessPercentilesAreOrderedAndTheMaxIsExact() {
        RunResult r = run(Runs.scenario(WORKLOAD));
        var m = r.metrics();
        long p50 = (Long) m.get("latenessGlobalP50Ns");
        long p99 = (Long) m.get("latenessGlobalP99Ns");
        long max = (Long) m.get("latenessGlobalMaxNs");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo((Long) m.get("latenessGlobalP999Ns")).isLessThanOrEqualTo(max);
        long exactMax = r.timers().stream().filter(t -> t.firedAt() != null && !t.pinned() && !t.deferrable())
                .mapToLong(TimerRecord::latenessNs).max().orElseThrow();
        assertThat(max).isEqualTo(exactMax).isEqualTo((Long) m.get("maxLatenessGlobalNs"));
        assertThat((Long) m.get("latenessPinnedCount")).isPositive();
    }

    @Test
    void scalarMetricsAreTheNumericMetricsInOrder() {
        RunResult r = run(Runs.scenario(WORKLOAD));
        var scalars = r.scalarMetrics();
        assertThat(scalars.keySet()).startsWith("events", "wakeups", "timerWakeups", "dutyWakeups")
                .contains("globalWakeups", "irqWakeups", "latenessGlobalP999Ns", "cancelledBeforeExpiryFraction", "wakeupsPerSecond");
        assertThat(scalars.get("wakeups")).isEqualTo(((Long) r.metrics().get("wakeups")).doubleValue());
        assertThat(scalars.get("cancelledBeforeExpiryFraction")).isBetween(0.3, 0.95);
        assertThat(r.runtime().events()).isEqualTo((Long) r.metrics().get("events"));
        assertThat(r.runtime().wallNanos()).isPositive();
    }

    @Test
    void theRuntimeSectionIsWrittenOnlyWhenAsked() {
        Scenario s = Runs.scenario(WORKLOAD);
        java.io.StringWriter w = new java.io.StringWriter();
        ReportJson.write(Report.of("w", "w.yaml", s, run(s)), w, true);
        assertThat(w.toString()).contains("\"runtime\": {", "\"eventsPerSecond\"");
    }

    /** The ping-pong: a remote expiry wakes the task back on its (idle) CPU with an IPI. */
    @Test
    void pingPongTimersWakeTheirTaskWithAnIpiWhenExpiredElsewhere() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 4}
                until: 1s
                script:
                  - {at: 0, cpu: 0, op: busy}
                workload:
                  activity: {busy: 1ms, idle: 20ms, cpus: [1, 2, 3]}
                  timers:
                    cpus: [1, 2, 3]
                    rate: 500
                    timeouts: [{in: 10ms}]
                    pingPong: {probability: 1.0, burst: 50us, repeat: 0.5}
                """);
        RunResult mainline = run(s);
        RunResult local = run(s.withModel("local"));
        assertThat(mainline.timers()).anyMatch(TimerRecord::wakesTask);
        assertThat((Long) mainline.metrics().get("taskIpiWakeups")).isPositive();
        // Locally expired, the task runs where the CPU already woke: no IPI.
        assertThat((Long) local.metrics().get("taskIpiWakeups")).isZero();
        assertThat(mainline.violations()).isEmpty();
        assertThat(local.violations()).isEmpty();
    }

    @Test
    void scriptedIrqAndWakeStepsAreCounted() {
        RunResult r = Runs.run("""
                machine: {cpus: 2}
                until: 20ms
                script:
                  - {at: 5ms, cpu: 1, op: irq}
                  - {at: 6ms, cpu: 1, op: wake}
                  - {at: 7ms, cpu: 1, op: irq}
                  - {at: 8ms, cpu: 1, op: idle}
                """);
        assertThat(r.cpus().get(1).irqWakeups()).isEqualTo(1); // the second one hit a busy CPU
        assertThat(r.cpus().get(1).ipiWakeups()).isEqualTo(1);
        assertThat(r.cpus().get(1).wakeups()).isZero();
    }
}
