package org.tmigrlab.topologies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.topologies.KernelHierarchyBuilderTest.upTo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;

/** Each invariant broken on purpose must be named; a sound tree must pass. */
class HierarchyInvariantsTest {

    private static final Machine FOUR = Machine.contiguous(4, 1);

    /** GRP1:0 root over GRP0:0 {0,1} and GRP0:1 {2,3}. */
    private static List<Group> sound() {
        return new ArrayList<>(List.of(
                new Group(0, 1, 0, 0, -1, 0, List.of(1, 2), List.of(), List.of(0, 1, 2, 3)),
                new Group(1, 0, 0, 0, 0, 1, List.of(), List.of(0, 1), List.of(0, 1)),
                new Group(2, 0, 1, 0, 0, 2, List.of(), List.of(2, 3), List.of(2, 3))));
    }

    private static Hierarchy tree(List<Group> groups, List<Integer> cpuGroup) {
        return new Hierarchy(2, 2, groups, cpuGroup, List.of(1L, 2L, 1L, 2L));
    }

    @Test
    void aSoundTreePasses() {
        assertThat(HierarchyInvariants.violations(FOUR, upTo(4), tree(sound(), List.of(1, 1, 2, 2)))).isEmpty();
        assertThat(HierarchyInvariants.violations(FOUR, upTo(4), new KernelHierarchyBuilder().build(FOUR, upTo(4),
                BuildOptions.kernelDefault()))).isEmpty();
    }

    @Test
    void aCpuInTwoLevelZeroGroups() {
        List<Group> g = sound();
        g.set(2, new Group(2, 0, 1, 0, 0, 2, List.of(), List.of(1, 3), List.of(1, 3)));
        assertThat(HierarchyInvariants.violations(FOUR, upTo(4), tree(g, List.of(1, 1, 2, 2))))
                .contains("CPU1 is a child of both GRP0:0 and GRP0:1", "CPU2 names GRP0:1 as its group but is not among its children");
    }

    @Test
    void twoRootsForOneCapacity() {
        List<Group> g = sound();
        g.set(2, new Group(2, 0, 1, 0, -1, 0, List.of(), List.of(2, 3), List.of(2, 3)));
        g.set(0, new Group(0, 1, 0, 0, -1, 0, List.of(1), List.of(), List.of(0, 1)));
        assertThat(HierarchyInvariants.violations(FOUR, upTo(4), tree(g, List.of(1, 1, 2, 2))))
                .containsExactly("GRP1:0 and GRP0:1 are both roots for capacity 1024: one root per hierarchy");
    }

    @Test
    void twoRootsSeparatingCapacitiesAreFine() {
        List<Cpu> cpus = new ArrayList<>();
        for (int c = 0; c < 4; c++) cpus.add(new Cpu(c, 0, 0, 0, c, c < 2 ? 512 : 1024));
        List<Group> g = List.of(
                new Group(0, 0, 0, 0, -1, 0, List.of(), List.of(0, 1), List.of(0, 1)),
                new Group(1, 0, 1, 0, -1, 0, List.of(), List.of(2, 3), List.of(2, 3)));
        assertThat(HierarchyInvariants.violations(new Machine(1, cpus), upTo(4),
                new Hierarchy(1, 1, g, List.of(0, 0, 1, 1), List.of(1L, 2L, 1L, 2L)))).isEmpty();
    }

    @Test
    void brokenLinksAndBits() {
        List<Group> g = sound();
        g.set(1, new Group(1, 0, 0, 0, 0, 3, List.of(), List.of(0, 1), List.of(0, 1)));
        g.set(2, new Group(2, 1, 1, 0, 0, 2, List.of(), List.of(2, 3), List.of(2, 3)));
        assertThat(HierarchyInvariants.violations(FOUR, upTo(4), tree(g, List.of(1, 1, 2, 2))))
                .contains("GRP0:0 has groupmask 0x3 in GRP1:0: not a free single bit",
                        "GRP1:1 at level 1 has parent GRP1:0 at level 1",
                        "GRP1:1 is above level 0 but has child CPUs");
    }

    @Test
    void unpreparedCpusMustHangNowhere() {
        assertThat(HierarchyInvariants.violations(FOUR, new int[] {0, 1, 2}, tree(sound(), List.of(1, 1, 2, 2))))
                .contains("CPU3 was never prepared but hangs in the hierarchy");
    }
}
