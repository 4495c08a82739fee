package org.tmigrlab.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;
import org.tmigrlab.topologies.PackingHierarchyBuilder;
import org.tmigrlab.topologies.machine.SyntheticMachine;

class SelectorsTest {

    private static final Group ANY = new Group(0, 0, 0, 0, -1, 0, List.of(), List.of(0, 1, 2, 3, 4, 5, 6, 7),
            List.of(0, 1, 2, 3, 4, 5, 6, 7));

    private static RunContext run(Machine m, Hierarchy h, long seed) {
        return new RunContext() {
            @Override public Machine machine() { return m; }
            @Override public long seed() { return seed; }
            @Override public Hierarchy hierarchy() { return h; }
        };
    }

    private static RunContext seeded(long seed) {
        return run(Machine.contiguous(8, 1), null, seed);
    }

    @Test
    void roundRobinTakesTheNextActiveBitAndWraps() {
        MigratorSelector rr = new RoundRobinSelector();
        assertThat(rr.handOver(ANY, 0b1010_0001, 0b0000_0010)).isEqualTo(0b0010_0000);
        assertThat(rr.handOver(ANY, 0b0000_0101, 0b1000_0000)).isEqualTo(0b0000_0001);
        assertThat(rr.handOver(ANY, 0b0000_0001, 1L << 63)).isEqualTo(1);
        assertThat(rr.handOver(ANY, (1L << 63) | 1, 1L << 62)).isEqualTo(1L << 63);
    }

    @Test
    void stickyReturnsTheDutyToThePreviousMigratorWhileItIsActive() {
        MigratorSelector sticky = new StickySelector().forRun(seeded(1));
        // 2 hands over to the lowest (1); when 1 leaves, 2 is back and takes it again
        assertThat(sticky.handOver(ANY, 0b1011, 0b0100)).isEqualTo(0b0001);
        assertThat(sticky.handOver(ANY, 0b1100, 0b0001)).isEqualTo(0b0100);
        // the previous one (1) went idle meanwhile: lowest active
        assertThat(sticky.handOver(ANY, 0b1000, 0b0100)).isEqualTo(0b1000);
        // each run starts without memory
        assertThat(new StickySelector().forRun(seeded(1)).handOver(ANY, 0b1100, 0b0001)).isEqualTo(0b0100);
    }

    @Test
    void randomIsSeededAndOnlyPicksActiveChildren() {
        long active = 0b1011_0110;
        List<Long> a = draws(new RandomSelector().forRun(seeded(7)), active);
        List<Long> b = draws(new RandomSelector().forRun(seeded(7)), active);
        List<Long> c = draws(new RandomSelector().forRun(seeded(8)), active);

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).allSatisfy(bit -> assertThat(Long.bitCount(bit) == 1 && (bit & active) != 0).isTrue());
        assertThat(a).containsAll(List.of(0b10L, 0b100L, 0b10000L, 0b100000L, 0b10000000L));
        assertThatThrownBy(() -> new RandomSelector().handOver(ANY, 1, 2)).hasMessageContaining("forRun");
    }

    private static List<Long> draws(MigratorSelector s, long active) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) out.add(s.handOver(ANY, active, 1L << 8));
        return out;
    }

    /**
     * flat on 8 CPUs, node = cpu % 2, LLC = cpu % 4: CPU k holds bit k. When CPU 4 (node 0, LLC 0)
     * leaves with CPUs 1, 2 (node 0, LLC 2) and 3 active, numa-affine takes CPU 2 and llc-affine
     * would take an LLC-0 CPU: CPU 0 once it is active.
     */
    @Test
    void affineRulesPreferTheLeavingChildsNodeThenItsCache() {
        List<org.tmigrlab.api.Cpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) cpus.add(new org.tmigrlab.api.Cpu(c, c % 2, 0, c % 4, c, 1024));
        Machine m = new Machine(2, cpus);
        Hierarchy h = PackingHierarchyBuilder.flat().build(m, IntStream.range(0, 8).toArray(), BuildOptions.kernelDefault());
        Group g = h.group(0);
        MigratorSelector numa = AffineSelector.numa().forRun(run(m, h, 1));
        MigratorSelector llc = AffineSelector.llc().forRun(run(m, h, 1));

        assertThat(numa.handOver(g, 0b1110, 1L << 4)).isEqualTo(0b0100);
        assertThat(llc.handOver(g, 0b1110, 1L << 4)).isEqualTo(0b0100);
        assertThat(llc.handOver(g, 0b1111, 1L << 4)).isEqualTo(0b0001);
        // nobody near: the lowest active child
        assertThat(numa.handOver(g, 0b1010, 1L << 4)).isEqualTo(0b0010);
    }

    @Test
    void affineRulesLookAtWholeSubtreesAboveLevelZero() {
        // smt on 16 CPUs, 2 packages/nodes, 2 LLCs each: the top's children are the two node groups
        Machine m = new SyntheticMachine(16, 2, 2, 4, 2, false, List.of()).toMachine();
        Hierarchy h = PackingHierarchyBuilder.smt().build(m, IntStream.range(0, 16).toArray(), BuildOptions.kernelDefault());
        Group node0 = h.group(h.group(h.cpuGroup().get(0)).parent());
        MigratorSelector llc = AffineSelector.llc().forRun(run(m, h, 1));

        // children of node 0's group are cores 0..3 (CPUs 0-1, 2-3, 4-5, 6-7); cores 0,1 share LLC 0
        assertThat(h.cpusOfChild(node0, 0b0001)).containsExactly(0, 1);
        assertThat(llc.handOver(node0, 0b1110, 0b0001)).isEqualTo(0b0010);
        assertThat(llc.handOver(node0, 0b1100, 0b0001)).isEqualTo(0b0100);
    }
}
