package org.tmigrlab.engine.core.rfc2017;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * The pull model as the 2017 RFC proposed it: "[patch V2 08/10] timer: Implement the hierarchical
 * pull model" (Anna-Maria Gleixner, Thomas Gleixner, April 2017), {@code kernel/time/timer_migration.c}
 * and {@code .h} of that patch plus its glue in {@code timer.c} and {@code tick-sched.c}. The RFC
 * was never merged; the design came back in 2022-2024 and was merged for v6.9 in a different form.
 * This class lets a run show what the first design would have done with the same workload.
 *
 * <h2>What the RFC did</h2>
 *
 * <p>Every timer is queued on the CPU that arms it; non-pinned ("global") timers may be expired
 * by another CPU. CPUs sit in level-0 groups (8 per group, per NUMA node), groups in parent
 * groups, up to one top group. Each group ({@code struct tmigr_group}) has a spinlock, an
 * {@code active} <em>counter</em>, a {@code cpus} <em>cpumask</em> and a {@code migrator} that is
 * a <em>CPU id</em> (or {@code TMIGR_NONE}). In a level-0 group {@code cpus} holds the active
 * CPUs; in a higher group it holds the migrator CPU of each active child. Each group has a
 * timerqueue of its idle children's first events; an event ({@code struct tmigr_event}) carries
 * either a CPU ({@code cpuevt}) or a <em>pointer to the group</em> it summarises
 * ({@code groupevt}), whose expiry is kept equal to the first entry of that group's queue.
 *
 * <ul>
 *   <li>{@code tmigr_cpu_idle(nextevt)} &rarr; {@code tmigr_set_cpu_inactive()}: under the group
 *       lock, remove the CPU from {@code cpus}, queue its event <em>eagerly</em>, and if it was the
 *       migrator pick {@code cpumask_first(cpus)} (or NONE) and repeat one level up, passing the
 *       group event if the group became idle. At the top, the CPU gets the top group's first event
 *       back and arms its own timer for it.</li>
 *   <li>{@code tmigr_cpu_activate()} &rarr; {@code tmigr_set_cpu_active()}: add the CPU; the first
 *       active CPU of an idle group becomes its migrator and the activation climbs; then the
 *       child's event is <em>removed eagerly</em> from the queue (after the parents are updated,
 *       so the group event being changed is never queued).</li>
 *   <li>{@code tmigr_handle_remote()} (end of the timer softirq, if {@code base->nohz_active}):
 *       if the CPU is its level-0 migrator, {@code __tmigr_handle_remote()} pops every expired
 *       event of the group; a CPU event runs {@code timer_expire_remote(cpu)} then
 *       {@code tmigr_update_remote(cpu)} requeues that CPU's next global event; a <em>group</em>
 *       event recurses <em>down</em> into that group (any idle group, down to the leaf CPUs) and
 *       requeues the group's new first event in its parent afterwards. Then it walks up while it
 *       is the parent's migrator.</li>
 *   <li>{@code tmigr_cpu_online()} builds/joins groups on the first online
 *       ({@code tmigr_add_cpu}, {@code tmigr_get_group}, {@code tmigr_setup_parents}) and activates
 *       the CPU; {@code tmigr_cpu_offline()} runs {@code tmigr_set_cpu_inactive()} with no event,
 *       and a dying top-level migrator sends {@code smp_send_reschedule()} to
 *       {@code cpumask_any_but(cpu_online_mask, cpu)}.</li>
 * </ul>
 *
 * <h2>How it maps onto {@link PullModel}</h2>
 *
 * <table>
 *   <caption>RFC entry points</caption>
 *   <tr><th>PullModel</th><th>RFC</th></tr>
 *   <tr><td>{@link #prepare}</td><td>the tree part of {@code tmigr_cpu_online()} on first online:
 *       the CPU's level-0 group, and {@code tmigr_setup_parents()} activating a new parent of an
 *       already active group (level by level, newest group first as in its list walk).</td></tr>
 *   <tr><td>{@link #setAvailable}</td><td>{@code tmigr_cpu_online()}: {@code online = true},
 *       {@code tmigr_cpu_activate()}.</td></tr>
 *   <tr><td>{@link #clearAvailable}</td><td>{@code tmigr_cpu_offline()}; its return value is
 *       dropped, as in the RFC; the reschedule IPI becomes {@link TimerSide#triggerActive}.</td></tr>
 *   <tr><td>{@link #cpuActivate}</td><td>{@code tick_tmigr_stop_idle()}: {@code tmigr_cpu_activate()}
 *       only if the CPU is marked {@code tmigr_idle} (the tick-sched glue flag).</td></tr>
 *   <tr><td>{@link #cpuDeactivate}</td><td>{@code tick_tmigr_idle()}: set {@code tmigr_idle},
 *       {@code tmigr_cpu_idle(nextGlobal)}.</td></tr>
 *   <tr><td>{@link #cpuNewTimer}</td><td>the RFC has no such call. An idle CPU re-evaluates its
 *       tick on irq exit, and every irq entry on such a CPU ran {@code tick_nohz_irq_enter()}
 *       &rarr; {@code tick_tmigr_stop_idle()} &rarr; {@code tmigr_cpu_activate()}; irq exit then ran
 *       {@code tmigr_cpu_idle()} again. So this is a full activate + idle cycle (migrator
 *       hand-overs, eager dequeue and requeue included), not an in-place update.</td></tr>
 *   <tr><td>{@link #quickCheck}</td><td>none in the RFC (the cpuidle governor used the sleep length
 *       computed when the tick was stopped): returns {@code nextEvent} unchanged.</td></tr>
 *   <tr><td>{@link #requiresHandleRemote}</td><td>the RFC added no tick check. The 2017 wheel's
 *       {@code run_local_timers()} raised {@code TIMER_SOFTIRQ} whenever {@code jiffies} had reached
 *       {@code base->clk}, i.e. on every tick, and {@code run_timer_softirq()} always ended in
 *       {@code tmigr_handle_remote()}. So: {@code true} for every online CPU; the filter is the
 *       migrator test inside {@link #handleRemote}.</td></tr>
 *   <tr><td>{@link #handleRemote}</td><td>{@code tmigr_handle_remote()}.</td></tr>
 * </table>
 *
 * <p>Interrupt entry. The simulator follows mainline {@code timer.c}, which does not touch the
 * hierarchy on irq entry. The RFC did, so the first call made from interrupt context on a CPU
 * still marked {@code tmigr_idle} ({@link #requiresHandleRemote} from its tick,
 * {@link #handleRemote} from its softirq, {@link #cpuNewTimer} / {@link #cpuDeactivate} on irq
 * exit) first runs the activation the RFC's {@code tick_nohz_irq_enter()} did. This is what lets
 * the last idle CPU, woken by the event it armed, find itself migrator and pull the timer.
 *
 * <h2>How it differs from mainline (v6.9+)</h2>
 *
 * <pre>
 * 4 CPUs, 2 per group; CPU0, CPU3 idle; CPU3 was the top migrator and just went idle:
 *
 *  RFC 2017: migrator = CPU id,                  mainline: migrator = child bit,
 *  re-elected as cpumask_first at every level    hand-over only in the group that lost it
 *  the leaving CPU held
 *
 *          GRP1:0 cpus={1,2} mig=CPU1                   GRP1:0 active=11 mig=10 (GRP0:1)
 *          /                  \                         /                  \
 *  GRP0:0 cpus={1} mig=1  GRP0:1 cpus={2} mig=2  GRP0:0 active=10      GRP0:1 active=01
 *   CPU0(idle) CPU1        CPU2   CPU3(idle)      CPU0  CPU1            CPU2  CPU3
 *
 *  expiry of an idle group's event:              the group event names its first CPU:
 *  dequeue, recurse DOWN into GRP0:x, expire     expire that CPU directly, re-walk UP from it
 *  its CPUs, requeue the group's new first
 * </pre>
 *
 * <ul>
 *   <li>Whole walks under nested group locks (here: sequential), no {@code seq}/cmpxchg state.</li>
 *   <li>Events are queued and dequeued eagerly (no {@code ignore} flag, no lazy removal).</li>
 *   <li>Not only the last CPU going idle gets a wakeup: any CPU that held the <em>top</em> migrator
 *       role gets the top group's first event back, even when another CPU takes over
 *       ({@code tmigr_set_cpu_inactive()} returns it whenever it reaches the top). Kept.</li>
 *   <li>The offline IPI goes out whenever the dying CPU held the top migrator role, even with
 *       other CPUs active or nothing pending (mainline: only if an event is pending and no CPU is
 *       left). Target: the first other online CPU ({@code cpumask_any_but} is
 *       {@code cpumask_first} of the rest).</li>
 *   <li>No quick check, no per-CPU {@code wakeup}, no {@code remote} flag, no isolation.</li>
 * </ul>
 *
 * <h2>Decisions and deviations</h2>
 *
 * <ul>
 *   <li>Tree. The groups are the {@link Hierarchy} given to {@link #prepare} (the kernel builder's
 *       tree); no second builder. The RFC's own {@code tmigr_get_group()} /
 *       {@code tmigr_setup_parents()} used the same geometry ({@code tmigr_init()}'s levels and
 *       crossnode formula, 8 children, first fit among a level's groups newest first, node match
 *       below the crossnode level, a new level when a level holds two groups). Differences: the RFC
 *       gives <em>every</em> parentless group a parent chosen by that group's own node (like
 *       mainline after "Fix imbalanced NUMA trees", unlike the older mainline that adopted the old
 *       root blindly), it attaches on the first online rather than in a prepare callback, and it
 *       has no groupmasks (child bits are used here only to translate traces and selector calls).
 *       The RFC frees groups ({@code tmigr_free_group()}) only when setting them up failed; offline
 *       keeps {@code tmgroup} and every group. With no allocation failures here, nothing is ever
 *       freed.</li>
 *   <li>Tree growth above an idle old root: {@code tmigr_setup_parents()} only activates the new
 *       parent of an <em>active</em> group; an idle old root's first event is not queued in the new
 *       parent. Kept (the CPU that armed that event heals it on its next activate/idle cycle).</li>
 *   <li>{@code tmigr_update_remote()} calls {@code get_next_timer_interrupt()}, which has no CPU
 *       argument and reads the <em>calling</em> CPU's bases. The evident intent is the remote CPU's
 *       next global event, so this asks {@link TimerSide#nextGlobalEvent} for the remote CPU.</li>
 *   <li>The RFC's {@code tick_nohz_stop_sched_tick()} calls {@code tick_tmigr_idle(ts, next_local,
 *       next_global)} against a {@code (ts, next_global, next_local)} signature, i.e. swapped. Not
 *       reproduced: {@code nextGlobal} comes from the simulator, already filtered the intended way
 *       (a global timer behind the first pinned one is not reported).</li>
 *   <li>Hand-over and {@link MigratorSelector}. The RFC's choice point is
 *       {@code cpumask_first(group->cpus)} over CPU ids. {@link MigratorSelector#LOWEST_ACTIVE}
 *       ("the kernel's rule") means that rule here. Any other selector is asked, in child bits,
 *       where its contract holds: the leaving child went idle (a CPU at level 0, or a child group
 *       with no migrator left). When the leaving CPU's child stays active under a new migrator,
 *       the RFC still re-elects among the child migrators; the selector contract has no such case,
 *       so that re-election stays {@code cpumask_first}.</li>
 *   <li>{@link #setAvailable} with {@code baseIdle} (isolation, which the RFC did not have; its
 *       online callback runs on the awake CPU): the CPU is marked {@code tmigr_idle} without an
 *       event, so its next interrupt or wakeup activates it. {@link #clearAvailable} on a CPU idle
 *       in the hierarchy first activates it, since the RFC's teardown callback runs on that CPU.</li>
 *   <li>Single-CPU machines: the RFC bails out in {@code tmigr_init()}; everything is a no-op.</li>
 *   <li>Checks. {@code WARN_ON(active == num_childs)} in {@code tmigr_set_cpu_active()} returns
 *       as in the RFC and is counted ({@link #warnings()}); the {@code DBG_BUG_ON}s and a broken
 *       cpumask/count throw {@link IllegalStateException}. A remote-expiry loop longer than any
 *       correct {@link TimerSide} allows throws too, rather than hanging the simulator.</li>
 * </ul>
 *
 * <h2>Traces</h2>
 *
 * <p>The RFC had its own events ({@code tmigr_group_set_cpu_active/inactive}, {@code
 * tmigr_group_addevt/removeevt}, {@code tmigr_cpu_update_remote}, {@code tmigr_handle_remote}). This
 * emits the closest current ones, in mainline vocabulary so traces compare: {@code groupSetCpu}
 * after each group update (active mask and migrator as child bits translated from {@code cpus},
 * {@code 0xff} = NONE; {@code childmask} = the child that changed), {@code cpuIdle}
 * ("tmigr_cpu_idle", wakeup = the value returned), {@code cpuGroup} ("tmigr_cpu_active",
 * "tmigr_cpu_available", "tmigr_cpu_unavailable", "tmigr_handle_remote_cpu"; its {@code wakeup}
 * column is the last value that CPU got from going idle, a trace-only shadow) and
 * {@code handleRemote} once per {@code __tmigr_handle_remote()} invocation, including the
 * downward recursion. No connect/update-events tracepoints.
 *
 * <p>State is primitive arrays, sized on {@link #prepare}; the operations allocate nothing.
 * Deterministic: queue ties break by insertion order, as {@code timerqueue_add()} does.
 * Threading: single-threaded, like every {@link PullModel}.
 */
public final class Rfc2017Model implements PullModel {

    /** {@code TMIGR_NONE}: no migrator, no CPU. */
    private static final int NONE = -1;
    /** A NULL {@code struct tmigr_event *}. */
    private static final int NO_EVT = -1;
    private static final long MIGRATOR_NONE_BITS = 0xff;

    private final TimerSide timers;
    private final TraceSink trace;
    private final boolean traceOn;
    private final MigratorSelector selector;
    /** {@link MigratorSelector#LOWEST_ACTIVE}, "the kernel's rule": here the RFC's {@code cpumask_first}. */
    private final boolean rfcHandOver;

    private List<Group> groups = List.of();
    /** {@code tmigr_enabled}: false on a single possible CPU. */
    private boolean enabled;
    private int ncpu;
    private int words;
    private int ngroups;

    // per CPU: struct tmigr_cpu (+ tick_sched.tmigr_idle)
    private int[] leaf = new int[0];
    private long[] cpuBit = new long[0];
    private boolean[] online = new boolean[0];
    private boolean[] tmigrIdle = new boolean[0];
    private long[] wakeup = new long[0];

    // per group: struct tmigr_group
    private int[] gParent = new int[0];
    private int[] gLevel = new int[0];
    private int[] gNode = new int[0];
    private int[] gNumChilds = new int[0];
    private int[] gActive = new int[0];
    private int[] gMigrator = new int[0];
    private long[] gGroupmask = new long[0];
    /** {@code group->cpus}, {@code words} longs per group. */
    private long[] gCpus = new long[0];
    private int[][] gChildCpus = new int[0][];
    private int[][] gChildGroups = new int[0][];

    // per event: ids 0..ncpu-1 are cpuevt, ncpu+g is groupevt of group g. Each event has one home
    // queue: a CPU's level-0 group, a group's parent.
    private long[] evtExpires = new long[0];
    private int[] evtCpu = new int[0];
    private boolean[] evtQueued = new boolean[0];
    private long[] evtSeq = new long[0];
    private long seq;

    private int warnings;

    /** From a run's context ({@link Rfc2017ModelFactory}); the bug switches do not apply to the RFC. */
    public Rfc2017Model(ModelContext context) {
        this(context.timers(), context.trace(), context.migrator());
    }

    /** The RFC's hand-over ({@code cpumask_first}). */
    public Rfc2017Model(TimerSide timers, TraceSink trace) {
        this(timers, trace, MigratorSelector.LOWEST_ACTIVE);
    }

    /**
     * @param selector asked at hand-overs where the leaving child went idle; {@link
     *                 MigratorSelector#LOWEST_ACTIVE} keeps the RFC's {@code cpumask_first}
     */
    public Rfc2017Model(TimerSide timers, TraceSink trace, MigratorSelector selector) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.trace = Objects.requireNonNull(trace, "trace");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.traceOn = trace != TraceSink.NONE;
        this.rfcHandOver = selector == MigratorSelector.LOWEST_ACTIVE
                || MigratorSelector.LOWEST_ACTIVE.name().equals(selector.name());
    }

    @Override
    public String name() {
        return "rfc2017";
    }

    // ---------------------------------------------------------------------------------------
    // Hotplug and tree

    @Override
    public void prepare(Hierarchy hierarchy, int cpu, int controlCpu, long now) {
        Objects.requireNonNull(hierarchy, "hierarchy");
        if (ncpu == 0) {
            ncpu = hierarchy.possibleCpus();
            words = (ncpu + 63) >>> 6;
            enabled = ncpu > 1;      // tmigr_init(): "Nothing to do if running on UP"
            leaf = new int[ncpu];
            Arrays.fill(leaf, NONE);
            cpuBit = new long[ncpu];
            online = new boolean[ncpu];
            tmigrIdle = new boolean[ncpu];
            wakeup = new long[ncpu];
            Arrays.fill(wakeup, KTIME_MAX);
        } else if (hierarchy.possibleCpus() != ncpu) {
            throw new IllegalArgumentException("hierarchy has " + hierarchy.possibleCpus()
                    + " possible CPUs, the model was prepared with " + ncpu);
        }
        checkCpu(cpu);
        if (!enabled) return;
        if (hierarchy.cpuGroup().get(cpu) < 0)
            throw new IllegalArgumentException("cpu " + cpu + " is not connected in the hierarchy passed to prepare()");
        grow(hierarchy);
        for (int c = 0; c < ncpu; c++) {
            int g = hierarchy.cpuGroup().get(c);
            if (leaf[c] >= 0 && leaf[c] != g)
                throw new IllegalArgumentException("cpu " + c + " moved from group " + leaf[c] + " to " + g + ": builder is not prefix-stable");
            if (leaf[c] < 0 && g >= 0) {
                leaf[c] = g;                                    // tmc->tmgroup
                cpuBit[c] = hierarchy.cpuGroupmask().get(c);
            }
        }
        connectNewParents(hierarchy, cpu, now);
    }

    /** Extends the per-group and per-event arrays to the grown tree; ids are stable. */
    private void grow(Hierarchy h) {
        int n = h.groups().size();
        if (n < ngroups) throw new IllegalArgumentException("hierarchy shrank from " + ngroups + " to " + n + " groups");
        int old = ngroups;
        gParent = Arrays.copyOf(gParent, n);
        gLevel = Arrays.copyOf(gLevel, n);
        gNode = Arrays.copyOf(gNode, n);
        gNumChilds = Arrays.copyOf(gNumChilds, n);
        gActive = Arrays.copyOf(gActive, n);
        gMigrator = Arrays.copyOf(gMigrator, n);
        gGroupmask = Arrays.copyOf(gGroupmask, n);
        gCpus = Arrays.copyOf(gCpus, n * words);
        gChildCpus = Arrays.copyOf(gChildCpus, n);
        gChildGroups = Arrays.copyOf(gChildGroups, n);
        int oldEvents = evtExpires.length;
        evtExpires = Arrays.copyOf(evtExpires, ncpu + n);
        evtCpu = Arrays.copyOf(evtCpu, ncpu + n);
        evtQueued = Arrays.copyOf(evtQueued, ncpu + n);
        evtSeq = Arrays.copyOf(evtSeq, ncpu + n);
        if (oldEvents == 0) {
            for (int c = 0; c < ncpu; c++) {
                evtExpires[c] = KTIME_MAX;
                evtCpu[c] = c;                                  // cpuevt.cpu, cpuevt.group = NULL
            }
        }
        for (int g = old; g < n; g++) {                         // tmigr_init_group()
            gParent[g] = NONE;                                  // connected level by level below
            gMigrator[g] = NONE;
            evtExpires[ncpu + g] = KTIME_MAX;
            evtCpu[ncpu + g] = NONE;
        }
        for (int g = 0; g < n; g++) {
            Group grp = h.group(g);
            if (g < old && (grp.level() != gLevel[g]))
                throw new IllegalArgumentException("group " + g + " changed level: builder is not prefix-stable");
            gLevel[g] = grp.level();
            gNode[g] = grp.node();
            gGroupmask[g] = grp.groupmask();
            gChildCpus[g] = toArray(grp.childCpus());
            gChildGroups[g] = toArray(grp.childGroups());
            gNumChilds[g] = grp.level() == 0 ? grp.childCpus().size() : grp.childGroups().size();
        }
        ngroups = n;
        groups = h.groups();
    }

    /**
     * {@code tmigr_check_hierarchy()} / {@code tmigr_setup_parents()}: levels bottom up, each
     * level's list newest first; a group that gets its parent now and is active makes its migrator
     * active in that parent. Parents above are not linked yet when a level is processed, exactly
     * as in the RFC, so the activation climbs one level per pass.
     */
    private void connectNewParents(Hierarchy h, int cpu, long now) {
        int maxLevel = 0;
        for (int g = 0; g < ngroups; g++) maxLevel = Math.max(maxLevel, gLevel[g]);
        for (int lvl = 0; lvl <= maxLevel; lvl++) {
            for (int g = ngroups - 1; g >= 0; g--) {
                if (gLevel[g] != lvl) continue;
                int p = h.group(g).parent();
                if (gParent[g] >= 0) {
                    if (p != gParent[g])
                        throw new IllegalArgumentException("group " + g + " changed parent: builder is not prefix-stable");
                    continue;
                }
                if (p < 0) continue;
                gParent[g] = p;
                if (gActive[g] > 0)
                    setCpuActive(p, NO_EVT, gMigrator[g], g, cpu, now);
            }
        }
    }

    @Override
    public void setAvailable(int cpu, boolean baseIdle, long now) {
        checkCpu(cpu);
        if (!enabled) return;
        if (leaf[cpu] < 0) throw new IllegalStateException("cpu " + cpu + " was not prepared");
        // The hotplug core never runs the online callback twice; a second call must not count the
        // CPU twice.
        if (online[cpu]) return;
        online[cpu] = true;
        if (traceOn) trace.cpuGroup(now, cpu, "tmigr_cpu_available", cpu, leaf[cpu], wakeup[cpu]);
        if (baseIdle) {
            // Not an RFC situation (its callback runs on the awake CPU): idle without an event.
            tmigrIdle[cpu] = true;
            return;
        }
        tmigrIdle[cpu] = false;       // it is running the callback, so it left idle
        activate(cpu, now);
    }

    @Override
    public void clearAvailable(int cpu, long now) {
        checkCpu(cpu);
        if (!enabled || !online[cpu]) return;
        if (tmigrIdle[cpu]) {
            // tmigr_cpu_offline() runs on the dying CPU, which is awake.
            tmigrIdle[cpu] = false;
            activate(cpu, now);
        }
        online[cpu] = false;
        if (traceOn) trace.cpuGroup(now, cpu, "tmigr_cpu_unavailable", cpu, leaf[cpu], wakeup[cpu]);
        wakeup[cpu] = KTIME_MAX;
        // The RFC ignores what this returns; a dying top migrator sends the IPI inside.
        setCpuInactive(leaf[cpu], NONE, NO_EVT, cpu, now);
    }

    @Override
    public boolean isAvailable(int cpu) {
        checkCpu(cpu);
        return enabled && online[cpu];
    }

    // ---------------------------------------------------------------------------------------
    // Idle entry / exit

    @Override
    public void cpuActivate(int cpu, long now) {
        checkCpu(cpu);
        if (!enabled) return;
        irqEnter(cpu, now);
    }

    @Override
    public long cpuDeactivate(int cpu, long nextGlobal, long now) {
        return idleEnter(cpu, nextGlobal, now);
    }

    /** No in-place update in the RFC: irq entry activated the CPU, irq exit idles it again. */
    @Override
    public long cpuNewTimer(int cpu, long nextGlobal, long now) {
        return idleEnter(cpu, nextGlobal, now);
    }

    /** No quick check in the RFC: the forecast is the CPU's own next event. */
    @Override
    public long quickCheck(int cpu, long nextEvent, long now) {
        checkCpu(cpu);
        return nextEvent;
    }

    /** {@code tick_tmigr_stop_idle()}, as called from idle exit and from {@code tick_nohz_irq_enter()}. */
    private void irqEnter(int cpu, long now) {
        if (tmigrIdle[cpu]) {
            tmigrIdle[cpu] = false;
            activate(cpu, now);
        }
    }

    /** {@code tick_tmigr_idle()}: the flag is set even if the CPU is not online. */
    private long idleEnter(int cpu, long nextGlobal, long now) {
        checkCpu(cpu);
        if (!enabled) return nextGlobal;
        irqEnter(cpu, now);          // a CPU already idle got here through an interrupt
        tmigrIdle[cpu] = true;
        return tmigrCpuIdle(cpu, nextGlobal, now);
    }

    /** {@code tmigr_cpu_idle()}. */
    private long tmigrCpuIdle(int cpu, long nextevt, long now) {
        if (!online[cpu]) return nextevt;
        evtExpires[cpu] = nextevt;
        long ret = setCpuInactive(leaf[cpu], NONE, cpu, cpu, now);
        wakeup[cpu] = ret;
        if (traceOn) trace.cpuIdle(now, cpu, "tmigr_cpu_idle", cpu, leaf[cpu], nextevt, ret);
        return ret;
    }

    /** {@code tmigr_cpu_activate()}. */
    private void activate(int cpu, long now) {
        if (!online[cpu] || leaf[cpu] < 0) return;
        if (traceOn) trace.cpuGroup(now, cpu, "tmigr_cpu_active", cpu, leaf[cpu], wakeup[cpu]);
        wakeup[cpu] = KTIME_MAX;
        setCpuActive(leaf[cpu], cpu, cpu, NONE, cpu, now);
    }

    /**
     * {@code tmigr_set_cpu_active(group, evt, cpu)}. {@code child} is the group whose event
     * {@code evt} is ({@code NONE} at level 0), {@code on} the CPU doing the walk (traces only).
     */
    private void setCpuActive(int g, int evt, int cpu, int child, int on, long now) {
        if (gActive[g] == gNumChilds[g]) {       // WARN_ON(): the RFC returns unchanged
            warnings++;
            return;
        }
        if (testCpu(g, cpu))
            throw new IllegalStateException("rfc2017: cpu " + cpu + " is already active in group " + g);
        setCpu(g, cpu);
        gActive[g]++;
        boolean first = gActive[g] == 1;
        // Only the first active CPU of an idle group becomes migrator; nobody steals the role.
        if (first) gMigrator[g] = cpu;
        traceGroup(true, g, cpu, child, on, now);
        if (first && gParent[g] >= 0) setCpuActive(gParent[g], ncpu + g, cpu, g, on, now);
        // After the parents: our groupevt is dequeued there, so changing it below is safe.
        removeEvt(g, evt);
    }

    /**
     * {@code tmigr_set_cpu_inactive(group, child, evt, cpu)}: returns {@code KTIME_MAX} unless
     * {@code cpu} reached the top level as migrator, then the top group's first event.
     */
    private long setCpuInactive(int g, int child, int evt, int cpu, long now) {
        if (gActive[g] == 0)
            throw new IllegalStateException("rfc2017: group " + g + " has no active child but cpu " + cpu + " leaves it");
        if (!testCpu(g, cpu))
            throw new IllegalStateException("rfc2017: cpu " + cpu + " leaves group " + g + " but is not in its cpus");
        clearCpu(g, cpu);
        gActive[g]--;
        // Propagation from below: the child's new migrator (if any) replaces cpu in this group.
        if (child != NONE && gMigrator[child] != NONE) {
            setCpu(g, gMigrator[child]);
            gActive[g]++;
        }
        addEvt(g, evt);
        if (gMigrator[g] != cpu) {
            traceGroup(false, g, cpu, child, cpu, now);
            return KTIME_MAX;
        }
        gMigrator[g] = gActive[g] == 0 ? NONE : handOver(g, child, cpu);
        traceGroup(false, g, cpu, child, cpu, now);
        int p = gParent[g];
        if (p >= 0)
            return setCpuInactive(p, g, gActive[g] == 0 ? ncpu + g : NO_EVT, cpu, now);
        // Top level. A dying migrator kicks some other CPU so it takes the duty over.
        if (!online[cpu]) {
            int other = firstOnlineBut(cpu);
            if (other >= 0) timers.triggerActive(other, now);
            else warnings++;                     // the RFC would IPI nr_cpu_ids
        }
        return evtExpires[ncpu + g];
    }

    /** The new migrator of {@code g} after {@code cpu} left it; {@code g} still has an active child. */
    private int handOver(int g, int child, int cpu) {
        if (rfcHandOver) return firstCpu(g);
        // The leaving CPU's child group is still active under a new migrator: the RFC re-elects
        // among child migrators, a case the selector's contract (leaving child went idle) lacks.
        if (gLevel[g] > 0 && (child == NONE || gMigrator[child] != NONE)) return firstCpu(g);
        long active = childBits(g);
        long leaving = gLevel[g] == 0 ? cpuBit[cpu] : gGroupmask[child];
        long pick = selector.handOver(groups.get(g), active, leaving);
        if (Long.bitCount(pick) != 1 || (pick & active) == 0)
            throw new IllegalStateException("migrator selector " + selector.name() + " returned " + Long.toHexString(pick)
                    + ", not one bit of " + Long.toHexString(active));
        return cpuOfChildBit(g, pick);
    }

    // ---------------------------------------------------------------------------------------
    // Remote expiry

    @Override
    public boolean requiresHandleRemote(int cpu, long now) {
        checkCpu(cpu);
        if (!enabled || !online[cpu]) return false;
        irqEnter(cpu, now);          // the tick runs in an interrupt: tick_nohz_irq_enter()
        return true;                 // the 2017 wheel raised TIMER_SOFTIRQ on every tick
    }

    @Override
    public void handleRemote(int cpu, long now) {
        checkCpu(cpu);
        if (!enabled || leaf[cpu] < 0) return;
        irqEnter(cpu, now);          // a softirq on an idle CPU follows an interrupt
        // The RFC's racy lockless check: only the level-0 migrator handles remote timers.
        if (gMigrator[leaf[cpu]] != cpu) return;
        handle(leaf[cpu], cpu, now, true);
    }

    /** {@code __tmigr_handle_remote(group, cpu, now, jif, walkup)}; the upward walk is a loop. */
    private void handle(int g, int cpu, long now, boolean walkup) {
        for (;;) {
            if (traceOn) trace.handleRemote(now, cpu, g, gLevel[g]);
            // Handle only groups this CPU is migrator of, or idle ones (reached going down).
            if (gMigrator[g] != cpu && gMigrator[g] != NONE) return;
            int limit = 2 * (ncpu + ngroups) + 16;
            for (int e = first(g); e != NO_EVT && now >= evtExpires[e]; e = first(g)) {
                if (--limit < 0)
                    throw new IllegalStateException("rfc2017: group " + g + " keeps yielding expired events at " + now
                            + "; TimerSide.nextGlobalEvent must be later than now after expireRemote");
                removeEvt(g, e);
                if (e >= ncpu) {
                    handle(e - ncpu, cpu, now, false);   // group event: recurse down
                } else {
                    if (traceOn) trace.cpuGroup(now, cpu, "tmigr_handle_remote_cpu", e, leaf[e], wakeup[e]);
                    timers.expireRemote(e, cpu, now);
                    updateRemote(e, now);
                }
            }
            int p = gParent[g];
            // An idle group's first event may have changed above: requeue it in the parent.
            if (p >= 0 && gActive[g] == 0) addEvt(p, ncpu + g);
            if (!walkup || p < 0 || gMigrator[p] != cpu) return;
            g = p;
        }
    }

    /** {@code tmigr_update_remote(cpu)}: requeue the remote CPU's next global event. */
    private void updateRemote(int cpu, long now) {
        int g = leaf[cpu];
        if (!online[cpu] || testCpu(g, cpu)) return;   // went offline or woke up meanwhile
        if (evtQueued[cpu]) return;                    // requeued by the CPU itself
        evtExpires[cpu] = timers.nextGlobalEvent(cpu, now);
        addEvt(g, cpu);
    }

    // ---------------------------------------------------------------------------------------
    // Group timerqueues. A group's queue holds its children's events only, so it is the queued
    // subset of its children, ordered by (expires, insertion seq) like timerqueue's rbtree.

    /** {@code timerqueue_getnext()}. */
    private int first(int g) {
        int best = NO_EVT;
        if (gLevel[g] == 0) {
            for (int c : gChildCpus[g]) best = earlier(best, c);
        } else {
            for (int ch : gChildGroups[g]) best = earlier(best, ncpu + ch);
        }
        return best;
    }

    private int earlier(int best, int e) {
        if (!evtQueued[e]) return best;
        if (best == NO_EVT) return e;
        if (evtExpires[e] != evtExpires[best]) return evtExpires[e] < evtExpires[best] ? e : best;
        return evtSeq[e] < evtSeq[best] ? e : best;
    }

    /** {@code tmigr_add_evt()}. */
    private void addEvt(int g, int e) {
        if (e == NO_EVT || evtQueued[e] || evtExpires[e] == KTIME_MAX) return;
        checkGroupEvtNotQueued(g);
        // timerqueue_add() puts equal keys to the right: leftmost only if strictly earliest.
        int f = first(g);
        boolean leftmost = f == NO_EVT || evtExpires[e] < evtExpires[f];
        evtQueued[e] = true;
        evtSeq[e] = ++seq;
        if (leftmost) {
            evtExpires[ncpu + g] = evtExpires[e];
            evtCpu[ncpu + g] = evtCpu[e];
        }
    }

    /** {@code tmigr_remove_evt()}. */
    private void removeEvt(int g, int e) {
        checkGroupEvtNotQueued(g);
        if (e == NO_EVT || !evtQueued[e]) return;
        boolean wasFirst = first(g) == e;
        evtQueued[e] = false;
        int next = first(g);
        if (next == NO_EVT) {
            evtExpires[ncpu + g] = KTIME_MAX;
            evtCpu[ncpu + g] = NONE;
        } else if (wasFirst) {
            evtExpires[ncpu + g] = evtExpires[next];
            evtCpu[ncpu + g] = evtCpu[next];
        }
    }

    /** The RFC's DBG_BUG_ON: a group event must not change while it is sorted in its parent. */
    private void checkGroupEvtNotQueued(int g) {
        if (evtQueued[ncpu + g])
            throw new IllegalStateException("rfc2017: queue of group " + g + " changes while its group event is queued in the parent");
    }

    // ---------------------------------------------------------------------------------------
    // cpumask helpers and child-bit translation

    private boolean testCpu(int g, int cpu) {
        return (gCpus[g * words + (cpu >>> 6)] & (1L << cpu)) != 0;
    }

    private void setCpu(int g, int cpu) {
        gCpus[g * words + (cpu >>> 6)] |= 1L << cpu;
    }

    private void clearCpu(int g, int cpu) {
        gCpus[g * words + (cpu >>> 6)] &= ~(1L << cpu);
    }

    /** {@code cpumask_first(group->cpus)}; NONE if empty. */
    private int firstCpu(int g) {
        int base = g * words;
        for (int w = 0; w < words; w++) {
            long m = gCpus[base + w];
            if (m != 0) return (w << 6) + Long.numberOfTrailingZeros(m);
        }
        return NONE;
    }

    /** {@code cpumask_any_but(cpu_online_mask, cpu)}, with the model's online CPUs. */
    private int firstOnlineBut(int cpu) {
        for (int c = 0; c < ncpu; c++) if (c != cpu && online[c]) return c;
        return NONE;
    }

    /** The child of {@code g} (a CPU at level 0, else a group) below which {@code cpu} sits. */
    private int childOf(int g, int cpu) {
        if (gLevel[g] == 0) return cpu;
        int h = leaf[cpu];
        while (h >= 0 && gParent[h] != g) h = gParent[h];
        return h;
    }

    private long childBit(int g, int cpu) {
        int ch = childOf(g, cpu);
        if (ch < 0) return 0;
        return gLevel[g] == 0 ? cpuBit[ch] : gGroupmask[ch];
    }

    /** {@code group->cpus} as the mainline active mask: one child bit per CPU in it. */
    private long childBits(int g) {
        long bits = 0;
        int base = g * words;
        for (int w = 0; w < words; w++) {
            for (long m = gCpus[base + w]; m != 0; m &= m - 1)
                bits |= childBit(g, (w << 6) + Long.numberOfTrailingZeros(m));
        }
        return bits;
    }

    private int cpuOfChildBit(int g, long bit) {
        int base = g * words;
        for (int w = 0; w < words; w++) {
            for (long m = gCpus[base + w]; m != 0; m &= m - 1) {
                int c = (w << 6) + Long.numberOfTrailingZeros(m);
                if (childBit(g, c) == bit) return c;
            }
        }
        throw new IllegalStateException("rfc2017: no active CPU behind child bit " + Long.toHexString(bit) + " of group " + g);
    }

    private void traceGroup(boolean active, int g, int cpu, int child, int on, long now) {
        if (!traceOn) return;
        long childmask = child == NONE ? (gLevel[g] == 0 ? cpuBit[cpu] : childBit(g, cpu)) : gGroupmask[child];
        long migrator = gMigrator[g] == NONE ? MIGRATOR_NONE_BITS : childBit(g, gMigrator[g]);
        trace.groupSetCpu(now, on, active, g, gLevel[g], gNode[g], childBits(g), migrator, gParent[g], childmask);
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || (ncpu > 0 && cpu >= ncpu))
            throw new IllegalArgumentException("cpu " + cpu + " out of range 0.." + (ncpu - 1));
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    // ---------------------------------------------------------------------------------------
    // Read-only views for tests and checkers

    /** The migrator CPU of group {@code g}, {@code -1} for none. */
    int migrator(int g) {
        return gMigrator[g];
    }

    /** {@code group->active}. */
    int activeCount(int g) {
        return gActive[g];
    }

    /** Whether {@code cpu} is in {@code group->cpus}. */
    boolean inCpus(int g, int cpu) {
        return testCpu(g, cpu);
    }

    /** {@code group->groupevt.nextevt.expires}: the group's first queued event. */
    long firstEvent(int g) {
        return evtExpires[ncpu + g];
    }

    /** Whether the CPU's event is queued in its level-0 group. */
    boolean cpuEventQueued(int cpu) {
        return evtQueued[cpu];
    }

    /** Whether the group's event is queued in its parent. */
    boolean groupEventQueued(int g) {
        return evtQueued[ncpu + g];
    }

    /** The tick-sched {@code tmigr_idle} flag. */
    boolean tmigrIdle(int cpu) {
        return tmigrIdle[cpu];
    }

    /** How many RFC {@code WARN_ON}s fired (or an offline IPI found no target). */
    int warnings() {
        return warnings;
    }
}
