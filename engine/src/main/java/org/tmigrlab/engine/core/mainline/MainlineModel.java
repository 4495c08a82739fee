package org.tmigrlab.engine.core.mainline;

import java.util.Arrays;
import java.util.Set;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * The mainline (v6.9+) timer-migration hierarchy, operation for operation as
 * {@code kernel/time/timer_migration.c} does it, with the fixes up to mid-2026 and switches
 * ({@link Bug}) that put historical defects back. See {@code package-info.java} for the essay.
 *
 * <p>Every propagation goes through one walker ({@link #step(Walk)}), the kernel's
 * {@code __walk_groups_from()}. Group state (active mask, migrator, seq) changes only by
 * {@link #casState}, mirroring {@code atomic_try_cmpxchg()} on {@code migr_state}: the sequential
 * engine never loses a compare-and-set, but the retry loops are kept so a race lab that interleaves
 * walk steps sees the kernel's behaviour.
 *
 * <p>State lives in primitive arrays indexed by group id, CPU, or event id (a CPU's event is its
 * CPU number, group {@code g}'s event is {@code possibleCpus + g}). Nothing is allocated per
 * operation; arrays grow only when the hierarchy grows (a CPU prepared for the first time).
 *
 * <p>Threading: not thread-safe; one simulator thread calls it.
 */
public final class MainlineModel implements PullModel {

    /** {@code TMIGR_NONE}: no migrator. Not a single bit, so it can never be confused with a child. */
    public static final long TMIGR_NONE = 0xFF;

    private final int ncpus;
    private final MigratorSelector selector;
    private final TimerSide timers;
    private final TraceSink trace;
    private final boolean quickCheckTopOnly;
    private final boolean earlyReturnOnDeactivation;
    private final boolean staleWakeupRequeue;
    private final boolean missingCpuUpdate;

    // ---- groups (struct tmigr_group) ----
    private int ngroups;
    private Group[] desc = new Group[0];
    private int[] level = new int[0];
    private int[] node = new int[0];
    private int[] parent = new int[0];
    private long[] groupmask = new long[0];
    private long[] nextExpiry = new long[0];
    private GroupQueue[] events = new GroupQueue[0];
    /** migr_state, unpacked into three words that change together only through casState. */
    private long[] active = new long[0];
    private long[] migrator = new long[0];
    private int[] seq = new int[0];

    // ---- CPUs (struct tmigr_cpu) ----
    private final int[] tmgroup;
    private final long[] cpuGroupmask;
    private final boolean[] available;
    private final boolean[] idle;
    private final boolean[] remote;
    private final long[] wakeup;

    // ---- events (struct tmigr_event): CPU events then group events ----
    private long[] evtExpires;
    private int[] evtCpu;
    private boolean[] evtIgnore;
    private int[] evtQueuedIn;

    // ---- walks, reused ----
    private final Walk cpuWalk = new Walk();
    private final Walk remoteCpuWalk = new Walk();
    private final Walk checkWalk = new Walk();
    private final Walk setupWalk = new Walk();

    private long now;

    // ---- counters ----
    private long walkSteps;
    private long walks;
    private long handOvers;
    private long remoteExpiries;

    public MainlineModel(ModelContext ctx) {
        this.ncpus = ctx.possibleCpus();
        this.selector = ctx.migrator();
        this.timers = ctx.timers();
        this.trace = ctx.trace();
        Set<Bug> bugs = ctx.bugs();
        this.quickCheckTopOnly = bugs.contains(Bug.QUICK_CHECK_TOP_ONLY);
        this.earlyReturnOnDeactivation = bugs.contains(Bug.EARLY_RETURN_ON_DEACTIVATION);
        this.staleWakeupRequeue = bugs.contains(Bug.STALE_WAKEUP_REQUEUE);
        this.missingCpuUpdate = bugs.contains(Bug.MISSING_CPU_UPDATE);
        tmgroup = new int[ncpus];
        Arrays.fill(tmgroup, -1);
        cpuGroupmask = new long[ncpus];
        available = new boolean[ncpus];
        idle = new boolean[ncpus];
        remote = new boolean[ncpus];
        wakeup = new long[ncpus];
        Arrays.fill(wakeup, KTIME_MAX);
        evtExpires = new long[ncpus];
        evtCpu = new int[ncpus];
        evtIgnore = new boolean[ncpus];
        evtQueuedIn = new int[ncpus];
        for (int c = 0; c < ncpus; c++) {
            // tmigr_cpu_prepare(): the CPU event starts ignored with no expiry
            evtExpires[c] = KTIME_MAX;
            evtCpu[c] = c;
            evtIgnore[c] = true;
            evtQueuedIn[c] = -1;
        }
    }

    @Override
    public String name() {
        return "mainline";
    }

    // =====================================================================================
    // Hierarchy growth: tmigr_cpu_prepare() / tmigr_add_cpu() / tmigr_connect_old_root()
    // =====================================================================================

    @Override
    public void prepare(Hierarchy h, int cpu, int controlCpu, long now) {
        this.now = now;
        int old = ngroups;
        int n = h.groups().size();
        // One root per hierarchy (per capacity class); any of them may be adopted by a new top.
        int[] oldRoots = new int[old];
        int nOldRoots = 0;
        for (int g = 0; g < old; g++) if (parent[g] < 0) oldRoots[nOldRoots++] = g;
        if (n > old) growGroups(n);
        for (int g = 0; g < n; g++) {
            Group d = h.group(g);
            boolean fresh = g >= old;
            desc[g] = d;
            if (fresh) {
                // tmigr_init_group(): no migrator, nothing active, no event
                level[g] = d.level();
                node[g] = d.node();
                migrator[g] = TMIGR_NONE;
                nextExpiry[g] = KTIME_MAX;
                events[g] = new GroupQueue(8);
                int e = ncpus + g;
                evtExpires[e] = KTIME_MAX;
                evtIgnore[e] = true;
                evtQueuedIn[e] = -1;
                evtCpu[e] = 0;
                trace.groupSet(now, traceCpu(controlCpu, cpu), g, d.level(), d.node());
            }
            parent[g] = d.parent();
            groupmask[g] = d.groupmask();
        }
        // tmigr_connect_child_parent() for every new group linked to a parent: at boot, every link
        // of the tree (without them a trace of the lab cannot be rebuilt into its tree). The old
        // root adopted by a new top level is traced below.
        for (int g = old; g < n; g++) {
            int p = parent[g];
            if (p >= 0) trace.connectChildParent(now, traceCpu(controlCpu, cpu), g, groupmask[g], p, level[p], node[p],
                    desc[p].childGroups().size());
        }
        for (int c = 0; c < ncpus; c++) {
            int g = h.cpuGroup().get(c);
            if (g >= 0 && tmgroup[c] < 0) {
                tmgroup[c] = g;
                cpuGroupmask[c] = h.cpuGroupmask().get(c);
                trace.connectCpuParent(now, traceCpu(controlCpu, cpu), c, cpuGroupmask[c], g, level[g], node[g],
                        desc[g].childCpus().size());
            }
        }
        // A new top level adopted the old root. The control CPU is active, so it links the old
        // root's activity into the new root (tmigr_connect_old_root(activate=true)); since the
        // "Fix another hotplug activation race" (bd3c45dd0128) only when the old root is active.
        for (int r = 0; r < nOldRoots; r++) {
            int oldRoot = oldRoots[r];
            if (parent[oldRoot] < 0) continue;
            int p = parent[oldRoot];
            trace.connectChildParent(now, traceCpu(controlCpu, cpu), oldRoot, groupmask[oldRoot], p, level[p], node[p],
                    desc[p].childGroups().size());
            // activate=false only when no CPU of the hierarchy is available to do it.
            boolean anyAvailable = false;
            for (int c = 0; c < ncpus && !anyAvailable; c++) anyAvailable = available[c] && sameHierarchy(c, oldRoot);
            if (anyAvailable && active[oldRoot] != 0) {
                int on = traceCpu(controlCpu, cpu);
                Walk w = begin(setupWalk, Walk.Up.ACTIVE, on, on, p, oldRoot);
                w.childmask = groupmask[oldRoot];
                run(w);
            }
        }
    }

    private static int traceCpu(int controlCpu, int cpu) {
        return controlCpu >= 0 ? controlCpu : cpu;
    }

    /** Whether CPU {@code c} hangs below the same root as group {@code g} (per-capacity hierarchies). */
    private boolean sameHierarchy(int c, int g) {
        if (tmgroup[c] < 0) return false;
        return rootOf(tmgroup[c]) == rootOf(g);
    }

    private int rootOf(int g) {
        while (parent[g] >= 0) g = parent[g];
        return g;
    }

    private void growGroups(int n) {
        desc = Arrays.copyOf(desc, n);
        level = Arrays.copyOf(level, n);
        node = Arrays.copyOf(node, n);
        parent = Arrays.copyOf(parent, n);
        groupmask = Arrays.copyOf(groupmask, n);
        nextExpiry = Arrays.copyOf(nextExpiry, n);
        events = Arrays.copyOf(events, n);
        active = Arrays.copyOf(active, n);
        migrator = Arrays.copyOf(migrator, n);
        seq = Arrays.copyOf(seq, n);
        int ne = ncpus + n;
        evtExpires = Arrays.copyOf(evtExpires, ne);
        evtCpu = Arrays.copyOf(evtCpu, ne);
        evtIgnore = Arrays.copyOf(evtIgnore, ne);
        evtQueuedIn = Arrays.copyOf(evtQueuedIn, ne);
        ngroups = n;
    }

    // =====================================================================================
    // The walker: __walk_groups_from()
    // =====================================================================================

    private Walk begin(Walk w, Walk.Up up, int onCpu, int cpu, int group, int child) {
        w.up = up;
        w.onCpu = onCpu;
        w.cpu = cpu;
        w.group = group;
        w.child = child;
        w.done = group < 0;
        w.nextexp = KTIME_MAX;
        w.firstexp = KTIME_MAX;
        w.evt = -1;
        w.childmask = 0;
        w.remote = false;
        w.now = now;
        w.check = false;
        w.steps = 0;
        walks++;
        return w;
    }

    /** A walk from {@code cpu}'s level-0 group, with the CPU's bit as childmask ({@code walk_groups()}). */
    private Walk beginFromCpu(Walk w, Walk.Up up, int onCpu, int cpu) {
        begin(w, up, onCpu, cpu, tmgroup[cpu], -1);
        w.childmask = cpuGroupmask[cpu];
        return w;
    }

    /**
     * Applies the walk's function to its current group and moves one level up.
     *
     * @return true when the walk is done
     */
    public boolean step(Walk w) {
        if (w.done) return true;
        int g = w.group;
        int child = w.child;
        boolean stop = switch (w.up) {
            case ACTIVE -> activeUp(g, w);
            case INACTIVE -> inactiveUp(g, child, w);
            case NEW_TIMER -> updateEvents(g, child, w);
            case HANDLE_REMOTE -> handleRemoteUp(g, w);
            case REQUIRES_HANDLE_REMOTE -> requiresHandleRemoteUp(g, w);
        };
        w.steps++;
        walkSteps++;
        if (stop || parent[g] < 0) {
            w.done = true;
            return true;
        }
        w.child = g;
        w.group = parent[g];
        // Read the child's bit together with the parent link (fix #7: never rely on a cached one).
        w.childmask = groupmask[g];
        return false;
    }

    private void run(Walk w) {
        while (!step(w)) {
            // sequential engine: steps back to back
        }
    }

    // =====================================================================================
    // Group state: compare-and-set on (active, migrator, seq)
    // =====================================================================================

    /** {@code atomic_try_cmpxchg(&group->migr_state, ...)}; {@code seq} always advances. */
    boolean casState(int g, long expActive, long expMigrator, int expSeq, long newActive, long newMigrator) {
        if (active[g] != expActive || migrator[g] != expMigrator || seq[g] != expSeq) return false;
        active[g] = newActive;
        migrator[g] = newMigrator;
        seq[g] = (expSeq + 1) & 0xFFFF;
        return true;
    }

    private static boolean checkMigrator(long migr, long childmask) {
        return migr == childmask || migr == TMIGR_NONE;
    }

    // =====================================================================================
    // Idle exit: tmigr_cpu_activate() / tmigr_active_up()
    // =====================================================================================

    @Override
    public void cpuActivate(int cpu, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return;
        if (!idle[cpu]) return; // the kernel WARNs: activation of an active CPU
        idle[cpu] = false;
        activateWalk(cpu);
    }

    /** {@code __tmigr_cpu_activate()}. */
    private void activateWalk(int cpu) {
        trace.cpuGroup(now, cpu, "tmigr_cpu_active", cpu, tmgroup[cpu], wakeup[cpu]);
        evtIgnore[cpu] = true;
        wakeup[cpu] = KTIME_MAX;
        run(beginFromCpu(cpuWalk, Walk.Up.ACTIVE, cpu, cpu));
    }

    private boolean activeUp(int g, Walk w) {
        boolean walkDone;
        long newActive;
        long newMigr;
        do {
            long a = active[g];
            long m = migrator[g];
            int s = seq[g];
            walkDone = true;
            newMigr = m;
            // Take the role only in a fully idle group; an active lower bit never steals it.
            if (m == TMIGR_NONE) {
                newMigr = w.childmask;
                walkDone = false;
            }
            newActive = a | w.childmask;
            if (casState(g, a, m, s, newActive, newMigr)) break;
        } while (true);
        trace.groupSetCpu(now, w.onCpu, true, g, level[g], node[g], newActive, newMigr, parent[g], w.childmask);
        // Lockless: a stale entry of this group in the parent's queue is dropped lazily.
        evtIgnore[ncpus + g] = true;
        return walkDone;
    }

    // =====================================================================================
    // Idle entry: tmigr_cpu_deactivate() / tmigr_inactive_up()
    // =====================================================================================

    @Override
    public long cpuDeactivate(int cpu, long nextGlobal, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return nextGlobal;
        long ret = deactivateWalk(cpu, nextGlobal);
        idle[cpu] = true;
        wakeup[cpu] = ret;
        trace.cpuIdle(now, cpu, "tmigr_cpu_idle", cpu, tmgroup[cpu], nextGlobal, ret);
        return ret;
    }

    /** {@code __tmigr_cpu_deactivate()}. */
    private long deactivateWalk(int cpu, long nextexp) {
        Walk w = beginFromCpu(cpuWalk, Walk.Up.INACTIVE, cpu, cpu);
        w.nextexp = nextexp;
        w.evt = cpu;
        // Without a global timer the event keeps the ignore flag set at activation.
        if (nextexp != KTIME_MAX) evtIgnore[cpu] = false;
        run(w);
        return w.firstexp;
    }

    private boolean inactiveUp(int g, int child, Walk w) {
        boolean walkDone;
        long newActive;
        long newMigr;
        for (;;) {
            long a = active[g];
            long m = migrator[g];
            int s = seq[g];
            // The child may have become active again while this walk climbed (doc scenario A).
            long childActive = child >= 0 ? active[child] : 0;
            walkDone = true;
            newActive = a;
            newMigr = m;
            if (childActive == 0) newActive &= ~w.childmask;
            if (m == w.childmask && childActive == 0) {
                if (newActive != 0) {
                    newMigr = selector.handOver(desc[g], newActive, w.childmask);
                    handOvers++;
                } else {
                    newMigr = TMIGR_NONE;
                    walkDone = false; // the group went idle: its parent must hear it
                }
            }
            if (casState(g, a, m, s, newActive, newMigr)) break;
        }
        trace.groupSetCpu(now, w.onCpu, false, g, level[g], node[g], newActive, newMigr, parent[g], w.childmask);
        w.remote = false;
        // Always: even when the walk stops here, this level must learn the (CPU or group) event.
        updateEvents(g, child, w);
        return walkDone;
    }

    // =====================================================================================
    // Event propagation: tmigr_update_events(), the only writer of group-event expiries
    // =====================================================================================

    private boolean updateEvents(int g, int child, Walk w) {
        boolean walkDone = false;
        boolean remoteWalk = w.remote;
        long nextexp;
        int evt;
        int firstChildEvt;
        boolean ignore;
        long childActive;
        long groupActive;
        long groupMigr;
        if (child >= 0) {
            childActive = active[child];
            groupActive = active[g];
            groupMigr = migrator[g];
            // A CPU below woke up meanwhile and took care of this group.
            if (childActive != 0) return true;
            firstChildEvt = nextGroupEvt(child);
            nextexp = nextExpiry[child];
            evt = ncpus + child;
            ignore = nextexp == KTIME_MAX;
            evtIgnore[evt] = ignore;
        } else {
            nextexp = w.nextexp;
            firstChildEvt = evt = w.evt;
            ignore = evtIgnore[evt];
            // With a parent, the next level drops an ignored group event anyway ("Return early on
            // deactivation"); without one, the group's other events must still be looked at (#2).
            if (ignore && !remoteWalk && (earlyReturnOnDeactivation || parent[g] >= 0)) return true;
            childActive = 0;
            // Read under the group lock: the doc B race (stale state ⇒ lost first expiry).
            groupActive = active[g];
            groupMigr = migrator[g];
        }

        boolean toTopCheck = false;
        if (evtQueuedIn[evt] >= 0) {
            if (evtExpires[evt] == nextexp && !ignore) {
                // Same expiry, but the first timer may now sit on another CPU (#4).
                if (!missingCpuUpdate) evtCpu[evt] = evtCpu[firstChildEvt];
                toTopCheck = true;
            } else if (!dequeue(g, evt)) {
                nextExpiry[g] = KTIME_MAX;
            }
        }
        if (!toTopCheck) {
            if (ignore) {
                // Remote walks continue while the group is idle: the CPU's view must reach the top.
                if (!remoteWalk || groupActive != 0) walkDone = true;
            } else {
                evtExpires[evt] = nextexp;
                evtCpu[evt] = evtCpu[firstChildEvt];
                if (enqueue(g, evt)) nextExpiry[g] = nextexp;
            }
        }
        if (parent[g] < 0 && groupMigr == TMIGR_NONE) {
            // Top level and nobody active: whoever walked here must wake for the first event.
            walkDone = true;
            if (remoteWalk) return walkDone; // the remote handler computes its wakeup itself
            w.firstexp = nextGroupEvtExpires(g);
        }
        trace.updateEvents(now, w.onCpu, child, g, level[g], childActive, groupActive, nextexp, nextExpiry[g],
                child >= 0 ? evtExpires[ncpus + child] : 0, child >= 0 ? evtCpu[ncpus + child] : 0);
        return walkDone;
    }

    private boolean enqueue(int g, int evt) {
        evtQueuedIn[evt] = g;
        return events[g].add(evt, evtExpires);
    }

    private boolean dequeue(int g, int evt) {
        evtQueuedIn[evt] = -1;
        return events[g].remove(evt);
    }

    /** {@code tmigr_next_groupevt()}: drops ignored heads, sets next_expiry; first live event or -1. */
    private int nextGroupEvt(int g) {
        nextExpiry[g] = KTIME_MAX;
        GroupQueue q = events[g];
        int e;
        while ((e = q.first()) >= 0) {
            if (!evtIgnore[e]) {
                nextExpiry[g] = evtExpires[e];
                return e;
            }
            if (!dequeue(g, e)) break;
        }
        return -1;
    }

    private long nextGroupEvtExpires(int g) {
        int e = nextGroupEvt(g);
        return e < 0 ? KTIME_MAX : evtExpires[e];
    }

    /** {@code tmigr_next_expired_groupevt()}. */
    private int nextExpiredGroupEvt(int g, long now) {
        int e = nextGroupEvt(g);
        if (e < 0 || now < evtExpires[e]) return -1;
        dequeue(g, e);
        nextGroupEvt(g);
        return e;
    }

    // =====================================================================================
    // New first global timer while idle: tmigr_cpu_new_timer() / tmigr_new_timer()
    // =====================================================================================

    @Override
    public long cpuNewTimer(int cpu, long nextGlobal, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return nextGlobal;
        long ret = wakeup[cpu];
        // Walk only when the first global timer really changed ("Spare write when nothing changed").
        if (nextGlobal != KTIME_MAX && (nextGlobal != evtExpires[cpu] || evtIgnore[cpu])) {
            ret = newTimerWalk(cpu, nextGlobal);
            wakeup[cpu] = ret;
        }
        trace.cpuIdle(now, cpu, "tmigr_cpu_new_timer_idle", cpu, tmgroup[cpu], nextGlobal, ret);
        return ret;
    }

    private long newTimerWalk(int cpu, long nextexp) {
        // A migrator is expiring this CPU's timers right now; it walks for it afterwards.
        if (remote[cpu]) return KTIME_MAX;
        trace.cpuGroup(now, cpu, "tmigr_cpu_new_timer", cpu, tmgroup[cpu], wakeup[cpu]);
        evtIgnore[cpu] = false;
        Walk w = beginFromCpu(cpuWalk, Walk.Up.NEW_TIMER, cpu, cpu);
        w.nextexp = nextexp;
        w.evt = cpu;
        run(w);
        return w.firstexp;
    }

    // =====================================================================================
    // Migrator duty: tmigr_handle_remote() / _up() / tmigr_handle_remote_cpu()
    // =====================================================================================

    @Override
    public void handleRemote(int cpu, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return;
        int g0 = tmgroup[cpu];
        if (!checkMigrator(migrator[g0], cpuGroupmask[cpu])) {
            // Not the migrator. A wakeup left over from an idle-migrator period must still be
            // cleared by a (short) walk, or the CPU re-arms it forever (#3).
            if (staleWakeupRequeue || wakeup[cpu] == KTIME_MAX) return;
        }
        Walk w = beginFromCpu(cpuWalk, Walk.Up.HANDLE_REMOTE, cpu, cpu);
        w.now = now;
        run(w);
        wakeup[cpu] = w.firstexp;
    }

    private boolean handleRemoteUp(int g, Walk w) {
        trace.handleRemote(now, w.onCpu, g, level[g]);
        for (int guard = 0; ; guard++) {
            if (!checkMigrator(migrator[g], w.childmask)) return true;
            int e = nextExpiredGroupEvt(g, w.now);
            if (e < 0) break;
            handleRemoteCpu(evtCpu[e], w.now, w.onCpu);
            if (guard > 1_000_000) throw new IllegalStateException("tmigr_handle_remote_up() does not terminate at group " + g);
        }
        w.firstexp = nextExpiry[g];
        return false;
    }

    private void handleRemoteCpu(int cpu, long now, int onCpu) {
        if (!available[cpu] || remote[cpu] || evtIgnore[cpu] || now < evtExpires[cpu]) return;
        trace.cpuGroup(now, onCpu, "tmigr_handle_remote_cpu", cpu, tmgroup[cpu], wakeup[cpu]);
        remote[cpu] = true;
        wakeup[cpu] = KTIME_MAX;
        remoteExpiries++;
        // Unconditional since the livelock fix (#19), also when cpu == onCpu.
        timers.expireRemote(cpu, onCpu, now);
        if (available[cpu] && idle[cpu]) {
            // Walk from the expired CPU's view so its next event (or its absence) reaches every
            // level: otherwise a sibling's timer behind it stays hidden (doc scenario C).
            Walk w = beginFromCpu(remoteCpuWalk, Walk.Up.NEW_TIMER, onCpu, cpu);
            w.nextexp = timers.nextGlobalEvent(cpu, now);
            w.evt = cpu;
            w.remote = true;
            run(w);
        }
        remote[cpu] = false;
    }

    // =====================================================================================
    // Tick check and cpuidle forecast
    // =====================================================================================

    @Override
    public boolean requiresHandleRemote(int cpu, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return false;
        if (!idle[cpu]) {
            Walk w = beginFromCpu(checkWalk, Walk.Up.REQUIRES_HANDLE_REMOTE, cpu, cpu);
            w.now = now;
            run(w);
            return w.check;
        }
        // An idle CPU is here because its own wakeup fired.
        return now >= wakeup[cpu];
    }

    private boolean requiresHandleRemoteUp(int g, Walk w) {
        if (!checkMigrator(migrator[g], w.childmask)) return true;
        w.firstexp = nextExpiry[g];
        if (w.now >= w.firstexp) {
            w.check = true;
            return true;
        }
        return false;
    }

    @Override
    public long quickCheck(int cpu, long nextEvent, long now) {
        if (tmgroup[cpu] < 0 || !available[cpu]) return nextEvent;
        if (idle[cpu]) return nextEvent; // the kernel WARNs
        int g = tmgroup[cpu];
        if (!checkMigrator(migrator[g], cpuGroupmask[cpu]) || Long.bitCount(active[g]) > 1) return KTIME_MAX;
        long next = nextEvent;
        for (; g >= 0; g = parent[g]) {
            if (Long.bitCount(active[g]) > 1) return KTIME_MAX;
            if (quickCheckTopOnly) {
                // Before #1 only the top level's expiry was compared with the CPU's own event.
                if (parent[g] < 0) return Math.min(nextEvent, nextExpiry[g]);
            } else {
                next = Math.min(next, nextExpiry[g]);
            }
        }
        return next;
    }

    // =====================================================================================
    // Hotplug and isolation: tmigr_set_cpu_available() / tmigr_clear_cpu_available()
    // =====================================================================================

    @Override
    public void setAvailable(int cpu, boolean baseIdle, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || available[cpu]) return;
        trace.cpuGroup(now, cpu, "tmigr_cpu_available", cpu, tmgroup[cpu], wakeup[cpu]);
        idle[cpu] = baseIdle;
        if (!baseIdle) activateWalk(cpu);
        available[cpu] = true;
    }

    @Override
    public void clearAvailable(int cpu, long now) {
        this.now = now;
        if (tmgroup[cpu] < 0 || !available[cpu]) return;
        available[cpu] = false;
        wakeup[cpu] = KTIME_MAX;
        // The CPU handles its own timers on the way out; only the hierarchy's other events matter.
        long firstexp = deactivateWalk(cpu, KTIME_MAX);
        trace.cpuGroup(now, cpu, "tmigr_cpu_unavailable", cpu, tmgroup[cpu], wakeup[cpu]);
        if (firstexp != KTIME_MAX) {
            // It was the last active CPU and events are pending: force another one of its hierarchy awake.
            for (int c = 0; c < ncpus; c++) {
                if (available[c] && sameHierarchy(c, tmgroup[cpu])) {
                    timers.triggerActive(c, now);
                    return;
                }
            }
        }
    }

    @Override
    public boolean isAvailable(int cpu) {
        return available[cpu];
    }

    // =====================================================================================
    // Read-only view for the invariant checker, the console and tests
    // =====================================================================================

    public int groupCount() { return ngroups; }
    public int possibleCpus() { return ncpus; }
    public Group group(int g) { return desc[g]; }
    public int level(int g) { return level[g]; }
    public int node(int g) { return node[g]; }
    public int parent(int g) { return parent[g]; }
    public long groupmask(int g) { return groupmask[g]; }
    public long active(int g) { return active[g]; }
    public long migrator(int g) { return migrator[g]; }
    public int seq(int g) { return seq[g]; }
    public long nextExpiry(int g) { return nextExpiry[g]; }
    /** Queued event ids of group {@code g} in expiry order (CPU events &lt; possibleCpus). */
    public int[] queuedEvents(int g) {
        GroupQueue q = events[g];
        int[] r = new int[q.size()];
        for (int i = 0; i < r.length; i++) r[i] = q.get(i);
        return r;
    }
    public long eventExpires(int evt) { return evtExpires[evt]; }
    public int eventCpu(int evt) { return evtCpu[evt]; }
    public boolean eventIgnored(int evt) { return evtIgnore[evt]; }
    public int cpuGroup(int cpu) { return tmgroup[cpu]; }
    public long cpuGroupmask(int cpu) { return cpuGroupmask[cpu]; }
    public boolean cpuIdle(int cpu) { return idle[cpu]; }
    public long cpuWakeup(int cpu) { return wakeup[cpu]; }

    public long walkSteps() { return walkSteps; }
    public long walks() { return walks; }
    public long handOvers() { return handOvers; }
    public long remoteExpiries() { return remoteExpiries; }

    /** Test hook: overwrite a group's state as a defect or a lost race would. */
    public void corruptState(int g, long newActive, long newMigrator) {
        active[g] = newActive;
        migrator[g] = newMigrator;
        seq[g] = (seq[g] + 1) & 0xFFFF;
    }

    /** Test hook: cut a group off its parent (a second root, as before fix #13). */
    public void corruptParent(int g, int newParent) {
        parent[g] = newParent;
    }

    /** Test hook: overwrite a CPU's programmed hierarchy wakeup. */
    public void corruptWakeup(int cpu, long value) {
        wakeup[cpu] = value;
    }
}
