package org.tmigrlab.engine.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.check.InvariantChecker;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.core.CpuView;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.wheel.TimerWheel;
import org.tmigrlab.engine.workload.StepCursor;
import org.tmigrlab.engine.workload.StepSource;
import org.tmigrlab.engine.workload.WorkAhead;
import org.tmigrlab.engine.workload.WorkloadGenerator;

/**
 * The discrete-event simulator: CPUs, their ticks and NOHZ idle, the timer wheels, and the calls
 * {@code kernel/time/timer.c} and {@code kernel/time/tick-sched.c} make into a {@link PullModel}.
 *
 * <p>Time is {@code long} ns; jiffy {@code j} starts at {@code j * TICK_NSEC} and every ticking CPU
 * ticks on jiffy boundaries. A CPU is
 * <ul>
 *   <li>{@code BUSY}: running a task, tick on, active in the hierarchy;</li>
 *   <li>{@code IDLE_TICK}: idle, but its next event was within a tick so the tick kept running;
 *       it retries stopping the tick after every tick, as the idle loop does;</li>
 *   <li>{@code IDLE_NOHZ}: tick stopped ({@code base->is_idle}), inactive in the hierarchy, one
 *       programmed clock event at min(own next timer, hierarchy wakeup);</li>
 *   <li>{@code OFFLINE}.</li>
 * </ul>
 * The only events are each CPU's next interrupt ({@link IrqQueue}) and the next step of the
 * script merged with the generated workload ({@link StepSource}), then injected steps.
 * At equal times interrupts come first (in CPU order), then script steps in file order, then
 * generated steps.
 *
 * <p>A wake-up is counted when a {@code IDLE_NOHZ} CPU's clock event fires: a timer wake-up when
 * one of its own bases had a timer due, a duty wake-up otherwise (hierarchy wakeup or a stale one).
 * A device interrupt ({@code irq}) or an IPI (a timer queued on it from elsewhere, a task woken
 * on it from elsewhere) reaching a {@code IDLE_NOHZ} CPU is counted apart ({@code irqWakeups},
 * {@code ipiWakeups}).
 *
 * <p>Threading: one thread; not reusable (one instance per run).
 */
public final class Simulator implements TimerSide, CpuView {

    static final byte OFFLINE = 0;
    static final byte BUSY = 1;
    static final byte IDLE_TICK = 2;
    static final byte IDLE_NOHZ = 3;

    /** A clock event programmed in the past fires after this minimum delta, as clockevents do. */
    public static final long CLOCKEVENT_MIN_DELTA_NS = 1_000;
    /** Beyond this many wake-ups at one instant the run is stopped: it can never make progress. */
    private static final long SAME_TIME_LIMIT = 100_000;

    private static final long KTIME_MAX = PullModel.KTIME_MAX;

    private final Scenario scenario;
    private final int ncpus;
    private final int hz;
    private final long tick;
    private final HierarchyBuilder builder;
    private final BuildOptions buildOptions;
    private final TraceSink trace;
    private PullModel model;
    private InvariantChecker checker;

    // CPUs
    private final byte[] state;
    private final boolean[] baseIdle;
    private final boolean[] prepared;
    private final boolean[] isolated;
    private final long[] idleSince;
    private final long[] idleNs;
    private final long[] wakeups;
    private final long[] timerWakeups;
    private final long[] dutyWakeups;
    private final long[] irqWakeups;
    private final long[] ipiWakeups;
    private final long[] forecast;
    private final IrqQueue irqs;
    private final int[] prepareOrder;
    private int prepared0;
    private int tickCpu = -1;
    private Hierarchy hierarchy;

    // deferred tmigr_trigger_active() work
    private final int[] kicks;
    private int nkicks;
    // deferred re-evaluations of idle CPUs (TimerSide.reevaluate, the oracle's free reprogramming)
    private final int[] reevals;
    private final boolean[] reevalQueued;
    private int nreevals;

    // timers and their records
    private final TimerStore timers;
    /** The step being handled (every step goes through it: no allocation per step). */
    private final StepCursor cur = new StepCursor();
    /** Whether generated timers get their names (records kept, a trace, or a checker need them). */
    private boolean names = true;
    private final List<MutableRecord> records = new ArrayList<>();
    /** {@link #aggregateRecords()}: one record per timer, reused by every arming; report totals counted as they happen. */
    private boolean aggregate;
    private long armedCount;
    private long armedPinnedCount;
    private long armedDeferrableCount;
    private long cancelledOrRearmedCount;

    // metrics
    private long events;
    private long timersFired;
    private long remoteFired;
    private long crossNodeFired;
    private long cancelled;
    private long maxLatenessGlobal;
    private long maxLatenessPinned;
    private long sumLatenessGlobal;
    private long nGlobalFired;
    private long now;
    private long sameTimeCount;
    private long lastEventTime = -1;
    private String abortedBecause;
    private boolean booted;
    /** The script merged with the generated workload, in time order. */
    private StepSource steps;
    private final StepSource script;
    private final WorkloadGenerator generator;  // null without a workload
    private WorkAhead workAhead;                // when the workload is generated on its own thread
    private final RunMetrics metrics;
    private long wallNanos;
    /** Steps added at run time ({@link #inject}), by (at, injection order). */
    private final PriorityQueue<Step> injected = new PriorityQueue<>((a, b) ->
            a.at() != b.at() ? Long.compare(a.at(), b.at()) : Integer.compare(a.order(), b.order()));
    private int injectedCount;

    public Simulator(Scenario scenario, HierarchyBuilder builder, BuildOptions buildOptions, TraceSink trace) {
        this.scenario = scenario;
        this.ncpus = scenario.machine().possibleCpus();
        this.hz = scenario.hz();
        this.tick = TimerWheel.tickNsec(hz);
        this.builder = builder;
        this.buildOptions = buildOptions;
        this.trace = trace;
        state = new byte[ncpus];
        baseIdle = new boolean[ncpus];
        prepared = new boolean[ncpus];
        isolated = new boolean[ncpus];
        idleSince = new long[ncpus];
        idleNs = new long[ncpus];
        wakeups = new long[ncpus];
        timerWakeups = new long[ncpus];
        dutyWakeups = new long[ncpus];
        irqWakeups = new long[ncpus];
        ipiWakeups = new long[ncpus];
        forecast = new long[ncpus];
        irqs = new IrqQueue(ncpus, tick);
        prepareOrder = new int[ncpus];
        kicks = new int[ncpus];
        reevals = new int[ncpus];
        reevalQueued = new boolean[ncpus];
        timers = new TimerStore(ncpus);
        script = StepSource.of(scenario.script());
        generator = scenario.workload().isEmpty() ? null
                : new WorkloadGenerator(scenario.workload(), scenario.machine(), scenario.seed());
        steps = generator == null ? script : StepSource.merge(script, generator);
        metrics = new RunMetrics(scenario.metricsWindow(), scenario.until());
    }

    /** Attaches the model (created against this simulator as its {@link TimerSide}) and an optional checker. */
    public void attach(PullModel pullModel, InvariantChecker invariantChecker) {
        this.model = pullModel;
        this.checker = invariantChecker;
    }

    public PullModel model() {
        return model;
    }

    /**
     * Keeps no per-arming record: the totals the report derives from records (armed, pinned,
     * deferrable, cancelled-before-expiry, armings per window) are counted as they happen, and a
     * generated timer's slot is recycled once its source will never name it again
     * ({@link StepCursor#lastUse}), so memory follows the pending timers, not the armings. The
     * result's metrics are those of a normal run; its timer list is empty, and timer ids in a
     * trace are recycled slots. The checker's end-of-run look at timers never fired (it reads
     * the records) does not run. For benchmarks and long sweeps; call before the run starts.
     */
    public void aggregateRecords() {
        if (booted) throw new IllegalStateException("aggregateRecords() must be called before the run starts");
        aggregate = true;
    }

    /**
     * Generates the workload on a second thread, ahead of the run ({@link WorkAhead}): the same
     * steps in the same order, so the same result, computed while this thread simulates. Only
     * for a workload nothing in the run feeds back into (no ping-pong); call before the run
     * starts, and {@link #finish()} (or {@link #close()}) to stop the thread.
     *
     * @return false (and nothing changes) when there is no workload or it has a ping-pong
     */
    public boolean workAhead() {
        if (booted) throw new IllegalStateException("workAhead() must be called before the run starts");
        if (generator == null || workAhead != null || !WorkAhead.possible(scenario.workload())) return workAhead != null;
        workAhead = new WorkAhead(generator, scenario.until());
        steps = StepSource.merge(script, workAhead);
        return true;
    }

    /** Stops a {@link #workAhead()} thread; the run cannot go on after it (stepping on throws). Idempotent. */
    public void close() {
        if (workAhead != null) workAhead.close();
    }

    /** Events processed so far. */
    public long events() {
        return events;
    }

    /** Timer slots in use: every timer named so far, less those recycled ({@link #aggregateRecords()}). */
    public int liveTimerSlots() {
        return timers.live();
    }

    /** Timers pending in any base right now. */
    public int pendingTimers() {
        int n = 0;
        for (int c = 0; c < ncpus; c++)
            n += timers.size(c, TimerStore.LOCAL) + timers.size(c, TimerStore.GLOBAL) + timers.size(c, TimerStore.DEF);
        return n;
    }

    public Hierarchy hierarchy() {
        return hierarchy;
    }

    // =====================================================================================
    // Run loop
    // =====================================================================================

    public RunResult run() {
        runUntil(scenario.until());
        return finish();
    }

    /**
     * Processes every event up to and including time {@code t} (boots first if needed). May be
     * called repeatedly with growing times; tests and the console use it to look between events.
     */
    public void runUntil(long t) {
        runUntil(t, Long.MAX_VALUE);
    }

    /**
     * {@link #runUntil(long)} that stops after {@code maxEvents} events (the console's "step N
     * events"). Time moves on to {@code t} only when every event up to {@code t} was processed;
     * otherwise {@link #now()} is the time of the last event processed.
     *
     * @return the number of events processed
     */
    public long runUntil(long t, long maxEvents) {
        if (!booted) {
            booted = true;
            boot();
        }
        long started = System.nanoTime();
        long until = Math.min(t, scenario.until());
        long n = 0;
        while (abortedBecause == null && n < maxEvents) {
            long tIrq = irqs.peekTime();
            long tStep = steps.peekTime();
            long tInjected = injected.isEmpty() ? KTIME_MAX : injected.peek().at();
            long next = Math.min(tIrq, Math.min(tStep, tInjected));
            if (next == KTIME_MAX || next > until) break;
            boolean irqFirst = tIrq <= tStep && tIrq <= tInjected;
            if (!irqFirst && tStep <= tInjected) {
                if (!steps.nextInto(cur)) continue; // a generator's internal action: nothing happened
            } else if (!irqFirst) {
                cur.set(injected.poll());
            }
            advance(next);
            events++;
            n++;
            if (irqFirst) {
                onInterrupt(irqs.peekCpu());
            } else {
                onStep(cur);
            }
            drainKicks();
            if (checker != null) checker.afterEvent(now);
        }
        if (n < maxEvents && until > now) now = until;
        wallNanos += System.nanoTime() - started;
        return n;
    }

    /**
     * Adds a step while the run is in progress (the console's "inject"), as if the script had
     * it: it runs at {@code max(step.at(), now())}, after script steps of the same time, in
     * injection order. The caller validates it as the scenario reader would (timer names of
     * cancel/rearm armed before, {@code expiresAt} not before the step); {@code order} is replaced.
     */
    public void inject(Step step) {
        if (step.cpu() < 0 || step.cpu() >= ncpus)
            throw new IllegalArgumentException("cpu " + step.cpu() + " is not in 0.." + (ncpus - 1));
        long at = Math.max(step.at(), now);
        injected.add(new Step(at, step.cpu(), step.op(), step.timer(), step.inNs(), step.atNs(), step.pinned(),
                step.deferrable(), injectedCount++));
    }

    /** Ends the run and collects the result. */
    public RunResult finish() {
        close();
        return result(Math.max(now, scenario.until()));
    }

    private void advance(long t) {
        if (t == lastEventTime) {
            if (++sameTimeCount > SAME_TIME_LIMIT) abortedBecause = "no progress: more than " + SAME_TIME_LIMIT + " events at t=" + t;
        } else {
            sameTimeCount = 0;
            lastEventTime = t;
        }
        now = t;
    }

    private long jiffies(long t) {
        // One 64-bit division per instant, not one per call (an event asks this several times).
        if (t != jiffiesOf) {
            jiffiesOf = t;
            jiffiesAt = t / tick;
        }
        return jiffiesAt;
    }

    private long jiffiesOf = -1;
    private long jiffiesAt;

    private long basem(long t) {
        return jiffies(t) * tick;
    }

    private void boot() {
        names = !aggregate || trace != TraceSink.NONE || checker != null;
        int[] order = scenario.onlineOrder();
        for (int c : order) {
            prepared[c] = true;
            prepareOrder[prepared0++] = c;
        }
        hierarchy = builder.build(scenario.machine(), Arrays.copyOf(prepareOrder, prepared0), buildOptions);
        model.prepare(hierarchy, order.length > 0 ? order[0] : 0, -1, 0);
        tickCpu = order.length > 0 ? order[0] : -1;
        // Every CPU comes up running the boot/hotplug code, then idles with no timer.
        for (int c : order) {
            state[c] = BUSY;
            model.setAvailable(c, false, 0);
        }
        for (int c : order) enterIdle(c);
        if (checker != null) checker.afterEvent(0);
    }

    // =====================================================================================
    // Interrupts: ticks and NOHZ clock events
    // =====================================================================================

    private void onInterrupt(int cpu) {
        if (state[cpu] == IDLE_NOHZ) {
            // The programmed clock event woke the CPU; the tick handler runs, the CPU stays idle
            // in the hierarchy (no timer_clear_idle() on an interrupt), then the idle loop re-evaluates.
            long j = jiffies(now);
            boolean pinnedDue = timers.nextExpiry(cpu, TimerStore.LOCAL) <= j;
            boolean ownDue = pinnedDue
                    || timers.nextExpiry(cpu, TimerStore.GLOBAL) <= j
                    || timers.nextExpiry(cpu, TimerStore.DEF) <= j;
            wakeups[cpu]++;
            if (ownDue) timerWakeups[cpu]++;
            else dutyWakeups[cpu]++;
            metrics.clockWakeup(now, ownDue, pinnedDue);
            trace.cpuIdleState(now, cpu, 4294967295L);
            softirq(cpu);
            reprogramIdle(cpu, true);
            trace.cpuIdleState(now, cpu, 1);
            return;
        }
        if (state[cpu] == IDLE_TICK) {
            // The tick of an idle CPU that kept it (its next event was within a tick) is an exit
            // from idle too, whoever ends up running the callback; charged to global timers unless
            // a pinned timer of its own was due (README "Metrics").
            boolean pinnedDue = timers.nextExpiry(cpu, TimerStore.LOCAL) <= jiffies(now);
            softirq(cpu);
            metrics.idleTick(now, !pinnedDue);
            tryStopTick(cpu);
            return;
        }
        softirq(cpu);
        if (state[cpu] == IDLE_TICK) {
            tryStopTick(cpu);
        } else {
            irqs.setJiffy(cpu, jiffies(now) + 1);
        }
    }

    /** {@code run_local_timers()} deciding to raise TIMER_SOFTIRQ, then {@code run_timer_softirq()}. */
    private void softirq(int cpu) {
        long j = jiffies(now);
        long bm = j * tick;
        boolean raise = timers.nextExpiry(cpu, TimerStore.LOCAL) <= j
                || timers.nextExpiry(cpu, TimerStore.GLOBAL) <= j
                || timers.nextExpiry(cpu, TimerStore.DEF) <= j
                || model.requiresHandleRemote(cpu, bm);
        if (!raise) return;
        runBase(cpu, TimerStore.LOCAL, j, cpu);
        runBase(cpu, TimerStore.GLOBAL, j, cpu);
        runBase(cpu, TimerStore.DEF, j, cpu);
        model.handleRemote(cpu, bm);
    }

    private void runBase(int baseCpu, int kind, long j, int onCpu) {
        // nextExpiry() is NONE for an empty base, and a flat read: most bases have nothing due
        while (timers.nextExpiry(baseCpu, kind) <= j) {
            int t = timers.first(baseCpu, kind);
            timers.remove(t);
            fire(t, baseCpu, onCpu, j);
        }
    }

    private void fire(int t, int baseCpu, int onCpu, long j) {
        // the current arming, from the timer's columns (the same values its record has)
        byte f = timers.flags(t);
        boolean pinned = (f & TimerStore.F_PINNED) != 0;
        boolean deferrable = (f & TimerStore.F_DEFERRABLE) != 0;
        boolean remote = onCpu != baseCpu;
        long bucketExpiry = timers.armBucket(t);
        String name = timers.name(t);
        if (!aggregate) {
            MutableRecord r = records.get(timers.record(t));
            r.firedAt = now;
            r.firedOn = onCpu;
            r.remote = remote;
        }
        timersFired++;
        long late = now - timers.expires(t) * tick;
        if (remote) {
            remoteFired++;
            if (scenario.machine().nodeOf(onCpu) != scenario.machine().nodeOf(baseCpu)) crossNodeFired++;
        }
        if (pinned) {
            maxLatenessPinned = Math.max(maxLatenessPinned, late);
        } else if (!deferrable) {
            maxLatenessGlobal = Math.max(maxLatenessGlobal, late);
            sumLatenessGlobal += late;
            nGlobalFired++;
        }
        metrics.fired(now, late, now - bucketExpiry * tick, pinned, deferrable, remote, remote && !sameLlc(onCpu, baseCpu));
        trace.timerExpireEntry(now, onCpu, t, name, j, j);
        trace.timerExpireExit(now, onCpu, t);
        if (checker != null) checker.timerFired(now, name, baseCpu, onCpu, pinned, deferrable, bucketExpiry * tick,
                isolated[baseCpu] || !model.isAvailable(baseCpu), isolated[onCpu] || !model.isAvailable(onCpu));
        // The workload's ping-pong: the callback wakes a task on the arming CPU.
        if ((f & TimerStore.F_WAKES) != 0) steps.timerFired(name, timers.armedOn(t), onCpu, now);
        if (aggregate && (timers.flags(t) & TimerStore.F_RELEASE_ON_FIRE) != 0 && !timers.pending(t)) timers.release(t);
    }

    /** The timer a step names: by key or by name; -1 if it was never armed (and {@code create} is false). */
    private int timerId(StepCursor s, boolean create) {
        long key = s.timer != null ? WorkloadGenerator.timerKey(s.timer) : s.key;
        if (key >= 0) {
            int t = timers.byKey(key);
            if (t < 0 && create) {
                String name = s.timer != null ? s.timer : names ? WorkloadGenerator.timerName(key) : null;
                t = timers.newTimer(name, key);
            }
            return t;
        }
        int t = timers.byName(s.timer);
        return t >= 0 || !create ? t : timers.newTimer(s.timer);
    }

    private boolean sameLlc(int a, int b) {
        Machine m = scenario.machine();
        return m.cpus().get(a).llc() == m.cpus().get(b).llc();
    }

    // =====================================================================================
    // NOHZ: tick_nohz_idle_stop_tick() -> __get_next_timer_interrupt() -> timer_use_tmigr()
    // =====================================================================================

    private void enterIdle(int cpu) {
        state[cpu] = IDLE_TICK;
        idleSince[cpu] = now;
        trace.cpuIdleState(now, cpu, 1);
        tryStopTick(cpu);
    }

    private void leaveIdle(int cpu) {
        idleNs[cpu] += now - idleSince[cpu];
        trace.cpuIdleState(now, cpu, 4294967295L);
        if (state[cpu] == IDLE_NOHZ) {
            // tick_nohz_idle_exit() -> timer_clear_idle()
            baseIdle[cpu] = false;
            trace.timerBaseIdle(now, cpu, false);
            model.cpuActivate(cpu, basem(now));
            metrics.transitions++;
        }
        state[cpu] = BUSY;
        irqs.setJiffy(cpu, jiffies(now) + 1);
    }

    /** Next events of a CPU as {@code fetch_next_timer_interrupt()} reports them. */
    private long fetchLocal;
    private long fetchGlobal;

    /** @return nextevt in jiffies (NONE when no timer at all) */
    private long fetchNextTimerInterrupt(int cpu, long j) {
        long bm = j * tick;
        long nl = timers.nextExpiry(cpu, TimerStore.LOCAL);
        // Every kernel model: the CPU's own global timers are its events too (the oracle takes them off).
        long ng = model.globalTimersOnOwnClock(cpu) ? timers.nextExpiry(cpu, TimerStore.GLOBAL) : TimerStore.NONE;
        boolean localFirst = nl <= ng;
        long nextevt = localFirst ? nl : ng;
        fetchLocal = KTIME_MAX;
        fetchGlobal = KTIME_MAX;
        if (nextevt != TimerStore.NONE && nextevt <= j + 1) {
            if (nextevt < j) nextevt = j; // a missed tick: force 0 delta
            fetchLocal = bm + (nextevt - j) * tick;
            if (!localFirst) fetchGlobal = fetchLocal;
            return nextevt;
        }
        // A global timer behind the first pinned one is not reported: the CPU wakes for the pinned one.
        if (!localFirst && ng != TimerStore.NONE) fetchGlobal = bm + (ng - j) * tick;
        if (nl != TimerStore.NONE) fetchLocal = bm + (nl - j) * tick;
        return nextevt;
    }

    /**
     * Idle loop iteration while the tick still runs ({@code tick_nohz_idle_stop_tick()}): first the
     * sleep length the cpuidle governor sees ({@code tick_nohz_next_event()}, hierarchy consulted
     * by {@code tmigr_quick_check()}); if that is within a tick the tick stays and the hierarchy is
     * not touched. Otherwise {@code tick_nohz_stop_tick()} marks the base idle
     * ({@code tmigr_cpu_deactivate()}) and programs the earlier of both answers: a stale, earlier
     * {@code next_expiry} seen by the quick check costs a wake-up, as it does in the kernel.
     */
    private void tryStopTick(int cpu) {
        long first = firstPass(cpu);
        forecast[cpu] = first;
        long bm = basem(now);
        if (first == KTIME_MAX || first - bm > tick) {
            long second = nextIdleEvent(cpu);
            if (baseIdle[cpu]) {
                state[cpu] = IDLE_NOHZ;
                program(cpu, Math.min(first, second));
                return;
            }
        }
        state[cpu] = IDLE_TICK;
        irqs.setJiffy(cpu, jiffies(now) + 1);
    }

    /**
     * Idle loop iteration with the tick already stopped (after an interrupt in idle): only the
     * first pass runs, and with the base idle it goes through {@code tmigr_cpu_new_timer()}.
     *
     * @param afterWake the CPU's own clock event woke it, so a hierarchy wakeup already in the past
     *                  cannot be new (invariant 7)
     */
    private void reprogramIdle(int cpu, boolean afterWake) {
        staleTmigr = KTIME_MAX;
        long next = firstPass(cpu);
        if (afterWake && checker != null && staleTmigr != KTIME_MAX) checker.staleWakeup(now, cpu, staleTmigr);
        program(cpu, next);
    }

    /** A hierarchy wakeup at or before basem seen by the last {@link #firstPass}, else KTIME_MAX. */
    private long staleTmigr = KTIME_MAX;

    /** {@code get_next_timer_interrupt()} (no idle pointer): the next event to program, ns. */
    private long firstPass(int cpu) {
        long j = jiffies(now);
        long bm = j * tick;
        long nextevt = fetchNextTimerInterrupt(cpu, j);
        long local = fetchLocal;
        if (nextevt == TimerStore.NONE || nextevt > j + 1) {
            long q;
            if (baseIdle[cpu]) {
                q = model.cpuNewTimer(cpu, fetchGlobal, bm);
            } else {
                q = model.quickCheck(cpu, fetchGlobal, bm);
                if (checker != null) checker.quickChecked(now, cpu, fetchGlobal, q);
            }
            if (q < local) {
                if (q <= bm) staleTmigr = q;
                local = Math.max(q, bm);
            }
        }
        return local;
    }

    private void program(int cpu, long next) {
        if (next == KTIME_MAX) {
            irqs.set(cpu, IrqQueue.NONE);
        } else {
            irqs.set(cpu, next <= now ? now + CLOCKEVENT_MIN_DELTA_NS : next);
        }
    }

    /**
     * {@code __get_next_timer_interrupt(basej, basem, &idle)} with {@code timer_use_tmigr()}: updates
     * {@code baseIdle} and the hierarchy, returns the event to program ({@code tevt.local}).
     */
    private long nextIdleEvent(int cpu) {
        long j = jiffies(now);
        long bm = j * tick;
        long nextevt = fetchNextTimerInterrupt(cpu, j);
        long local = fetchLocal;
        boolean idlePossible = nextevt == TimerStore.NONE || nextevt > j + 1;
        if (idlePossible) {
            long nextTmigr = baseIdle[cpu] ? model.cpuNewTimer(cpu, fetchGlobal, bm) : model.cpuDeactivate(cpu, fetchGlobal, bm);
            if (!baseIdle[cpu]) metrics.transitions++;
            if (nextTmigr < local) {
                if (nextTmigr < bm) nextTmigr = bm;
                nextevt = j + (nextTmigr - bm) / tick;
                local = nextTmigr;
            }
        }
        if (!baseIdle[cpu] && (nextevt == TimerStore.NONE || nextevt > j + 1)) {
            baseIdle[cpu] = true;
            trace.timerBaseIdle(now, cpu, true);
        }
        // Keep "timer base active <=> CPU active in the hierarchy".
        if (!baseIdle[cpu] && idlePossible) {
            model.cpuActivate(cpu, bm);
            metrics.transitions++;
        }
        return local;
    }

    // =====================================================================================
    // TimerSide: what the model asks of the wheels
    // =====================================================================================

    @Override
    public void expireRemote(int cpu, int onCpu, long when) {
        runBase(cpu, TimerStore.GLOBAL, jiffies(now), onCpu);
    }

    @Override
    public long nextGlobalEvent(int cpu, long when) {
        fetchNextTimerInterrupt(cpu, jiffies(now));
        return fetchGlobal;
    }

    @Override
    public void triggerActive(int cpu, long when) {
        kicks[nkicks++] = cpu;
    }

    @Override
    public void reevaluate(int cpu, long when) {
        if (reevalQueued[cpu]) return;
        reevalQueued[cpu] = true;
        reevals[nreevals++] = cpu;
    }

    /**
     * {@code tmigr_trigger_active()} work: the CPU wakes, becomes active, and idles again. Then
     * the re-evaluations a model asked for: an idle CPU re-programs its clock event, not woken.
     */
    private void drainKicks() {
        while (nkicks > 0 || nreevals > 0) {
            while (nkicks > 0) {
                int cpu = kicks[--nkicks];
                if (state[cpu] == IDLE_NOHZ || state[cpu] == IDLE_TICK) {
                    leaveIdle(cpu);
                    enterIdle(cpu);
                }
            }
            if (nreevals > 0) {
                int cpu = reevals[--nreevals];
                reevalQueued[cpu] = false;
                // The idle loop runs again: re-program, or try to stop a kept tick. Not for a CPU
                // whose interrupt is due at this very instant: it re-evaluates after it, and
                // re-programming now would move that interrupt (and its due timers) past it.
                if (irqs.time(cpu) > now) afterInterrupt(cpu);
            }
        }
    }

    // =====================================================================================
    // Script steps
    // =====================================================================================

    private void onStep(StepCursor s) {
        int cpu = s.cpu;
        switch (s.op) {
            case BUSY -> {
                if (state[cpu] == IDLE_TICK || state[cpu] == IDLE_NOHZ) leaveIdle(cpu);
            }
            case IDLE -> {
                if (state[cpu] == BUSY) enterIdle(cpu);
            }
            case ARM, REARM -> {
                if (state[cpu] == OFFLINE) return;
                arm(s);
                afterInterrupt(cpu);
            }
            case CANCEL -> {
                int t = timerId(s, false);
                if (t >= 0 && timers.pending(t)) {
                    trace.timerCancel(now, cpu, t);
                    if (!aggregate) records.get(timers.record(t)).cancelledAt = now;
                    cancelledOrRearmedCount++;
                    timers.remove(t);
                    cancelled++;
                }
                if (aggregate && s.lastUse && t >= 0) timers.release(t); // its source never names it again: the slot is reused
                if (state[cpu] != OFFLINE) afterInterrupt(cpu);
            }
            case OFFLINE -> offline(cpu);
            case ONLINE -> online(cpu);
            case ISOLATE -> isolate(cpu, true);
            case UNISOLATE -> isolate(cpu, false);
            case IRQ -> {
                // A device interrupt: the CPU runs the handler; only a stopped tick makes it a wake-up.
                if (state[cpu] != IDLE_NOHZ) return;
                irqWakeups[cpu]++;
                metrics.irqWakeup(now);
                trace.cpuIdleState(now, cpu, 4294967295L);
                reprogramIdle(cpu, false);
                trace.cpuIdleState(now, cpu, 1);
            }
            case WAKE -> {
                // A task woken from another CPU: an IPI if the tick is stopped, then the task runs.
                if (state[cpu] == IDLE_NOHZ) {
                    ipiWakeups[cpu]++;
                    metrics.ipiWakeup(now, false);
                }
                if (state[cpu] == IDLE_TICK || state[cpu] == IDLE_NOHZ) leaveIdle(cpu);
            }
        }
    }

    /** After an interrupt on an idle CPU the idle loop runs again and re-evaluates its next event. */
    private void afterInterrupt(int cpu) {
        if (state[cpu] == IDLE_NOHZ) reprogramIdle(cpu, false);
        else if (state[cpu] == IDLE_TICK) tryStopTick(cpu);
    }

    private void arm(StepCursor s) {
        int cpu = s.cpu;
        int t = timerId(s, true);
        long j = jiffies(now);
        boolean pinned = s.pinned;
        boolean deferrable = s.deferrable;
        boolean wakesTask = s.wakesTask;
        long expires = s.inNs >= 0 ? j + TimerWheel.timeoutJiffies(s.inNs, hz) : ceilDiv(s.atNs, tick);
        if (s.lastUse) timers.setFlags(t, (byte) (timers.flags(t) | TimerStore.F_RELEASE_ON_FIRE));
        if (timers.pending(t) && keepsItsPlace(t, expires, j)) return;
        byte f = timers.flags(t);
        if (timers.pending(t)) {
            // mod_timer() on a pending timer: detach (traced as a cancel), then queue here.
            if (!aggregate) records.get(timers.record(t)).cancelledAt = now;
            cancelledOrRearmedCount++;
            pinned = (f & TimerStore.F_PINNED) != 0;
            deferrable = (f & TimerStore.F_DEFERRABLE) != 0;
            wakesTask = (f & TimerStore.F_WAKES) != 0;
            trace.timerCancel(now, cpu, t);
            timers.remove(t);
        } else if (s.op == Op.REARM && (f & TimerStore.F_ARMED) != 0) {
            pinned = (f & TimerStore.F_PINNED) != 0;
            deferrable = (f & TimerStore.F_DEFERRABLE) != 0;
            wakesTask = (f & TimerStore.F_WAKES) != 0;
        }
        int base = placeTimer(cpu, pinned);
        long firstBefore = base == cpu ? 0
                : Math.min(timers.nextExpiry(base, TimerStore.LOCAL), timers.nextExpiry(base, TimerStore.GLOBAL));
        enqueue(t, base, pinned, deferrable, expires, j);
        if (base != cpu) placedRemotely(t, cpu, base, deferrable, firstBefore);
        timers.setFlags(t, (byte) ((f & TimerStore.F_RELEASE_ON_FIRE) | TimerStore.F_ARMED | (pinned ? TimerStore.F_PINNED : 0)
                | (deferrable ? TimerStore.F_DEFERRABLE : 0) | (wakesTask ? TimerStore.F_WAKES : 0)));
        timers.setArmedOn(t, cpu);
        timers.setArmBucket(t, timers.bucket(t));
        countArming(pinned, deferrable);
        if (aggregate) return;
        startRecord(t, timers.name(t), cpu, base, pinned, deferrable, wakesTask, expires);
    }

    /** A new arming record for timer {@code t}, now current. */
    private void startRecord(int t, String name, int armedOn, int base, boolean pinned, boolean deferrable,
                             boolean wakesTask, long expires) {
        MutableRecord r = new MutableRecord();
        r.name = name;
        r.armedAt = now;
        r.armedOn = armedOn;
        r.cpu = base;
        r.pinned = pinned;
        r.deferrable = deferrable;
        r.wakesTask = wakesTask;
        r.expires = expires;
        r.bucketExpiry = timers.bucket(t);
        r.expiresNs = expires * tick;
        timers.setRecord(t, records.size());
        records.add(r);
    }

    /** The totals a report derives from its records, counted as armings happen. */
    private void countArming(boolean pinned, boolean deferrable) {
        armedCount++;
        if (pinned) armedPinnedCount++;
        if (deferrable) armedDeferrableCount++;
        if (aggregate) metrics.armed(now);
    }

    /**
     * {@code __mod_timer()} leaves a pending timer where it is when the expiry does not change, or
     * when the new expiry falls in the same wheel bucket (only {@code expires} is updated).
     */
    private boolean keepsItsPlace(int t, long expires, long clk) {
        if (timers.expires(t) == expires) return true;
        if (TimerWheel.index(expires, clk, hz) != timers.wheelIdx(t)) return false;
        cancelledOrRearmedCount++;
        timers.setExpires(t, expires);
        timers.setArmBucket(t, timers.bucket(t));
        byte f = timers.flags(t);
        countArming((f & TimerStore.F_PINNED) != 0, (f & TimerStore.F_DEFERRABLE) != 0);
        if (aggregate) return true;
        MutableRecord old = records.get(timers.record(t));
        old.cancelledAt = now;
        startRecord(t, old.name, old.armedOn, old.cpu, old.pinned, old.deferrable, old.wakesTask, expires);
        return true;
    }

    /** The model's choice of base ({@link PullModel#placeTimer}); an offline or bogus answer keeps it local. */
    private int placeTimer(int cpu, boolean pinned) {
        int p = model.placeTimer(cpu, pinned, basem(now));
        return p >= 0 && p < ncpus && state[p] != OFFLINE ? p : cpu;
    }

    /**
     * A timer queued on another CPU's wheel ({@code push}). As {@code trigger_dyntick_cpu()} does,
     * an idle target whose first expiry moved earlier gets an IPI so it re-programs its clock
     * event (a deferrable timer never does: it may wait for the next wake-up anyway).
     */
    private void placedRemotely(int t, int armingCpu, int base, boolean deferrable, long firstBefore) {
        Machine m = scenario.machine();
        metrics.pushed(m.nodeOf(armingCpu) != m.nodeOf(base), !sameLlc(armingCpu, base));
        if (deferrable || state[base] != IDLE_NOHZ || timers.bucket(t) >= firstBefore) return;
        ipiWakeups[base]++;
        metrics.ipiWakeup(now, true);
        trace.cpuIdleState(now, base, 4294967295L);
        reprogramIdle(base, false);
        trace.cpuIdleState(now, base, 1);
    }

    private void enqueue(int t, int cpu, boolean pinned, boolean deferrable, long expires, long clk) {
        int kind = deferrable ? TimerStore.DEF : pinned ? TimerStore.LOCAL : TimerStore.GLOBAL;
        long bucket = TimerWheel.bucketExpiry(expires, clk, hz);
        int idx = TimerWheel.index(expires, clk, hz);
        timers.enqueue(t, cpu, kind, expires, bucket, idx);
        trace.timerStart(now, cpu, t, timers.name(t), expires, expires - clk, bucket, cpu, idx,
                deferrable ? (pinned ? "D|P" : "D") : pinned ? "P" : "");
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    /** The hotplug control CPU: the first online housekeeping (not isolated) CPU other than {@code except}. */
    private int controlCpu(int except) {
        for (int c = 0; c < ncpus; c++) if (c != except && state[c] != OFFLINE && !isolated[c]) return c;
        return -1;
    }

    private void offline(int cpu) {
        if (state[cpu] == OFFLINE) return;
        int control = controlCpu(cpu);
        if (control < 0) return; // -EBUSY: no housekeeping CPU would be left
        // The control CPU runs the hotplug state machine and stays awake until it is done.
        boolean controlWasIdle = state[control] != BUSY;
        if (controlWasIdle) leaveIdle(control);
        if (state[cpu] != BUSY) leaveIdle(cpu); // the teardown callbacks run on the outgoing CPU
        model.clearAvailable(cpu, basem(now));
        state[cpu] = OFFLINE;
        irqs.set(cpu, IrqQueue.NONE);
        // timers_dead_cpu(): the control CPU adopts whatever is left, each into the same base kind.
        long j = jiffies(now);
        for (int kind = 0; kind < 3; kind++) {
            for (int t : timers.snapshot(cpu, kind)) {
                timers.remove(t);
                enqueue(t, control, kind == TimerStore.LOCAL, kind == TimerStore.DEF, timers.expires(t), j);
                if (!aggregate) records.get(timers.record(t)).cpu = control;
            }
        }
        if (tickCpu == cpu) tickCpu = control;
        if (controlWasIdle) enterIdle(control);
    }

    private void online(int cpu) {
        if (state[cpu] != OFFLINE) return;
        int control = controlCpu(cpu);
        boolean controlWasIdle = control >= 0 && state[control] != BUSY;
        if (controlWasIdle) leaveIdle(control);
        if (!prepared[cpu]) {
            // CPUHP_TMIGR_PREPARE runs on the control CPU, awake and active while it does.
            prepared[cpu] = true;
            prepareOrder[prepared0++] = cpu;
            hierarchy = builder.build(scenario.machine(), Arrays.copyOf(prepareOrder, prepared0), buildOptions);
            model.prepare(hierarchy, cpu, control, basem(now));
        }
        state[cpu] = BUSY;
        baseIdle[cpu] = false;
        if (!isolated[cpu]) model.setAvailable(cpu, false, basem(now));
        enterIdle(cpu);
        // The control CPU waits for the new CPU to be up, then idles last.
        if (controlWasIdle) enterIdle(control);
    }

    private void isolate(int cpu, boolean on) {
        if (isolated[cpu] == on) return;
        isolated[cpu] = on;
        if (state[cpu] == OFFLINE) return; // tmigr_is_isolated() applies it when the CPU comes up
        // The (un)isolation work runs on the CPU itself.
        boolean wasIdle = state[cpu] != BUSY;
        if (wasIdle) leaveIdle(cpu);
        if (on) model.clearAvailable(cpu, basem(now));
        else model.setAvailable(cpu, false, basem(now));
        if (wasIdle) enterIdle(cpu);
    }

    // =====================================================================================
    // Result
    // =====================================================================================

    private RunResult result(long until) {
        for (int c = 0; c < ncpus; c++) {
            if (state[c] == IDLE_TICK || state[c] == IDLE_NOHZ) {
                idleNs[c] += now - idleSince[c];
                idleSince[c] = now;
            }
        }
        List<TimerRecord> out = new ArrayList<>(aggregate ? 0 : records.size());
        for (MutableRecord r : records) {
            boolean fired = r.firedAt >= 0;
            if (checker != null && !fired && r.cancelledAt < 0 && !r.deferrable)
                checker.timerPendingAtEnd(until, r.name, r.cpu, r.bucketExpiry * tick);
            if (aggregate) continue;
            out.add(new TimerRecord(r.name, r.armedAt, r.armedOn, r.cpu, r.pinned, r.deferrable, r.expires,
                    r.bucketExpiry, r.expiresNs, fired ? r.firedAt : null, fired ? r.firedOn : null, r.remote,
                    fired ? r.firedAt - r.expiresNs : null, r.cancelledAt >= 0 ? r.cancelledAt : null, r.wakesTask));
        }
        List<CpuRecord> cpus = new ArrayList<>(ncpus);
        long totalWakeups = 0;
        long totalTimer = 0;
        long totalDuty = 0;
        for (int c = 0; c < ncpus; c++) {
            cpus.add(new CpuRecord(c, wakeups[c], timerWakeups[c], dutyWakeups[c], idleNs[c], irqWakeups[c], ipiWakeups[c]));
            totalWakeups += wakeups[c];
            totalTimer += timerWakeups[c];
            totalDuty += dutyWakeups[c];
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("wakeups", totalWakeups);
        m.put("timerWakeups", totalTimer);
        m.put("dutyWakeups", totalDuty);
        m.put("timersArmed", armedCount);
        m.put("timersFired", timersFired);
        m.put("timersCancelled", cancelled);
        m.put("remoteExpiries", remoteFired);
        m.put("crossNodeRemoteExpiries", crossNodeFired);
        m.put("maxLatenessGlobalNs", maxLatenessGlobal);
        m.put("meanLatenessGlobalNs", nGlobalFired == 0 ? 0L : sumLatenessGlobal / nGlobalFired);
        m.put("maxLatenessPinnedNs", maxLatenessPinned);
        if (model instanceof org.tmigrlab.engine.core.mainline.MainlineModel mm) {
            m.put("walks", mm.walks());
            m.put("walkSteps", mm.walkSteps());
            m.put("migratorHandOvers", mm.handOvers());
        }
        putMetrics(m, out, totalWakeups, until);
        if (abortedBecause != null) m.put("aborted", abortedBecause);
        List<Violation> violations = checker == null ? List.of() : checker.violations();
        RuntimeStats runtime = new RuntimeStats(wallNanos, events, wallNanos == 0 ? 0 : events * 1e9 / wallNanos);
        return new RunResult(out, cpus, m, violations, hierarchy, now, metrics.windows(until), runtime);
    }

    /** The metrics added with the workloads and baselines, after the original ones (README "Metrics"). */
    private void putMetrics(Map<String, Object> m, List<TimerRecord> out, long totalWakeups, long until) {
        long armedPinned = 0;
        long armedDeferrable = 0;
        long cancelledOrRearmed = 0;
        if (aggregate) {
            armedPinned = armedPinnedCount;     // counted as they happened (aggregateRecords())
            armedDeferrable = armedDeferrableCount;
            cancelledOrRearmed = cancelledOrRearmedCount;
        }
        for (TimerRecord r : out) {
            metrics.armed(r.armedAt()); // per window, from the records: a mod_timer() that changes nothing is no arming
            if (r.pinned()) armedPinned++;
            if (r.deferrable()) armedDeferrable++;
            if (r.cancelledAt() != null) cancelledOrRearmed++;
        }
        long irq = 0;
        long ipi = 0;
        for (int c = 0; c < ncpus; c++) {
            irq += irqWakeups[c];
            ipi += ipiWakeups[c];
        }
        m.put("pinnedWakeups", metrics.pinnedWakeups);
        m.put("globalWakeups", metrics.globalWakeups);
        m.put("irqWakeups", irq);
        m.put("ipiWakeups", ipi);
        m.put("enqueueIpiWakeups", metrics.enqueueIpiWakeups);
        m.put("taskIpiWakeups", metrics.taskIpiWakeups);
        m.put("allWakeups", totalWakeups + irq + ipi);
        m.put("idleTicks", metrics.idleTicks);
        m.put("idleTickGlobalWakeups", metrics.idleTickGlobalWakeups);
        m.put("wakeupsPerSecond", RunMetrics.ratio(totalWakeups, until / 1e9, 3));
        m.put("timersArmedPinned", armedPinned);
        m.put("timersArmedDeferrable", armedDeferrable);
        m.put("cancelledBeforeExpiryFraction", RunMetrics.ratio(cancelledOrRearmed, armedCount, 6));
        m.put("crossLlcRemoteExpiries", metrics.crossLlcRemote);
        m.put("timersPushed", metrics.timersPushed);
        m.put("pushedCrossNode", metrics.pushedCrossNode);
        m.put("pushedCrossLlc", metrics.pushedCrossLlc);
        metrics.putLateness(m);
        m.put("hierarchyTransitions", metrics.transitions);
        if (model instanceof org.tmigrlab.engine.core.mainline.MainlineModel mm)
            m.put("walkStepsPerTransition", RunMetrics.ratio(mm.walkSteps(), metrics.transitions, 3));
    }

    /** Per-arming record while the run is in progress. */
    private static final class MutableRecord {
        String name;
        long armedAt;
        int armedOn;
        int cpu;
        boolean pinned;
        boolean deferrable;
        long expires;
        long bucketExpiry;
        long expiresNs;
        long firedAt = -1;   // -1: not fired (primitive, so a firing allocates nothing)
        int firedOn = -1;
        boolean remote;
        long cancelledAt = -1;
        boolean wakesTask;
    }

    // ---- read-only views for the checker and tests ----

    public int possibleCpus() {
        return ncpus;
    }

    @Override
    public long tickNsec() {
        return tick;
    }

    public boolean cpuTickStopped(int cpu) {
        return state[cpu] == IDLE_NOHZ;
    }

    @Override
    public boolean cpuOnline(int cpu) {
        return state[cpu] != OFFLINE;
    }

    @Override
    public boolean cpuBusy(int cpu) {
        return state[cpu] == BUSY;
    }

    /** The CPU's programmed clock event (tick stopped) or next tick, ns; KTIME_MAX if none. */
    @Override
    public long cpuNextInterrupt(int cpu) {
        return irqs.time(cpu);
    }

    /** Earliest pending non-deferrable timer of a CPU in ns (bucket time), or KTIME_MAX. */
    public long cpuEarliestTimerNs(int cpu, boolean globalOnly) {
        long g = timers.nextExpiry(cpu, TimerStore.GLOBAL);
        long l = globalOnly ? TimerStore.NONE : timers.nextExpiry(cpu, TimerStore.LOCAL);
        long e = Math.min(g, l);
        return e == TimerStore.NONE ? KTIME_MAX : e * tick;
    }

    public long now() {
        return now;
    }

    /** The cpuidle forecast ({@code tmigr_quick_check} path) taken when the CPU last went idle. */
    public long lastForecast(int cpu) {
        return forecast[cpu];
    }

    public long wakeups(int cpu) {
        return wakeups[cpu];
    }

    /**
     * Test hook: move a pending timer into another base of the same CPU without changing what it
     * was armed as (a timer queued in the wrong base, the defect invariant 9 exists for).
     */
    public void corruptTimerBase(String timer, boolean intoGlobal) {
        int t = timerId(new StepCursor().set(new Step(0, 0, Op.CANCEL, timer, -1, -1, false, false, 0)), false);
        if (t < 0 || !timers.pending(t)) throw new IllegalArgumentException("no pending timer " + timer);
        int cpu = timers.baseCpu(t);
        long exp = timers.expires(t);
        long bucket = timers.bucket(t);
        int idx = timers.wheelIdx(t);
        timers.remove(t);
        timers.enqueue(t, cpu, intoGlobal ? TimerStore.GLOBAL : TimerStore.LOCAL, exp, bucket, idx);
        afterInterrupt(cpu); // as if it had been queued there: an idle CPU re-evaluates
    }

    public InvariantChecker checker() {
        return checker;
    }

    // ---- CpuView: what baselines see of the CPUs ----

    @Override
    public Machine machine() {
        return scenario.machine();
    }

    @Override
    public boolean cpuIsolated(int cpu) {
        return isolated[cpu];
    }

    @Override
    public long nextGlobalTimer(int cpu) {
        long e = timers.nextExpiry(cpu, TimerStore.GLOBAL);
        return e == TimerStore.NONE ? KTIME_MAX : e * tick;
    }

    @Override
    public long nextPinnedTimer(int cpu) {
        long e = timers.nextExpiry(cpu, TimerStore.LOCAL);
        return e == TimerStore.NONE ? KTIME_MAX : e * tick;
    }

    @Override
    public long globalTimersVersion() {
        return timers.changes();
    }
}
