package org.tmigrlab.api;

import java.util.Arrays;
import java.util.List;

/**
 * The possible CPUs of a machine and its NUMA nodes. Immutable.
 *
 * <p>CPU ids are dense: {@code cpus().get(i).id() == i}. {@code nodeCount} is the number of
 * possible nodes ({@code num_possible_nodes()}); a node may have no CPU.
 */
public record Machine(int nodeCount, List<Cpu> cpus) {

    public Machine {
        cpus = List.copyOf(cpus);
        if (cpus.isEmpty()) throw new IllegalArgumentException("machine.cpus must be >= 1");
        if (nodeCount < 1) throw new IllegalArgumentException("machine.nodes must be >= 1, got " + nodeCount);
        for (int i = 0; i < cpus.size(); i++) {
            Cpu c = cpus.get(i);
            if (c.id() != i) throw new IllegalArgumentException("cpu ids must be dense: position " + i + " holds cpu " + c.id());
            if (c.node() >= nodeCount)
                throw new IllegalArgumentException("cpu " + i + " is on node " + c.node() + " but machine.nodes is " + nodeCount);
        }
    }

    /** {@code cpus} CPUs split contiguously over {@code nodes} nodes, as QEMU's even split does. */
    public static Machine contiguous(int cpus, int nodes) {
        if (cpus < 1) throw new IllegalArgumentException("machine.cpus must be >= 1, got " + cpus);
        if (nodes < 1 || nodes > cpus) throw new IllegalArgumentException("machine.nodes must be in 1.." + cpus + ", got " + nodes);
        int[] nodeOf = new int[cpus];
        // Same rule as QEMU's default split: ceil-sized blocks of consecutive CPU ids.
        for (int c = 0; c < cpus; c++) nodeOf[c] = (int) ((long) c * nodes / cpus);
        return withNodes(nodeOf, nodes);
    }

    /** One entry per CPU giving its node. */
    public static Machine withNodes(int[] nodeOfCpu, int nodes) {
        Cpu[] list = new Cpu[nodeOfCpu.length];
        for (int c = 0; c < nodeOfCpu.length; c++) list[c] = Cpu.simple(c, nodeOfCpu[c]);
        return new Machine(nodes, Arrays.asList(list));
    }

    public int possibleCpus() {
        return cpus.size();
    }

    public int nodeOf(int cpu) {
        return cpus.get(cpu).node();
    }
}
