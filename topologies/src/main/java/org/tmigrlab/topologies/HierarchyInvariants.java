package org.tmigrlab.topologies;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;

/**
 * What every {@link org.tmigrlab.api.HierarchyBuilder} must produce, whoever wrote it:
 * <ol>
 *   <li><b>tree</b>: parent links are acyclic and one level up; a group lists exactly the groups
 *       that name it as parent; children carry distinct single-bit groupmasks, at most 64;</li>
 *   <li><b>cpus</b>: every prepared CPU hangs in exactly one level-0 group, with a single bit of
 *       its own; unprepared CPUs hang nowhere; each group's {@code cpus} are those below it;</li>
 *   <li><b>one root per hierarchy</b>: one root, or several only when they separate capacity
 *       classes; then no root serves two capacities and no capacity has two roots
 *       (<b>capacities respected</b>).</li>
 * </ol>
 * Cheap (linear in groups and CPUs), so the engine runs it on every build of a plugin's builder.
 */
public final class HierarchyInvariants {

    private HierarchyInvariants() {
    }

    /** Every violation found, each one sentence naming groups ({@code GRP1:0}) and CPUs; empty if well-formed. */
    public static List<String> violations(Machine machine, int[] prepareOrder, Hierarchy h) {
        List<String> out = new ArrayList<>();
        List<Group> groups = h.groups();
        if (h.possibleCpus() != machine.possibleCpus())
            out.add("the hierarchy has " + h.possibleCpus() + " CPUs, the machine " + machine.possibleCpus());
        tree(groups, out);
        cpus(machine, prepareOrder, h, out);
        if (out.isEmpty()) roots(machine, prepareOrder, h, out);
        return out;
    }

    private static void tree(List<Group> groups, List<String> out) {
        int n = groups.size();
        for (Group g : groups) {
            if (g.parent() >= n || g.parent() == g.id()) {
                out.add(g.label() + " has parent " + g.parent() + ", not a group");
                continue;
            }
            if (g.parent() >= 0) {
                Group p = groups.get(g.parent());
                if (p.level() != g.level() + 1) out.add(g.label() + " at level " + g.level() + " has parent " + p.label() + " at level " + p.level());
                if (p.childGroups().stream().filter(c -> c == g.id()).count() != 1)
                    out.add(g.label() + " names " + p.label() + " as parent but is not listed once among its children");
            }
            if (g.level() == 0 && !g.childGroups().isEmpty()) out.add(g.label() + " is at level 0 but has child groups");
            if (g.level() > 0 && !g.childCpus().isEmpty()) out.add(g.label() + " is above level 0 but has child CPUs");
            int children = g.childGroups().size() + g.childCpus().size();
            if (children > PackingHierarchyBuilder.MAX_CHILDREN) out.add(g.label() + " has " + children + " children; at most 64 fit an active mask");
            long masks = 0;
            for (int c : g.childGroups()) {
                if (c < 0 || c >= n || groups.get(c).parent() != g.id()) {
                    out.add(g.label() + " lists child group " + c + ", which does not name it as parent");
                    continue;
                }
                long m = groups.get(c).groupmask();
                if (Long.bitCount(m) != 1 || (masks & m) != 0)
                    out.add(groups.get(c).label() + " has groupmask 0x" + Long.toHexString(m) + " in " + g.label() + ": not a free single bit");
                masks |= m;
            }
        }
        // Acyclic: climbing from any group ends at a root within n steps.
        for (Group g : groups) {
            int steps = 0;
            for (int p = g.parent(); p >= 0 && p < n; p = groups.get(p).parent())
                if (++steps > n) {
                    out.add(g.label() + " climbs into a cycle of parent links");
                    break;
                }
        }
    }

    private static void cpus(Machine machine, int[] prepareOrder, Hierarchy h, List<String> out) {
        BitSet prepared = new BitSet();
        for (int c : prepareOrder) prepared.set(c);
        Map<Integer, Integer> listedIn = new HashMap<>();
        for (Group g : h.groups()) {
            long masks = 0;
            for (int c : g.childCpus()) {
                Integer other = listedIn.put(c, g.id());
                if (other != null) out.add("CPU" + c + " is a child of both " + h.group(other).label() + " and " + g.label());
                long m = c >= 0 && c < h.possibleCpus() ? h.cpuGroupmask().get(c) : 0;
                if (Long.bitCount(m) != 1 || (masks & m) != 0)
                    out.add("CPU" + c + " has groupmask 0x" + Long.toHexString(m) + " in " + g.label() + ": not a free single bit");
                masks |= m;
            }
        }
        for (int c = 0; c < h.possibleCpus(); c++) {
            int g = h.cpuGroup().get(c);
            if (!prepared.get(c)) {
                if (g >= 0 || listedIn.containsKey(c)) out.add("CPU" + c + " was never prepared but hangs in the hierarchy");
                continue;
            }
            if (g < 0 || g >= h.groups().size()) {
                out.add("CPU" + c + " is prepared but in no level-0 group");
            } else if (!h.group(g).childCpus().contains(c)) {
                out.add("CPU" + c + " names " + h.group(g).label() + " as its group but is not among its children");
            }
        }
        // Each group's cpus: exactly the prepared CPUs below it, ascending.
        for (Group g : h.groups()) {
            TreeSet<Integer> expect = new TreeSet<>(g.childCpus());
            for (int child : g.childGroups()) if (child >= 0 && child < h.groups().size()) expect.addAll(h.group(child).cpus());
            if (!new ArrayList<>(expect).equals(g.cpus()))
                out.add(g.label() + " reports cpus " + g.cpus() + " but has " + expect + " below it");
        }
    }

    private static void roots(Machine machine, int[] prepareOrder, Hierarchy h, List<String> out) {
        List<Group> roots = h.roots().stream().filter(r -> !r.cpus().isEmpty()).toList();
        if (prepareOrder.length > 0 && roots.isEmpty()) out.add("no root holds a prepared CPU");
        if (roots.size() < 2) return;
        Map<Integer, Group> rootOfCapacity = new HashMap<>();
        for (Group r : roots) {
            TreeSet<Integer> caps = new TreeSet<>();
            for (int c : r.cpus()) caps.add(machine.cpus().get(c).capacity());
            if (caps.size() > 1) {
                out.add(roots.size() + " roots, but " + r.label() + " mixes capacities " + caps + ": several roots must separate capacity classes");
                continue;
            }
            Group other = rootOfCapacity.put(caps.first(), r);
            if (other != null) out.add(other.label() + " and " + r.label() + " are both roots for capacity " + caps.first() + ": one root per hierarchy");
        }
    }
}
