package org.tmigrlab.api;

import java.util.List;

/**
 * One group of a built {@link Hierarchy} (the kernel's {@code struct tmigr_group}, without its
 * run-time state).
 *
 * @param id         dense id, in creation order (the kernel's {@code tmigr_group_set} order)
 * @param level      0 for groups whose children are CPUs
 * @param index      creation order within the level ({@code GRP<level>:<index>} in the kernel's diagrams)
 * @param node       NUMA node, or {@code -1} ({@code NUMA_NO_NODE}) at and above the crossnode level
 * @param parent     parent group id, or {@code -1} for a root
 * @param groupmask  this group's bit in its parent's active mask; {@code 0} while it has no parent
 *                   (a freshly created top level has it pre-set to {@code 1}, as the kernel does)
 * @param childGroups child group ids in connection order (empty at level 0)
 * @param childCpus  child CPU ids in connection order (level 0 only)
 * @param cpus       every CPU below this group, ascending
 */
public record Group(int id, int level, int index, int node, int parent, long groupmask,
                    List<Integer> childGroups, List<Integer> childCpus, List<Integer> cpus) {

    public static final int NO_NODE = -1;

    public Group {
        childGroups = List.copyOf(childGroups);
        childCpus = List.copyOf(childCpus);
        cpus = List.copyOf(cpus);
    }

    public boolean isRoot() {
        return parent < 0;
    }

    /** Kernel-style label, e.g. {@code GRP1:0}. */
    public String label() {
        return "GRP" + level + ":" + index;
    }
}
