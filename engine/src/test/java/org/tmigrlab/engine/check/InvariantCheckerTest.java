package org.tmigrlab.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.Runs.MS;
import static org.tmigrlab.engine.Runs.invariants;
import static org.tmigrlab.engine.Runs.run;
import static org.tmigrlab.engine.Runs.scenario;
import static org.tmigrlab.engine.Runs.simulator;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.PullModelFactory;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.topologies.KernelHierarchyBuilder;

/**
 * Every invariant is broken on purpose — by a historical bug switch, a corrupted state, or a model
 * that skips a duty — and the checker must name it. A healthy run of the same shape must stay clean,
 * so none of these can pass by a checker that always fires.
 */
class InvariantCheckerTest {

    private static final String DOC_TREE = """
            machine: {cpus: 4}
            hierarchy: {childrenPerGroup: 2}
            until: 50ms
            script:
              - {at: 1ms, cpu: 2, op: busy}
            """;

    private static Simulator settledDocTree() {
        Simulator sim = simulator(DOC_TREE);
        sim.runUntil(5 * MS);
        assertThat(sim.checker().checkNow(sim.now())).isEmpty();
        return sim;
    }

    @Test
    void migratorValidFiresOnMigratorZero() {
        Simulator sim = settledDocTree();
        MainlineModel m = (MainlineModel) sim.model();
        int g = m.cpuGroup(2);
        m.corruptState(g, m.active(g), 0); // #8B: childmask 0 propagated as migrator
        List<Violation> v = sim.checker().checkNow(sim.now());
        assertThat(invariants(v)).containsExactly("migrator-valid");
        assertThat(v.get(0).groups()).containsExactly(g);
        assertThat(v.get(0).time()).isEqualTo(5 * MS);
    }

    @Test
    void parentChildActiveFiresWhenAChildIsActiveBehindItsParentsBack() {
        Simulator sim = settledDocTree();
        MainlineModel m = (MainlineModel) sim.model();
        int g = m.cpuGroup(0); // GRP0:0: idle, its bit clear in GRP1:0
        long cpu0 = m.cpuGroupmask(0);
        m.corruptState(g, cpu0, cpu0); // doc A without seq: GRP1:0 does not know GRP0:0 is active
        assertThat(invariants(sim.checker().checkNow(sim.now()))).containsExactly("parent-child-active");
    }

    @Test
    void singleRootFiresOnASecondParentlessGroup() {
        Simulator sim = simulator("""
                machine: {cpus: 9}
                until: 10ms
                """);
        sim.runUntil(1 * MS);
        MainlineModel m = (MainlineModel) sim.model();
        m.corruptParent(m.cpuGroup(0), -1); // #13: old root never connected
        List<Violation> v = sim.checker().checkNow(sim.now());
        assertThat(invariants(v)).contains("single-root");
        assertThat(v.stream().filter(x -> x.invariant().equals("single-root")).findFirst().orElseThrow().groups()).hasSize(2);
    }

    @Test
    void numaPurityFiresOnTheImbalancedTree() {
        String s = """
                machine: {cpus: 48, nodes: 2, cpuNodes: [0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1,0,1]}
                until: 1ms
                """;
        assertThat(run(s).violations()).isEmpty();
        RunResult bad = run(s + "bugs: [imbalanced-numa-trees]\n");
        assertThat(invariants(bad)).containsExactly("numa-purity");
    }

    @Test
    void noLostTimerFiresWhenTheLastIdleCpuArmsNothing() {
        RunResult r = run("""
                machine: {cpus: 2}
                until: 20ms
                bugs: [early-return-on-deactivation]
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 0, cpu: 1, op: arm, timer: T1, expiresAt: 10ms}
                  - {at: 1ms, cpu: 0, op: idle}
                """);
        Violation lost = r.violations().stream().filter(v -> v.invariant().equals("no-lost-timer")).findFirst().orElseThrow();
        // CPU0 is woken at 11 ms by the quick-check forecast, handles nothing, and arms nothing.
        assertThat(lost.time()).isEqualTo(11 * MS);
        assertThat(lost.cpus()).containsExactly(1);
    }

    @Test
    void timelyExpiryFiresWhenAPulledTimerIsLeftBehind() {
        RunResult r = run("""
                machine: {cpus: 8}
                hierarchy: {childrenPerGroup: 2}
                until: 30ms
                bugs: [missing-cpu-update]
                script:
                  - {at: 0, cpu: 4, op: busy}
                  - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                  - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 10ms}
                """);
        Violation late = r.violations().stream().filter(v -> v.invariant().equals("timely-expiry")).findFirst().orElseThrow();
        assertThat(late.message()).contains("T1");
        assertThat(late.time()).isEqualTo(13 * MS); // bucket 12 ms + one tick
    }

    @Test
    void boundedWakeupsFiresOnTheStaleWakeupStorm() {
        RunResult r = run("""
                machine: {cpus: 2}
                until: 20ms
                bugs: [stale-wakeup-requeue]
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 0, cpu: 1, op: arm, timer: T1, expiresAt: 10ms}
                  - {at: 1ms, cpu: 0, op: idle}
                  - {at: 9ms, cpu: 1, op: busy}
                """);
        assertThat(invariants(r)).containsExactly("bounded-wakeups");
        assertThat(r.violations().get(0).cpus()).containsExactly(0);
    }

    @Test
    void isolationFiresWhenTheModelKeepsAnIsolatedCpuInTheHierarchy() {
        String s = """
                machine: {cpus: 4}
                until: 30ms
                script:
                  - {at: 0, cpu: 1, op: isolate}
                  - {at: 1ms, cpu: 1, op: busy}
                  - {at: 2ms, cpu: 0, op: arm, timer: HK, in: 10ms}
                """;
        assertThat(run(s).violations()).isEmpty();
        // A model that ignores tmigr_clear_cpu_available(): the isolated busy CPU stays migrator.
        PullModelFactory leaky = new PullModelFactory() {
            @Override public String name() { return "mainline"; }
            @Override public PullModel create(org.tmigrlab.engine.core.ModelContext ctx) {
                return new IgnoresIsolation(new MainlineModel(ctx));
            }
        };
        Catalog catalog = new Catalog(Map.of("kernel", new KernelHierarchyBuilder()),
                Map.of("lowest-active", MigratorSelector.LOWEST_ACTIVE), Map.of("mainline", leaky));
        RunResult r = Lab.run(scenario(s), TraceSink.NONE, catalog);
        assertThat(invariants(r)).containsExactly("isolation");
        assertThat(r.violations().get(0).cpus()).containsExactly(0, 1);
    }

    @Test
    void noPinnedMigrationFiresWhenAPinnedTimerSitsInTheGlobalBase() {
        String s = """
                machine: {cpus: 2}
                until: 30ms
                script:
                  - {at: 0, cpu: 1, op: busy}
                  - {at: 1ms, cpu: 0, op: arm, timer: P, in: 10ms, pinned: true}
                """;
        RunResult clean = run(s);
        assertThat(clean.violations()).isEmpty();
        assertThat(clean.timers().get(0).firedOn()).isEqualTo(0);
        Simulator sim = simulator(s);
        sim.runUntil(1 * MS);
        sim.corruptTimerBase("P", true);
        RunResult r = sim.run();
        assertThat(invariants(r)).containsExactly("no-pinned-migration");
        assertThat(r.timers().get(0).firedOn()).isEqualTo(1);
    }

    @Test
    void quickCheckFiresOnTheTopOnlyForecast() {
        String s = """
                machine: {cpus: 4}
                hierarchy: {childrenPerGroup: 2}
                until: 60ms
                script:
                  - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 20ms}
                  - {at: 1ms, cpu: 2, op: arm, timer: T2, in: 30ms}
                  - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                  - {at: 2ms, cpu: 0, op: busy}
                  - {at: 13ms, cpu: 0, op: idle}
                """;
        assertThat(run(s).violations()).isEmpty();
        RunResult r = run(s + "bugs: [quick-check-top-only]\n");
        assertThat(invariants(r)).containsExactly("quick-check");
        assertThat(r.violations().get(0).time()).isEqualTo(13 * MS);
    }

    /** Delegates everything except leaving the hierarchy on isolation. */
    private record IgnoresIsolation(PullModel inner) implements PullModel {
        @Override public String name() { return inner.name(); }
        @Override public void prepare(Hierarchy h, int cpu, int controlCpu, long now) { inner.prepare(h, cpu, controlCpu, now); }
        @Override public void setAvailable(int cpu, boolean baseIdle, long now) { inner.setAvailable(cpu, baseIdle, now); }
        @Override public void clearAvailable(int cpu, long now) { }
        @Override public void cpuActivate(int cpu, long now) { inner.cpuActivate(cpu, now); }
        @Override public long cpuDeactivate(int cpu, long nextGlobal, long now) { return inner.cpuDeactivate(cpu, nextGlobal, now); }
        @Override public long cpuNewTimer(int cpu, long nextGlobal, long now) { return inner.cpuNewTimer(cpu, nextGlobal, now); }
        @Override public long quickCheck(int cpu, long nextEvent, long now) { return inner.quickCheck(cpu, nextEvent, now); }
        @Override public boolean requiresHandleRemote(int cpu, long now) { return inner.requiresHandleRemote(cpu, now); }
        @Override public void handleRemote(int cpu, long now) { inner.handleRemote(cpu, now); }
        @Override public boolean isAvailable(int cpu) { return inner.isAvailable(cpu); }
    }
}
