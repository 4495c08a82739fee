package org.tmigrlab.engine.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.FtraceLine;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.wheel.TimerWheel;

/**
 * Replays a real kernel capture through the simulator and measures how closely the lab's
 * decisions match the kernel's.
 *
 * <h2>What drives the simulator</h2>
 * Only inputs: when each CPU is active in the hierarchy, and the timers armed, re-armed and
 * cancelled (base CPU, {@code P}/{@code D} flags, absolute expiry). Everything the kernel
 * <em>decided</em> — which CPU expired a timer, what {@code tmigr_cpu_idle} returned, hierarchy
 * wake-ups — the lab decides again, and only then is it compared ({@link Fidelity}).
 *
 * <p><b>Active/idle periods.</b> A CPU idling with its tick still running is, for the hierarchy,
 * the same as a busy CPU: it stays active and its tick checks for remote work. What matters is
 * when the tick stops and the CPU leaves the hierarchy, and when it comes back. The kernel says
 * so itself with {@code tmigr_cpu_idle} (from {@code tmigr_cpu_deactivate()}) and {@code
 * tmigr_cpu_active} (from {@code timer_clear_idle()} on a real idle exit); these become the lab's
 * {@code idle} / {@code busy} steps. {@code power:cpu_idle} cannot be used one-to-one: every
 * interrupt handled inside idle is an exit/entry pair too (most pairs in the captures), and the
 * lab generates the timer ones itself. Without {@code tmigr_*} lines the replay falls back to
 * {@code timer_base_idle} (the base goes idle exactly when the CPU leaves the hierarchy), then to
 * {@code power:cpu_idle} where only an exit with need-resched set ({@code N} in the context
 * column: a task is about to run) ends an idle period — in the captures every such exit from a
 * tick-stopped idle led to {@code tmigr_cpu_active} (1,245), and only 4 of the 784 without it did —
 * and an idle entry counts only when the CPU then sleeps two ticks or more (shorter sleeps most
 * likely kept the tick).
 *
 * <p><b>Timers.</b> {@code timer_start} becomes an {@code arm} on its base CPU ({@code cpu=}) with
 * {@code expiresAt} = its {@code expires}; {@code timer_cancel} a {@code cancel} — except that the
 * kernel also prints {@code timer_cancel} when it detaches a timer to run it and when {@code
 * mod_timer()} moves a pending one, so a cancel followed on the same CPU by the timer's own
 * {@code timer_expire_entry} or {@code timer_start} is not replayed as a cancel. Timers armed
 * before tracing began that the capture shows expiring are re-created at the start.
 *
 * <p><b>Time.</b> Trace timestamps are CLOCK_MONOTONIC, as are the {@code tmigr_*} values; jiffies
 * are absolute. The simulator counts jiffy {@code j} from {@code j * TICK_NSEC}, so real jiffy
 * {@code J} becomes simulator jiffy {@code J - J0} with {@code J0} a multiple of 2^24 (the wheel
 * rounds with granularities up to 8^8 = 2^24 jiffies, which the shift must not disturb), and a
 * monotonic time {@code t} becomes {@code t + D - J0 * TICK_NSEC} ({@link TraceProfile#jiffyOffsetNs}),
 * except right after a tick boundary the kernel had not processed yet ({@link #warp}).
 *
 * <p>Memory: the lines are streamed with a lookahead of a few ticks; what is kept grows with
 * the number of timers armed (as the simulator's own records do), plus one bit per CPU and jiffy.
 * Threading: one replay per thread; a {@link Replay} is used once.
 */
public final class Replay {

    static final long KTIME_MAX = Long.MAX_VALUE;
    /** 8^8: the coarsest wheel granularity at HZ > 100; the jiffies shift is a multiple of it. */
    static final long J0_ALIGN = 1L << 24;
    private static final long EXIT = 4294967295L;
    private static final int LOOKAHEAD_LIMIT = 4096;

    /** Kernel-side fate of one arming. */
    static final byte PENDING = 0;
    static final byte FIRED = 1;
    static final byte CANCELLED = 2;
    static final byte REARMED = 3;

    private final Path path;
    private final TraceProfile profile;
    private final ReplayOptions options;
    private final Catalog catalog;

    // ---- time ----
    final int hz;
    final long tick;
    final long j0;
    final long simOffset;
    final boolean timeAligned;
    private final long latency;

    // ---- machine ----
    final Machine machine;
    final String machineSource;
    final int ncpus;
    final Scenario scenario;
    final TreeCheck treeCheck;
    final TraceProfile.IdleSource idleSource;
    final List<String> warnings = new ArrayList<>();

    private Simulator sim;
    private final Capture capture;

    // ---- the kernel as the trace shows it ----
    private final Map<String, KTimer> timers = new HashMap<>();
    final Armings armings = new Armings();
    private final BaseModel[] bases;
    private final boolean[] kernelActive;
    private final boolean[] stateKnown;
    /** {@code tmc->wakeup} as far as the trace shows it, and what tmigr_handle_remote_cpu() cleared. */
    private final long[] kWakeup;
    private final long[] kWakeupCleared;
    private final long[] kWakeupClearedTs;
    private final int[] lastRemoteFrom;
    private final long[] lastRemoteTs;
    /** Per CPU, the jiffies in which the kernel ran tmigr_handle_remote() (one bit per jiffy). */
    private final BitSet[] remoteJiffies;
    private long firstJiffy = Long.MIN_VALUE;
    private final long[] walkStart;
    private final long[] lastWalkLine;
    // the pending kernel tmigr_cpu_idle of each CPU
    private final long[] kIdleTs;
    private final long[] kIdleSim;
    private final long[] kIdleLine;
    private final long[] kIdleNext;
    private final long[] kIdleWake;
    private final int[] kIdleInterleaved;
    // divergences of the lab's hierarchy wakeups from the kernel's
    private final Divergence[] openDivergence;
    final List<Divergence> divergences = new ArrayList<>();
    private long[] lostTimes = new long[4];
    private int nlost;

    final Fidelity fidelity;
    private long lastSim = Long.MIN_VALUE;
    private long maxJiffiesSeen = Long.MIN_VALUE;
    private boolean started;
    /** Events moved back to the jiffy the kernel was still in. */
    long lagged;
    long replayMalformed;
    final List<String> replayMalformedFirst = new ArrayList<>();

    /**
     * What the tree check found.
     *
     * @param present       the trace holds {@code tmigr_connect_*} lines
     * @param equal         the lab's kernel builder builds the same tree
     * @param imbalanced    ... with {@code imbalanced-numa-trees} (a kernel before "Fix imbalanced NUMA trees")
     * @param differences   one sentence per difference, when not equal
     * @param kernelSummary groups per level and CPUs connected
     */
    public record TreeCheck(boolean present, boolean equal, boolean imbalanced, List<String> differences, String kernelSummary) {
    }

    Replay(Path path, TraceProfile profile, ReplayOptions options, Catalog catalog, TraceSink extraSink) {
        this.path = path;
        this.profile = profile;
        this.options = options;
        this.catalog = catalog;

        int traceHz = profile.hz();
        if (options.hz() != null) {
            hz = options.hz();
            TimerWheel.tickNsec(hz);
            if (traceHz != 0 && traceHz != hz)
                warnings.add("--hz " + hz + " given, but the trace looks like HZ=" + traceHz + " (" + profile.hzSource() + ")");
        } else if (traceHz != 0) {
            hz = traceHz;
        } else {
            throw new IllegalArgumentException("cannot tell HZ from the trace (" + profile.hzSource() + "); pass --hz");
        }
        tick = TimerWheel.tickNsec(hz);
        Long d = profile.jiffyOffsetNs(hz);
        timeAligned = d != null;
        if (d == null) {
            j0 = 0;
            simOffset = 0;
        } else {
            long jm = Math.floorDiv(d + profile.phase(hz), tick);
            j0 = Math.floorDiv(Math.min(jm, profile.minJiffies()), J0_ALIGN) * J0_ALIGN;
            simOffset = d - j0 * tick;
        }
        latency = profile.jiffiesLatencyNs(hz);

        KernelTree tree = profile.tree();
        Machine m = options.machine();
        if (m != null) machineSource = "as given";
        else if (tree.present()) machineSource = "nodes from the tmigr_connect_* lines";
        else if (tree.runtimePresent()) machineSource = "nodes from the run-time tmigr lines";
        else machineSource = "one node assumed: the trace shows none";
        if (m == null) m = tree.present() ? tree.machine(profile.cpus()) : runtimeMachine(tree, Math.max(1, profile.cpus()));
        if (m.possibleCpus() < profile.cpus())
            throw new IllegalArgumentException("the machine has " + m.possibleCpus() + " CPUs but the trace uses " + profile.cpus());
        machine = m;
        ncpus = m.possibleCpus();
        int[] order = onlineOrder(tree, ncpus);
        treeCheck = checkTree(tree, machine);
        Set<Bug> bugs = EnumSet.noneOf(Bug.class);
        bugs.addAll(options.bugs());
        if (treeCheck.imbalanced()) bugs.add(Bug.IMBALANCED_NUMA_TREES);
        idleSource = options.idleSource() != null ? options.idleSource() : profile.idleSource();
        long until = Math.max(1, sim(profile.lastTs()) + 2 * tick);
        scenario = new Scenario(machine, order, options.builderOrDefault(), options.childrenPerGroupOrDefault(), options.migratorOrDefault(),
                options.modelOrDefault(), bugs, hz, 1L, until, List.of(), List.of(), options.checkInvariants());

        bases = new BaseModel[ncpus * 3];
        for (int i = 0; i < bases.length; i++) bases[i] = new BaseModel();
        kernelActive = new boolean[ncpus];
        stateKnown = new boolean[ncpus];
        kWakeup = filled(ncpus, KTIME_MAX);
        kWakeupCleared = new long[ncpus];
        kWakeupClearedTs = filled(ncpus, Long.MIN_VALUE / 2);
        lastRemoteFrom = new int[ncpus];
        Arrays.fill(lastRemoteFrom, -1);
        lastRemoteTs = new long[ncpus];
        remoteJiffies = new BitSet[ncpus];
        for (int c = 0; c < ncpus; c++) remoteJiffies[c] = new BitSet();
        walkStart = filled(ncpus, -1);
        lastWalkLine = filled(ncpus, Long.MIN_VALUE);
        kIdleTs = filled(ncpus, -1);
        kIdleSim = new long[ncpus];
        kIdleLine = new long[ncpus];
        kIdleNext = new long[ncpus];
        kIdleWake = new long[ncpus];
        kIdleInterleaved = new int[ncpus];
        openDivergence = new Divergence[ncpus];
        fidelity = new Fidelity(options.listLimit(), this);
        capture = new Capture(ncpus, extraSink == null ? TraceSink.NONE : extraSink, () -> sim.now());
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * Scans the capture, then replays it with the built-in strategies.
     *
     * @throws TraceFormatException     the file is not a trace
     * @throws IllegalArgumentException an option the lab cannot honour (unknown model, HZ not derivable ...)
     */
    public static ReplayResult run(Path trace, ReplayOptions options) {
        return run(trace, TraceProfile.scan(trace), options, Lab.defaultCatalog(), TraceSink.NONE);
    }

    /**
     * Replays a capture whose first pass is done (what-if comparisons replay one profile several times).
     *
     * @param extraSink receives the lab's tracepoints too (e.g. a {@code KernelTraceWriter}); may be null
     * @throws TraceFormatException     the file is not a trace
     * @throws IllegalArgumentException an option the lab cannot honour (unknown model, HZ not derivable ...)
     */
    public static ReplayResult run(Path trace, TraceProfile profile, ReplayOptions options, Catalog catalog, TraceSink extraSink) {
        return new Replay(trace, profile, options, catalog, extraSink).execute();
    }

    // =====================================================================================
    // Time
    // =====================================================================================

    /** Simulator ns of a trace (monotonic) time. */
    long sim(long mono) {
        return mono + simOffset;
    }

    /** Trace (monotonic) time of a simulator time; KTIME_MAX stays. */
    long mono(long simNs) {
        return simNs == KTIME_MAX ? KTIME_MAX : simNs - simOffset;
    }

    /** Real jiffies of a simulator time. */
    long jiffiesOfSim(long simNs) {
        return Math.floorDiv(simNs, tick) + j0;
    }

    /** Simulator time at which real jiffy {@code j} starts (0 for jiffies before the shift). */
    long simOfJiffies(long j) {
        return Math.max(0, (j - j0) * tick);
    }

    /**
     * The simulator time of an event: its monotonic time shifted, except in the moments after a
     * tick boundary when the kernel's {@code jiffies} still held the previous value (its tick had
     * not run yet — a few hundred microseconds, sometimes more than a tick, under QEMU TCG). The
     * simulator handles every tick exactly at the boundary, so such an event is moved to the last
     * nanosecond of the jiffy the kernel was still in: the lab then sees the same {@code jiffies}
     * (and gives the same answer to "is the next timer more than a tick away?") and orders the
     * event before its own tick, as the kernel did.
     *
     * <p>The kernel's jiffies at an event are known when the line prints them ({@code timer_start},
     * {@code timer_expire_entry}); otherwise bounded by the lines before and after it (jiffies never
     * go back) and by lines that stopped a tick ({@link #idleBound}); where those say nothing, the
     * trace's typical tick latency decides ({@link TraceProfile#jiffiesLatencyNs}).
     */
    private long warp(TraceReader.Line line, Lookahead in) {
        FtraceLine l = line.event();
        long s = sim(l.timestampNs());
        if (!timeAligned) return s;
        long ideal = Math.floorDiv(s, tick) + j0;
        long own = printedJiffies(l);
        long jk;
        if (own != Long.MIN_VALUE) {
            jk = own;
            maxJiffiesSeen = Math.max(maxJiffiesSeen, own);
        } else {
            jk = Math.floorMod(s, tick) < latency ? ideal - 1 : ideal;
            if (maxJiffiesSeen > jk) jk = maxJiffiesSeen;
            jk = Math.min(jk, idleBound(l, null));
            if (jk >= ideal - 1) jk = Math.min(jk, boundAhead(in, l.timestampNs() + 2 * tick));
        }
        if (jk >= ideal) return s;
        lagged++;
        return (jk - j0 + 1) * tick - 1;
    }

    /**
     * A CPU stops its tick only when its first timer is more than one jiffy away
     * ({@code __get_next_timer_interrupt()}: {@code nextevt > basej + 1}), so a line saying it did
     * ({@code tmigr_cpu_idle}, {@code tmigr_cpu_new_timer_idle}, {@code timer_base_idle is_idle=1})
     * bounds the kernel's jiffies at that moment by the CPU's first pending timer minus two.
     *
     * @param removed (base, bucket) pairs to leave out: timers gone by the time of {@code l}
     */
    private long idleBound(FtraceLine l, List<long[]> removed) {
        if (!isStopLine(l) || l.field("cpu") == null) return Long.MAX_VALUE;
        int c = (int) l.decimal("cpu");
        if (!cpuOk(c)) return Long.MAX_VALUE;
        long first = Math.min(bases[c * 3].nextExpiry(c * 3, removed), bases[c * 3 + 1].nextExpiry(c * 3 + 1, removed));
        return first == KTIME_MAX ? Long.MAX_VALUE : first - 2;
    }

    /**
     * The most the kernel's jiffies can be now, from the lines ahead up to {@code until}: what they
     * print, or their idle bound — computed with the timers those lines find pending, i.e. without
     * the ones expired or cancelled by the lines in between (timers armed in between could only
     * tighten the bound, so leaving them out is safe).
     */
    private long boundAhead(Lookahead in, long until) {
        long min = Long.MAX_VALUE;
        List<long[]> removed = null;
        for (int i = 0; i < LOOKAHEAD_LIMIT; i++) {
            TraceReader.Line x = in.peek(i);
            if (x == null || x.event().timestampNs() > until) break;
            FtraceLine e = x.event();
            long j = printedJiffies(e);
            if (j != Long.MIN_VALUE) min = Math.min(min, j);
            else if (isStopLine(e)) min = Math.min(min, idleBound(e, removed));
            String ev = e.event();
            if (ev.equals("timer_cancel") || ev.equals("timer_expire_entry")) {
                KTimer k = e.field("timer") == null ? null : timers.get(e.field("timer"));
                if (k != null && k.pendingBase >= 0) {
                    if (removed == null) removed = new ArrayList<>();
                    removed.add(new long[]{k.pendingBase, k.pendingBucket});
                }
            }
        }
        return min;
    }

    private static boolean isStopLine(FtraceLine l) {
        String ev = l.event();
        return ev.equals("tmigr_cpu_idle") || ev.equals("tmigr_cpu_new_timer_idle")
                || (ev.equals("timer_base_idle") && "1".equals(l.field("is_idle")));
    }

    /** The jiffies a line prints, or Long.MIN_VALUE. */
    static long printedJiffies(FtraceLine l) {
        try {
            if (l.event().equals("timer_start") && l.field("timeout") != null && l.field("expires") != null)
                return l.decimal("expires") - l.decimal("timeout");
            if (l.event().equals("timer_expire_entry") && l.field("now") != null) return l.decimal("now");
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
        return Long.MIN_VALUE;
    }

    // =====================================================================================
    // Machine and tree
    // =====================================================================================

    private static int[] onlineOrder(KernelTree tree, int ncpus) {
        List<Integer> order = new ArrayList<>();
        for (int c : tree.connectOrder()) if (c < ncpus && !order.contains(c)) order.add(c);
        for (int c = 0; c < ncpus; c++) if (!order.contains(c)) order.add(c);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Without the boot-time connect lines, the nodes come from the run-time lines (the {@code numa=}
     * of each CPU's level-0 group); CPUs they do not show take the node of the CPU before them.
     */
    private static Machine runtimeMachine(KernelTree tree, int cpus) {
        int[] nodes = tree.runtimeNodes(cpus);
        int max = 0;
        for (int c = 0; c < cpus; c++) {
            if (nodes[c] < 0) nodes[c] = c == 0 ? 0 : nodes[c - 1];
            max = Math.max(max, nodes[c]);
        }
        return Machine.withNodes(nodes, max + 1);
    }

    /** Held against the kernel's own configuration (8 per group), whatever a what-if asks for. */
    private TreeCheck checkTree(KernelTree tree, Machine m) {
        if (!tree.present()) {
            if (!tree.runtimePresent()) return new TreeCheck(false, false, false, List.of(), "no tmigr lines in the trace");
            int[] all = new int[m.possibleCpus()];
            for (int c = 0; c < all.length; c++) all[c] = c;
            List<String> balanced = build(m, all, false).map(tree::compareRuntime).orElse(List.of("the kernel builder rejected the machine"));
            if (balanced.isEmpty()) return new TreeCheck(true, true, false, List.of(), tree.runtimeSummary());
            List<String> imbalanced = build(m, all, true).map(tree::compareRuntime).orElse(List.of("the kernel builder rejected the machine"));
            if (imbalanced.isEmpty()) return new TreeCheck(true, true, true, List.of(), tree.runtimeSummary());
            return new TreeCheck(true, false, false, balanced, tree.runtimeSummary());
        }
        int[] connected = tree.connectOrder().stream().filter(c -> c < m.possibleCpus()).mapToInt(Integer::intValue).toArray();
        List<String> balanced = build(m, connected, false).map(tree::compare).orElse(List.of("the kernel builder rejected the machine"));
        if (balanced.isEmpty()) return new TreeCheck(true, true, false, List.of(), tree.summary());
        List<String> imbalanced = build(m, connected, true).map(tree::compare).orElse(List.of("the kernel builder rejected the machine"));
        if (imbalanced.isEmpty()) return new TreeCheck(true, true, true, List.of(), tree.summary());
        return new TreeCheck(true, false, false, balanced, tree.summary());
    }

    private Optional<Hierarchy> build(Machine m, int[] order, boolean imbalanced) {
        try {
            return Optional.of(catalog.builder("kernel").build(m, order,
                    new BuildOptions(GroupSizing.uniform(ReplayOptions.KERNEL_CHILDREN_PER_GROUP), imbalanced)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // =====================================================================================
    // The pass
    // =====================================================================================

    ReplayResult execute() {
        sim = Lab.prepare(scenario, capture, catalog);
        long wall = System.nanoTime();
        try (TraceReader reader = TraceReader.open(path)) {
            Lookahead in = new Lookahead(reader);
            for (TraceReader.Line line = in.next(); line != null; line = in.next()) {
                try {
                    handle(line, in);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    // A known event with a field missing or wrong: skipped, counted (once), listed.
                    if (profile.malformedLine(line.number())) continue;
                    replayMalformed++;
                    if (replayMalformedFirst.size() < TraceReader.MAX_LISTED)
                        replayMalformedFirst.add("line " + line.number() + ": " + line.event().event() + ": " + e.getMessage());
                }
            }
        }
        sim.runUntil(sim(profile.lastTs()) + tick);
        for (int c = 0; c < ncpus; c++) finishIdle(c);
        RunResult result = sim.finish();
        fidelity.finishTimers(result);
        wall = System.nanoTime() - wall;
        if (profile.backwardsTimestamps() > 0)
            warnings.add(profile.backwardsTimestamps() + " events have an earlier timestamp than the line before (replayed in file order)");
        if (!timeAligned) warnings.add("the trace prints no jiffies: the lab's clock is not aligned with the kernel's");
        return new ReplayResult(path.toString(), profile, options, this, result, fidelity, List.copyOf(warnings), wall);
    }

    private void handle(TraceReader.Line line, Lookahead in) {
        FtraceLine l = line.event();
        String ev = l.event();
        if (!isBehaviour(ev) || (!started && isSetUp(ev))) return;
        long t = Math.max(lastSim, warp(line, in)); // jiffies found lagging later never reorder the trace
        lastSim = t;
        sim.runUntil(t);
        if (!started) {
            started = true;
            start(t);
        }
        if (in.lostBefore(line.number())) lost(l.timestampNs());
        switch (ev) {
            case "timer_start" -> timerStart(line, t);
            case "timer_cancel" -> timerCancel(line, t, in);
            case "timer_expire_entry" -> timerExpire(line);
            case "tmigr_cpu_idle" -> {
                int c = subject(l);
                if (c < 0) return;
                finishIdle(c);
                kIdleTs[c] = l.timestampNs();
                kIdleSim[c] = t;
                kIdleLine[c] = line.number();
                kIdleNext[c] = l.decimal("nextevt");
                kIdleWake[c] = l.decimal("wakeup");
                kIdleInterleaved[c] = interleaved(c);
                walkStart[c] = -1;
                kernelState(c, false);
                kWakeup[c] = kIdleWake[c];
                if (idleSource == TraceProfile.IdleSource.TMIGR) inject(t, c, Op.IDLE);
            }
            case "tmigr_cpu_active" -> {
                int c = subject(l);
                if (c < 0) return;
                finishIdle(c);
                kernelState(c, true);
                kWakeup[c] = KTIME_MAX;
                endDivergence(c, l.timestampNs());
                walkStart[c] = -1;
                if (idleSource == TraceProfile.IdleSource.TMIGR) inject(t, c, Op.BUSY);
            }
            case "tmigr_cpu_new_timer_idle", "tmigr_cpu_new_timer" -> {
                int c = subject(l);
                if (c < 0) return;
                kernelState(c, false);
                if (ev.equals("tmigr_cpu_new_timer_idle")) {
                    kWakeup[c] = l.decimal("wakeup");
                    checkWakeup(c, kWakeup[c], l.timestampNs(), line.number());
                }
            }
            case "tmigr_handle_remote" -> {
                if (cpuOk(l.cpu())) remoteActivity(l.cpu(), jiffiesOfSim(t));
            }
            case "tmigr_handle_remote_cpu" -> {
                int c = subject(l);
                if (c < 0 || !cpuOk(l.cpu())) return;
                lastRemoteFrom[l.cpu()] = c;
                lastRemoteTs[l.cpu()] = l.timestampNs();
                // tmigr_handle_remote_cpu() clears the expired CPU's wakeup; remember what it was.
                kWakeupCleared[c] = l.decimal("wakeup");
                kWakeupClearedTs[c] = l.timestampNs();
                kWakeup[c] = KTIME_MAX;
            }
            case "tmigr_group_set_cpu_inactive", "tmigr_group_set_cpu_active", "tmigr_update_events" -> {
                if (!cpuOk(l.cpu())) return;
                lastWalkLine[l.cpu()] = l.timestampNs();
                // A deactivation walk starts at level 0 with the CPU's own inactive line.
                if (walkStart[l.cpu()] < 0 && ev.equals("tmigr_group_set_cpu_inactive") && "0".equals(l.field("lvl")))
                    walkStart[l.cpu()] = l.timestampNs();
            }
            case "timer_base_idle" -> {
                int c = subject(l);
                if (c >= 0 && idleSource == TraceProfile.IdleSource.BASE_IDLE)
                    inject(t, c, l.decimal("is_idle") == 0 ? Op.BUSY : Op.IDLE);
            }
            case "cpu_idle" -> {
                if (idleSource != TraceProfile.IdleSource.CPU_IDLE) return;
                int c = (int) l.decimal("cpu_id");
                if (!cpuOk(c)) return;
                if (l.decimal("state") != EXIT) {
                    // A CPU woken again within two ticks most likely kept its tick (the kernel stops
                    // it only for longer sleeps): for the hierarchy it stayed active.
                    if (!in.cpuIdleExitWithin(c, l.timestampNs() + 2 * tick)) inject(t, c, Op.IDLE);
                } else if (l.needResched()) {
                    inject(t, c, Op.BUSY);
                }
            }
            case "tmigr_cpu_offline", "tmigr_cpu_unavailable" -> {
                int c = subject(l);
                if (c >= 0) inject(t, c, Op.OFFLINE);
            }
            case "tmigr_cpu_online", "tmigr_cpu_available" -> {
                int c = subject(l);
                if (c >= 0 && !sim.cpuOnline(c)) inject(t, c, Op.ONLINE);
            }
            default -> {
            }
        }
    }

    /** The {@code cpu=} a line is about, or -1 if it is not a CPU of the machine. */
    private int subject(FtraceLine l) {
        int c = (int) l.decimal("cpu");
        return cpuOk(c) ? c : -1;
    }

    /** Hierarchy set-up lines (boot buffer) are not behaviour; everything else is. */
    private static boolean isBehaviour(String ev) {
        return !ev.equals("tmigr_group_set") && !ev.startsWith("tmigr_connect_");
    }

    /** CPUs coming up at boot: before the first behaviour line they only say what the lab's boot did already. */
    private static boolean isSetUp(String ev) {
        return ev.equals("tmigr_cpu_online") || ev.equals("tmigr_cpu_available");
    }

    private boolean cpuOk(int c) {
        return c >= 0 && c < ncpus;
    }

    /** The one place replay steps are made: an absolute expiry ({@code expiresAt}) or none. */
    private static Step step(long t, int cpu, Op op, String timer, long expiresAtNs, boolean pinned, boolean deferrable) {
        return new Step(t, cpu, op, timer, -1, expiresAtNs, pinned, deferrable, 0);
    }

    private void inject(long t, int cpu, Op op) {
        sim.inject(step(t, cpu, op, null, -1, false, false));
    }

    private void kernelState(int c, boolean active) {
        kernelActive[c] = active;
        stateKnown[c] = true;
    }

    /**
     * Before the first behaviour line: the lab booted with every CPU idle and no timer; CPUs whose
     * first hierarchy line shows them leaving it were in it when tracing began, and the timers
     * already pending are put back.
     */
    private void start(long t) {
        for (int c = 0; c < ncpus; c++) {
            Boolean active = profile.initiallyActive(c);
            kernelActive[c] = active != null && active;
            if (kernelActive[c]) inject(t, c, Op.BUSY);
        }
        recreatePreCaptureTimers(t);
    }

    /**
     * Timers armed before tracing began that the capture later shows expiring are re-created: the
     * bucket is the {@code baseclk} they expired at, the base CPU the one that expired them (or
     * the one {@code tmigr_handle_remote_cpu} named just before), the flags those of their next
     * {@code timer_start} (global if never re-armed). Without them the hierarchy would lack events
     * the kernel had queued (on the captures, 8 and 3 tmigr_cpu_idle wakeups agree only with them). Their
     * expiries are compared apart, never in the headline figure: how they were armed is a
     * reconstruction.
     */
    private void recreatePreCaptureTimers(long t) {
        long j = jiffiesOfSim(t);
        for (TraceProfile.PreCaptureTimer pre : profile.preCaptureTimers().values()) {
            if (!"expired".equals(pre.fate()) || pre.bucket() < 0 || !cpuOk(pre.baseCpu())) continue;
            String flags = pre.flags() == null ? "" : pre.flags();
            boolean pinned = has(flags, 'P');
            boolean deferrable = has(flags, 'D');
            long bucket = pre.bucket();
            // An expiry that rounds to that bucket from now: one jiffy before it, or a coarser step back.
            long expires = bucket - 1;
            for (int lvl = 1; lvl < 9 && TimerWheel.bucketExpiry(expires, j, hz) != bucket; lvl++) expires = bucket - (1L << (3 * lvl));
            if (TimerWheel.bucketExpiry(expires, j, hz) != bucket) expires = bucket - 1;
            KTimer k = timer(pre.ptr());
            k.function = pre.function();
            int base = pre.baseCpu();
            int kind = deferrable ? 2 : pinned ? 0 : 1;
            bases[base * 3 + kind].add(bucket);
            k.pendingBase = base * 3 + kind;
            k.pendingBucket = bucket;
            k.arming = armings.add(k, base, pinned, deferrable, pre.ts(), 0, expires, bucket, t);
            armings.phantom[k.arming] = true;
            sim.inject(step(t, base, Op.ARM, pre.ptr(), simOfJiffies(expires), pinned, deferrable));
        }
    }

    // ---- timers ------------------------------------------------------------------------

    private KTimer timer(String ptr) {
        return timers.computeIfAbsent(ptr, KTimer::new);
    }

    private static String timerField(FtraceLine l) {
        String ptr = l.field("timer");
        if (ptr == null || ptr.isEmpty()) throw new IllegalArgumentException("no timer= field");
        return ptr;
    }

    private static boolean has(String flags, char f) {
        for (String s : flags.split("\\|")) if (s.length() == 1 && s.charAt(0) == f) return true;
        return false;
    }

    private void timerStart(TraceReader.Line line, long t) {
        FtraceLine l = line.event();
        String ptr = timerField(l);
        long expires = l.decimal("expires");
        String flagText = l.field("flags");
        boolean pinned = flagText != null && has(flagText, 'P');
        boolean deferrable = flagText != null && has(flagText, 'D');
        int base = l.field("cpu") != null ? (int) l.decimal("cpu") : l.cpu();
        if (!cpuOk(base)) throw new IllegalArgumentException("cpu=" + base + " is not a CPU of the machine");
        long jiffies = l.field("timeout") != null ? expires - l.decimal("timeout") : jiffiesOfSim(t);
        KTimer k = timer(ptr);
        if (l.field("function") != null) k.function = l.field("function");
        // The previous arming, if still pending, was moved by a mod_timer() whose detach was not traced.
        if (k.arming >= 0 && armings.outcome[k.arming] == PENDING) armings.resolve(k.arming, REARMED, -1, 0, l.timestampNs());
        if (k.pendingBase >= 0) bases[k.pendingBase].remove(k.pendingBucket);
        int kind = deferrable ? 2 : pinned ? 0 : 1;
        BaseModel b = bases[base * 3 + kind];
        long clk = b.clockFor(jiffies);
        long printed = l.field("bucket_expiry") != null ? l.decimal("bucket_expiry") : -1;
        if (printed >= 0) fidelity.bucket(line, expires, jiffies, clk, printed, hz, b.nextExpiry(), kind);
        long bucket = printed >= 0 ? printed : TimerWheel.bucketExpiry(expires, clk, hz);
        b.add(bucket);
        b.clk = clk;
        k.pendingBase = base * 3 + kind;
        k.pendingBucket = bucket;
        k.arming = armings.add(k, base, pinned, deferrable, l.timestampNs(), line.number(), expires, bucket, t);
        sim.inject(step(t, base, Op.ARM, ptr, simOfJiffies(expires), pinned, deferrable));
    }

    private void timerCancel(TraceReader.Line line, long t, Lookahead in) {
        FtraceLine l = line.event();
        String ptr = timerField(l);
        int what = in.whatFollowsCancel(line, ptr, tick);
        if (what == Lookahead.EXPIRY) return; // the detach of an expiry: seen at timer_expire_entry
        KTimer k = timers.get(ptr);
        if (k == null || k.arming < 0) return; // armed before the capture and never re-created
        if (k.pendingBase >= 0) {
            bases[k.pendingBase].remove(k.pendingBucket);
            k.pendingBase = -1;
        }
        if (what == Lookahead.REARM) return; // mod_timer(): the timer_start that follows re-arms it
        if (armings.outcome[k.arming] == PENDING) armings.resolve(k.arming, CANCELLED, -1, 0, l.timestampNs());
        int on = cpuOk(l.cpu()) ? l.cpu() : armings.cpu[k.arming];
        sim.inject(step(t, on, Op.CANCEL, ptr, -1, false, false));
    }

    private void timerExpire(TraceReader.Line line) {
        FtraceLine l = line.event();
        String ptr = timerField(l);
        long now = l.field("now") != null ? l.decimal("now") : jiffiesOfSim(sim(l.timestampNs()));
        KTimer k = timers.get(ptr);
        int cpu = l.cpu();
        if (k == null || k.arming < 0) {
            boolean pulled = cpuOk(cpu) && lastRemoteFrom[cpu] >= 0 && lastRemoteFrom[cpu] != cpu
                    && l.timestampNs() - lastRemoteTs[cpu] < tick;
            fidelity.preCaptureExpiry(line, ptr, l.field("function"), cpu, pulled ? lastRemoteFrom[cpu] : cpu);
            return;
        }
        if (k.pendingBase >= 0) {
            BaseModel b = bases[k.pendingBase];
            b.remove(k.pendingBucket);
            // While callbacks run, base->clk is one past the bucket being expired (__run_timers()).
            if (l.field("baseclk") != null) b.clk = l.decimal("baseclk") + 1;
            k.pendingBase = -1;
        }
        int a = k.arming;
        if (armings.outcome[a] != PENDING) {
            fidelity.anomaly("line " + line.number() + ": " + ptr + " expired, but its last timer_start was already "
                    + (armings.outcome[a] == FIRED ? "expired" : "cancelled"));
            return;
        }
        armings.resolve(a, FIRED, cpu, now, l.timestampNs());
        armings.expireLine[a] = line.number();
        int base = armings.cpu[a];
        armings.ownerState[a] = !stateKnown[base] ? (byte) 0 : kernelActive[base] ? (byte) 1 : (byte) 2;
        armings.ownerWakeup[a] = kWakeup[base] == KTIME_MAX && l.timestampNs() - kWakeupClearedTs[base] < tick
                ? kWakeupCleared[base] : kWakeup[base];
    }

    // ---- idle decisions ----------------------------------------------------------------

    /** Judges the kernel's pending {@code tmigr_cpu_idle} of {@code c} against what the lab did since. */
    private void finishIdle(int c) {
        List<long[]> lab = capture.takeIdle(c);
        if (kIdleTs[c] < 0) {
            if (!lab.isEmpty()) fidelity.labOnlyIdle(lab.size());
            return;
        }
        long kt = kIdleTs[c];
        kIdleTs[c] = -1;
        // The lab's first decision at or after the kernel's; earlier ones stopped a tick the kernel kept.
        long[] first = null;
        int before = 0;
        for (long[] d : lab) {
            if (d[0] >= kIdleSim[c]) {
                first = d;
                break;
            }
            before++;
        }
        if (first != null && mono(first[2]) != kIdleWake[c]) startDivergence(c, kt, kIdleLine[c], kIdleWake[c], mono(first[2]));
        fidelity.idleDecision(c, kt, kIdleLine[c], kIdleNext[c], kIdleWake[c], first, kIdleSim[c], kIdleInterleaved[c]);
        if (lab.size() > 1) fidelity.labOnlyIdle(lab.size() - 1);
        else if (before > 0) fidelity.labOnlyIdle(before);
    }

    /**
     * Whether another CPU's walk printed a line while {@code c}'s deactivation walk was running
     * (between its level-0 {@code tmigr_group_set_cpu_inactive} and its {@code tmigr_cpu_idle}):
     * the kernel interleaved two walks, which the lab, running one walk at a time, cannot.
     *
     * @return that other CPU, or -1
     */
    private int interleaved(int c) {
        if (walkStart[c] < 0) return -1;
        for (int d = 0; d < ncpus; d++) if (d != c && lastWalkLine[d] >= walkStart[c]) return d;
        return -1;
    }

    private void remoteActivity(int cpu, long j) {
        if (firstJiffy == Long.MIN_VALUE) firstJiffy = j;
        long bit = j - firstJiffy;
        if (bit >= 0 && bit <= Integer.MAX_VALUE) remoteJiffies[cpu].set((int) bit);
    }

    /** Whether the kernel ran {@code tmigr_handle_remote()} on {@code cpu} in real jiffy {@code j}. */
    boolean kernelHandledRemote(int cpu, long j) {
        if (firstJiffy == Long.MIN_VALUE || !cpuOk(cpu)) return false;
        long bit = j - firstJiffy;
        return bit >= 0 && bit <= Integer.MAX_VALUE && remoteJiffies[cpu].get((int) bit);
    }

    private void lost(long ts) {
        if (nlost == lostTimes.length) lostTimes = Arrays.copyOf(lostTimes, nlost * 2);
        lostTimes[nlost++] = ts;
    }

    /** Whether events were lost between the two monotonic times (inclusive). */
    boolean lostBetween(long from, long to) {
        for (int i = 0; i < nlost; i++) if (lostTimes[i] >= from && lostTimes[i] <= to) return true;
        return false;
    }

    // ---- divergences -------------------------------------------------------------------

    /**
     * Holds the kernel's {@code tmc->wakeup} of a CPU, as a {@code tmigr_cpu_new_timer_idle} line
     * prints it, against the lab's. A difference means the hierarchies already disagree (an
     * interleaving the lab cannot follow, an unknown input); later decisions that depend on that
     * CPU are then consequences. Only the mainline model exposes its wakeups.
     */
    private void checkWakeup(int c, long kernelWake, long ts, long lineNo) {
        if (!(sim.model() instanceof MainlineModel mm)) return;
        long lab = mono(mm.cpuWakeup(c));
        if (lab == kernelWake) endDivergence(c, ts);
        else startDivergence(c, ts, lineNo, kernelWake, lab);
    }

    private void startDivergence(int c, long ts, long lineNo, long kernelWake, long lab) {
        Divergence open = openDivergence[c];
        if (open != null) {
            // Found late (an idle decision is judged at the CPU's next transition): it began earlier.
            if (ts < open.since) {
                open.since = ts;
                open.line = lineNo;
                open.kernel = kernelWake;
                open.lab = lab;
            }
            return;
        }
        Divergence d = new Divergence(c, ts, lineNo, kernelWake, lab);
        openDivergence[c] = d;
        divergences.add(d);
    }

    private void endDivergence(int c, long ts) {
        if (openDivergence[c] != null) {
            openDivergence[c].until = ts;
            openDivergence[c] = null;
        }
    }

    /** The divergence of {@code cpu}'s hierarchy wakeup open at monotonic time {@code ts}, or null. */
    Divergence divergenceAt(int cpu, long ts) {
        for (Divergence d : divergences) if (d.cpu == cpu && d.since <= ts && ts <= d.until) return d;
        return null;
    }

    /** The lab's hierarchy wakeup of a CPU differed from the kernel's over [since, until]. */
    static final class Divergence {
        final int cpu;
        long since;
        long line;
        long kernel;
        long lab;
        long until = Long.MAX_VALUE;

        Divergence(int cpu, long since, long line, long kernel, long lab) {
            this.cpu = cpu;
            this.since = since;
            this.line = line;
            this.kernel = kernel;
            this.lab = lab;
        }

        @Override
        public String toString() {
            return "CPU " + cpu + " since " + ReplayReport.seconds(since) + " (line " + line + "): kernel wakeup="
                    + ReplayReport.tmigrTime(kernel) + ", lab " + ReplayReport.tmigrTime(lab);
        }
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    /** A traced timer (one {@code struct timer_list}, named by its pointer). */
    static final class KTimer {
        final String ptr;
        String function;
        int arming = -1;
        int pendingBase = -1;
        long pendingBucket;

        KTimer(String ptr) {
            this.ptr = ptr;
        }

        String label() {
            return (function == null ? "?" : function) + "@" + ptr;
        }
    }

    /** All armings in the order the trace made them, as primitive columns. */
    static final class Armings {
        int n;
        KTimer[] timer = new KTimer[256];
        int[] cpu = new int[256];
        boolean[] pinned = new boolean[256];
        boolean[] deferrable = new boolean[256];
        /** Re-created from a pre-capture expiry, not armed by a traced timer_start. */
        boolean[] phantom = new boolean[256];
        long[] ts = new long[256];
        long[] line = new long[256];
        long[] expires = new long[256];
        long[] bucket = new long[256];
        long[] simAt = new long[256];
        byte[] outcome = new byte[256];
        int[] outCpu = new int[256];
        long[] outJiffy = new long[256];
        long[] outTs = new long[256];
        long[] expireLine = new long[256];
        /** Kernel state of the base CPU when the kernel expired it: 0 unknown, 1 active, 2 idle in the hierarchy. */
        byte[] ownerState = new byte[256];
        /** The base CPU's hierarchy wakeup (monotonic ns) at that moment. */
        long[] ownerWakeup = new long[256];

        int add(KTimer k, int base, boolean p, boolean d, long t, long ln, long exp, long bkt, long at) {
            if (n == timer.length) grow(n * 2);
            int i = n++;
            timer[i] = k;
            cpu[i] = base;
            pinned[i] = p;
            deferrable[i] = d;
            ts[i] = t;
            line[i] = ln;
            expires[i] = exp;
            bucket[i] = bkt;
            simAt[i] = at;
            outcome[i] = PENDING;
            outCpu[i] = -1;
            return i;
        }

        void resolve(int i, byte how, int onCpu, long jiffy, long t) {
            outcome[i] = how;
            outCpu[i] = onCpu;
            outJiffy[i] = jiffy;
            outTs[i] = t;
        }

        boolean global(int i) {
            return !pinned[i] && !deferrable[i];
        }

        private void grow(int m) {
            timer = Arrays.copyOf(timer, m);
            cpu = Arrays.copyOf(cpu, m);
            pinned = Arrays.copyOf(pinned, m);
            deferrable = Arrays.copyOf(deferrable, m);
            phantom = Arrays.copyOf(phantom, m);
            ts = Arrays.copyOf(ts, m);
            line = Arrays.copyOf(line, m);
            expires = Arrays.copyOf(expires, m);
            bucket = Arrays.copyOf(bucket, m);
            simAt = Arrays.copyOf(simAt, m);
            outcome = Arrays.copyOf(outcome, m);
            outCpu = Arrays.copyOf(outCpu, m);
            outJiffy = Arrays.copyOf(outJiffy, m);
            outTs = Arrays.copyOf(outTs, m);
            expireLine = Arrays.copyOf(expireLine, m);
            ownerState = Arrays.copyOf(ownerState, m);
            ownerWakeup = Arrays.copyOf(ownerWakeup, m);
        }
    }

    /**
     * One kernel timer base as the trace shows it: the buckets pending on it and its clock, for
     * {@code forward_timer_base()}. {@code __mod_timer()} forwards {@code base->clk} to jiffies
     * before it computes the bucket, unless the base still holds an expired timer it has not run
     * ({@code next_expiry <= jiffies}: a deferrable timer on a sleeping CPU, or the rest of a
     * bucket list while callbacks run); then the clock only moves to that {@code next_expiry}.
     */
    static final class BaseModel {
        private final TreeMap<Long, Integer> pending = new TreeMap<>();
        long clk = Long.MIN_VALUE;

        void add(long bucket) {
            pending.merge(bucket, 1, Integer::sum);
        }

        void remove(long bucket) {
            pending.computeIfPresent(bucket, (k, v) -> v == 1 ? null : v - 1);
        }

        long nextExpiry() {
            return pending.isEmpty() ? KTIME_MAX : pending.firstKey();
        }

        /** {@link #nextExpiry()} without the (base, bucket) entries of {@code removed} that concern base {@code self}. */
        long nextExpiry(int self, List<long[]> removed) {
            if (removed == null) return nextExpiry();
            for (Map.Entry<Long, Integer> e : pending.entrySet()) {
                int n = e.getValue();
                for (long[] r : removed) if (r[0] == self && r[1] == e.getKey()) n--;
                if (n > 0) return e.getKey();
            }
            return KTIME_MAX;
        }

        /** The clock {@code calc_wheel_index()} sees when a timer is armed at {@code jiffies}. */
        long clockFor(long jiffies) {
            if (clk != Long.MIN_VALUE && jiffies <= clk) return clk;
            long next = nextExpiry();
            if (next > jiffies) return jiffies;
            return clk != Long.MIN_VALUE && next < clk ? clk : next;
        }
    }

    /**
     * The lab's tracepoints: its {@code tmigr_cpu_idle} decisions are kept for the comparison,
     * everything is passed on to the user's sink.
     */
    static final class Capture implements TraceSink {
        private final List<List<long[]>> idle = new ArrayList<>();
        private final TraceSink next;
        /** The simulator's clock: the model stamps its tracepoints with the jiffy start, not the instant. */
        private final java.util.function.LongSupplier now;
        private long deactivations;

        long deactivations() {
            return deactivations;
        }

        Capture(int ncpus, TraceSink next, java.util.function.LongSupplier now) {
            this.next = next;
            this.now = now;
            for (int c = 0; c < ncpus; c++) idle.add(new ArrayList<>());
        }

        List<long[]> takeIdle(int cpu) {
            List<long[]> l = idle.get(cpu);
            if (l.isEmpty()) return List.of();
            List<long[]> out = new ArrayList<>(l);
            l.clear();
            return out;
        }

        @Override
        public void cpuIdle(long t, int cpu, String event, int subjectCpu, int parent, long nextevt, long wakeup) {
            if (event.equals("tmigr_cpu_idle") && subjectCpu >= 0 && subjectCpu < idle.size()) {
                idle.get(subjectCpu).add(new long[]{now.getAsLong(), nextevt, wakeup});
                deactivations++;
            }
            next.cpuIdle(t, cpu, event, subjectCpu, parent, nextevt, wakeup);
        }

        @Override
        public void groupSet(long t, int cpu, int group, int lvl, int numa) {
            next.groupSet(t, cpu, group, lvl, numa);
        }

        @Override
        public void connectChildParent(long t, int cpu, int child, long groupmask, int parent, int lvl, int numa, int numChildren) {
            next.connectChildParent(t, cpu, child, groupmask, parent, lvl, numa, numChildren);
        }

        @Override
        public void connectCpuParent(long t, int cpu, int childCpu, long groupmask, int parent, int lvl, int numa, int numChildren) {
            next.connectCpuParent(t, cpu, childCpu, groupmask, parent, lvl, numa, numChildren);
        }

        @Override
        public void groupSetCpu(long t, int cpu, boolean active, int group, int lvl, int numa, long activeMask, long migrator,
                                int parent, long childmask) {
            next.groupSetCpu(t, cpu, active, group, lvl, numa, activeMask, migrator, parent, childmask);
        }

        @Override
        public void cpuGroup(long t, int cpu, String event, int subjectCpu, int parent, long wakeup) {
            next.cpuGroup(t, cpu, event, subjectCpu, parent, wakeup);
        }

        @Override
        public void updateEvents(long t, int cpu, int child, int group, int groupLvl, long childActive, long groupActive,
                                 long nextevt, long nextExpiry, long childEvtExpiry, int childEvtCpu) {
            next.updateEvents(t, cpu, child, group, groupLvl, childActive, groupActive, nextevt, nextExpiry, childEvtExpiry, childEvtCpu);
        }

        @Override
        public void handleRemote(long t, int cpu, int group, int lvl) {
            next.handleRemote(t, cpu, group, lvl);
        }

        @Override
        public void timerStart(long t, int cpu, int timer, String function, long expires, long timeout, long bucketExpiry,
                               int baseCpu, int idx, String flags) {
            next.timerStart(t, cpu, timer, function, expires, timeout, bucketExpiry, baseCpu, idx, flags);
        }

        @Override
        public void timerCancel(long t, int cpu, int timer) {
            next.timerCancel(t, cpu, timer);
        }

        @Override
        public void timerExpireEntry(long t, int cpu, int timer, String function, long now, long baseclk) {
            next.timerExpireEntry(t, cpu, timer, function, now, baseclk);
        }

        @Override
        public void timerExpireExit(long t, int cpu, int timer) {
            next.timerExpireExit(t, cpu, timer);
        }

        @Override
        public void timerBaseIdle(long t, int cpu, boolean idle) {
            next.timerBaseIdle(t, cpu, idle);
        }

        @Override
        public void cpuIdleState(long t, int cpu, long state) {
            next.cpuIdleState(t, cpu, state);
        }
    }

    /**
     * The event lines with a window to look ahead: a {@code timer_cancel} is understood only once
     * the next line of the same CPU is known, and lagging jiffies show in lines shortly after.
     */
    static final class Lookahead {
        static final int CANCEL = 0;
        static final int EXPIRY = 1;
        static final int REARM = 2;

        private final TraceReader reader;
        private TraceReader.Line[] buf = new TraceReader.Line[64];
        private int head;
        private int size;
        private boolean eof;
        /** Line numbers of the first line after each lost-event marker not yet passed. */
        private final java.util.ArrayDeque<Long> lostBefore = new java.util.ArrayDeque<>();

        Lookahead(TraceReader reader) {
            this.reader = reader;
        }

        TraceReader.Line next() {
            if (size == 0 && !fill()) return null;
            TraceReader.Line l = buf[head];
            buf[head] = null;
            head = (head + 1) % buf.length;
            size--;
            return l;
        }

        private boolean fill() {
            if (eof) return false;
            long markers = reader.stats().lostMarkers();
            TraceReader.Line l = reader.next();
            if (l == null) {
                eof = true;
                return false;
            }
            if (reader.stats().lostMarkers() != markers) lostBefore.add(l.number());
            if (size == buf.length) {
                TraceReader.Line[] nb = new TraceReader.Line[buf.length * 2];
                for (int i = 0; i < size; i++) nb[i] = buf[(head + i) % buf.length];
                buf = nb;
                head = 0;
            }
            buf[(head + size) % buf.length] = l;
            size++;
            return true;
        }

        TraceReader.Line peek(int i) {
            while (i >= size) if (!fill()) return null;
            return buf[(head + i) % buf.length];
        }

        /** Whether {@code cpu} leaves idle ({@code cpu_idle} exit) before timestamp {@code until}. */
        boolean cpuIdleExitWithin(int cpu, long until) {
            for (int i = 0; i < LOOKAHEAD_LIMIT; i++) {
                TraceReader.Line x = peek(i);
                if (x == null || x.event().timestampNs() > until) return false;
                FtraceLine e = x.event();
                if (e.event().equals("cpu_idle") && String.valueOf(cpu).equals(e.field("cpu_id")) && String.valueOf(EXIT).equals(e.field("state")))
                    return true;
            }
            return false;
        }

        /** True once, for the first line after a lost-event marker. */
        boolean lostBefore(long lineNo) {
            boolean lost = false;
            while (!lostBefore.isEmpty() && lostBefore.peek() <= lineNo) {
                lostBefore.poll();
                lost = true;
            }
            return lost;
        }

        /** Whether the cancel is an expiry's detach, a re-arm's, or a real {@code del_timer()}. */
        int whatFollowsCancel(TraceReader.Line cancel, String ptr, long window) {
            int cpu = cancel.event().cpu();
            long limit = cancel.event().timestampNs() + window;
            for (int i = 0; i < LOOKAHEAD_LIMIT; i++) {
                TraceReader.Line x = peek(i);
                if (x == null) return CANCEL;
                FtraceLine e = x.event();
                if (e.cpu() == cpu) {
                    if (ptr.equals(e.field("timer"))) {
                        if (e.event().equals("timer_expire_entry")) return EXPIRY;
                        if (e.event().equals("timer_start")) return REARM;
                    }
                    return CANCEL;
                }
                if (e.timestampNs() > limit) return CANCEL;
            }
            return CANCEL;
        }
    }

    // ---- views for Fidelity and the report ----

    Capture capture() {
        return capture;
    }
}
