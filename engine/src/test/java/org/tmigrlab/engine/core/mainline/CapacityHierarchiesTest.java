package org.tmigrlab.engine.core.mainline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.Runs.MS;
import static org.tmigrlab.engine.Runs.invariants;
import static org.tmigrlab.engine.Runs.run;
import static org.tmigrlab.engine.Runs.simulator;
import static org.tmigrlab.engine.Runs.timer;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;

/**
 * One hierarchy per CPU capacity (builder {@code capacity}): each class pulls only its own
 * timers, the last idle CPU of a class wakes for that class, and "one root per hierarchy" holds
 * with two roots. Little CPUs 0-3 (446), big 4-7 (1024).
 */
class CapacityHierarchiesTest {

    private static final String BIG_LITTLE = """
            machine: {source: synthetic, cpus: 8, llcs: 2, capacities: [446, 1024]}
            hierarchy: {builder: %s}
            until: 60ms
            script:
              - {at: 1ms, cpu: 4, op: busy}
              - {at: 1ms, cpu: 1, op: busy}
              - {at: 1ms, cpu: 1, op: arm, timer: little, in: 5ms}
              - {at: 2ms, cpu: 1, op: idle}
              - {at: 1ms, cpu: 5, op: busy}
              - {at: 1ms, cpu: 5, op: arm, timer: big, in: 5ms}
              - {at: 2ms, cpu: 5, op: idle}
              - {at: 10ms, cpu: 2, op: busy}
              - {at: 10ms, cpu: 4, op: idle}
              - {at: 11ms, cpu: 6, op: busy}
              - {at: 11ms, cpu: 6, op: arm, timer: big2, in: 5ms}
              - {at: 12ms, cpu: 6, op: idle}
            """;

    @Test
    void eachClassPullsOnlyItsOwnTimers() {
        RunResult perClass = run(BIG_LITTLE.formatted("capacity"));
        RunResult oneTree = run(BIG_LITTLE.formatted("llc"));

        assertThat(perClass.violations()).isEmpty();
        assertThat(timer(perClass, "little").firedOn()).isEqualTo(1); // woke for it itself: no little CPU was busy
        assertThat(timer(perClass, "big").firedOn()).isEqualTo(4);
        // the big tree went idle with CPU 4: CPU 6, its last idle CPU, wakes for big2, not busy little CPU 2
        assertThat(timer(perClass, "big2").firedOn()).isEqualTo(6);

        assertThat(oneTree.violations()).isEmpty();
        assertThat(timer(oneTree, "little").firedOn()).isEqualTo(4);
        assertThat(timer(oneTree, "big2").firedOn()).isEqualTo(2);
    }

    @Test
    void twoRootsOfTwoClassesAreOneRootPerHierarchyAndASecondRootInAClassIsNot() {
        Simulator sim = simulator(BIG_LITTLE.formatted("capacity"));
        sim.runUntil(5 * MS);
        MainlineModel m = (MainlineModel) sim.model();
        assertThat(sim.hierarchy().roots()).hasSize(2);
        assertThat(sim.checker().checkNow(sim.now())).isEmpty();

        // cut CPU 0's group off... it is a root already (4 CPUs per class fit one group): use a
        // two-level class instead
        Simulator tall = simulator("""
                machine: {source: synthetic, cpus: 16, llcs: 2, capacities: [446, 1024]}
                hierarchy: {builder: capacity, sizing: [2, 8]}
                until: 10ms
                script: [{at: 1ms, cpu: 0, op: busy}]
                """);
        tall.runUntil(2 * MS);
        MainlineModel t = (MainlineModel) tall.model();
        int leaf = t.cpuGroup(0);
        t.corruptParent(leaf, -1);
        List<Violation> v = tall.checker().checkNow(tall.now());
        assertThat(invariants(v)).contains("single-root");
        assertThat(v.stream().filter(x -> x.invariant().equals("single-root")).findFirst().orElseThrow().message())
                .contains("both serve capacity 446");
        assertThat(m.groupCount()).isEqualTo(2);
    }

    @Test
    void aClassGrowsItsOwnTreeWhenItsCpusComeOnline() {
        RunResult r = run("""
                machine: {source: synthetic, cpus: 16, llcs: 2, capacities: [446, 1024], onlineOrder: [0, 8]}
                hierarchy: {builder: capacity, sizing: [2, 8]}
                until: 40ms
                script:
                  - {at: 1ms, cpu: 0, op: busy}
                  - {at: 2ms, cpu: 3, op: online}
                  - {at: 3ms, cpu: 3, op: busy}
                  - {at: 3ms, cpu: 3, op: arm, timer: T, in: 5ms}
                  - {at: 4ms, cpu: 3, op: idle}
                  - {at: 5ms, cpu: 12, op: online}
                  - {at: 20ms, cpu: 0, op: idle}
                """);
        assertThat(r.violations()).isEmpty();
        assertThat(timer(r, "T").firedOn()).isZero();
    }

    /** CPUs 0-7 little, 8-15 big; little CPU 4 is busy, no big CPU stays busy. */
    private static final String SIXTEEN = """
            machine: {source: synthetic, cpus: 16, llcs: 2, capacities: [446, 1024]}
            hierarchy: {builder: %s, sizing: [2, 8]}
            model: %s
            until: 60ms
            script:
              - {at: 1ms, cpu: 4, op: busy}
              - {at: 1ms, cpu: 1, op: busy}
              - {at: 1ms, cpu: 1, op: arm, timer: little, in: 5ms}
              - {at: 2ms, cpu: 1, op: idle}
              - {at: 1ms, cpu: 9, op: busy}
              - {at: 1ms, cpu: 9, op: arm, timer: big, in: 5ms}
              - {at: 2ms, cpu: 9, op: idle}
            """;

    @Test
    void bothModelsRunPerCapacityTrees() {
        RunResult mainline = run(SIXTEEN.formatted("capacity", "mainline"));
        RunResult rfc = run(SIXTEEN.formatted("capacity", "rfc2017"));
        RunResult rfcOneTree = run(SIXTEEN.formatted("sized", "rfc2017"));

        assertThat(mainline.violations()).isEmpty();
        assertThat(rfc.violations()).isEmpty();
        assertThat(timer(mainline, "little").firedOn()).isEqualTo(4);
        // Nobody big stays busy: CPU 9 wakes for its own timer. In one tree busy little CPU 4 takes it.
        assertThat(timer(mainline, "big").firedOn()).isEqualTo(9);
        assertThat(timer(rfc, "big").firedOn()).isEqualTo(9);
        assertThat(timer(rfcOneTree, "big").firedOn()).isEqualTo(4);
        // The RFC's own rule decides who expires the little timer; per-class trees do not change it.
        assertThat(timer(rfc, "little").firedOn()).isEqualTo(timer(rfcOneTree, "little").firedOn());
    }
}
