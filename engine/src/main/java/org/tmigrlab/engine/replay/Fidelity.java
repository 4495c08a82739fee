package org.tmigrlab.engine.replay;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tmigrlab.engine.replay.Disagreement.Cause;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.wheel.TimerWheel;

/**
 * The comparison of the lab's decisions with the kernel's, measure by measure.
 *
 * <p><b>Global timer expiries.</b> Every arming of a global timer (neither {@code P} nor {@code D})
 * that the kernel expired inside the capture: did the lab expire the same arming on the same CPU
 * (and, reported apart, in the same jiffy — {@code now=} of {@code timer_expire_entry})? Armings the
 * kernel cancelled or still had pending when the capture ended have no kernel outcome and are not
 * counted. Expiries of timers armed before tracing began are not counted either: the lab never saw
 * them armed (those it could re-create are compared apart, {@link #preCapture()}).
 *
 * <p><b>{@code tmigr_cpu_idle} wake-ups.</b> Every {@code tmigr_cpu_idle} line is one decision: the
 * first hierarchy wake-up the lab returned when it stopped the same CPU's tick in the same idle
 * period is compared with the kernel's {@code wakeup=}.
 *
 * <p><b>{@code bucket_expiry}.</b> For every {@code timer_start} that prints it, the lab's {@link
 * TimerWheel#bucketExpiry} of {@code expires} against the base clock the kernel used.
 *
 * <p>Every disagreement gets a {@link Cause} with the evidence the trace holds for it, checked in
 * this order: unknown input (state before the CPU's first hierarchy line, events lost in between,
 * an idle CPU woken by something the trace does not show); the kernel running late; a consequence
 * of an earlier difference (the lab's and the kernel's hierarchy wake-ups of a CPU involved
 * already differed); concurrent CPUs (walks the kernel interleaved, simultaneous wake-ups racing);
 * and only what is left is a model difference.
 */
public final class Fidelity {

    static final long KTIME_MAX = Long.MAX_VALUE;

    /** One agreement measure. */
    public static final class Measure {
        final String name;
        long decisions;
        long agree;
        long agreeExactly;
        final EnumMap<Cause, Long> byCause = new EnumMap<>(Cause.class);
        final List<Disagreement> listed = new ArrayList<>();
        final Map<String, Long> reasons = new HashMap<>();
        private final int limit;

        Measure(String name, int limit) {
            this.name = name;
            this.limit = limit;
        }

        void agree(boolean exactly) {
            decisions++;
            agree++;
            if (exactly) agreeExactly++;
        }

        void disagree(Disagreement d) {
            decisions++;
            byCause.merge(d.cause(), 1L, Long::sum);
            reasons.merge(d.cause().text() + ": " + d.reason().replaceAll("[0-9]+(\\.[0-9]+)?", "N"), 1L, Long::sum);
            long sameCause = listed.stream().filter(x -> x.cause() == d.cause()).count();
            if (sameCause < limit) listed.add(d);
        }

        public String name() { return name; }
        public long decisions() { return decisions; }
        public long agreements() { return agree; }
        /** Agreements that also agree on the detail: the same jiffy (timers); the same time and nextevt (idle). */
        public long exactAgreements() { return agreeExactly; }
        public long disagreements(Cause c) { return byCause.getOrDefault(c, 0L); }
        /** The first disagreements of each cause, up to the list limit per cause, in trace order per cause. */
        public List<Disagreement> listed() { return List.copyOf(listed); }
        /** {@code cause: reason} (numbers replaced by N) → count. */
        public Map<String, Long> reasons() { return Map.copyOf(reasons); }

        /** Agreements over all decisions, percent (100 when there is none). */
        public double percent() {
            return decisions == 0 ? 100.0 : 100.0 * agree / decisions;
        }

        /** Agreements over the decisions whose inputs the trace holds (unknown-input ones left out). */
        public double percentKnownInputs() {
            long known = decisions - disagreements(Cause.UNKNOWN_INPUT);
            return known == 0 ? 100.0 : 100.0 * agree / known;
        }
    }

    private final Replay replay;
    private final int limit;
    final Measure timers;
    final Measure idle;
    final Measure preCapture;
    long bucketChecked;
    long bucketEqualJiffies;
    long bucketEqualLagging;
    long bucketMismatchCount;
    final List<String> bucketMismatches = new ArrayList<>();
    final List<String> bucketLagging = new ArrayList<>();
    long preCaptureExpiries;
    long preCaptureRemote;
    final List<String> preCaptureListed = new ArrayList<>();
    long labOnlyIdle;
    long anomalyCount;
    final List<String> anomalies = new ArrayList<>();

    Fidelity(int limit, Replay replay) {
        this.limit = limit;
        this.replay = replay;
        this.timers = new Measure("global timer expired on the same CPU", limit);
        this.idle = new Measure("tmigr_cpu_idle returned the same wakeup", limit);
        this.preCapture = new Measure("re-created pre-capture timer expired on the same CPU", 0);
    }

    public Measure timers() { return timers; }
    public Measure idle() { return idle; }
    /** Timers armed before tracing began, re-created from their expiry: not a fidelity figure, how they were armed is guessed. */
    public Measure preCapture() { return preCapture; }
    public long bucketChecked() { return bucketChecked; }
    public long bucketEqualJiffies() { return bucketEqualJiffies; }
    public long bucketEqualLagging() { return bucketEqualLagging; }
    public long bucketMismatches() { return bucketMismatchCount; }
    public List<String> bucketMismatchList() { return List.copyOf(bucketMismatches); }
    public List<String> bucketLaggingList() { return List.copyOf(bucketLagging); }
    /** Expiries of timers armed before tracing began that could not be re-created. */
    public long preCaptureExpiries() { return preCaptureExpiries; }
    public long preCaptureRemoteExpiries() { return preCaptureRemote; }
    public List<String> preCaptureList() { return List.copyOf(preCaptureListed); }
    /** tmigr_cpu_idle decisions the lab made where the kernel made none (none when driven by tmigr lines). */
    public long labOnlyIdleDecisions() { return labOnlyIdle; }
    public long anomalyCount() { return anomalyCount; }
    public List<String> anomalies() { return List.copyOf(anomalies); }

    // =====================================================================================
    // bucket_expiry
    // =====================================================================================

    void bucket(TraceReader.Line line, long expires, long jiffies, long clk, long printed, int hz, long nextExpiry, int kind) {
        bucketChecked++;
        long atJiffies = TimerWheel.bucketExpiry(expires, jiffies, hz);
        if (atJiffies == printed) {
            bucketEqualJiffies++;
            return;
        }
        long atClk = TimerWheel.bucketExpiry(expires, clk, hz);
        String base = kind == 2 ? "deferrable" : kind == 0 ? "pinned" : "global";
        if (clk != jiffies && atClk == printed) {
            bucketEqualLagging++;
            if (bucketLagging.size() < limit)
                bucketLagging.add("line " + line.number() + ": " + line.event().field("function") + " expires=" + expires
                        + ": kernel " + printed + ", lab " + atClk + " with base->clk=" + clk + " (jiffies " + jiffies
                        + "; the " + base + " base of CPU " + line.event().field("cpu") + " still held an expired timer at "
                        + nextExpiry + ", so forward_timer_base() stopped there) — with clk=jiffies it would be " + atJiffies);
            return;
        }
        bucketMismatchCount++;
        if (bucketMismatches.size() < limit)
            bucketMismatches.add("line " + line.number() + ": expires=" + expires + " jiffies=" + jiffies + ": kernel bucket_expiry="
                    + printed + ", lab " + atJiffies + (clk != jiffies ? " (" + atClk + " with base->clk=" + clk + ")" : ""));
    }

    // =====================================================================================
    // Unknown inputs
    // =====================================================================================

    void preCaptureExpiry(TraceReader.Line line, String ptr, String function, int cpu, int base) {
        preCaptureExpiries++;
        if (base != cpu) preCaptureRemote++;
        if (preCaptureListed.size() < limit)
            preCaptureListed.add(String.format(Locale.ROOT, "%s line %d: %s@%s expired on CPU %d (%s) — armed before tracing began",
                    ReplayReport.seconds(line.event().timestampNs()), line.number(), function, ptr, cpu,
                    base != cpu ? "pulled from CPU " + base : "local"));
    }

    void anomaly(String what) {
        anomalyCount++;
        if (anomalies.size() < limit) anomalies.add(what);
    }

    void labOnlyIdle(int n) {
        labOnlyIdle += n;
    }

    // =====================================================================================
    // tmigr_cpu_idle
    // =====================================================================================

    /**
     * @param lab             the lab's first decision in the period: {time, nextevt, wakeup} in simulator ns, or null
     * @param simKt           the simulator time the kernel's decision was replayed at
     * @param interleavedWith another CPU whose walk ran inside this one in the kernel, or -1
     */
    void idleDecision(int cpu, long kernelTs, long line, long kNext, long kWake, long[] lab, long simKt, int interleavedWith) {
        String what = "tmigr_cpu_idle of CPU " + cpu;
        String kernel = "nextevt=" + ReplayReport.tmigrTime(kNext) + " wakeup=" + ReplayReport.tmigrTime(kWake);
        boolean lost = replay.lostBetween(kernelTs - 1_000_000_000L, kernelTs);
        if (lab == null) {
            Cause cause = lost ? Cause.UNKNOWN_INPUT : Cause.MODEL;
            idle.disagree(new Disagreement(kernelTs, line, cpu, what, kernel, "kept the tick: no tmigr_cpu_idle in this idle period",
                    cause, lost ? "events were lost in the second before" : "the lab found its next event within a tick"));
            return;
        }
        long labNext = replay.mono(lab[1]);
        long labWake = replay.mono(lab[2]);
        boolean sameTime = lab[0] == simKt;
        if (labWake == kWake) {
            idle.agree(sameTime && labNext == kNext);
            return;
        }
        String labText = "nextevt=" + ReplayReport.tmigrTime(labNext) + " wakeup=" + ReplayReport.tmigrTime(labWake)
                + (sameTime ? "" : " (at " + ReplayReport.seconds(replay.mono(lab[0])) + ")");
        Cause cause;
        String reason;
        if (lost) {
            cause = Cause.UNKNOWN_INPUT;
            reason = "events were lost in the second before";
        } else if (interleavedWith >= 0) {
            cause = Cause.CONCURRENCY;
            reason = "CPU " + interleavedWith + "'s walk changed the hierarchy while this one ran (the lab runs walks one at a time)";
        } else if (labNext != kNext) {
            cause = Cause.CONSEQUENCE;
            reason = "the CPU's own first global timer already differed";
        } else if (replay.divergenceAt(cpu, kernelTs) != null) {
            cause = Cause.CONSEQUENCE;
            reason = "the hierarchy wakeups already differed: " + replay.divergenceAt(cpu, kernelTs);
        } else {
            cause = Cause.MODEL;
            reason = "same nextevt, different hierarchy wakeup";
        }
        idle.disagree(new Disagreement(kernelTs, line, cpu, what, kernel, labText, cause, reason));
    }

    // =====================================================================================
    // Timer expiries
    // =====================================================================================

    void finishTimers(RunResult result) {
        Replay.Armings a = replay.armings;
        // The lab's records of one timer are in arming order, one per arm step — except a re-arm of
        // a still-pending timer to the same expiry, which leaves the earlier record in place.
        Map<String, List<TimerRecord>> byName = new HashMap<>();
        for (TimerRecord r : result.timers()) byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        Map<String, Integer> cursor = new HashMap<>();
        for (int i = 0; i < a.n; i++) {
            String name = a.timer[i].ptr;
            List<TimerRecord> recs = byName.getOrDefault(name, List.of());
            int c = cursor.getOrDefault(name, 0);
            while (c < recs.size() && recs.get(c).armedAt() < a.simAt[i]) c++;
            TimerRecord r = null;
            if (c < recs.size() && recs.get(c).armedAt() == a.simAt[i]) {
                r = recs.get(c);
                cursor.put(name, c + 1);
            } else if (c > 0) {
                r = recs.get(c - 1);
            }
            if (a.outcome[i] != Replay.FIRED || !a.global(i)) continue;
            if (a.phantom[i]) {
                if (r != null && r.firedAt() != null && r.firedOn() == a.outCpu[i]) preCapture.agree(true);
                else preCapture.decisions++;
                continue;
            }
            compareExpiry(i, r);
        }
    }

    private void compareExpiry(int i, TimerRecord r) {
        Replay.Armings a = replay.armings;
        int base = a.cpu[i];
        int kCpu = a.outCpu[i];
        long kJ = a.outJiffy[i];
        long kTs = a.outTs[i];
        String what = a.timer[i].label() + " armed at " + ReplayReport.seconds(a.ts[i]) + " (line " + a.line[i] + ") on CPU "
                + base + ", bucket " + a.bucket[i];
        String kernel = "CPU " + kCpu + " at jiffy " + kJ + (kCpu == base ? " (local)" : " (pulled)");
        boolean lost = replay.lostBetween(a.ts[i], kTs);
        if (r == null || r.firedAt() == null) {
            String lab = r == null ? "never armed it"
                    : r.cancelledAt() != null ? "had not expired it when it was cancelled or re-armed at "
                    + ReplayReport.seconds(replay.mono(r.cancelledAt()))
                    : "had not expired it when the capture ended";
            Cause cause = lost ? Cause.UNKNOWN_INPUT : Cause.MODEL;
            timers.disagree(new Disagreement(kTs, a.expireLine[i], base, what, kernel, lab, cause,
                    lost ? "events were lost while it was pending" : "the lab did not expire it"));
            return;
        }
        int lCpu = r.firedOn();
        long lJ = replay.jiffiesOfSim(r.firedAt());
        if (lCpu == kCpu) {
            timers.agree(lJ == kJ);
            return;
        }
        String lab = "CPU " + lCpu + " at jiffy " + lJ + (lCpu == base ? " (local)" : " (pulled)");
        byte st = a.ownerState[i];
        long w = a.ownerWakeup[i];
        String owner = st == 0 ? "CPU " + base + "'s hierarchy state was not known yet (no tmigr line of it before)"
                : st == 1 ? "CPU " + base + " active in the hierarchy"
                : "CPU " + base + " idle in the hierarchy, wakeup=" + ReplayReport.tmigrTime(w);
        long late = kJ - a.bucket[i];
        Replay.Divergence diverged = replay.divergenceAt(lCpu, kTs);
        if (diverged == null) diverged = replay.divergenceAt(kCpu, kTs);
        Cause cause;
        String reason;
        if (st == 0) {
            cause = Cause.UNKNOWN_INPUT;
            reason = owner;
        } else if (lost) {
            cause = Cause.UNKNOWN_INPUT;
            reason = "events were lost while it was pending";
        } else if (late > 0 && lJ < kJ) {
            cause = Cause.TIMING;
            reason = "the kernel ran it " + late + " jiffies after its bucket; the lab on time, on CPU " + lCpu;
        } else if (diverged != null) {
            cause = Cause.CONSEQUENCE;
            reason = "the lab's and the kernel's hierarchy wakeups already differed: " + diverged;
        } else if (kCpu == base && st == 2 && (w == KTIME_MAX || w > replay.mono(replay.simOfJiffies(kJ)))) {
            cause = Cause.UNKNOWN_INPUT;
            reason = owner + ", yet it ran its own timer: woken inside idle by something the trace does not show"
                    + " (a tick kept for RCU, an interrupt)";
        } else if (lJ == kJ && replay.kernelHandledRemote(lCpu, kJ)) {
            cause = Cause.CONCURRENCY;
            reason = "CPU " + lCpu + " also ran tmigr_handle_remote() in that jiffy in the kernel, CPU " + kCpu
                    + " got the timer first; the lab runs the interrupts of one instant in CPU order";
        } else {
            cause = Cause.MODEL;
            reason = owner + "; " + (kCpu == base ? "the kernel ran it locally, the lab pulled it"
                    : lCpu == base ? "the kernel pulled it, the lab ran it locally" : "another CPU pulled it");
        }
        timers.disagree(new Disagreement(kTs, a.expireLine[i], base, what, kernel, lab, cause, reason));
    }
}
