package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;

class ExpectationsTest {
    private static final long MS = 1_000_000;

    private static TimerRecord fired(String name, long armedAt, long expiresNs, long firedAt, int armedOn, int firedOn) {
        return new TimerRecord(name, armedAt, armedOn, armedOn, false, false, expiresNs / MS, expiresNs / MS, expiresNs,
                firedAt, firedOn, armedOn != firedOn, firedAt - expiresNs, null);
    }

    private static TimerRecord pending(String name, long armedAt, long expiresNs, Long cancelledAt) {
        return new TimerRecord(name, armedAt, 0, 0, false, false, expiresNs / MS, expiresNs / MS, expiresNs,
                null, null, false, null, cancelledAt);
    }

    private static RunResult run(List<TimerRecord> timers, List<CpuRecord> cpus, List<Violation> violations) {
        return new RunResult(timers, cpus, new LinkedHashMap<>(), violations, null, 100 * MS);
    }

    private static RunResult timers(TimerRecord... timers) {
        return run(List.of(timers), List.of(), List.of());
    }

    private static Expectation firesBy(String timer, long t, int on) {
        return new Expectation(timer, t, -1, false, on, -1, -1, -1, -1, null);
    }

    private static Expectation firesAt(String timer, long t) {
        return new Expectation(timer, -1, t, false, -1, -1, -1, -1, -1, null);
    }

    private static Expectation never(String timer) {
        return new Expectation(timer, -1, -1, true, -1, -1, -1, -1, -1, null);
    }

    private static Expectation wakeups(int cpu, long atMost, long atLeast) {
        return new Expectation(null, -1, -1, false, -1, cpu, atMost, atLeast, -1, null);
    }

    private static Expectation violations(int n) {
        return new Expectation(null, -1, -1, false, -1, -1, -1, -1, n, null);
    }

    @Test
    void firesByHoldsUpToAndIncludingTheDeadline() {
        RunResult r = timers(fired("t", 0, 6 * MS, 6 * MS, 1, 0));

        assertThat(Expectations.evaluate(firesBy("t", 6 * MS, -1), r).ok()).isTrue();
        assertThat(Expectations.evaluate(firesBy("t", 6 * MS - 1, -1), r).ok()).isFalse();
    }

    @Test
    void firesAtNeedsTheExactNanosecond() {
        RunResult r = timers(fired("t", 0, 6 * MS, 7 * MS, 1, 1));

        assertThat(Expectations.evaluate(firesAt("t", 7 * MS), r).ok()).isTrue();
        assertThat(Expectations.evaluate(firesAt("t", 7 * MS + 1), r).ok()).isFalse();
        assertThat(Expectations.evaluate(firesAt("t", 6 * MS), r).ok()).isFalse();
    }

    @Test
    void onMustMatchTheCpuThatRanTheCallback() {
        RunResult r = timers(fired("t", 0, 6 * MS, 6 * MS, 1, 0));

        ExpectationResult wrongCpu = Expectations.evaluate(firesBy("t", 10 * MS, 1), r);
        assertThat(wrongCpu.ok()).isFalse();
        assertThat(wrongCpu.actual()).isEqualTo("fired at 6ms on CPU 0 (remote)");
        assertThat(Expectations.evaluate(firesBy("t", 10 * MS, 0), r).ok()).isTrue();
    }

    @Test
    void theLastArmingOfANameIsWhatCounts() {
        // Armed, fired at 5ms, armed again at 8ms and still pending at the end.
        RunResult r = timers(fired("t", 0, 5 * MS, 5 * MS, 0, 0), pending("t", 8 * MS, 50 * MS, null),
                fired("other", 0, 1 * MS, 1 * MS, 0, 0));

        ExpectationResult byDeadline = Expectations.evaluate(firesBy("t", 60 * MS, -1), r);
        assertThat(byDeadline.ok()).isFalse();
        assertThat(byDeadline.actual()).contains("not fired", "100ms", "50ms");
        assertThat(Expectations.evaluate(never("t"), r).ok()).isTrue();
    }

    @Test
    void neverHoldsForACancelledTimerAndFailsForAFiredOne() {
        RunResult r = timers(pending("c", 0, 5 * MS, 2 * MS), fired("f", 0, 5 * MS, 5 * MS, 0, 0));

        ExpectationResult cancelled = Expectations.evaluate(never("c"), r);
        assertThat(cancelled.ok()).isTrue();
        assertThat(cancelled.actual()).isEqualTo("not fired: cancelled at 2ms");
        assertThat(Expectations.evaluate(never("f"), r).ok()).isFalse();
    }

    @Test
    void aTimerTheRunNeverArmedFails() {
        ExpectationResult r = Expectations.evaluate(never("ghost"), timers());

        assertThat(r.ok()).isFalse();
        assertThat(r.actual()).isEqualTo("never armed");
    }

    @Test
    void cpuWakeupBoundsAreInclusive() {
        RunResult r = run(List.of(), List.of(new CpuRecord(0, 0, 0, 0, 0), new CpuRecord(1, 3, 2, 1, 5 * MS)), List.of());

        assertThat(Expectations.evaluate(wakeups(1, 3, -1), r).ok()).isTrue();
        assertThat(Expectations.evaluate(wakeups(1, 2, -1), r).ok()).isFalse();
        assertThat(Expectations.evaluate(wakeups(1, -1, 3), r).ok()).isTrue();
        assertThat(Expectations.evaluate(wakeups(1, -1, 4), r).ok()).isFalse();
        assertThat(Expectations.evaluate(wakeups(1, 5, 1), r).ok()).isTrue();
        assertThat(Expectations.evaluate(wakeups(0, 0, -1), r).ok()).isTrue();
        assertThat(Expectations.evaluate(wakeups(1, 3, -1), r).actual()).isEqualTo("3 wakeups (2 timer, 1 duty)");
        assertThat(Expectations.evaluate(wakeups(7, 3, -1), r).ok()).isFalse();
    }

    @Test
    void violationsMustMatchTheCountExactly() {
        List<Violation> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) vs.add(new Violation(i * MS, "inv" + i, "m", List.of(), List.of()));
        RunResult r = run(List.of(), List.of(), vs);

        assertThat(Expectations.evaluate(violations(4), r).ok()).isTrue();
        assertThat(Expectations.evaluate(violations(3), r).ok()).isFalse();
        assertThat(Expectations.evaluate(violations(0), r).actual())
                .isEqualTo("4 violations: inv0 at 0ns, inv1 at 1ms, inv2 at 2ms, ...");
        assertThat(Expectations.evaluate(violations(0), run(List.of(), List.of(), List.of())).ok()).isTrue();
    }

    @Test
    void handBuiltExpectationsAreDescribedInFileSyntax() {
        assertThat(Expectations.evaluate(firesBy("t", 7 * MS, 2), timers()).expect()).isEqualTo("{timer: t, firesBy: 7ms, on: 2}");
        assertThat(Expectations.describe(never("t"))).isEqualTo("{timer: t, firesAt: never}");
        assertThat(Expectations.describe(wakeups(3, 1, -1))).isEqualTo("{cpu: 3, wakeupsAtMost: 1}");
        assertThat(Expectations.describe(violations(0))).isEqualTo("{violations: 0}");
    }

    @Test
    void anExpectationCheckingNothingIsAProgrammingError() {
        Expectation empty = new Expectation(null, -1, -1, false, -1, -1, -1, -1, -1, null);

        assertThatThrownBy(() -> Expectations.evaluate(empty, timers())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsedExpectationsQuoteWhatTheFileSays() {
        Scenario s = new ScenarioReader().read("""
                machine: {cpus: 2}
                script: [{at: 0, cpu: 1, op: arm, timer: net-rx, in: 5ms}]
                expect:
                  - {timer: net-rx, firesBy: 7ms,   on: 0}
                  - {violations: 0}
                """, ScenarioReader.Format.YAML);
        RunResult r = timers(fired("net-rx", 0, 5 * MS, 5 * MS, 1, 0));

        List<ExpectationResult> results = Expectations.evaluate(s, r);

        assertThat(results).extracting(ExpectationResult::expect).containsExactly("{timer: net-rx, firesBy: 7ms, on: 0}", "{violations: 0}");
        assertThat(Expectations.allOk(results)).isTrue();
    }

    @Test
    void unexpectedViolationsFailTheRunWhenTheCheckerIsOn() {
        RunResult broken = run(List.of(), List.of(), List.of(new Violation(3 * MS, "no-lost-timer", "m", List.of(0), List.of(1))));
        Scenario checked = scenario(true, List.of());
        Scenario unchecked = scenario(false, List.of());
        Scenario saysTwo = scenario(true, List.of(violations(2)));

        List<ExpectationResult> implicit = Expectations.evaluate(checked, broken);
        assertThat(implicit).singleElement().satisfies(e -> {
            assertThat(e.ok()).isFalse();
            assertThat(e.expect()).contains("implicit");
            assertThat(e.actual()).isEqualTo("1 violation: no-lost-timer at 3ms");
        });
        assertThat(Expectations.evaluate(unchecked, broken)).isEmpty();
        assertThat(Expectations.evaluate(saysTwo, broken)).singleElement().extracting(ExpectationResult::expect).isEqualTo("{violations: 2}");
    }

    private static Scenario scenario(boolean check, List<Expectation> expect) {
        return new Scenario(Machine.contiguous(2, 1), new int[]{0, 1}, "kernel", 8, "lowest-active", "mainline", Set.of(),
                1000, 1, 1_000 * MS, List.of(), expect, check);
    }
}
