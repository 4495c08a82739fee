package org.tmigrlab.api;

/**
 * Chooses the next migrator of a group when the current migrator child goes idle while other
 * children are still active. Extension point: the kernel hands over to the lowest active bit
 * ({@code tmigr_inactive_up()}: {@code find_first_bit(active)}).
 *
 * <p>Called on the simulator thread in the middle of a walk step; must be deterministic for a
 * given seed and must not block.
 *
 * <p>The instance registered in the catalog is shared. A selector that keeps state between
 * hand-overs, or needs the seed or the topology, returns a fresh instance from
 * {@link #forRun}; the engine calls it once per run and uses only what it returns.
 */
public interface MigratorSelector {

    /** Name used in scenario files ({@code migrator}) and the catalog. */
    String name();

    /**
     * @param group   the group whose migrator leaves
     * @param active  the group's active mask after the leaving child was removed; never 0
     * @param leaving the groupmask bit of the child that goes idle
     * @return exactly one bit of {@code active}
     */
    long handOver(Group group, long active, long leaving);

    /** One line for {@code tmigr catalog}: what the rule does and why one would try it. */
    default String description() {
        return "";
    }

    /**
     * The selector one run uses. Stateless selectors are their own run instance (the default);
     * others return a new object holding per-run state, seeded from {@link RunContext#seed()}.
     */
    default MigratorSelector forRun(RunContext run) {
        return this;
    }

    /** The kernel's rule. */
    MigratorSelector LOWEST_ACTIVE = new MigratorSelector() {
        @Override public String name() { return "lowest-active"; }
        @Override public long handOver(Group group, long active, long leaving) { return Long.lowestOneBit(active); }
        @Override public String description() {
            return "the kernel's rule (find_first_bit): cheapest, and it keeps the duty on low-numbered children";
        }
        @Override public String toString() { return name(); }
    };
}
