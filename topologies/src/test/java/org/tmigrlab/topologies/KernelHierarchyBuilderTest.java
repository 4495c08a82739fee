package org.tmigrlab.topologies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;

class KernelHierarchyBuilderTest {

    private static final KernelHierarchyBuilder BUILDER = new KernelHierarchyBuilder();
    private static final BuildOptions MAINLINE = BuildOptions.kernelDefault();
    private static final BuildOptions IMBALANCED = new BuildOptions(GroupSizing.uniform(8), true);

    static int[] upTo(int n) {
        return IntStream.range(0, n).toArray();
    }

    static Group byLabel(Hierarchy h, String label) {
        return h.groups().stream().filter(g -> g.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + label));
    }

    /** Groups below the crossnode level whose CPUs come from more than one node. */
    static List<String> mixedNodeGroups(Hierarchy h, Machine m) {
        List<String> bad = new ArrayList<>();
        for (Group g : h.groups()) {
            if (g.level() >= h.crossnodeLevel()) continue;
            Set<Integer> nodes = new HashSet<>();
            g.cpus().forEach(c -> nodes.add(m.nodeOf(c)));
            if (nodes.size() > 1 || nodes.stream().anyMatch(n -> n != g.node())) bad.add(g.label() + nodes);
        }
        return bad;
    }

    @Test
    void nameIsKernel() {
        assertThat(BUILDER.name()).isEqualTo("kernel");
    }

    // (a) -------------------------------------------------------------------------------------

    static Stream<Path> kernelHierarchies() {
        return KernelTreeOracle.files("kernel-hierarchies").stream();
    }

    @Test
    void allSixCapturedTreesAreFound() {
        assertThat(kernelHierarchies()).hasSize(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelHierarchies")
    void contiguousMachinesMatchTheRealKernel(Path file) {
        KernelTreeOracle o = KernelTreeOracle.load(file);
        String[] cn = file.getFileName().toString().replaceAll("[^0-9-]", "").split("-");
        int cpus = Integer.parseInt(cn[0]);
        int nodes = Integer.parseInt(cn[1]);
        Machine m = Machine.contiguous(cpus, nodes);

        Hierarchy h = BUILDER.build(m, upTo(cpus), MAINLINE);

        o.assertSameShape(h);
        o.assertSameTree(h);
        // With nodes filled one after the other the root never has another node below the
        // crossnode level when a node starts, so the pre-fix kernel builds the same tree.
        o.assertSameTree(BUILDER.build(m, upTo(cpus), IMBALANCED));
    }

    // (b) -------------------------------------------------------------------------------------

    static Stream<Path> layouts() {
        return KernelTreeOracle.files("kernel-hierarchies-layouts").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void imbalancedSwitchReproducesDebian61295Exactly(Path file) {
        KernelTreeOracle o = KernelTreeOracle.load(file);
        Machine m = Machine.withNodes(o.nodeOfCpu, o.nodeCount());

        o.assertSameTree(BUILDER.build(m, upTo(m.possibleCpus()), IMBALANCED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void mainlineBuildsNodePureTreesForTheSameLayouts(Path file) {
        KernelTreeOracle o = KernelTreeOracle.load(file);
        Machine m = Machine.withNodes(o.nodeOfCpu, o.nodeCount());

        Hierarchy h = BUILDER.build(m, upTo(m.possibleCpus()), MAINLINE);

        assertThat(mixedNodeGroups(h, m)).isEmpty();
        assertThat(h.roots()).hasSize(1);
        if (file.getFileName().toString().startsWith("il48")) {
            assertThat(KernelTreeOracle.shapes(h)).isNotEqualTo(o.shapes());
            assertThat(mixedNodeGroups(BUILDER.build(m, upTo(48), IMBALANCED), m)).containsExactly("GRP1:0[0, 1]");
        } else {
            // il16-2 and un20-3 are balanced in the captured kernel already.
            o.assertSameShape(h);
        }
    }

    @Test
    void mainlineIl48TreeKeepsEachNodeInOneLevelOneSubtree() {
        int[] nodeOf = IntStream.range(0, 48).map(c -> c % 2).toArray();
        Machine m = Machine.withNodes(nodeOf, 2);

        Hierarchy h = BUILDER.build(m, upTo(48), MAINLINE);

        // CPU1 unfolds node 1 up to the crossnode level at once: GRP1:0 (node 1) is created by
        // the new CPU's climb, GRP1:1 (node 0) by the old root's climb, and keeps bit 0.
        assertThat(h.roots()).extracting(Group::label).containsExactly("GRP2:0");
        Group node1 = byLabel(h, "GRP1:0");
        Group node0 = byLabel(h, "GRP1:1");
        assertThat(node1.node()).isEqualTo(1);
        assertThat(node1.groupmask()).isEqualTo(0x2);
        assertThat(node1.cpus()).allMatch(c -> c % 2 == 1).hasSize(24);
        assertThat(node0.node()).isEqualTo(0);
        assertThat(node0.groupmask()).isEqualTo(0x1);
        assertThat(node0.cpus()).allMatch(c -> c % 2 == 0).hasSize(24);
        assertThat(byLabel(h, "GRP0:0").groupmask()).as("old root keeps bit 0 in its new node-0 parent").isEqualTo(0x1);
        assertThat(byLabel(h, "GRP2:0").childGroups()).containsExactly(node1.id(), node0.id());
    }

    // (c) -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} cpus / {1} nodes -> {2} levels, crossnode {3}")
    @CsvSource({
        "2,1,1,1", "4,1,1,1", "8,1,1,1",
        "9,1,2,2", "33,1,2,2", "64,1,2,2",
        "65,1,3,3", "200,1,3,3", "512,1,3,3",
        "513,1,4,4",
        "48,2,3,2", "128,2,3,2", "16,2,2,1", "20,3,2,1", "130,1,3,3",
        "2,2,1,0", "9,9,2,0",
    })
    void geometryFollowsTmigrInit(int cpus, int nodes, int levels, int crossnode) {
        Hierarchy h = BUILDER.build(Machine.contiguous(cpus, nodes), new int[0], MAINLINE);

        assertThat(h.levels()).isEqualTo(levels);
        assertThat(h.crossnodeLevel()).isEqualTo(crossnode);
        assertThat(h.groups()).isEmpty();
        assertThat(h.cpuGroup()).hasSize(cpus).containsOnly(-1);
        assertThat(h.cpuGroupmask()).hasSize(cpus).containsOnly(0L);
    }

    @Test
    void geometryRangesOfTheReferenceTable() {
        for (int c = 2; c <= 512; c++) {
            Hierarchy h = BUILDER.build(Machine.contiguous(c, 1), new int[0], MAINLINE);
            int expected = c <= 8 ? 1 : c <= 64 ? 2 : 3;
            assertThat(h.levels()).as("%d cpus", c).isEqualTo(expected);
            assertThat(h.crossnodeLevel()).as("%d cpus", c).isEqualTo(expected);
        }
    }

    @Test
    void fullMachinesFillEveryLevelExactly() {
        Hierarchy h = BUILDER.build(Machine.contiguous(512, 1), upTo(512), MAINLINE);

        assertThat(h.groups().stream().filter(g -> g.level() == 0)).hasSize(64);
        assertThat(h.groups().stream().filter(g -> g.level() == 1)).hasSize(8);
        assertThat(h.roots()).singleElement().satisfies(r -> {
            assertThat(r.label()).isEqualTo("GRP2:0");
            assertThat(r.cpus()).hasSize(512);
        });
    }

    @Test
    void uniprocessorGetsOneLevelZeroGroup() {
        Hierarchy h = BUILDER.build(Machine.contiguous(1, 1), new int[] {0}, MAINLINE);

        assertThat(h.levels()).isEqualTo(1);
        assertThat(h.crossnodeLevel()).isEqualTo(1);
        assertThat(h.groups()).singleElement().satisfies(g -> {
            assertThat(g.label()).isEqualTo("GRP0:0");
            assertThat(g.node()).isEqualTo(0);
            assertThat(g.isRoot()).isTrue();
            assertThat(g.childCpus()).containsExactly(0);
            assertThat(g.cpus()).containsExactly(0);
        });
        assertThat(h.cpuGroupmask()).containsExactly(1L);
    }

    // (d) -------------------------------------------------------------------------------------

    @Test
    void fix13NineCpusHaveOneRootWithBothLevelZeroGroups() {
        Hierarchy h = BUILDER.build(Machine.contiguous(9, 1), upTo(9), MAINLINE);

        assertThat(h.roots()).singleElement().satisfies(root -> {
            assertThat(root.label()).isEqualTo("GRP1:0");
            assertThat(root.childGroups()).hasSize(2);
            assertThat(root.cpus()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        });
        Group root = byLabel(h, "GRP1:0");
        Group g0 = byLabel(h, "GRP0:0");
        Group g1 = byLabel(h, "GRP0:1");
        assertThat(g0.parent()).isEqualTo(root.id());
        assertThat(g1.parent()).isEqualTo(root.id());
        assertThat(g0.groupmask()).isEqualTo(0x1);
        assertThat(g1.groupmask()).isEqualTo(0x2);
        assertThat(h.cpuGroup().get(8)).isEqualTo(g1.id());
        assertThat(h.cpuGroupmask().get(8)).isEqualTo(0x1);
        for (int cpu = 0; cpu < 8; cpu++) assertThat(h.cpuGroupmask().get(cpu)).isEqualTo(1L << cpu);
    }

    @Test
    void rootsArePreSetToBitZero() {
        assertThat(BUILDER.build(Machine.contiguous(16, 1), new int[] {3}, MAINLINE).group(0).groupmask()).isEqualTo(1);
        assertThat(BUILDER.build(Machine.contiguous(16, 1), upTo(16), MAINLINE).roots().get(0).groupmask()).isEqualTo(1);
    }

    // (e) -------------------------------------------------------------------------------------

    @Test
    void fix15SecondNodeUnfoldsUpToTheCrossnodeLevel() {
        Machine m = Machine.contiguous(128, 2);

        Hierarchy h = BUILDER.build(m, new int[] {0, 64}, MAINLINE);

        assertThat(h.levels()).isEqualTo(3);
        assertThat(h.crossnodeLevel()).isEqualTo(2);
        Group root = h.roots().get(0);
        assertThat(h.roots()).hasSize(1);
        assertThat(root.label()).isEqualTo("GRP2:0");
        assertThat(root.node()).isEqualTo(Group.NO_NODE);
        assertThat(root.childGroups()).hasSize(2);
        assertThat(root.childGroups().stream().map(c -> h.group(c).node())).containsExactlyInAnyOrder(0, 1);
        assertThat(root.childGroups().stream().map(c -> h.group(c).cpus())).containsExactlyInAnyOrder(List.of(0), List.of(64));
        assertThat(mixedNodeGroups(h, m)).isEmpty();
        assertThat(h.groups()).hasSize(5);

        Hierarchy all = BUILDER.build(m, allAfter(new int[] {0, 64}, 128), MAINLINE);
        assertThat(mixedNodeGroups(all, m)).isEmpty();
        assertThat(all.roots()).hasSize(1);
        assertThat(all.roots().get(0).childGroups()).hasSize(2);
    }

    @Test
    void fix15BeforeTheFixTheNewTopTakesTheNewNodeAndAdoptsTheOldRoot() {
        Machine m = Machine.contiguous(128, 2);

        Hierarchy h = BUILDER.build(m, new int[] {0, 64}, IMBALANCED);

        Group root = h.roots().get(0);
        assertThat(h.roots()).hasSize(1);
        assertThat(root.label()).isEqualTo("GRP1:0");
        assertThat(root.node()).isEqualTo(1);
        assertThat(root.cpus()).containsExactly(0, 64);
        assertThat(mixedNodeGroups(h, m)).containsExactly("GRP1:0[0, 1]");

        Hierarchy all = BUILDER.build(m, allAfter(new int[] {0, 64}, 128), IMBALANCED);
        assertThat(all.roots()).hasSize(1);
        assertThat(mixedNodeGroups(all, m)).isNotEmpty();
    }

    static int[] allAfter(int[] first, int n) {
        List<Integer> order = new ArrayList<>();
        for (int c : first) order.add(c);
        for (int c = 0; c < n; c++) if (!order.contains(c)) order.add(c);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    // (f) -------------------------------------------------------------------------------------

    @Test
    void twoChildrenPerGroupOnFourCpus() {
        Hierarchy h = BUILDER.build(Machine.contiguous(4, 1), upTo(4), new BuildOptions(GroupSizing.uniform(2), false));

        assertThat(h.levels()).isEqualTo(2);
        assertThat(h.roots()).extracting(Group::label).containsExactly("GRP1:0");
        Group g0 = byLabel(h, "GRP0:0");
        Group g1 = byLabel(h, "GRP0:1");
        assertThat(g0.childCpus()).containsExactly(0, 1);
        assertThat(g1.childCpus()).containsExactly(2, 3);
        assertThat(g0.groupmask()).isEqualTo(0x1);
        assertThat(g1.groupmask()).isEqualTo(0x2);
        assertThat(byLabel(h, "GRP1:0").childGroups()).containsExactlyInAnyOrder(g0.id(), g1.id());
        assertThat(h.cpuGroupmask()).containsExactly(1L, 2L, 1L, 2L);
    }

    @Test
    void sixtyFourChildrenUseTheTopBit() {
        Hierarchy h = BUILDER.build(Machine.contiguous(64, 1), upTo(64), new BuildOptions(GroupSizing.uniform(64), false));

        assertThat(h.levels()).isEqualTo(1);
        assertThat(h.cpuGroupmask().get(63)).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 1, 128, 0})
    void childrenPerGroupMustBeAPowerOfTwoIn2To64(int k) {
        GroupSizing odd = new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return k; }
            @Override public String name() { return "odd"; }
        };
        assertThatThrownBy(() -> BUILDER.build(Machine.contiguous(16, 1), upTo(16), new BuildOptions(odd, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hierarchy.childrenPerGroup");
    }

    @Test
    void nonUniformSizingIsRejected() {
        GroupSizing mixed = new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return level == 0 ? 2 : 8; }
            @Override public String name() { return "2-8"; }
        };
        assertThatThrownBy(() -> BUILDER.build(Machine.contiguous(64, 1), upTo(64), new BuildOptions(mixed, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hierarchy.childrenPerGroup")
                .hasMessageContaining("level 1 has 8");
    }

    @Test
    void badPrepareOrdersAreRejected() {
        Machine m = Machine.contiguous(4, 1);
        assertThatThrownBy(() -> BUILDER.build(m, new int[] {0, 1, 0}, MAINLINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu 0 is listed twice");
        assertThatThrownBy(() -> BUILDER.build(m, new int[] {4}, MAINLINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu 4 is not a possible CPU");
    }

    @Test
    void aLayoutTheGeometryCannotHoldIsRejectedInBothModes() {
        // 2 CPUs per node assumed, but node 0 has 3: with 2 children per group the crossnode
        // level would need a second group and there is no level left for a root.
        Machine m = Machine.withNodes(new int[] {0, 0, 0, 1}, 2);
        for (boolean imbalanced : new boolean[] {false, true})
            assertThatThrownBy(() -> BUILDER.build(m, upTo(4), new BuildOptions(GroupSizing.uniform(2), imbalanced)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu 3 (node 1) does not fit");
    }

    // (g) -------------------------------------------------------------------------------------

    @Nested
    class PrefixStability {

        @Test
        void growingPrepareOrderOnlyAddsGroupsAndLinks() {
            int[] order = {0, 1, 2, 9, 5, 15, 3, 8, 12, 4, 14, 6, 11, 7, 10, 13};
            for (Machine m : List.of(Machine.contiguous(16, 2), interleaved(16, 2), Machine.contiguous(16, 1)))
                for (BuildOptions o : List.of(MAINLINE, IMBALANCED, new BuildOptions(GroupSizing.uniform(2), false)))
                    assertPrefixStable(m, order, o);
        }

        @Test
        void onlineSubsetsAreStableAndLeaveTheRestUnprepared() {
            Machine m = interleaved(16, 2);
            int[] subset = {0, 1, 2, 6, 13};

            Hierarchy h = BUILDER.build(m, subset, MAINLINE);

            assertPrefixStable(m, subset, MAINLINE);
            Set<Integer> chosen = new HashSet<>(Arrays.stream(subset).boxed().toList());
            for (int cpu = 0; cpu < 16; cpu++) {
                boolean prepared = chosen.contains(cpu);
                assertThat(h.cpuGroup().get(cpu) >= 0).as("cpu %d prepared", cpu).isEqualTo(prepared);
                assertThat(h.cpuGroupmask().get(cpu) != 0).as("cpu %d groupmask", cpu).isEqualTo(prepared);
            }
            assertThat(h.roots()).singleElement().satisfies(r -> assertThat(r.cpus()).containsExactly(0, 1, 2, 6, 13));
        }

        @Test
        void randomOrdersOnBigNumaMachines() {
            Random rnd = new Random(0x7317);
            for (int round = 0; round < 20; round++) {
                int nodes = 1 + rnd.nextInt(4);
                int cpus = nodes * (1 + rnd.nextInt(40));
                Machine m = rnd.nextBoolean() ? Machine.contiguous(cpus, nodes) : interleaved(cpus, nodes);
                List<Integer> list = new ArrayList<>(IntStream.range(0, cpus).boxed().toList());
                java.util.Collections.shuffle(list, rnd);
                int[] order = list.subList(0, 1 + rnd.nextInt(cpus)).stream().mapToInt(Integer::intValue).toArray();
                for (BuildOptions o : List.of(MAINLINE, IMBALANCED)) {
                    assertPrefixStable(m, order, o);
                    Hierarchy h = BUILDER.build(m, order, o);
                    assertThat(h.roots()).as("round %d %s", round, o).hasSize(1);
                    if (!o.imbalancedNumaTrees()) assertThat(mixedNodeGroups(h, m)).as("round %d", round).isEmpty();
                }
            }
        }

        private void assertPrefixStable(Machine m, int[] order, BuildOptions o) {
            Hierarchy full = BUILDER.build(m, order, o);
            for (int n = 0; n <= order.length; n++) {
                Hierarchy p = BUILDER.build(m, Arrays.copyOf(order, n), o);
                String ctx = "prefix " + n + " of " + Arrays.toString(order) + " " + o;
                assertThat(p.groups().size()).as(ctx).isLessThanOrEqualTo(full.groups().size());
                for (Group g : p.groups()) {
                    Group f = full.group(g.id());
                    assertThat(List.of(f.level(), f.index(), f.node())).as(ctx + " " + g.label())
                            .isEqualTo(List.of(g.level(), g.index(), g.node()));
                    assertThat(f.groupmask()).as(ctx + " groupmask " + g.label()).isEqualTo(g.groupmask());
                    if (!g.isRoot()) assertThat(f.parent()).as(ctx + " parent " + g.label()).isEqualTo(g.parent());
                    assertThat(f.childGroups().subList(0, g.childGroups().size())).as(ctx).isEqualTo(g.childGroups());
                    assertThat(f.childCpus().subList(0, g.childCpus().size())).as(ctx).isEqualTo(g.childCpus());
                    assertThat(f.cpus()).as(ctx).containsAll(g.cpus());
                }
                for (int i = 0; i < n; i++) {
                    int cpu = order[i];
                    assertThat(full.cpuGroup().get(cpu)).as(ctx).isEqualTo(p.cpuGroup().get(cpu));
                    assertThat(full.cpuGroupmask().get(cpu)).as(ctx).isEqualTo(p.cpuGroupmask().get(cpu));
                }
                if (n > 0) assertThat(p.roots()).as(ctx).hasSize(1);
            }
        }
    }

    static Machine interleaved(int cpus, int nodes) {
        return Machine.withNodes(IntStream.range(0, cpus).map(c -> c % nodes).toArray(), nodes);
    }
}
