package org.tmigrlab.engine.replay;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.trace.FtraceLine;

/**
 * The timer-migration tree a kernel built, rebuilt from its {@code tmigr_group_set},
 * {@code tmigr_connect_child_parent} and {@code tmigr_connect_cpu_parent} lines (as upstream's
 * {@code scripts/timers/timer_migration_tree.py} does). Pointers, hashed or plain, are only
 * identifiers. Both spellings of the mask are accepted ({@code childmask=} in v6.9/v6.10,
 * {@code groupmask=} later) and {@code capacity=} is ignored.
 *
 * <p>{@link #compare} holds it against a lab {@link Hierarchy}: groups are matched by level and
 * the CPUs below them, then node, parent and groupmask are compared, and every CPU's parent
 * and groupmask.
 */
public final class KernelTree {

    /** One group as the trace shows it. */
    public static final class TraceGroup {
        final String ptr;
        final int order;
        int level = -1;
        int numa = Integer.MIN_VALUE;
        String parent;
        long groupmask = -1;
        final List<String> childGroups = new ArrayList<>();
        final List<Integer> childCpus = new ArrayList<>();

        TraceGroup(String ptr, int order) {
            this.ptr = ptr;
            this.order = order;
        }

        public String ptr() { return ptr; }
        public int level() { return level; }
        public int numa() { return numa; }
        /** Parent pointer, null for the root. */
        public String parent() { return parent; }
        /** This group's bit in its parent, -1 while it has none. */
        public long groupmask() { return groupmask; }
    }

    private final Map<String, TraceGroup> groups = new LinkedHashMap<>();
    private final Map<Integer, String> cpuParent = new LinkedHashMap<>();
    private final Map<Integer, Long> cpuGroupmask = new LinkedHashMap<>();
    private final List<Integer> connectOrder = new ArrayList<>();
    private int lines;
    // Run-time evidence, for captures without the boot-time connect lines: each CPU's level-0
    // group (parent= of its tmigr_cpu_* lines), its bit there and that group's node (childmask= and
    // numa= of the tmigr_group_set_cpu_* lines its own walks print at lvl=0).
    private final Map<Integer, String> rtCpuParent = new LinkedHashMap<>();
    private final Map<Integer, Long> rtCpuGroupmask = new LinkedHashMap<>();
    private final Map<String, Integer> rtGroupNuma = new LinkedHashMap<>();

    /** Feeds one line; returns true if it was a tree line. Malformed tree lines throw {@link IllegalArgumentException}. */
    public boolean accept(FtraceLine l) {
        switch (l.event()) {
            case "tmigr_group_set" -> {
                TraceGroup g = group(l.field("group"));
                g.level = (int) l.decimal("lvl");
                g.numa = (int) l.decimal("numa");
            }
            case "tmigr_connect_child_parent" -> {
                TraceGroup child = group(l.field("group"));
                TraceGroup parent = group(l.field("parent"));
                parent.level = (int) l.decimal("lvl");
                parent.numa = (int) l.decimal("numa");
                if (child.level < 0) child.level = parent.level - 1;
                child.parent = parent.ptr;
                child.groupmask = mask(l);
                if (!parent.childGroups.contains(child.ptr)) parent.childGroups.add(child.ptr);
            }
            case "tmigr_connect_cpu_parent" -> {
                int cpu = (int) l.decimal("cpu");
                TraceGroup parent = group(l.field("parent"));
                parent.level = (int) l.decimal("lvl");
                parent.numa = (int) l.decimal("numa");
                cpuParent.put(cpu, parent.ptr);
                cpuGroupmask.put(cpu, mask(l));
                if (!parent.childCpus.contains(cpu)) parent.childCpus.add(cpu);
                if (!connectOrder.contains(cpu)) connectOrder.add(cpu);
            }
            default -> {
                return false;
            }
        }
        lines++;
        return true;
    }

    private static long mask(FtraceLine l) {
        String v = l.field("groupmask");
        if (v == null) v = l.field("childmask");
        if (v == null) throw new IllegalArgumentException("no groupmask= or childmask= in " + l.event());
        return Long.parseUnsignedLong(v, 16);
    }

    private TraceGroup group(String ptr) {
        if (ptr == null) throw new IllegalArgumentException("tree line without a group pointer");
        return groups.computeIfAbsent(ptr, p -> new TraceGroup(p, groups.size()));
    }

    /**
     * Takes the run-time lines that reveal the tree: {@code tmigr_cpu_*} ({@code cpu=},
     * {@code parent=}) and level-0 {@code tmigr_group_set_cpu_*} lines, which only the CPU's own
     * activation or deactivation walk prints, on that CPU ({@code childmask=} is its bit).
     */
    public void acceptRuntime(FtraceLine l) {
        String ev = l.event();
        if (ev.startsWith("tmigr_group_set_cpu_")) {
            if (!"0".equals(l.field("lvl")) || l.field("group") == null || l.field("childmask") == null) return;
            rtCpuParent.putIfAbsent(l.cpu(), l.field("group"));
            rtCpuGroupmask.putIfAbsent(l.cpu(), l.hex("childmask"));
            if (l.field("numa") != null) rtGroupNuma.putIfAbsent(l.field("group"), (int) l.decimal("numa"));
        } else if (ev.startsWith("tmigr_cpu_") && l.field("cpu") != null && l.field("parent") != null) {
            rtCpuParent.putIfAbsent((int) l.decimal("cpu"), l.field("parent"));
        }
    }

    /** True when run-time lines showed at least one CPU's level-0 group. */
    public boolean runtimePresent() {
        return !rtCpuParent.isEmpty();
    }

    /** Node of each CPU from the run-time lines ({@code numa=} of its level-0 group); -1 where unknown. */
    public int[] runtimeNodes(int cpus) {
        int[] nodes = new int[cpus];
        java.util.Arrays.fill(nodes, -1);
        for (Map.Entry<Integer, String> e : rtCpuParent.entrySet()) {
            Integer numa = rtGroupNuma.get(e.getValue());
            if (e.getKey() < cpus && numa != null && numa >= 0) nodes[e.getKey()] = numa;
        }
        return nodes;
    }

    /**
     * What the run-time lines show of the tree, held against a lab hierarchy: CPUs in one kernel
     * level-0 group share one lab group and CPUs in different ones do not, each CPU's bit, each
     * group's node. Only the CPUs the lines show are compared.
     */
    public List<String> compareRuntime(Hierarchy h) {
        List<String> diffs = new ArrayList<>();
        Map<String, Integer> labOf = new LinkedHashMap<>();
        Map<Integer, String> kernelOf = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : rtCpuParent.entrySet()) {
            int cpu = e.getKey();
            if (cpu >= h.possibleCpus()) {
                diffs.add("cpu " + cpu + " is in the trace but the lab machine has " + h.possibleCpus() + " CPUs");
                continue;
            }
            int lg = h.cpuGroup().get(cpu);
            Integer prev = labOf.putIfAbsent(e.getValue(), lg);
            if (prev != null && prev != lg)
                diffs.add("cpu " + cpu + " shares kernel group " + e.getValue() + " with CPUs of lab " + h.group(prev).label()
                        + ", but the lab puts it in " + (lg < 0 ? "none" : h.group(lg).label()));
            String other = kernelOf.putIfAbsent(lg, e.getValue());
            if (other != null && !other.equals(e.getValue()))
                diffs.add("cpu " + cpu + " is in lab " + h.group(lg).label() + " with CPUs of another kernel group (" + other + ")");
            Long km = rtCpuGroupmask.get(cpu);
            if (km != null && lg >= 0 && km != (long) h.cpuGroupmask().get(cpu))
                diffs.add("cpu " + cpu + ": kernel groupmask " + Long.toHexString(km) + ", lab " + Long.toHexString(h.cpuGroupmask().get(cpu)));
            Integer numa = rtGroupNuma.get(e.getValue());
            if (numa != null && lg >= 0 && numa != h.group(lg).node())
                diffs.add("cpu " + cpu + "'s level-0 group: kernel numa=" + numa + ", lab node " + h.group(lg).node());
        }
        return diffs;
    }

    /** The run-time evidence in one line. */
    public String runtimeSummary() {
        return rtCpuParent.size() + " CPUs in " + new java.util.HashSet<>(rtCpuParent.values()).size()
                + " level-0 groups seen in run-time lines (" + rtCpuGroupmask.size() + " with their groupmask)";
    }

    /** True once any connect line was seen. */
    public boolean present() {
        return !cpuParent.isEmpty();
    }

    public int lines() {
        return lines;
    }

    public List<TraceGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** CPUs in the order the kernel connected them (its prepare order). */
    public List<Integer> connectOrder() {
        return List.copyOf(connectOrder);
    }

    /** Highest connected CPU + 1, 0 if none. */
    public int cpuBound() {
        int max = -1;
        for (int c : cpuParent.keySet()) max = Math.max(max, c);
        return max + 1;
    }

    /** Node of each CPU: the {@code numa=} of its level-0 group; -1 where unknown. */
    public int[] cpuNodes(int cpus) {
        int[] nodes = new int[cpus];
        java.util.Arrays.fill(nodes, -1);
        for (Map.Entry<Integer, String> e : cpuParent.entrySet()) {
            if (e.getKey() < cpus) nodes[e.getKey()] = Math.max(-1, groups.get(e.getValue()).numa);
        }
        return nodes;
    }

    /**
     * The machine the tree implies: its CPU count (at least {@code cpus}) and each CPU's node from
     * its level-0 group; CPUs the tree does not connect go to node 0.
     */
    public Machine machine(int cpus) {
        int n = Math.max(cpus, cpuBound());
        int[] nodes = cpuNodes(n);
        int maxNode = 0;
        for (int i = 0; i < n; i++) {
            if (nodes[i] < 0) nodes[i] = 0;
            maxNode = Math.max(maxNode, nodes[i]);
        }
        return Machine.withNodes(nodes, maxNode + 1);
    }

    private BitSet cpusBelow(TraceGroup g, int depth) {
        BitSet b = new BitSet();
        if (depth > 64) return b; // a cycle in a corrupt trace
        for (int c : g.childCpus) b.set(c);
        for (String child : g.childGroups) b.or(cpusBelow(groups.get(child), depth + 1));
        return b;
    }

    /**
     * Differences between this tree and a lab hierarchy, one sentence each; empty when they are
     * the same tree (same groups by level and CPUs, nodes, parents, groupmasks, CPU groupmasks).
     */
    public List<String> compare(Hierarchy h) {
        List<String> diffs = new ArrayList<>();
        Map<String, Integer> match = new LinkedHashMap<>();
        Map<String, Integer> labByKey = new LinkedHashMap<>();
        for (Group g : h.groups()) labByKey.put(key(g.level(), bits(g.cpus())), g.id());
        for (TraceGroup g : groups.values()) {
            BitSet below = cpusBelow(g, 0);
            Integer lab = labByKey.get(key(g.level, below));
            if (lab == null) {
                diffs.add("kernel group " + g.ptr + " (level " + g.level + ", cpus " + ranges(below) + ") has no lab counterpart");
                continue;
            }
            match.put(g.ptr, lab);
        }
        for (TraceGroup g : groups.values()) {
            Integer id = match.get(g.ptr);
            if (id == null) continue;
            Group lg = h.group(id);
            String label = lg.label() + " (cpus " + ranges(bits(lg.cpus())) + ")";
            int labNode = lg.node();
            if (g.numa != Integer.MIN_VALUE && g.numa != labNode)
                diffs.add(label + ": kernel numa=" + g.numa + ", lab node " + labNode);
            Integer kp = g.parent == null ? null : match.get(g.parent);
            if (g.parent == null ? lg.parent() >= 0 : kp == null || kp != lg.parent())
                diffs.add(label + ": kernel parent " + (g.parent == null ? "none" : g.parent) + ", lab parent "
                        + (lg.parent() < 0 ? "none" : h.group(lg.parent()).label()));
            if (g.parent != null && g.groupmask != lg.groupmask())
                diffs.add(label + ": kernel groupmask " + Long.toHexString(g.groupmask) + ", lab " + Long.toHexString(lg.groupmask()));
        }
        int labGroups = h.groups().size();
        if (match.size() != labGroups && diffs.isEmpty())
            diffs.add("lab has " + labGroups + " groups, the kernel " + groups.size());
        for (Map.Entry<Integer, String> e : cpuParent.entrySet()) {
            int cpu = e.getKey();
            if (cpu >= h.possibleCpus()) {
                diffs.add("cpu " + cpu + " is connected in the kernel but the lab machine has " + h.possibleCpus() + " CPUs");
                continue;
            }
            Integer kp = match.get(e.getValue());
            int lp = h.cpuGroup().get(cpu);
            if (kp == null || kp != lp)
                diffs.add("cpu " + cpu + ": kernel parent " + e.getValue() + ", lab " + (lp < 0 ? "none" : h.group(lp).label()));
            long km = cpuGroupmask.get(cpu);
            long lm = h.cpuGroupmask().get(cpu);
            if (km != lm) diffs.add("cpu " + cpu + ": kernel groupmask " + Long.toHexString(km) + ", lab " + Long.toHexString(lm));
        }
        return diffs;
    }

    private static String key(int level, BitSet cpus) {
        return level + ":" + cpus;
    }

    private static BitSet bits(List<Integer> cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) b.set(c);
        return b;
    }

    /** {@code 0-7,9} */
    static String ranges(BitSet b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0; ) {
            int j = b.nextClearBit(i);
            if (s.length() > 0) s.append(',');
            s.append(i);
            if (j - 1 > i) s.append('-').append(j - 1);
            i = b.nextSetBit(j);
        }
        return s.toString();
    }

    /** A kernel-style one-line summary: groups per level and the root. */
    public String summary() {
        Map<Integer, Integer> perLevel = new java.util.TreeMap<>();
        for (TraceGroup g : groups.values()) perLevel.merge(g.level, 1, Integer::sum);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Integer, Integer> e : perLevel.entrySet()) {
            if (b.length() > 0) b.append(", ");
            b.append(e.getValue()).append(" group").append(e.getValue() == 1 ? "" : "s").append(" at level ").append(e.getKey());
        }
        return b + "; " + cpuParent.size() + " CPUs connected";
    }
}
