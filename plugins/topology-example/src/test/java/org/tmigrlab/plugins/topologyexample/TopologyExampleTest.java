package org.tmigrlab.plugins.topologyexample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.LabPlugin;
import org.tmigrlab.api.Machine;

class TopologyExampleTest {

    @Test
    void theServicesFileNamesThePlugin() {
        assertThat(ServiceLoader.load(LabPlugin.class).stream().map(p -> p.get().id())).containsExactly("topology-example");
    }

    @Test
    void oneGroupPerNodeUnderOneRoot() {
        Machine m = Machine.withNodes(IntStream.range(0, 12).map(c -> c % 3).toArray(), 3);
        Hierarchy h = new NodeHierarchyBuilder().build(m, IntStream.range(0, 12).toArray(), BuildOptions.kernelDefault());

        assertThat(h.roots()).hasSize(1);
        Group root = h.roots().get(0);
        assertThat(root.cpus()).hasSize(12);
        assertThat(root.childGroups()).hasSize(3);
        for (int child : root.childGroups()) {
            Group g = h.group(child);
            assertThat(g.cpus()).allSatisfy(c -> assertThat(m.nodeOf(c)).isEqualTo(g.node()));
            assertThat(Long.bitCount(g.groupmask())).isEqualTo(1);
        }
        assertThat(h.cpuGroupmask().subList(0, 6)).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
    }

    @Test
    void growingOnlyAddsGroups() {
        Machine m = Machine.contiguous(8, 2);
        Hierarchy part = new NodeHierarchyBuilder().build(m, new int[] {5, 0}, BuildOptions.kernelDefault());
        Hierarchy full = new NodeHierarchyBuilder().build(m, new int[] {5, 0, 1, 7}, BuildOptions.kernelDefault());

        assertThat(full.groups().subList(0, part.groups().size())).extracting(Group::id, Group::parent, Group::groupmask, Group::node)
                .isEqualTo(part.groups().stream().map(g -> org.assertj.core.groups.Tuple.tuple(g.id(), g.parent(), g.groupmask(), g.node())).toList());
        assertThat(part.cpuGroup().get(1)).isEqualTo(-1);
    }

    @Test
    void nodesLargerThanAGroupAreRefused() {
        assertThatThrownBy(() -> new NodeHierarchyBuilder().build(Machine.contiguous(65, 1), new int[] {0}, BuildOptions.kernelDefault()))
                .hasMessageContaining("more than 64 CPUs");
    }

    @Test
    void wideTopSizes() {
        assertThat(List.of(new WideTop().childrenPerGroup(0), new WideTop().childrenPerGroup(3))).containsExactly(8, 64);
    }
}
