package org.tmigrlab.api;

/**
 * What a {@link HierarchyBuilder} needs besides the machine.
 *
 * @param sizing               children per group at each level
 * @param imbalancedNumaTrees  reproduce kernels before mainline's "Fix imbalanced NUMA trees"
 *                             (5eb579dfd46b, Oct 2025), e.g. Debian 6.12.95: a new top level
 *                             takes the node of the CPU that created it and adopts the old root
 *                             without a node check. Builders other than {@code kernel} ignore it.
 */
public record BuildOptions(GroupSizing sizing, boolean imbalancedNumaTrees) {

    public static BuildOptions kernelDefault() {
        return new BuildOptions(GroupSizing.uniform(8), false);
    }
}
