package org.tmigrlab.engine.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;

/**
 * Checks a scenario's {@code expect} entries against a {@link RunResult}.
 *
 * <ul>
 *   <li>A timer entry refers to the <em>last</em> arming of that name (a rearm supersedes what came
 *       before it). {@code firesBy T}: fired and {@code firedAt <= T}; {@code firesAt T}: fired at
 *       exactly T; {@code never}: did not fire; {@code on}: {@code firedOn} must match.</li>
 *   <li>A cpu entry compares {@link CpuRecord#wakeups()} with the bounds given.</li>
 *   <li>A violations entry compares the number of invariant violations.</li>
 * </ul>
 */
public final class Expectations {
    /** Violations listed by name in {@code actual} before it is cut short. */
    private static final int VIOLATIONS_SHOWN = 3;
    static final String IMPLICIT_NO_VIOLATIONS = "{violations: 0} (implicit: checkInvariants is on)";

    private Expectations() {
    }

    /**
     * The scenario's expectations, plus an implicit {@code violations: 0} when the invariant checker
     * ran and the file says nothing about violations: a broken invariant must not pass silently
     * (the CLI's exit code follows these results). A file that expects violations says how many.
     */
    public static List<ExpectationResult> evaluate(Scenario scenario, RunResult result) {
        List<ExpectationResult> out = new ArrayList<>(evaluate(scenario.expect(), result));
        boolean saysViolations = scenario.expect().stream().anyMatch(e -> e.violations() >= 0);
        if (scenario.checkInvariants() && !saysViolations) {
            out.add(evaluate(new Expectation(null, -1, -1, false, -1, -1, -1, -1, 0, IMPLICIT_NO_VIOLATIONS), result));
        }
        return out;
    }

    public static List<ExpectationResult> evaluate(List<Expectation> expect, RunResult result) {
        return expect.stream().map(e -> evaluate(e, result)).toList();
    }

    public static ExpectationResult evaluate(Expectation e, RunResult result) {
        String written = e.source() != null ? e.source() : describe(e);
        if (e.timer() != null) return timer(e, written, result);
        if (e.cpu() >= 0) return cpu(e, written, result);
        if (e.violations() >= 0) return violations(e, written, result);
        throw new IllegalArgumentException("expectation checks nothing: " + e);
    }

    public static boolean allOk(List<ExpectationResult> results) {
        return results.stream().allMatch(ExpectationResult::ok);
    }

    private static ExpectationResult timer(Expectation e, String written, RunResult result) {
        TimerRecord last = null;
        for (TimerRecord t : result.timers()) if (t.name().equals(e.timer())) last = t;
        if (last == null) return new ExpectationResult(e, written, false, "never armed");

        boolean fired = last.firedAt() != null;
        boolean ok;
        if (e.neverFires()) ok = !fired;
        else if (e.firesAt() >= 0) ok = fired && last.firedAt() == e.firesAt();
        else if (e.firesBy() >= 0) ok = fired && last.firedAt() <= e.firesBy();
        else ok = fired; // only `on` given: fires at some point, on that CPU
        if (e.on() >= 0) ok &= fired && last.firedOn() == e.on();

        String actual;
        if (fired) {
            actual = "fired at " + Durations.format(last.firedAt()) + " on CPU " + last.firedOn()
                    + (last.remote() ? " (remote)" : "");
        } else if (last.cancelledAt() != null) {
            actual = "not fired: cancelled at " + Durations.format(last.cancelledAt());
        } else {
            actual = "not fired by the end of the run (" + Durations.format(result.endTime()) + "); expiry "
                    + Durations.format(last.expiresNs());
        }
        return new ExpectationResult(e, written, ok, actual);
    }

    private static ExpectationResult cpu(Expectation e, String written, RunResult result) {
        CpuRecord c = result.cpus().stream().filter(r -> r.cpu() == e.cpu()).findFirst().orElse(null);
        if (c == null) return new ExpectationResult(e, written, false, "no such CPU in the run");
        boolean ok = (e.wakeupsAtMost() < 0 || c.wakeups() <= e.wakeupsAtMost())
                && (e.wakeupsAtLeast() < 0 || c.wakeups() >= e.wakeupsAtLeast());
        String actual = c.wakeups() + (c.wakeups() == 1 ? " wakeup" : " wakeups")
                + " (" + c.timerWakeups() + " timer, " + c.dutyWakeups() + " duty)";
        return new ExpectationResult(e, written, ok, actual);
    }

    private static ExpectationResult violations(Expectation e, String written, RunResult result) {
        List<Violation> vs = result.violations();
        StringBuilder actual = new StringBuilder().append(vs.size()).append(vs.size() == 1 ? " violation" : " violations");
        if (!vs.isEmpty()) {
            StringJoiner j = new StringJoiner(", ", ": ", vs.size() > VIOLATIONS_SHOWN ? ", ..." : "");
            vs.stream().limit(VIOLATIONS_SHOWN).forEach(v -> j.add(v.invariant() + " at " + Durations.format(v.time())));
            actual.append(j);
        }
        return new ExpectationResult(e, written, vs.size() == e.violations(), actual.toString());
    }

    /** A file-like spelling for expectations built in code, which have no source text. */
    public static String describe(Expectation e) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        if (e.timer() != null) {
            j.add("timer: " + e.timer());
            if (e.firesBy() >= 0) j.add("firesBy: " + Durations.format(e.firesBy()));
            if (e.neverFires()) j.add("firesAt: never");
            else if (e.firesAt() >= 0) j.add("firesAt: " + Durations.format(e.firesAt()));
            if (e.on() >= 0) j.add("on: " + e.on());
        } else if (e.cpu() >= 0) {
            j.add("cpu: " + e.cpu());
            if (e.wakeupsAtMost() >= 0) j.add("wakeupsAtMost: " + e.wakeupsAtMost());
            if (e.wakeupsAtLeast() >= 0) j.add("wakeupsAtLeast: " + e.wakeupsAtLeast());
        } else {
            j.add("violations: " + e.violations());
        }
        return j.toString();
    }
}
