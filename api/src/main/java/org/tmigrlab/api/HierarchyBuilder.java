package org.tmigrlab.api;

/**
 * Builds the timer-migration hierarchy for a machine. Extension point: the default is the
 * kernel's own tree ({@code kernel}); plugins may group by LLC, SMT sibling, or anything else.
 *
 * <p>The kernel builds its tree lazily as CPUs are prepared, so the result depends on the order.
 * A builder must be prefix-stable: building for a longer order must keep every group of the
 * shorter order with the same id, level, node, groupmask (once set) and children, only adding
 * groups and parent links. The simulator relies on this when a CPU comes online for the first time.
 *
 * <p>Implementations are stateless and may be called from any thread.
 */
public interface HierarchyBuilder {

    /** Name used in scenario files ({@code hierarchy.builder}) and the catalog. */
    String name();

    /**
     * Builds the hierarchy after preparing {@code prepareOrder} (distinct CPU ids) in that order.
     *
     * @throws IllegalArgumentException naming the offending setting when the options do not fit
     */
    Hierarchy build(Machine machine, int[] prepareOrder, BuildOptions options);

    /** One line for {@code tmigr catalog}: how the tree is grouped and why one would try it. */
    default String description() {
        return "";
    }
}
