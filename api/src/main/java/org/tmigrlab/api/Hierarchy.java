package org.tmigrlab.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A built timer-migration hierarchy: the groups and where each prepared CPU hangs. Immutable.
 *
 * <p>Only CPUs that were prepared (brought up at least once) are connected; the others have
 * {@code cpuGroup == -1}. Groups are listed in creation order and never removed, as in the
 * kernel, so the hierarchy for a longer prepare order extends the one for a shorter prefix.
 *
 * @param levels         number of levels the geometry allows ({@code tmigr_hierarchy_levels})
 * @param crossnodeLevel first level whose groups span nodes ({@code tmigr_crossnode_level})
 * @param groups         all groups, {@code groups.get(i).id() == i}
 * @param cpuGroup       level-0 group of each possible CPU, {@code -1} if not prepared
 * @param cpuGroupmask   each CPU's bit in its level-0 group, {@code 0} if not prepared
 */
public record Hierarchy(int levels, int crossnodeLevel, List<Group> groups,
                        List<Integer> cpuGroup, List<Long> cpuGroupmask) {

    public Hierarchy {
        groups = List.copyOf(groups);
        cpuGroup = List.copyOf(cpuGroup);
        cpuGroupmask = List.copyOf(cpuGroupmask);
        for (int i = 0; i < groups.size(); i++)
            if (groups.get(i).id() != i) throw new IllegalArgumentException("group ids must be dense");
    }

    public Group group(int id) {
        return groups.get(id);
    }

    /** Parentless groups; a well-formed hierarchy with a prepared CPU has exactly one. */
    public List<Group> roots() {
        List<Group> r = new ArrayList<>();
        for (Group g : groups) if (g.isRoot()) r.add(g);
        return r;
    }

    public int possibleCpus() {
        return cpuGroup.size();
    }
}
