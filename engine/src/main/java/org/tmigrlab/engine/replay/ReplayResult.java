package org.tmigrlab.engine.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;

/**
 * A replay's outcome: what was derived from the trace, the simulated run, and the fidelity
 * comparison with the kernel's decisions. Immutable once returned.
 */
public final class ReplayResult {

    private final String file;
    private final TraceProfile profile;
    private final ReplayOptions options;
    private final Replay replay;
    private final RunResult run;
    private final Fidelity fidelity;
    private final List<String> warnings;
    private final long wallNanos;

    ReplayResult(String file, TraceProfile profile, ReplayOptions options, Replay replay, RunResult run, Fidelity fidelity,
                 List<String> warnings, long wallNanos) {
        this.file = file;
        this.profile = profile;
        this.options = options;
        this.replay = replay;
        this.run = run;
        this.fidelity = fidelity;
        this.warnings = warnings;
        this.wallNanos = wallNanos;
    }

    public String file() { return file; }
    public TraceProfile profile() { return profile; }
    public ReplayOptions options() { return options; }
    /** The simulated run (timer records, CPU wake-ups, metrics). Times are simulator ns, see {@link #toTraceTime}. */
    public RunResult run() { return run; }
    public Fidelity fidelity() { return fidelity; }
    public List<String> warnings() { return warnings; }
    /** Wall-clock time of the second pass (not deterministic). */
    public long wallNanos() { return wallNanos; }
    public Scenario scenario() { return replay.scenario; }
    public Machine machine() { return replay.machine; }
    /** Where the machine's nodes came from. */
    public String machineSource() { return replay.machineSource; }
    public int hz() { return replay.hz; }
    public Replay.TreeCheck tree() { return replay.treeCheck; }
    public TraceProfile.IdleSource idleSource() { return replay.idleSource; }
    /** The multiple of 2^24 subtracted from the kernel's jiffies. */
    public long jiffiesShift() { return replay.j0; }
    /** Whether the trace printed jiffies, so the lab's clock is aligned with the kernel's. */
    public boolean timeAligned() { return replay.timeAligned; }
    /** Events moved back into the jiffy the kernel was still in (its tick had not run yet). */
    public long laggingJiffyEvents() { return replay.lagged; }
    /** Lines of known events the replay skipped because a field was missing or wrong. */
    public long skippedLines() { return replay.replayMalformed; }
    public List<String> skippedFirst() { return List.copyOf(replay.replayMalformedFirst); }
    /** The lab's tmigr_cpu_idle decisions. */
    public long labDeactivations() { return replay.capture().deactivations(); }

    /** A simulator time as the trace's CLOCK_MONOTONIC ns. */
    public long toTraceTime(long simNs) {
        return replay.mono(simNs);
    }

    /** A short label for the configuration replayed: the model, then what differs from the kernel's ({@code mainline cpg=4}). */
    public String configuration() {
        StringBuilder b = new StringBuilder(options.modelOrDefault());
        if (!options.builderOrDefault().equals(ReplayOptions.DEFAULT_BUILDER)) b.append(" builder=").append(options.builderOrDefault());
        if (options.childrenPerGroupOrDefault() != ReplayOptions.KERNEL_CHILDREN_PER_GROUP)
            b.append(" cpg=").append(options.childrenPerGroupOrDefault());
        if (!options.migratorOrDefault().equals(ReplayOptions.DEFAULT_MIGRATOR)) b.append(" migrator=").append(options.migratorOrDefault());
        return b.toString();
    }

    /**
     * The same figures for the kernel (from the trace) and the lab (from the run), over the global
     * timers the capture armed: name → {kernel, lab}; null where a side cannot tell.
     */
    public Map<String, Number[]> outcome() {
        Replay.Armings a = replay.armings;
        Map<String, List<TimerRecord>> byName = new HashMap<>();
        for (TimerRecord r : run.timers()) byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        Map<String, Integer> cursor = new HashMap<>();
        long kFired = 0;
        long kPulled = 0;
        long kCross = 0;
        long kLate = 0;
        long lFired = 0;
        long lPulled = 0;
        long lCross = 0;
        long lLate = 0;
        Machine m = replay.machine;
        for (int i = 0; i < a.n; i++) {
            String name = a.timer[i].ptr;
            List<TimerRecord> recs = byName.getOrDefault(name, List.of());
            int c = cursor.getOrDefault(name, 0);
            while (c < recs.size() && recs.get(c).armedAt() < a.simAt[i]) c++;
            TimerRecord r = c < recs.size() && recs.get(c).armedAt() == a.simAt[i] ? recs.get(c) : null;
            if (r != null) cursor.put(name, c + 1);
            if (a.phantom[i] || !a.global(i)) continue;
            if (a.outcome[i] == Replay.FIRED) {
                kFired++;
                if (a.outCpu[i] != a.cpu[i]) kPulled++;
                if (m.nodeOf(a.outCpu[i]) != m.nodeOf(a.cpu[i])) kCross++;
                kLate += a.outJiffy[i] - a.bucket[i];
            }
            if (r != null && r.firedAt() != null) {
                lFired++;
                if (r.firedOn() != a.cpu[i]) lPulled++;
                if (m.nodeOf(r.firedOn()) != m.nodeOf(a.cpu[i])) lCross++;
                lLate += replay.jiffiesOfSim(r.firedAt()) - a.bucket[i];
            }
        }
        long wake = 0;
        long own = 0;
        long duty = 0;
        for (CpuRecord cr : run.cpus()) {
            wake += cr.wakeups();
            own += cr.timerWakeups();
            duty += cr.dutyWakeups();
        }
        Map<String, Number[]> o = new LinkedHashMap<>();
        o.put("global timers expired", new Number[]{kFired, lFired});
        o.put("  pulled by another CPU", new Number[]{kPulled, lPulled});
        o.put("  pulled across nodes", new Number[]{kCross, lCross});
        o.put("  mean jiffies after bucket", new Number[]{ratio(kLate, kFired), ratio(lLate, lFired)});
        o.put("tmigr_cpu_idle (tick stops)", new Number[]{profile.count("tmigr_cpu_idle"), labDeactivations()});
        o.put("idle wake-ups by clock event", new Number[]{null, wake});
        o.put("  for an own timer", new Number[]{null, own});
        o.put("  for hierarchy duty", new Number[]{null, duty});
        return o;
    }

    private static Double ratio(long a, long b) {
        return b == 0 ? null : Math.round(1000.0 * a / b) / 1000.0;
    }
}
