package org.tmigrlab.topologies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;

/**
 * The tree {@code kernel/time/timer_migration.c} builds, group for group and bit for bit.
 *
 * <h2>Geometry</h2>
 * Fixed once from the <em>possible</em> CPUs and nodes, as {@code tmigr_init()} does, because at
 * boot the kernel cannot know which CPUs will ever come up. It assumes CPUs are spread evenly:
 * <pre>
 *   cpus_per_node = ceil(ncpus / nnodes)
 *   cpulvl        = ceil(order_base_2(cpus_per_node) / log2(K))   levels needed inside one node
 *   nodelvl       = ceil(order_base_2(nnodes) / log2(K))          levels needed to join the nodes
 *   levels = cpulvl + nodelvl,  crossnode level = cpulvl
 * </pre>
 * with K children per group (8 in the kernel). Groups below the crossnode level belong to one
 * node; groups at and above it have node {@code -1}. A uniprocessor machine gets no hierarchy in
 * the kernel at all; here it gets one level-0 group holding its CPU (levels = crossnode = 1), so
 * the rest of the lab never has to special-case an empty tree for a prepared CPU.
 *
 * <h2>Lazy growth</h2>
 * Nothing exists until a CPU is prepared ({@code tmigr_cpu_prepare} &rarr; {@code tmigr_add_cpu}).
 * The CPU then climbs from level 0: at each level {@code tmigr_get_group()} scans that level's
 * groups newest first and takes the first one with room (and the CPU's node below the crossnode
 * level), otherwise it creates a group. The climb stops at a group that already has a parent, or
 * at a level holding a single group (the top). The branch is then connected top-down
 * ({@code tmigr_connect_child_parent}), the CPU last. So the result depends on the prepare order,
 * and a longer order only adds groups and parent links: the builder is prefix-stable.
 *
 * <h2>Groupmask numbering</h2>
 * <ul>
 *   <li>A CPU gets {@code BIT(num_children++)} of its level-0 group, i.e. bits in prepare order.</li>
 *   <li>A child group gets {@code BIT(num_children++)} of its parent, in connection order.</li>
 *   <li>A new top level pre-sets its own groupmask to {@code BIT(0)} and pre-accounts the old root
 *       as child 0 ({@code num_children = 1}), as {@code tmigr_init_root()} does (fix #10): the
 *       new branch therefore becomes {@code BIT(1)} and the old root keeps {@code BIT(0)}. A root
 *       thus reports groupmask 1, never 0.</li>
 *   <li>The old root is connected once, so there is always a single root (fix #13).</li>
 * </ul>
 *
 * <h2>Example: 48 possible CPUs, 2 nodes (0-23, 24-47), prepared in ascending order</h2>
 * 3 levels, crossnode level 2. CPU8 outgrows {@code GRP0:0} and creates {@code GRP1:0} (node 0)
 * above it; CPU24 is the first node-1 CPU and creates {@code GRP0:3}, {@code GRP1:1} and the
 * node-less root {@code GRP2:0}, which adopts the old root {@code GRP1:0} as bit 0.
 * <pre>
 * LVL 2                          [GRP2:0] node=-1
 *                         /0x1                   \0x2
 * LVL 1        [GRP1:0] node=0                [GRP1:1] node=1
 *              /0x1   |0x2    \0x4            /0x1   |0x2    \0x4
 * LVL 0  [GRP0:0]  [GRP0:1]  [GRP0:2]   [GRP0:3]  [GRP0:4]  [GRP0:5]
 * CPUs     0-7       8-15      16-23      24-31     32-39     40-47
 *        CPU k has groupmask BIT(k % 8) in its level-0 group
 * </pre>
 *
 * <h2>Two NUMA behaviours</h2>
 * By default this is current mainline ("Fix imbalanced NUMA trees", 5eb579dfd46b): when the new
 * CPU's node differs from the root's node, the climb does not stop at a lone group below the
 * crossnode level but goes up to it, and the old root is then hung under the new root through a
 * second climb from the old root with the old root's node ({@code tmigr_setup_groups(-1,
 * old_root->numa_node, old_root, true)}), creating per-node groups on the way. Every group below
 * the crossnode level then holds CPUs of one node.
 *
 * <p>With {@link BuildOptions#imbalancedNumaTrees()} it is the kernel before that fix (e.g. Debian
 * 6.12.95): the climb always stops at a lone group, which below the crossnode level takes the node
 * of the CPU that created it, and every parentless group of the level just below a new top is
 * adopted there without a node check. With CPUs interleaved over two nodes, CPU1 (node 1) makes
 * {@code GRP1:0} a node-1 group that adopts {@code GRP0:0} (node 0). Mainline connects the same
 * way except for those two points, so both share the code below.
 *
 * <p>Only uniform sizings are accepted: the kernel's geometry formula has a single K. A node
 * layout the geometry cannot hold (a node with far more CPUs than {@code cpus_per_node}) makes
 * the kernel WARN and fail the CPU's prepare (mainline) or grow a second root (before the fix);
 * this builder throws {@link IllegalArgumentException} instead.
 */
public final class KernelHierarchyBuilder implements HierarchyBuilder {

    public static final String NAME = "kernel";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the tree kernel/time/timer_migration.c builds: per-node groups below the crossnode level,"
                + " grown lazily in CPU online order (the default)";
    }

    @Override
    public Hierarchy build(Machine machine, int[] prepareOrder, BuildOptions options) {
        int ncpus = machine.possibleCpus();
        int k = options.sizing().childrenPerGroup(0);
        if (k < 2 || k > 64 || Integer.bitCount(k) != 1)
            throw new IllegalArgumentException("hierarchy.childrenPerGroup must be a power of two in 2..64, got " + k);
        int bitsPerLevel = Integer.numberOfTrailingZeros(k);
        int cpusPerNode = ceilDiv(ncpus, machine.nodeCount());
        int cpuLevels = ceilDiv(orderBase2(cpusPerNode), bitsPerLevel);
        int nodeLevels = ceilDiv(orderBase2(machine.nodeCount()), bitsPerLevel);
        int levels = cpuLevels + nodeLevels;
        int crossnode = cpuLevels;
        if (ncpus == 1) {
            levels = 1;
            crossnode = 1;
        }
        requireUniform(options.sizing(), k, levels);

        Setup setup = new Setup(machine, levels, crossnode, k, options.imbalancedNumaTrees());
        BitSet seen = new BitSet(ncpus);
        for (int cpu : prepareOrder) {
            if (cpu < 0 || cpu >= ncpus)
                throw new IllegalArgumentException("prepareOrder: cpu " + cpu + " is not a possible CPU (0.." + (ncpus - 1) + ")");
            if (seen.get(cpu))
                throw new IllegalArgumentException("prepareOrder: cpu " + cpu + " is listed twice");
            seen.set(cpu);
            setup.addCpu(cpu);
        }
        return setup.toHierarchy();
    }

    private static void requireUniform(GroupSizing sizing, int k, int levels) {
        for (int level = 1; level < levels; level++) {
            int n = sizing.childrenPerGroup(level);
            if (n != k)
                throw new IllegalArgumentException("hierarchy.childrenPerGroup must be the same at every level for the kernel builder"
                        + " (its geometry has one K): level 0 has " + k + ", level " + level + " has " + n
                        + " (sizing " + sizing.name() + ")");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The kernel's order_base_2(): ceil(log2 n), 0 for n = 1. */
    private static int orderBase2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** A group while it is being built; {@link Group} is its frozen view. */
    private static final class Grp {
        final int id;
        final int level;
        final int index;
        final int node;
        Grp parent;
        long groupmask;
        int numChildren;
        final List<Grp> childGroups = new ArrayList<>();
        final List<Integer> childCpus = new ArrayList<>();

        Grp(int id, int level, int index, int node) {
            this.id = id;
            this.level = level;
            this.index = index;
            this.node = node;
        }
    }

    /** One build: the kernel's global setup state (level lists, root, per-CPU links). */
    private static final class Setup {
        private final Machine machine;
        private final int levels;
        private final int crossnode;
        private final int k;
        private final boolean imbalanced;
        private final List<Grp> groups = new ArrayList<>();
        private final List<List<Grp>> levelList = new ArrayList<>();
        private final int[] cpuGroup;
        private final long[] cpuGroupmask;
        private Grp root;

        Setup(Machine machine, int levels, int crossnode, int k, boolean imbalanced) {
            this.machine = machine;
            this.levels = levels;
            this.crossnode = crossnode;
            this.k = k;
            this.imbalanced = imbalanced;
            for (int i = 0; i < levels; i++) levelList.add(new ArrayList<>());
            cpuGroup = new int[machine.possibleCpus()];
            cpuGroupmask = new long[machine.possibleCpus()];
            Arrays.fill(cpuGroup, -1);
        }

        /** tmigr_add_cpu(). */
        void addCpu(int cpu) {
            int node = machine.nodeOf(cpu);
            if (imbalanced) {
                setupGroupsImbalanced(cpu, node);
                return;
            }
            Grp oldRoot = root;
            setupGroups(cpu, node, null, false);
            if (oldRoot != null && oldRoot != root)
                setupGroups(-1, oldRoot.node, oldRoot, true);
        }

        /**
         * Mainline tmigr_setup_groups(): climbs from level 0 for a CPU, or from above {@code start}
         * when the old root is being hung under a new one.
         */
        private void setupGroups(int cpu, int node, Grp start, boolean activate) {
            // The root of another node must not stop the climb below the crossnode level, or the
            // new node's lone group would become a mixed-node top (the bug behind fix #15).
            boolean rootMismatch = root != null && root.node != node;
            int startLevel = start == null ? 0 : start.level + 1;
            Grp[] stack = new Grp[levels];
            if (start != null) stack[start.level] = start;
            int top = startLevel;
            int i = startLevel;
            for (; i < levels; i++) {
                // The old root's climb ends in the new root, which reserved slot 0 for it. The
                // kernel finds it through tmigr_get_group() as the only group of its level with
                // room; that holds for 8 children, but with 2 the reserved slot looks taken.
                Grp group = start != null && i == root.level ? root : getGroup(node, i);
                stack[i] = group;
                top = i;
                if (group.parent != null) break;
                if ((!rootMismatch || i >= crossnode) && isSingular(i)) break;
            }
            if (i >= levels) throw tooSmall(cpu, node, start);
            for (; i >= startLevel; i--) {
                if (i == 0) connectCpu(cpu, stack[0]);
                else connectChildParent(stack[i - 1], stack[i], activate);
            }
            updateRoot(top);
        }

        /** tmigr_setup_groups() as in 6.12.95, before the NUMA fix. */
        private void setupGroupsImbalanced(int cpu, int node) {
            Grp[] stack = new Grp[levels];
            int top = 0;
            int i = 0;
            for (; i < levels; i++) {
                Grp group = getGroup(node, i);
                stack[i] = group;
                top = i;
                if (group.parent != null || isSingular(i)) break;
            }
            // The old kernel would carry on with a second root and a WARN; refuse instead.
            if (i >= levels) throw tooSmall(cpu, node, null);
            for (; i >= 0; i--) {
                if (i == 0) {
                    connectCpu(cpu, stack[0]);
                    continue;
                }
                Grp group = stack[i];
                connectChildParent(stack[i - 1], group, false);
                // A fresh top has counted the old root (pre-accounted) and the new branch; the old
                // root is adopted right here, whatever its node.
                if (i == top && group.numChildren == 2 && isSingular(top)) {
                    List<Grp> below = levelList.get(top - 1);
                    for (int j = below.size() - 1; j >= 0; j--)
                        if (below.get(j).parent == null) connectChildParent(below.get(j), group, true);
                }
            }
            updateRoot(top);
        }

        /** tmigr_get_group(): newest first, first with room (and the node, below crossnode). */
        private Grp getGroup(int node, int level) {
            List<Grp> list = levelList.get(level);
            for (int j = list.size() - 1; j >= 0; j--) {
                Grp g = list.get(j);
                if (level < crossnode && g.node != node) continue;
                if (g.numChildren >= k) continue;
                return g;
            }
            Grp g = new Grp(groups.size(), level, list.size(), level < crossnode ? node : Group.NO_NODE);
            list.add(g);
            groups.add(g);
            return g;
        }

        /**
         * tmigr_init_root(): a parentless group that is not yet the root is a new top level. Its
         * groupmask is pre-set to bit 0 so that a walker racing with the next growth never reads
         * 0 (fix #10); the next top level will adopt it as child 0.
         */
        private boolean initRoot(Grp group) {
            if (group.parent != null || group == root) return false;
            group.groupmask = 1;
            return true;
        }

        private void connectCpu(int cpu, Grp group) {
            cpuGroup[cpu] = group.id;
            cpuGroupmask[cpu] = 1L << group.numChildren++;
            group.childCpus.add(cpu);
            initRoot(group);
        }

        /** tmigr_connect_child_parent(); {@code activate} means "the old root joins the new root". */
        private void connectChildParent(Grp child, Grp parent, boolean activate) {
            // Slot 0 is kept for the old root. An adopting parent has been prepared already
            // (mainline even WARNs if it were not), so only the new branch's connection does it.
            if (!activate && initRoot(parent)) parent.numChildren = 1;
            if (parent.parent == null && activate) {
                if (parent.numChildren != 2)
                    throw new IllegalStateException(label(parent) + " adopts the old root with num_children " + parent.numChildren);
                child.groupmask = 1;
            } else {
                child.groupmask = 1L << parent.numChildren++;
            }
            child.parent = parent;
            parent.childGroups.add(child);
        }

        private void updateRoot(int top) {
            if (isSingular(top)) root = levelList.get(top).get(0);
        }

        private boolean isSingular(int level) {
            return levelList.get(level).size() == 1;
        }

        private IllegalArgumentException tooSmall(int cpu, int node, Grp start) {
            String who = start == null ? "cpu " + cpu : "old root " + label(start);
            return new IllegalArgumentException("machine: " + who + " (node " + node + ") does not fit in the " + levels
                    + " levels the kernel derives from " + machine.possibleCpus() + " possible CPUs on " + machine.nodeCount()
                    + " nodes with " + k + " children per group; the kernel would WARN in tmigr_setup_groups()."
                    + " Spread the CPUs more evenly over the nodes or raise hierarchy.childrenPerGroup");
        }

        private static String label(Grp g) {
            return "GRP" + g.level + ":" + g.index;
        }

        Hierarchy toHierarchy() {
            List<List<Integer>> below = new ArrayList<>();
            for (int j = 0; j < groups.size(); j++) below.add(new ArrayList<>());
            // Ascending CPU ids, so each list comes out sorted.
            for (int cpu = 0; cpu < cpuGroup.length; cpu++) {
                if (cpuGroup[cpu] < 0) continue;
                for (Grp g = groups.get(cpuGroup[cpu]); g != null; g = g.parent) below.get(g.id).add(cpu);
            }
            List<Group> out = new ArrayList<>(groups.size());
            for (Grp g : groups) {
                List<Integer> children = new ArrayList<>(g.childGroups.size());
                for (Grp c : g.childGroups) children.add(c.id);
                out.add(new Group(g.id, g.level, g.index, g.node, g.parent == null ? -1 : g.parent.id, g.groupmask,
                        children, g.childCpus, below.get(g.id)));
            }
            List<Integer> cpuGroups = new ArrayList<>(cpuGroup.length);
            List<Long> cpuMasks = new ArrayList<>(cpuGroup.length);
            for (int cpu = 0; cpu < cpuGroup.length; cpu++) {
                cpuGroups.add(cpuGroup[cpu]);
                cpuMasks.add(cpuGroupmask[cpu]);
            }
            return new Hierarchy(levels, crossnode, out, cpuGroups, cpuMasks);
        }
    }
}
