package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.trace.FtraceLine;
import org.tmigrlab.engine.trace.KernelCaptures;
import org.tmigrlab.topologies.KernelHierarchyBuilder;

/** The tree rebuilt from tmigr_connect_* lines, held against the lab's kernel builder. */
class KernelTreeTest {

    private static KernelTree fromCapture(String name, java.util.function.UnaryOperator<String> edit) {
        KernelTree t = new KernelTree();
        for (String line : KernelCaptures.lines(KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals(name)).findFirst().orElseThrow())) {
            FtraceLine l = FtraceLine.tryParse(edit.apply(line));
            if (l != null) t.accept(l);
        }
        return t;
    }

    private static Hierarchy kernel(Machine m, List<Integer> order) {
        return new KernelHierarchyBuilder().build(m, order.stream().mapToInt(Integer::intValue).toArray(),
                new BuildOptions(GroupSizing.uniform(8), false));
    }

    @Test
    void sixteenCpusOnTwoNodesAsTheKernelBuiltThem() {
        KernelTree t = fromCapture("cpus16-nodes2-net", s -> s);
        assertThat(t.present()).isTrue();
        assertThat(t.connectOrder()).hasSize(16);
        Machine m = t.machine(16);
        assertThat(m.nodeCount()).isEqualTo(2);
        assertThat(t.compare(kernel(m, t.connectOrder()))).isEmpty();
        assertThat(t.summary()).isEqualTo("2 groups at level 0, 1 group at level 1; 16 CPUs connected");
    }

    @Test
    void aDifferentGroupmaskIsReported() {
        KernelTree t = fromCapture("cpus16-nodes2-net", s -> s.replace("cpu=9 groupmask=2 ", "cpu=9 groupmask=40 "));
        List<String> diffs = t.compare(kernel(t.machine(16), t.connectOrder()));
        assertThat(diffs).containsExactly("cpu 9: kernel groupmask 40, lab 2");
    }

    @Test
    void aDifferentTreeIsReported() {
        KernelTree t = fromCapture("cpus16-nodes2-net", s -> s);
        // Held against a one-node machine: the kernel's level-0 groups are per node, the lab's not.
        List<String> diffs = t.compare(kernel(Machine.contiguous(16, 1), t.connectOrder()));
        assertThat(diffs).isNotEmpty().anyMatch(d -> d.contains("numa=1, lab node 0"));
    }

    @Test
    void theV69SpellingIsAccepted() {
        KernelTree t = fromCapture("cpus4-nodes1-net", s -> s.replace("groupmask=", "childmask="));
        assertThat(t.compare(kernel(t.machine(4), t.connectOrder()))).isEmpty();
    }
}
