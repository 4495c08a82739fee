package org.tmigrlab.topologies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tmigrlab.topologies.KernelHierarchyBuilderTest.upTo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;
import org.tmigrlab.topologies.machine.SyntheticMachine;

class PackingHierarchyBuilderTest {

    private static final BuildOptions K8 = BuildOptions.kernelDefault();

    private static Hierarchy build(HierarchyBuilder b, Machine m, GroupSizing sizing) {
        return b.build(m, upTo(m.possibleCpus()), new BuildOptions(sizing, false));
    }

    private static Set<Set<Integer>> levelZero(Hierarchy h) {
        Set<Set<Integer>> out = new HashSet<>();
        for (Group g : h.groups()) if (g.level() == 0) out.add(new TreeSet<>(g.cpus()));
        return out;
    }

    static Machine synthetic(int cpus, int packages, int nodes, int llcs, int smt, boolean interleaved, Integer... caps) {
        return new SyntheticMachine(cpus, packages, nodes, llcs, smt, interleaved, List.of(caps)).toMachine();
    }

    @Test
    void flatIsOneGroupOfEveryCpu() {
        Hierarchy h = build(PackingHierarchyBuilder.flat(), synthetic(8, 2, 2, 2, 1, false), GroupSizing.uniform(2));

        assertThat(h.groups()).hasSize(1);
        Group g = h.group(0);
        assertThat(g.cpus()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(g.isRoot()).isTrue();
        // it spans both nodes, so there is no node-local level
        assertThat(g.node()).isEqualTo(Group.NO_NODE);
        assertThat(h.crossnodeLevel()).isZero();
        assertThat(h.levels()).isEqualTo(1);
    }

    @Test
    void flatOnOneNodeKeepsTheNode() {
        Hierarchy h = build(PackingHierarchyBuilder.flat(), Machine.contiguous(4, 1), K8.sizing());
        assertThat(h.group(0).node()).isZero();
        assertThat(h.crossnodeLevel()).isEqualTo(1);
    }

    @Test
    void levelZeroGroupsLargerThanAnActiveMaskAreRefused() {
        assertThatThrownBy(() -> build(PackingHierarchyBuilder.flat(), Machine.contiguous(65, 1), K8.sizing()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPUs 0-64 form one level-0 group of 65 CPUs, but a group holds at most 64");
        assertThatThrownBy(() -> build(PackingHierarchyBuilder.llc(), synthetic(128, 1, 1, 1, 1, false), K8.sizing()))
                .hasMessageContaining("hierarchy.builder llc");
    }

    @Test
    void smtPairsSiblingsEvenWhenTheirIdsAreFarApart() {
        Machine m = synthetic(16, 2, 2, 4, 2, true);
        Hierarchy h = build(PackingHierarchyBuilder.smt(), m, K8.sizing());

        Set<Set<Integer>> pairs = new HashSet<>();
        for (int c = 0; c < 8; c++) pairs.add(Set.of(c, c + 8));
        assertThat(levelZero(h)).isEqualTo(pairs);
        // 4 cores per node fit one level-1 group each; the two node groups meet at the top
        assertThat(h.levels()).isEqualTo(3);
        assertThat(h.crossnodeLevel()).isEqualTo(2);
        assertThat(KernelHierarchyBuilderTest.mixedNodeGroups(h, m)).isEmpty();
    }

    @Test
    void sizedHonoursEveryLevel() {
        Machine m = Machine.contiguous(32, 2);
        Hierarchy h = build(PackingHierarchyBuilder.sized(), m, GroupSizing.perLevel(List.of(2, 4, 8)));

        for (Group g : h.groups()) {
            int children = g.childCpus().size() + g.childGroups().size();
            assertThat(children).as(g.label()).isLessThanOrEqualTo(g.level() == 0 ? 2 : g.level() == 1 ? 4 : 8);
        }
        // 16 CPUs per node: 8 pairs, 2 quads of pairs, 1 group of those, then the two nodes meet
        assertThat(h.groups().stream().filter(g -> g.level() == 0)).hasSize(16);
        assertThat(h.levels()).isEqualTo(4);
        assertThat(h.crossnodeLevel()).isEqualTo(3);
        assertThat(KernelHierarchyBuilderTest.mixedNodeGroups(h, m)).isEmpty();
    }

    @Test
    void unevenNodesMeetAtOneLevel() {
        // node 0: 12 CPUs (two levels with 8 per group), node 1: 2 CPUs (one level)
        int[] nodeOf = IntStream.range(0, 14).map(c -> c < 12 ? 0 : 1).toArray();
        Hierarchy h = build(PackingHierarchyBuilder.sized(), Machine.withNodes(nodeOf, 2), K8.sizing());

        assertThat(h.crossnodeLevel()).isEqualTo(2);
        Group root = h.roots().get(0);
        assertThat(root.level()).isEqualTo(2);
        assertThat(root.childGroups()).allSatisfy(c -> assertThat(h.group(c).level()).isEqualTo(1));
    }

    @Test
    void capacityBuildsOneHierarchyPerClass() {
        Machine m = synthetic(8, 1, 1, 2, 1, false, 446, 1024);
        Hierarchy h = build(PackingHierarchyBuilder.capacity(), m, K8.sizing());

        assertThat(h.roots()).hasSize(2);
        assertThat(h.roots().stream().map(r -> new TreeSet<>(r.cpus())).toList())
                .containsExactlyInAnyOrder(new TreeSet<>(List.of(0, 1, 2, 3)), new TreeSet<>(List.of(4, 5, 6, 7)));
        assertThat(HierarchyInvariants.violations(m, upTo(8), h)).isEmpty();
        // the same machine under one tree: llc puts each cluster at level 0 and joins them
        assertThat(build(PackingHierarchyBuilder.llc(), m, K8.sizing()).roots()).hasSize(1);
    }

    @Test
    void anLlcSpanningNodesMakesEveryLevelCrossNode() {
        // sub-NUMA clustering: one L3, two nodes
        List<Cpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) cpus.add(new Cpu(c, c / 4, 0, 0, c, Cpu.CAPACITY_SCALE));
        Hierarchy h = build(PackingHierarchyBuilder.llc(), new Machine(2, cpus), K8.sizing());

        assertThat(h.crossnodeLevel()).isZero();
        assertThat(h.group(0).node()).isEqualTo(Group.NO_NODE);
    }

    @Test
    void aSizingOutsideTwoToSixtyFourIsRefused() {
        GroupSizing one = new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return level == 0 ? 4 : 1; }
            @Override public String name() { return "broken"; }
        };
        assertThatThrownBy(() -> build(PackingHierarchyBuilder.sized(), Machine.contiguous(16, 1), one))
                .hasMessage("hierarchy.sizing broken gives 1 children at level 1; a group holds 2..64");
    }

    @Test
    void groupsAppearOnlyForPreparedCpusInPrepareOrder() {
        Machine m = Machine.contiguous(16, 1);
        Hierarchy h = PackingHierarchyBuilder.sized().build(m, new int[] {9, 0}, K8);

        // CPU 9 came first: its path (root, then its level-0 group) was created first
        assertThat(h.groups()).hasSize(3);
        assertThat(h.group(0).isRoot()).isTrue();
        assertThat(h.group(1).cpus()).containsExactly(9);
        assertThat(h.group(2).cpus()).containsExactly(0);
        assertThat(h.group(1).groupmask()).isEqualTo(1);
        assertThat(h.group(2).groupmask()).isEqualTo(2);
        assertThat(h.cpuGroup().get(5)).isEqualTo(-1);
    }

    // ---- every builder, many machines and prepare orders ----------------------------------

    static Stream<Arguments> buildersAndMachines() {
        List<HierarchyBuilder> builders = new ArrayList<>(PackingHierarchyBuilder.all());
        builders.add(new KernelHierarchyBuilder());
        List<Machine> machines = List.of(
                Machine.contiguous(1, 1),
                Machine.contiguous(48, 2),
                Machine.withNodes(IntStream.range(0, 48).map(c -> c % 2).toArray(), 2),
                synthetic(64, 2, 2, 8, 2, true),
                synthetic(64, 2, 4, 8, 2, false),
                synthetic(8, 1, 1, 2, 1, false, 446, 1024),
                synthetic(24, 3, 3, 6, 2, true, 100, 200, 300, 400, 500, 600));
        List<Arguments> out = new ArrayList<>();
        for (HierarchyBuilder b : builders)
            for (Machine m : machines)
                if (!(b.name().equals("flat") && m.possibleCpus() > 64)) out.add(Arguments.of(b, m));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("buildersAndMachines")
    void invariantsHoldAndGrowthOnlyAdds(HierarchyBuilder builder, Machine m) {
        Random random = new Random(m.possibleCpus() * 31L + builder.name().hashCode());
        for (int round = 0; round < 5; round++) {
            List<Integer> ids = new ArrayList<>(IntStream.range(0, m.possibleCpus()).boxed().toList());
            if (round > 0) Collections.shuffle(ids, random);
            int[] order = ids.stream().mapToInt(Integer::intValue).toArray();
            Hierarchy full = builder.build(m, order, K8);
            assertThat(HierarchyInvariants.violations(m, order, full)).as("%s order %s", builder.name(), ids).isEmpty();
            if (!builder.name().equals("capacity")) assertThat(full.roots()).hasSize(1);

            int[] prefix = Arrays.copyOf(order, 1 + random.nextInt(order.length));
            Hierarchy part = builder.build(m, prefix, K8);
            assertThat(HierarchyInvariants.violations(m, prefix, part)).isEmpty();
            assertPrefixOf(part, full);
        }
    }

    /** Every group of {@code part} is in {@code full} with the same id, place and bits; children only added. */
    static void assertPrefixOf(Hierarchy part, Hierarchy full) {
        for (Group g : part.groups()) {
            Group f = full.group(g.id());
            assertThat(List.of(f.level(), f.index(), f.node())).as(g.label()).isEqualTo(List.of(g.level(), g.index(), g.node()));
            if (!g.isRoot()) {
                assertThat(f.parent()).as(g.label()).isEqualTo(g.parent());
                assertThat(f.groupmask()).as(g.label()).isEqualTo(g.groupmask());
            }
            assertThat(f.childCpus().subList(0, g.childCpus().size())).isEqualTo(g.childCpus());
            assertThat(f.childGroups().subList(0, g.childGroups().size())).isEqualTo(g.childGroups());
        }
    }
}
