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

    /**
     * Parentless groups. A well-formed hierarchy has one per capacity class it serves: exactly one
     * when every CPU has the same capacity (always, in real kernels so far).
     */
    public List<Group> roots() {
        List<Group> r = new ArrayList<>();
        for (Group g : groups) if (g.isRoot()) r.add(g);
        return r;
    }

    public int possibleCpus() {
        return cpuGroup.size();
    }

    /**
     * The prepared CPUs below the child of {@code parent} whose groupmask is {@code childBit}: a
     * single CPU at level 0, a child group's {@link Group#cpus()} above. Empty if no child has
     * that bit. Lets a {@link MigratorSelector} see where the children of a group are.
     */
    public List<Integer> cpusOfChild(Group parent, long childBit) {
        for (int cpu : parent.childCpus())
            if (cpuGroupmask.get(cpu) == childBit) return List.of(cpu);
        for (int child : parent.childGroups())
            if (groups.get(child).groupmask() == childBit) return groups.get(child).cpus();
        return List.of();
    }
}
