package org.tmigrlab.topologies;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;
import org.tmigrlab.topologies.machine.CpuList;

/**
 * Hierarchies the kernel does not build, grouped by the hardware or by any per-level sizing:
 * {@code flat}, {@code llc}, {@code smt}, {@code sized} and {@code capacity}.
 *
 * <h2>Plan, then grow</h2>
 * The whole tree for the <em>possible</em> CPUs is planned first, from the machine alone:
 * <ol>
 *   <li>Level 0 is made of units: the whole machine ({@code flat}), the CPUs sharing a last-level
 *       cache ({@code llc}), the SMT siblings of a core ({@code smt}), or runs of
 *       {@code sizing(0)} CPUs of one node in id order ({@code sized}, {@code capacity}). A
 *       hardware unit is one group whatever its size, up to the 64 children an active mask can
 *       hold; the sizing applies from level 1.</li>
 *   <li>Above, each level packs {@code sizing(level)} consecutive children (in order of their
 *       lowest CPU) into a group until one group is left. When every unit lies on one node this
 *       happens per node first, as in the kernel: nodes that need fewer levels get single-child
 *       groups up to the tallest node's top, and that level is the crossnode level where node
 *       tops are packed together. A unit spanning nodes (an LLC shared by two sub-NUMA nodes,
 *       {@code flat} on a NUMA machine) makes every level cross-node: crossnode level 0.</li>
 *   <li>{@code capacity} plans one such tree per CPU capacity (big.LITTLE classes): several roots,
 *       one per hierarchy, as mainline's per-capacity hierarchies (2026).</li>
 * </ol>
 * Groups are then created only as CPUs are prepared, in prepare order: a CPU creates the
 * missing groups on its planned path, top-down, each connected to its already existing parent
 * with the next free bit ({@code BIT(num_children++)}), and then takes the next free bit of its
 * level-0 group. Ids and per-level indexes are creation order. A group is born with its parent,
 * so no root is ever adopted later (unlike the kernel, which grows its top lazily) and a longer
 * prepare order only adds groups: the builder is prefix-stable. A root's groupmask is 0.
 *
 * <p>The levels and crossnode level reported are the maximum and the minimum over the planned
 * trees. Stateless and thread-safe.
 */
public final class PackingHierarchyBuilder implements HierarchyBuilder {

    /** A group's children share one 64-bit active mask. */
    public static final int MAX_CHILDREN = 64;

    private enum LevelZero { MACHINE, LLC, CORE, RUNS }

    private final String name;
    private final String description;
    private final LevelZero levelZero;
    private final boolean perCapacity;

    private PackingHierarchyBuilder(String name, String description, LevelZero levelZero, boolean perCapacity) {
        this.name = name;
        this.description = description;
        this.levelZero = levelZero;
        this.perCapacity = perCapacity;
    }

    /** Every CPU in one group (at most 64): the smallest tree, a single migrator for the machine. */
    public static PackingHierarchyBuilder flat() {
        return new PackingHierarchyBuilder("flat", "one group of every CPU (<= 64): no hierarchy at all,"
                + " the baseline that shows what the levels buy", LevelZero.MACHINE, false);
    }

    /** Level 0 = the CPUs sharing a last-level cache. */
    public static PackingHierarchyBuilder llc() {
        return new PackingHierarchyBuilder("llc", "level 0 = the CPUs sharing a last-level cache (a CCX, a cluster):"
                + " remote expiry stays cache-local; sizing from level 1", LevelZero.LLC, false);
    }

    /** Level 0 = the SMT siblings of a core. */
    public static PackingHierarchyBuilder smt() {
        return new PackingHierarchyBuilder("smt", "level 0 = the SMT siblings of a core: a busy thread pulls its"
                + " sibling's timers at no cache cost; sizing from level 1", LevelZero.CORE, false);
    }

    /** Level 0 = runs of {@code sizing(0)} CPUs of one node, any sizing per level. */
    public static PackingHierarchyBuilder sized() {
        return new PackingHierarchyBuilder("sized", "the kernel's node-pure packing, but honouring any per-level"
                + " hierarchy.sizing such as [2, 8, 8]", LevelZero.RUNS, false);
    }

    /** One {@link #sized()} hierarchy per CPU capacity. */
    public static PackingHierarchyBuilder capacity() {
        return new PackingHierarchyBuilder("capacity", "one hierarchy per CPU capacity (big.LITTLE), as mainline's"
                + " per-capacity trees: little CPUs never pull big CPUs' timers", LevelZero.RUNS, true);
    }

    /** The five, in the order of the catalog's documentation. */
    public static List<PackingHierarchyBuilder> all() {
        return List.of(flat(), llc(), smt(), sized(), capacity());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public Hierarchy build(Machine machine, int[] prepareOrder, BuildOptions options) {
        int ncpus = machine.possibleCpus();
        BitSet seen = new BitSet(ncpus);
        for (int cpu : prepareOrder) {
            if (cpu < 0 || cpu >= ncpus)
                throw new IllegalArgumentException("prepareOrder: cpu " + cpu + " is not a possible CPU (0.." + (ncpus - 1) + ")");
            if (seen.get(cpu)) throw new IllegalArgumentException("prepareOrder: cpu " + cpu + " is listed twice");
            seen.set(cpu);
        }
        Plan plan = new Plan(machine, options.sizing());
        if (perCapacity) {
            Map<Integer, List<Integer>> classes = new TreeMap<>();
            for (Cpu c : machine.cpus()) classes.computeIfAbsent(c.capacity(), k -> new ArrayList<>()).add(c.id());
            for (List<Integer> cpus : classes.values()) plan.addTree(cpus);
        } else {
            List<Integer> all = new ArrayList<>(ncpus);
            for (int c = 0; c < ncpus; c++) all.add(c);
            plan.addTree(all);
        }
        return plan.grow(prepareOrder);
    }

    /** A group of the plan: exists for every possible CPU, created for real only when needed. */
    private static final class Planned {
        final int level;
        int node;
        int parent = -1;

        Planned(int level, int node) {
            this.level = level;
            this.node = node;
        }
    }

    /** A created group while the hierarchy grows; {@link Group} is its frozen view. */
    private static final class Grp {
        final int id;
        final Planned plan;
        final int index;
        Grp parent;
        long groupmask;
        int numChildren;
        final List<Grp> childGroups = new ArrayList<>();
        final List<Integer> childCpus = new ArrayList<>();

        Grp(int id, Planned plan, int index) {
            this.id = id;
            this.plan = plan;
            this.index = index;
        }
    }

    private final class Plan {
        private final Machine machine;
        private final GroupSizing sizing;
        private final List<Planned> groups = new ArrayList<>();
        private final int[] leafOf;
        private int levels = 1;
        private int crossnode = Integer.MAX_VALUE;

        Plan(Machine machine, GroupSizing sizing) {
            this.machine = machine;
            this.sizing = sizing;
            this.leafOf = new int[machine.possibleCpus()];
        }

        /** Plans one tree over {@code cpus} (ascending): the machine, or one capacity class. */
        void addTree(List<Integer> cpus) {
            List<List<Integer>> units = units(cpus);
            boolean nodePure = true;
            for (List<Integer> unit : units) {
                if (unit.size() > MAX_CHILDREN)
                    throw new IllegalArgumentException("hierarchy.builder " + name + ": CPUs " + cpuList(unit) + " form one level-0 group of "
                            + unit.size() + " CPUs, but a group holds at most " + MAX_CHILDREN + " children (one bit each in the active mask)");
                nodePure &= nodeOf(unit) >= 0;
            }
            Map<Integer, List<Integer>> leavesByNode = new TreeMap<>();
            List<Integer> leaves = new ArrayList<>();
            for (List<Integer> unit : units) {
                int node = nodePure ? nodeOf(unit) : Group.NO_NODE;
                int leaf = add(0, node);
                for (int cpu : unit) leafOf[cpu] = leaf;
                leaves.add(leaf);
                leavesByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(leaf);
            }
            int top;
            int cross;
            if (!nodePure) {
                top = pack(leaves, Group.NO_NODE);
                cross = 0;
            } else if (leavesByNode.size() == 1) {
                // One node: every level is node-local, as the kernel's crossnode level = levels.
                top = pack(leaves, leavesByNode.keySet().iterator().next());
                cross = groups.get(top).level + 1;
            } else {
                List<Integer> nodeTops = new ArrayList<>();
                int height = 0;
                for (Map.Entry<Integer, List<Integer>> e : leavesByNode.entrySet()) {
                    int t = pack(e.getValue(), e.getKey());
                    nodeTops.add(t);
                    height = Math.max(height, groups.get(t).level + 1);
                }
                // Node tops meet at one level, whatever each node's size, so that level is the crossnode one.
                for (int i = 0; i < nodeTops.size(); i++) {
                    int t = nodeTops.get(i);
                    while (groups.get(t).level < height - 1) {
                        int up = add(groups.get(t).level + 1, groups.get(t).node);
                        groups.get(t).parent = up;
                        t = up;
                    }
                    nodeTops.set(i, t);
                }
                top = pack(nodeTops, Group.NO_NODE);
                cross = height;
            }
            levels = Math.max(levels, groups.get(top).level + 1);
            crossnode = Math.min(crossnode, cross);
        }

        private List<List<Integer>> units(List<Integer> cpus) {
            Map<Object, List<Integer>> byKey = new LinkedHashMap<>();
            for (int c : cpus) {
                Cpu cpu = machine.cpus().get(c);
                Object key = switch (levelZero) {
                    case MACHINE -> 0;
                    case LLC -> cpu.llc();
                    case CORE -> cpu.core();
                    case RUNS -> cpu.node();
                };
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
            if (levelZero != LevelZero.RUNS) return new ArrayList<>(byKey.values());
            int k = children(0);
            List<List<Integer>> runs = new ArrayList<>();
            for (List<Integer> nodeCpus : new TreeMap<>(byKey).values())
                for (int i = 0; i < nodeCpus.size(); i += k) runs.add(nodeCpus.subList(i, Math.min(i + k, nodeCpus.size())));
            return runs;
        }

        /** Packs children level by level until one group is left; returns it. */
        private int pack(List<Integer> children, int node) {
            List<Integer> level = children;
            while (level.size() > 1) {
                int lvl = groups.get(level.get(0)).level + 1;
                int k = children(lvl);
                List<Integer> next = new ArrayList<>();
                for (int i = 0; i < level.size(); i += k) {
                    int parent = add(lvl, node);
                    for (int j = i; j < Math.min(i + k, level.size()); j++) groups.get(level.get(j)).parent = parent;
                    next.add(parent);
                }
                level = next;
            }
            return level.get(0);
        }

        private int children(int level) {
            int k = sizing.childrenPerGroup(level);
            if (k < 2 || k > MAX_CHILDREN)
                throw new IllegalArgumentException("hierarchy.sizing " + sizing.name() + " gives " + k + " children at level "
                        + level + "; a group holds 2.." + MAX_CHILDREN);
            return k;
        }

        private int add(int level, int node) {
            groups.add(new Planned(level, node));
            return groups.size() - 1;
        }

        /** The unit's node, or {@link Group#NO_NODE} if its CPUs are on several. */
        private int nodeOf(List<Integer> unit) {
            int node = machine.nodeOf(unit.get(0));
            for (int c : unit) if (machine.nodeOf(c) != node) return Group.NO_NODE;
            return node;
        }

        /** Creates, in prepare order, the planned groups the prepared CPUs need. */
        Hierarchy grow(int[] prepareOrder) {
            int[] real = new int[groups.size()];
            Arrays.fill(real, -1);
            int[] perLevel = new int[levels];
            List<Grp> created = new ArrayList<>();
            int[] cpuGroup = new int[machine.possibleCpus()];
            long[] cpuGroupmask = new long[machine.possibleCpus()];
            Arrays.fill(cpuGroup, -1);
            Deque<Integer> missing = new ArrayDeque<>();
            for (int cpu : prepareOrder) {
                for (int p = leafOf[cpu]; p >= 0 && real[p] < 0; p = groups.get(p).parent) missing.push(p);
                while (!missing.isEmpty()) {
                    Planned plan = groups.get(missing.peek());
                    Grp g = new Grp(created.size(), plan, perLevel[plan.level]++);
                    created.add(g);
                    real[missing.pop()] = g.id;
                    if (plan.parent >= 0) {
                        Grp parent = created.get(real[plan.parent]);
                        g.parent = parent;
                        g.groupmask = 1L << parent.numChildren++;
                        parent.childGroups.add(g);
                    }
                }
                Grp leaf = created.get(real[leafOf[cpu]]);
                cpuGroup[cpu] = leaf.id;
                cpuGroupmask[cpu] = 1L << leaf.numChildren++;
                leaf.childCpus.add(cpu);
            }
            return freeze(created, cpuGroup, cpuGroupmask);
        }

        private Hierarchy freeze(List<Grp> created, int[] cpuGroup, long[] cpuGroupmask) {
            List<List<Integer>> below = new ArrayList<>();
            for (int i = 0; i < created.size(); i++) below.add(new ArrayList<>());
            for (int cpu = 0; cpu < cpuGroup.length; cpu++) {
                if (cpuGroup[cpu] < 0) continue;
                for (Grp g = created.get(cpuGroup[cpu]); g != null; g = g.parent) below.get(g.id).add(cpu);
            }
            List<Group> out = new ArrayList<>(created.size());
            for (Grp g : created) {
                List<Integer> children = g.childGroups.stream().map(c -> c.id).toList();
                out.add(new Group(g.id, g.plan.level, g.index, g.plan.node, g.parent == null ? -1 : g.parent.id, g.groupmask,
                        children, g.childCpus, below.get(g.id)));
            }
            List<Integer> groupOf = new ArrayList<>(cpuGroup.length);
            List<Long> masks = new ArrayList<>(cpuGroup.length);
            for (int cpu = 0; cpu < cpuGroup.length; cpu++) {
                groupOf.add(cpuGroup[cpu]);
                masks.add(cpuGroupmask[cpu]);
            }
            return new Hierarchy(levels, Math.min(crossnode, levels), out, groupOf, masks);
        }
    }

    private static String cpuList(List<Integer> cpus) {
        BitSet set = new BitSet();
        cpus.forEach(set::set);
        return CpuList.format(set);
    }
}
