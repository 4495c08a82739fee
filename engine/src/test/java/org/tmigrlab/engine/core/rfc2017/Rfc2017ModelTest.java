package org.tmigrlab.engine.core.rfc2017;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.core.PullModel.KTIME_MAX;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * Drives {@link Rfc2017Model} directly. The tree is the kernel doc's 4-CPU example with 2 children
 * per group, built by hand as the kernel builder would grow it (CPUs prepared 0, 1, 2, 3):
 *
 * <pre>
 *             GRP1:0 (id 2)
 *            /             \
 *   GRP0:0 (id 0)        GRP0:1 (id 1)
 *   CPU0  CPU1            CPU2  CPU3
 * </pre>
 */
class Rfc2017ModelTest {

    static final long MS = 1_000_000L;
    static final int G00 = 0, G01 = 1, TOP = 2;

    // ---------------------------------------------------------------------------------------
    // Fixtures

    /** The hierarchy after preparing CPUs 0..k-1 (k = 1..4), 2 children per group. */
    static Hierarchy fourCpus(int k) {
        List<Integer> cpuGroup = new ArrayList<>(List.of(-1, -1, -1, -1));
        List<Long> masks = new ArrayList<>(List.of(0L, 0L, 0L, 0L));
        List<Group> groups = new ArrayList<>();
        List<Integer> g0cpus = k >= 2 ? List.of(0, 1) : List.of(0);
        groups.add(new Group(0, 0, 0, 0, k >= 3 ? TOP : -1, k >= 3 ? 1 : 0, List.of(), g0cpus, g0cpus));
        for (int c : g0cpus) { cpuGroup.set(c, 0); masks.set(c, 1L << c); }
        if (k >= 3) {
            List<Integer> g1cpus = k >= 4 ? List.of(2, 3) : List.of(2);
            groups.add(new Group(1, 0, 1, 0, TOP, 2, List.of(), g1cpus, g1cpus));
            List<Integer> all = new ArrayList<>(g0cpus);
            all.addAll(g1cpus);
            groups.add(new Group(2, 1, 0, 0, -1, 1, List.of(0, 1), List.of(), all));
            for (int c : g1cpus) { cpuGroup.set(c, 1); masks.set(c, 1L << (c - 2)); }
        }
        return new Hierarchy(2, 2, groups, cpuGroup, masks);
    }

    /** One level-0 group holding {@code n} CPUs (a single-level tree, e.g. 3 CPUs of 8). */
    static Hierarchy flat(int n) {
        List<Integer> cpus = new ArrayList<>();
        List<Integer> cpuGroup = new ArrayList<>();
        List<Long> masks = new ArrayList<>();
        for (int c = 0; c < n; c++) { cpus.add(c); cpuGroup.add(0); masks.add(1L << c); }
        return new Hierarchy(1, 1, List.of(new Group(0, 0, 0, 0, -1, 0, List.of(), cpus, cpus)), cpuGroup, masks);
    }

    /** Records remote expiries and triggers; each CPU's next global event is set by the test. */
    static final class FakeTimers implements TimerSide {
        record Expiry(int cpu, int onCpu, long now) {}
        record Trigger(int cpu, long now) {}

        final long[] next;
        final long[] afterExpiry;
        final List<Expiry> expired = new ArrayList<>();
        final List<Trigger> triggered = new ArrayList<>();

        FakeTimers(int cpus) {
            next = new long[cpus];
            afterExpiry = new long[cpus];
            Arrays.fill(next, KTIME_MAX);
            Arrays.fill(afterExpiry, KTIME_MAX);
        }

        @Override public void expireRemote(int cpu, int onCpu, long now) {
            expired.add(new Expiry(cpu, onCpu, now));
            // Run the global base up to now: the due timer fires, the next one becomes first.
            if (next[cpu] <= now) { next[cpu] = afterExpiry[cpu]; afterExpiry[cpu] = KTIME_MAX; }
        }

        @Override public long nextGlobalEvent(int cpu, long now) {
            return next[cpu];
        }

        @Override public void triggerActive(int cpu, long now) {
            triggered.add(new Trigger(cpu, now));
        }
    }

    /** Records handleRemote visits and group updates. */
    static final class Recorder implements TraceSink {
        final List<String> events = new ArrayList<>();

        @Override public void handleRemote(long t, int cpu, int group, int lvl) {
            events.add("handle_remote cpu=" + cpu + " group=" + group + " lvl=" + lvl);
        }

        @Override public void groupSetCpu(long t, int cpu, boolean active, int group, int lvl, int numa,
                                          long activeMask, long migrator, int parent, long childmask) {
            events.add((active ? "active" : "inactive") + " group=" + group + " active=" + Long.toHexString(activeMask)
                    + " migrator=" + Long.toHexString(migrator) + " childmask=" + Long.toHexString(childmask));
        }

        @Override public void cpuGroup(long t, int cpu, String event, int subjectCpu, int parent, long wakeup) {
            events.add(event + " cpu=" + subjectCpu);
        }

        List<String> starting(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).toList();
        }
    }

    final FakeTimers timers = new FakeTimers(4);
    final Recorder rec = new Recorder();

    /** Boots CPUs 0..3 the way hotplug does: prepare (tree grows), then online; all stay busy. */
    Rfc2017Model bootFour(MigratorSelector selector) {
        Rfc2017Model m = new Rfc2017Model(timers, rec, selector);
        for (int c = 0; c < 4; c++) {
            m.prepare(fourCpus(c + 1), c, c == 0 ? -1 : 0, 0);
            m.setAvailable(c, false, 0);
        }
        return m;
    }

    Rfc2017Model bootFour() {
        return bootFour(MigratorSelector.LOWEST_ACTIVE);
    }

    // ---------------------------------------------------------------------------------------
    // Migrator election

    @Test
    void migratorIsFirstActiveCpuAndIsReElectedByCpuIdAtEveryLevel() {
        Rfc2017Model m = bootFour();
        assertThat(m.migrator(G00)).isZero();
        assertThat(m.migrator(G01)).isEqualTo(2);
        assertThat(m.migrator(TOP)).isZero();
        assertThat(m.activeCount(TOP)).isEqualTo(2);

        // Everybody idle, then CPU3, CPU2, CPU1 wake in that order.
        for (int c = 0; c < 4; c++) m.cpuDeactivate(c, KTIME_MAX, MS);
        assertThat(m.migrator(TOP)).isEqualTo(-1);
        m.cpuActivate(3, 2 * MS);
        m.cpuActivate(2, 2 * MS);
        m.cpuActivate(1, 2 * MS);
        // The first active CPU of an idle group becomes migrator, later lower ids do not steal it.
        assertThat(m.migrator(G01)).isEqualTo(3);
        assertThat(m.migrator(TOP)).isEqualTo(3);
        assertThat(m.migrator(G00)).isEqualTo(1);

        // CPU3 leaves: GRP0:1 hands over to CPU2, and because CPU3 was the top migrator the top
        // group re-elects cpumask_first({1, 2}) = CPU1 (mainline would keep GRP0:1 there).
        m.cpuDeactivate(3, KTIME_MAX, 3 * MS);
        assertThat(m.migrator(G01)).isEqualTo(2);
        assertThat(m.inCpus(TOP, 1)).isTrue();
        assertThat(m.inCpus(TOP, 2)).isTrue();
        assertThat(m.inCpus(TOP, 3)).isFalse();
        assertThat(m.migrator(TOP)).isEqualTo(1);
        assertThat(m.warnings()).isZero();
    }

    @Test
    void customSelectorIsAskedWhenTheLeavingChildWentIdle() {
        MigratorSelector highest = new MigratorSelector() {
            @Override public String name() { return "highest"; }
            @Override public long handOver(Group group, long active, long leaving) { return Long.highestOneBit(active); }
        };
        for (MigratorSelector s : List.of(MigratorSelector.LOWEST_ACTIVE, highest)) {
            FakeTimers t = new FakeTimers(3);
            Rfc2017Model m = new Rfc2017Model(t, TraceSink.NONE, s);
            for (int c = 0; c < 3; c++) { m.prepare(flat(3), c, 0, 0); m.setAvailable(c, false, 0); }
            assertThat(m.migrator(0)).isZero();
            m.cpuDeactivate(0, KTIME_MAX, MS);
            // cpumask_first({1, 2}) for the kernel rule, the selector's pick otherwise.
            assertThat(m.migrator(0)).as(s.name()).isEqualTo(s == highest ? 2 : 1);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Going idle

    @Test
    void lastCpuGoingIdleGetsTheTopGroupsFirstEvent() {
        Rfc2017Model m = bootFour();
        // Non-migrators first: they queue their event and get nothing back.
        assertThat(m.cpuDeactivate(1, 5 * MS, MS)).isEqualTo(KTIME_MAX);
        assertThat(m.cpuDeactivate(3, KTIME_MAX, MS)).isEqualTo(KTIME_MAX);
        // CPU2 empties GRP0:1, which queues its first event (3 ms) in the top group; CPU0 still
        // migrates there, so CPU2 gets nothing either.
        assertThat(m.cpuDeactivate(2, 3 * MS, MS)).isEqualTo(KTIME_MAX);
        assertThat(m.groupEventQueued(G01)).isTrue();
        assertThat(m.firstEvent(TOP)).isEqualTo(3 * MS);

        // The last one: the hierarchy goes idle, CPU0 must wake for the earliest global event.
        assertThat(m.cpuDeactivate(0, 9 * MS, MS)).isEqualTo(3 * MS);
        assertThat(m.migrator(TOP)).isEqualTo(-1);
        assertThat(m.activeCount(TOP)).isZero();
        assertThat(m.firstEvent(G00)).isEqualTo(5 * MS);
        assertThat(m.groupEventQueued(G00)).isTrue();
    }

    @Test
    void topMigratorHandingOverStillGetsTheTopEvent() {
        // RFC quirk: tmigr_set_cpu_inactive() returns the top group's first event to whoever
        // reaches the top as migrator, even if another CPU takes over.
        Rfc2017Model m = bootFour();
        m.cpuDeactivate(3, KTIME_MAX, MS);
        m.cpuDeactivate(2, 3 * MS, MS);
        assertThat(m.cpuDeactivate(0, KTIME_MAX, MS)).isEqualTo(3 * MS);
        assertThat(m.migrator(TOP)).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------
    // Remote expiry

    @Test
    void busyMigratorPullsIdleTimersThroughTheRecursiveDescent() {
        Rfc2017Model m = bootFour();
        timers.next[1] = 4 * MS;
        timers.next[2] = 4 * MS;
        timers.afterExpiry[1] = 20 * MS;
        timers.afterExpiry[2] = 10 * MS;
        m.cpuDeactivate(1, timers.next[1], MS);
        m.cpuDeactivate(3, KTIME_MAX, MS);
        m.cpuDeactivate(2, timers.next[2], MS);

        // CPU0 is the only busy CPU. Before expiry nothing is pulled; the tick always asks.
        assertThat(m.requiresHandleRemote(0, 3 * MS)).isTrue();
        m.handleRemote(0, 3 * MS);
        assertThat(timers.expired).isEmpty();

        rec.events.clear();
        m.handleRemote(0, 4 * MS);
        // CPU1 sits in CPU0's own group; CPU2 only behind GRP0:1's event in the top group.
        assertThat(timers.expired).containsExactly(
                new FakeTimers.Expiry(1, 0, 4 * MS),
                new FakeTimers.Expiry(2, 0, 4 * MS));
        // Own group, walk up to the top, then down into the idle GRP0:1.
        assertThat(rec.starting("handle_remote")).containsExactly(
                "handle_remote cpu=0 group=0 lvl=0",
                "handle_remote cpu=0 group=2 lvl=1",
                "handle_remote cpu=0 group=1 lvl=0");
        // tmigr_update_remote() requeued both next events; GRP0:1's event is back in the top.
        assertThat(m.firstEvent(G00)).isEqualTo(20 * MS);
        assertThat(m.firstEvent(G01)).isEqualTo(10 * MS);
        assertThat(m.groupEventQueued(G01)).isTrue();
        assertThat(m.firstEvent(TOP)).isEqualTo(10 * MS);

        // A busy non-migrator raises the softirq too, but handles nothing.
        m.cpuActivate(1, 10 * MS);
        assertThat(m.requiresHandleRemote(1, 10 * MS)).isTrue();
        m.handleRemote(1, 10 * MS);
        assertThat(timers.expired).hasSize(2);
        m.handleRemote(0, 10 * MS);
        assertThat(timers.expired).last().isEqualTo(new FakeTimers.Expiry(2, 0, 10 * MS));
    }

    @Test
    void wakingCpuTakesOverAndPullsTheOthersTimers() {
        Rfc2017Model m = bootFour();
        m.cpuDeactivate(1, 5 * MS, MS);
        m.cpuDeactivate(3, KTIME_MAX, MS);
        m.cpuDeactivate(2, 3 * MS, MS);
        timers.next[1] = 5 * MS;
        timers.next[2] = 3 * MS;
        assertThat(m.cpuDeactivate(0, KTIME_MAX, MS)).isEqualTo(3 * MS);

        // CPU3 wakes (idle exit): first active CPU of idle GRP0:1 and of the idle top.
        m.cpuActivate(3, 2 * MS);
        assertThat(m.migrator(G01)).isEqualTo(3);
        assertThat(m.migrator(TOP)).isEqualTo(3);
        // Eager removal: GRP0:1's event left the top group's queue on activation.
        assertThat(m.groupEventQueued(G01)).isFalse();
        assertThat(m.firstEvent(TOP)).isEqualTo(5 * MS);

        m.handleRemote(3, 3 * MS);
        m.handleRemote(3, 4 * MS);
        m.handleRemote(3, 5 * MS);
        assertThat(timers.expired).containsExactly(
                new FakeTimers.Expiry(2, 3, 3 * MS),
                new FakeTimers.Expiry(1, 3, 5 * MS));
    }

    @Test
    void lastIdleCpuWokenByItsWakeupIsActivatedByTheInterruptAndPulls() {
        Rfc2017Model m = bootFour();
        timers.next[2] = 3 * MS;
        timers.afterExpiry[2] = 30 * MS;
        m.cpuDeactivate(1, 5 * MS, MS);
        m.cpuDeactivate(3, KTIME_MAX, MS);
        m.cpuDeactivate(2, 3 * MS, MS);
        assertThat(m.cpuDeactivate(0, 9 * MS, MS)).isEqualTo(3 * MS);

        // The armed event fires: tick_nohz_irq_enter() activates CPU0 before the tick runs.
        rec.events.clear();
        assertThat(m.requiresHandleRemote(0, 3 * MS)).isTrue();
        assertThat(m.tmigrIdle(0)).isFalse();
        assertThat(m.migrator(TOP)).isZero();
        assertThat(rec.starting("tmigr_cpu_active")).containsExactly("tmigr_cpu_active cpu=0");
        m.handleRemote(0, 3 * MS);
        assertThat(timers.expired).containsExactly(new FakeTimers.Expiry(2, 0, 3 * MS));

        // Irq exit re-evaluates: CPU0 goes idle again and is the last one, so it gets the next
        // top event (CPU1's 5 ms, before CPU2's requeued 30 ms).
        assertThat(m.cpuNewTimer(0, 9 * MS, 3 * MS)).isEqualTo(5 * MS);
        assertThat(m.migrator(TOP)).isEqualTo(-1);
    }

    @Test
    void newTimerWhileIdleIsAFullActivateIdleCycle() {
        Rfc2017Model m = bootFour();
        m.cpuDeactivate(0, KTIME_MAX, MS);
        m.cpuDeactivate(1, KTIME_MAX, MS);
        assertThat(m.cpuEventQueued(1)).isFalse();
        rec.events.clear();
        // CPU1 arms a global timer from an interrupt while idle.
        assertThat(m.cpuNewTimer(1, 7 * MS, 2 * MS)).isEqualTo(KTIME_MAX);
        assertThat(rec.starting("tmigr_cpu_active")).containsExactly("tmigr_cpu_active cpu=1");
        // GRP0:0 went active (CPU1 migrator) and idle again, so its event was requeued above.
        assertThat(rec.starting("active group=0")).containsExactly("active group=0 active=2 migrator=2 childmask=2");
        assertThat(m.cpuEventQueued(1)).isTrue();
        assertThat(m.firstEvent(G00)).isEqualTo(7 * MS);
        assertThat(m.groupEventQueued(G00)).isTrue();
        assertThat(m.firstEvent(TOP)).isEqualTo(7 * MS);
    }

    // ---------------------------------------------------------------------------------------
    // Hotplug and tree growth

    @Test
    void offlineOfTheLastActiveCpuTriggersAnotherCpu() {
        Rfc2017Model m = bootFour();
        // A CPU that is not a migrator leaves quietly.
        m.clearAvailable(3, MS);
        assertThat(timers.triggered).isEmpty();
        assertThat(m.isAvailable(3)).isFalse();

        m.cpuDeactivate(0, KTIME_MAX, 2 * MS);
        m.cpuDeactivate(2, 6 * MS, 2 * MS);
        assertThat(m.migrator(TOP)).isEqualTo(1);

        // CPU1, the last active one, goes offline: it wakes the first other online CPU.
        m.clearAvailable(1, 7 * MS);
        assertThat(timers.triggered).containsExactly(new FakeTimers.Trigger(0, 7 * MS));
        assertThat(m.migrator(TOP)).isEqualTo(-1);
        assertThat(m.firstEvent(TOP)).isEqualTo(6 * MS);

        // The woken CPU takes the duty over.
        m.cpuActivate(0, 7 * MS);
        assertThat(m.migrator(TOP)).isZero();
        // Offline keeps the groups (the RFC frees them only on setup failure): back online works.
        m.setAvailable(1, false, 8 * MS);
        assertThat(m.inCpus(G00, 1)).isTrue();
        assertThat(m.activeCount(G00)).isEqualTo(2);
        assertThat(m.warnings()).isZero();
    }

    @Test
    void newTopLevelIsActivatedForAnActiveOldRoot() {
        Rfc2017Model m = new Rfc2017Model(timers, rec);
        m.prepare(fourCpus(1), 0, -1, 0);
        m.setAvailable(0, false, 0);
        m.prepare(fourCpus(2), 1, 0, 0);
        m.setAvailable(1, false, 0);
        assertThat(m.migrator(G00)).isZero();

        // CPU2 creates GRP0:1 and the top group; tmigr_setup_parents() activates the top for the
        // active old root with its migrator, before CPU2 itself comes online.
        m.prepare(fourCpus(3), 2, 0, 0);
        assertThat(m.migrator(TOP)).isZero();
        assertThat(m.activeCount(TOP)).isEqualTo(1);
        assertThat(m.activeCount(G01)).isZero();

        m.setAvailable(2, false, 0);
        assertThat(m.activeCount(TOP)).isEqualTo(2);
        assertThat(m.migrator(G01)).isEqualTo(2);
        assertThat(m.migrator(TOP)).isZero();
    }

    @Test
    void quickCheckIsIdentityAndSingleCpuMachinesAreDisabled() {
        Rfc2017Model m = bootFour();
        assertThat(m.quickCheck(1, 42 * MS, MS)).isEqualTo(42 * MS);

        FakeTimers t = new FakeTimers(1);
        Rfc2017Model up = new Rfc2017Model(t, TraceSink.NONE);
        up.prepare(flat(1), 0, -1, 0);
        up.setAvailable(0, false, 0);
        assertThat(up.isAvailable(0)).isFalse();
        assertThat(up.cpuDeactivate(0, 5 * MS, MS)).isEqualTo(5 * MS);
        assertThat(up.requiresHandleRemote(0, MS)).isFalse();
    }
}
