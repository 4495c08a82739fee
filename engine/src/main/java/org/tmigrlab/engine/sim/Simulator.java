package org.tmigrlab.engine.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.engine.check.InvariantChecker;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.wheel.TimerWheel;

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
 * The only events are each CPU's next interrupt ({@link IrqQueue}) and the script's next step.
 * At equal times interrupts come first (in CPU order), then script steps in file order.
 *
 * <p>A wake-up is counted when a {@code IDLE_NOHZ} CPU's clock event fires: a timer wake-up when
 * one of its own bases had a timer due, a duty wake-up otherwise (hierarchy wakeup or a stale one).
 *
 * <p>Threading: one thread; not reusable (one instance per run).
 */
public final class Simulator implements TimerSide {

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
    private final long[] forecast;
    private final IrqQueue irqs;
    private final int[] prepareOrder;
    private int prepared0;
    private int tickCpu = -1;
    private Hierarchy hierarchy;

    // deferred tmigr_trigger_active() work
    private final int[] kicks;
    private int nkicks;

    // timers and their records
    private final TimerStore timers;
    private final Map<String, Integer> timerIds = new HashMap<>();
    private final List<MutableRecord> records = new ArrayList<>();

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
    private int nextStep;

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
        forecast = new long[ncpus];
        irqs = new IrqQueue(ncpus);
        prepareOrder = new int[ncpus];
        kicks = new int[ncpus];
        timers = new TimerStore(ncpus);
    }

    /** Attaches the model (created against this simulator as its {@link TimerSide}) and an optional checker. */
    public void attach(PullModel pullModel, InvariantChecker invariantChecker) {
        this.model = pullModel;
        this.checker = invariantChecker;
    }

    public PullModel model() {
        return model;
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
        if (!booted) {
            booted = true;
            boot();
        }
        List<Step> script = scenario.script();
        long until = Math.min(t, scenario.until());
        while (abortedBecause == null) {
            long tIrq = irqs.peekTime();
            long tStep = nextStep < script.size() ? script.get(nextStep).at() : KTIME_MAX;
            long next = Math.min(tIrq, tStep);
            if (next == KTIME_MAX || next > until) break;
            advance(next);
            events++;
            if (tIrq <= tStep) {
                onInterrupt(irqs.peekCpu());
            } else {
                onStep(script.get(nextStep++));
            }
            drainKicks();
            if (checker != null) checker.afterEvent(now);
        }
        if (until > now) now = until;
    }

    /** Ends the run and collects the result. */
    public RunResult finish() {
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
        return t / tick;
    }

    private long basem(long t) {
        return jiffies(t) * tick;
    }

    private void boot() {
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
            boolean ownDue = timers.nextExpiry(cpu, TimerStore.LOCAL) <= j
                    || timers.nextExpiry(cpu, TimerStore.GLOBAL) <= j
                    || timers.nextExpiry(cpu, TimerStore.DEF) <= j;
            wakeups[cpu]++;
            if (ownDue) timerWakeups[cpu]++;
            else dutyWakeups[cpu]++;
            trace.cpuIdleState(now, cpu, 4294967295L);
            softirq(cpu);
            reprogramIdle(cpu);
            trace.cpuIdleState(now, cpu, 1);
            return;
        }
        softirq(cpu);
        if (state[cpu] == IDLE_TICK) {
            tryStopTick(cpu);
        } else {
            irqs.set(cpu, (jiffies(now) + 1) * tick);
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
        int t;
        while ((t = timers.first(baseCpu, kind)) >= 0 && timers.bucket[t] <= j) {
            timers.remove(t);
            fire(t, baseCpu, onCpu, j);
        }
    }

    private void fire(int t, int baseCpu, int onCpu, long j) {
        MutableRecord r = records.get(timers.record[t]);
        r.firedAt = now;
        r.firedOn = onCpu;
        r.remote = onCpu != baseCpu;
        timersFired++;
        long late = now - r.expiresNs;
        if (r.remote) {
            remoteFired++;
            if (scenario.machine().nodeOf(onCpu) != scenario.machine().nodeOf(baseCpu)) crossNodeFired++;
        }
        if (r.pinned) {
            maxLatenessPinned = Math.max(maxLatenessPinned, late);
        } else if (!r.deferrable) {
            maxLatenessGlobal = Math.max(maxLatenessGlobal, late);
            sumLatenessGlobal += late;
            nGlobalFired++;
        }
        trace.timerExpireEntry(now, onCpu, t, r.name, j, j);
        trace.timerExpireExit(now, onCpu, t);
        if (checker != null) checker.timerFired(now, r.name, baseCpu, onCpu, r.pinned, r.deferrable, r.bucketExpiry * tick,
                isolated[baseCpu] || !model.isAvailable(baseCpu), isolated[onCpu] || !model.isAvailable(onCpu));
    }

    // =====================================================================================
    // NOHZ: tick_nohz_idle_stop_tick() -> __get_next_timer_interrupt() -> timer_use_tmigr()
    // =====================================================================================

    private void enterIdle(int cpu) {
        state[cpu] = IDLE_TICK;
        idleSince[cpu] = now;
        // The cpuidle governor asks first how long the CPU may sleep (tmigr_quick_check path).
        forecast[cpu] = nextEventForecast(cpu);
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
        }
        state[cpu] = BUSY;
        irqs.set(cpu, (jiffies(now) + 1) * tick);
    }

    /** The hierarchy part of the governor's forecast: {@code get_next_timer_interrupt()} without idle. */
    private long nextEventForecast(int cpu) {
        long j = jiffies(now);
        long nl = timers.nextExpiry(cpu, TimerStore.LOCAL);
        long ng = timers.nextExpiry(cpu, TimerStore.GLOBAL);
        boolean localFirst = nl <= ng;
        long global = !localFirst && ng != TimerStore.NONE ? j * tick + (ng - j) * tick : KTIME_MAX;
        long f = model.quickCheck(cpu, global, j * tick);
        if (checker != null) checker.quickChecked(now, cpu, global, f);
        return f;
    }

    /** Next events of a CPU as {@code fetch_next_timer_interrupt()} reports them. */
    private long fetchLocal;
    private long fetchGlobal;

    /** @return nextevt in jiffies (NONE when no timer at all) */
    private long fetchNextTimerInterrupt(int cpu, long j) {
        long bm = j * tick;
        long nl = timers.nextExpiry(cpu, TimerStore.LOCAL);
        long ng = timers.nextExpiry(cpu, TimerStore.GLOBAL);
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

    /** Idle loop iteration while the tick still runs: try to stop it. */
    private void tryStopTick(int cpu) {
        long next = nextIdleEvent(cpu, false);
        if (baseIdle[cpu]) {
            state[cpu] = IDLE_NOHZ;
            program(cpu, next);
        } else {
            state[cpu] = IDLE_TICK;
            irqs.set(cpu, (jiffies(now) + 1) * tick);
        }
    }

    /** Idle loop iteration with the tick already stopped (after an interrupt in idle). */
    private void reprogramIdle(int cpu) {
        program(cpu, nextIdleEvent(cpu, true));
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
    private long nextIdleEvent(int cpu, boolean alreadyIdle) {
        long j = jiffies(now);
        long bm = j * tick;
        long nextevt = fetchNextTimerInterrupt(cpu, j);
        long local = fetchLocal;
        boolean idlePossible = nextevt == TimerStore.NONE || nextevt > j + 1;
        if (idlePossible) {
            long nextTmigr = baseIdle[cpu] ? model.cpuNewTimer(cpu, fetchGlobal, bm) : model.cpuDeactivate(cpu, fetchGlobal, bm);
            if (nextTmigr < local) {
                if (nextTmigr < bm) nextTmigr = bm;
                nextevt = j + (nextTmigr - bm) / tick;
                local = nextTmigr;
                if (checker != null && alreadyIdle && nextTmigr <= bm) checker.staleWakeup(now, cpu, nextTmigr);
            }
        }
        if (!baseIdle[cpu] && (nextevt == TimerStore.NONE || nextevt > j + 1)) {
            baseIdle[cpu] = true;
            trace.timerBaseIdle(now, cpu, true);
        }
        // Keep "timer base active <=> CPU active in the hierarchy".
        if (!baseIdle[cpu] && idlePossible) model.cpuActivate(cpu, bm);
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

    /** {@code tmigr_trigger_active()} work: the CPU wakes, becomes active, and idles again. */
    private void drainKicks() {
        while (nkicks > 0) {
            int cpu = kicks[--nkicks];
            if (state[cpu] == IDLE_NOHZ || state[cpu] == IDLE_TICK) {
                leaveIdle(cpu);
                enterIdle(cpu);
            }
        }
    }

    // =====================================================================================
    // Script steps
    // =====================================================================================

    private void onStep(Step s) {
        int cpu = s.cpu();
        switch (s.op()) {
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
                Integer t = timerIds.get(s.timer());
                if (t != null && timers.pending(t)) {
                    trace.timerCancel(now, cpu, t);
                    records.get(timers.record[t]).cancelledAt = now;
                    timers.remove(t);
                    cancelled++;
                }
                if (state[cpu] != OFFLINE) afterInterrupt(cpu);
            }
            case OFFLINE -> offline(cpu);
            case ONLINE -> online(cpu);
            case ISOLATE -> isolate(cpu, true);
            case UNISOLATE -> isolate(cpu, false);
        }
    }

    /** After an interrupt on an idle CPU the idle loop runs again and re-evaluates its next event. */
    private void afterInterrupt(int cpu) {
        if (state[cpu] == IDLE_NOHZ) reprogramIdle(cpu);
    }

    private void arm(Step s) {
        int cpu = s.cpu();
        Integer id = timerIds.get(s.timer());
        int t = id == null ? timers.newTimer(s.timer()) : id;
        if (id == null) timerIds.put(s.timer(), t);
        long j = jiffies(now);
        boolean pinned = s.pinned();
        boolean deferrable = s.deferrable();
        if (timers.pending(t)) {
            // mod_timer() on a pending timer: detach (traced as a cancel), then queue here.
            MutableRecord old = records.get(timers.record[t]);
            old.cancelledAt = now;
            pinned = old.pinned;
            deferrable = old.deferrable;
            trace.timerCancel(now, cpu, t);
            timers.remove(t);
        } else if (s.op() == Op.REARM && timers.record[t] >= 0) {
            MutableRecord old = records.get(timers.record[t]);
            pinned = old.pinned;
            deferrable = old.deferrable;
        }
        long expires = s.inNs() >= 0 ? j + TimerWheel.timeoutJiffies(s.inNs(), hz) : ceilDiv(s.atNs(), tick);
        enqueue(t, cpu, pinned, deferrable, expires, j);
        MutableRecord r = new MutableRecord();
        r.name = s.timer();
        r.armedAt = now;
        r.armedOn = cpu;
        r.cpu = cpu;
        r.pinned = pinned;
        r.deferrable = deferrable;
        r.expires = expires;
        r.bucketExpiry = timers.bucket[t];
        r.expiresNs = expires * tick;
        timers.record[t] = records.size();
        records.add(r);
    }

    private void enqueue(int t, int cpu, boolean pinned, boolean deferrable, long expires, long clk) {
        int kind = deferrable ? TimerStore.DEF : pinned ? TimerStore.LOCAL : TimerStore.GLOBAL;
        long bucket = TimerWheel.bucketExpiry(expires, clk, hz);
        int idx = TimerWheel.index(expires, clk, hz);
        timers.enqueue(t, cpu, kind, expires, bucket, idx / TimerWheel.LVL_SIZE);
        trace.timerStart(now, cpu, t, timers.name[t], expires, expires - clk, bucket, cpu, idx,
                deferrable ? (pinned ? "D|P" : "D") : pinned ? "P" : "");
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    private int controlCpu(int except) {
        for (int c = 0; c < ncpus; c++) if (c != except && state[c] != OFFLINE) return c;
        return -1;
    }

    private void offline(int cpu) {
        if (state[cpu] == OFFLINE) return;
        int control = controlCpu(cpu);
        if (control < 0) return; // the kernel refuses to take down the last CPU
        boolean wasIdle = state[cpu] != BUSY;
        if (wasIdle) leaveIdle(cpu); // the hotplug thread runs on the outgoing CPU
        model.clearAvailable(cpu, basem(now));
        state[cpu] = OFFLINE;
        irqs.set(cpu, IrqQueue.NONE);
        // timers_dead_cpu(): the control CPU adopts whatever is left, each into the same base kind.
        long j = jiffies(now);
        for (int kind = 0; kind < 3; kind++) {
            for (int t : timers.snapshot(cpu, kind)) {
                timers.remove(t);
                enqueue(t, control, kind == TimerStore.LOCAL, kind == TimerStore.DEF, timers.expires[t], j);
                records.get(timers.record[t]).cpu = control;
            }
        }
        if (tickCpu == cpu) tickCpu = control;
        afterInterrupt(control);
    }

    private void online(int cpu) {
        if (state[cpu] != OFFLINE) return;
        if (!prepared[cpu]) {
            // CPUHP_TMIGR_PREPARE runs on the control CPU, which is awake and active to do it.
            int control = controlCpu(cpu);
            boolean controlWasIdle = control >= 0 && state[control] != BUSY;
            if (controlWasIdle) leaveIdle(control);
            prepared[cpu] = true;
            prepareOrder[prepared0++] = cpu;
            hierarchy = builder.build(scenario.machine(), Arrays.copyOf(prepareOrder, prepared0), buildOptions);
            model.prepare(hierarchy, cpu, control, basem(now));
            if (controlWasIdle) enterIdle(control);
        }
        state[cpu] = BUSY;
        baseIdle[cpu] = false;
        if (!isolated[cpu]) model.setAvailable(cpu, false, basem(now));
        enterIdle(cpu);
    }

    private void isolate(int cpu, boolean on) {
        if (state[cpu] == OFFLINE || isolated[cpu] == on) return;
        if (on && cpu == tickCpu) return; // the timekeeping CPU is never excluded
        isolated[cpu] = on;
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
        List<TimerRecord> out = new ArrayList<>(records.size());
        for (MutableRecord r : records) {
            boolean fired = r.firedAt >= 0;
            if (checker != null && !fired && r.cancelledAt < 0 && !r.deferrable)
                checker.timerPendingAtEnd(until, r.name, r.cpu, r.bucketExpiry * tick);
            out.add(new TimerRecord(r.name, r.armedAt, r.armedOn, r.cpu, r.pinned, r.deferrable, r.expires,
                    r.bucketExpiry, r.expiresNs, fired ? r.firedAt : null, fired ? r.firedOn : null, r.remote,
                    fired ? r.firedAt - r.expiresNs : null, r.cancelledAt >= 0 ? r.cancelledAt : null));
        }
        List<CpuRecord> cpus = new ArrayList<>(ncpus);
        long totalWakeups = 0;
        long totalTimer = 0;
        long totalDuty = 0;
        for (int c = 0; c < ncpus; c++) {
            cpus.add(new CpuRecord(c, wakeups[c], timerWakeups[c], dutyWakeups[c], idleNs[c]));
            totalWakeups += wakeups[c];
            totalTimer += timerWakeups[c];
            totalDuty += dutyWakeups[c];
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("wakeups", totalWakeups);
        m.put("timerWakeups", totalTimer);
        m.put("dutyWakeups", totalDuty);
        m.put("timersArmed", (long) records.size());
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
        if (abortedBecause != null) m.put("aborted", abortedBecause);
        List<Violation> violations = checker == null ? List.of() : checker.violations();
        return new RunResult(out, cpus, m, violations, hierarchy, now);
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
    }

    // ---- read-only views for the checker and tests ----

    public int possibleCpus() {
        return ncpus;
    }

    public long tickNsec() {
        return tick;
    }

    public boolean cpuTickStopped(int cpu) {
        return state[cpu] == IDLE_NOHZ;
    }

    public boolean cpuOnline(int cpu) {
        return state[cpu] != OFFLINE;
    }

    public boolean cpuBusy(int cpu) {
        return state[cpu] == BUSY;
    }

    /** The CPU's programmed clock event (tick stopped) or next tick, ns; KTIME_MAX if none. */
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
        Integer t = timerIds.get(timer);
        if (t == null || !timers.pending(t)) throw new IllegalArgumentException("no pending timer " + timer);
        int cpu = timers.baseCpu[t];
        long exp = timers.expires[t];
        long bucket = timers.bucket[t];
        int level = timers.wheelLevel[t];
        timers.remove(t);
        timers.enqueue(t, cpu, intoGlobal ? TimerStore.GLOBAL : TimerStore.LOCAL, exp, bucket, level);
        afterInterrupt(cpu); // as if it had been queued there: an idle CPU re-evaluates
    }

    public InvariantChecker checker() {
        return checker;
    }
}
