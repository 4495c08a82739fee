package org.tmigrlab.plugins.topologyexample;

import java.util.ArrayList;
import java.util.List;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;

/**
 * {@code node}: one level-0 group per NUMA node holding all its CPUs (at most 64), under a single
 * root. Two levels whatever the machine: any CPU of a node can be its migrator, and one CPU of the
 * machine watches the idle nodes. The sizing is not used.
 *
 * <p>How a builder stays prefix-stable, the contract the simulator relies on when a CPU comes
 * online for the first time: groups are created as CPUs are prepared, in that order, and never
 * change afterwards. The first CPU creates the root (so no group ever changes parent); a node's
 * first CPU creates the node's group, which takes the root's next free bit; every CPU takes the
 * next free bit of its node's group.
 */
public final class NodeHierarchyBuilder implements HierarchyBuilder {
    private static final int MAX_CHILDREN = 64;

    /** A group while it is being built. */
    private static final class Building {
        final int id;
        final int level;
        final int node;
        final int parent;
        final long groupmask;
        final List<Integer> childGroups = new ArrayList<>();
        final List<Integer> childCpus = new ArrayList<>();

        Building(int id, int level, int node, int parent, long groupmask) {
            this.id = id;
            this.level = level;
            this.node = node;
            this.parent = parent;
            this.groupmask = groupmask;
        }

        long nextBit() {
            return 1L << (childGroups.size() + childCpus.size());
        }
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String description() {
        return "one level-0 group per NUMA node under a single root: the shallowest node-local tree";
    }

    @Override
    public Hierarchy build(Machine machine, int[] prepareOrder, BuildOptions options) {
        int ncpus = machine.possibleCpus();
        if (machine.nodeCount() > MAX_CHILDREN)
            throw new IllegalArgumentException("hierarchy.builder node: " + machine.nodeCount() + " nodes do not fit one root (64 at most)");
        int[] perNode = new int[machine.nodeCount()];
        for (int c = 0; c < ncpus; c++)
            if (++perNode[machine.nodeOf(c)] > MAX_CHILDREN)
                throw new IllegalArgumentException("hierarchy.builder node: node " + machine.nodeOf(c) + " has more than 64 CPUs");

        List<Building> groups = new ArrayList<>();
        Building[] groupOfNode = new Building[machine.nodeCount()];
        Building[] groupOfCpu = new Building[ncpus];
        long[] cpuBit = new long[ncpus];
        for (int cpu : prepareOrder) {
            if (cpu < 0 || cpu >= ncpus || groupOfCpu[cpu] != null)
                throw new IllegalArgumentException("prepareOrder: cpu " + cpu + " is not a possible CPU or is listed twice");
            if (groups.isEmpty()) groups.add(new Building(0, 1, Group.NO_NODE, -1, 0));
            int node = machine.nodeOf(cpu);
            if (groupOfNode[node] == null) {
                Building root = groups.get(0);
                Building g = new Building(groups.size(), 0, node, root.id, root.nextBit());
                root.childGroups.add(g.id);
                groups.add(g);
                groupOfNode[node] = g;
            }
            Building g = groupOfNode[node];
            cpuBit[cpu] = g.nextBit();
            g.childCpus.add(cpu);
            groupOfCpu[cpu] = g;
        }

        List<Group> out = new ArrayList<>();
        int nodeGroups = 0;
        for (Building g : groups) {
            List<Integer> cpus = new ArrayList<>();
            for (int c = 0; c < ncpus; c++) if (groupOfCpu[c] != null && (g.level == 1 || groupOfCpu[c] == g)) cpus.add(c);
            int index = g.level == 1 ? 0 : nodeGroups++;
            out.add(new Group(g.id, g.level, index, g.node, g.parent, g.groupmask, g.childGroups, g.childCpus, cpus));
        }
        List<Integer> cpuGroup = new ArrayList<>();
        List<Long> cpuGroupmask = new ArrayList<>();
        for (int c = 0; c < ncpus; c++) {
            cpuGroup.add(groupOfCpu[c] == null ? -1 : groupOfCpu[c].id);
            cpuGroupmask.add(cpuBit[c]);
        }
        // Level 0 is node-local, level 1 spans nodes: crossnode level 1.
        return new Hierarchy(2, 1, out, cpuGroup, cpuGroupmask);
    }
}
