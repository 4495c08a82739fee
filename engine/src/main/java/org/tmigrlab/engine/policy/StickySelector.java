package org.tmigrlab.engine.policy;

import java.util.Arrays;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;

/**
 * {@code sticky}: hands the duty back to the group's previous migrator if it is still active,
 * else to the lowest active child. Two busy children then trade the duty between themselves
 * instead of spreading it over every child that happens to be awake.
 *
 * <p>Only hand-overs are remembered: a group that went fully idle and was woken gets its migrator
 * from the first active child (the walk's rule), not from here.
 */
public final class StickySelector implements MigratorSelector {
    public static final String NAME = "sticky";

    /** Per group id: the bit of the migrator before the current one, 0 if none yet. */
    private long[] previous;

    /** The registered prototype; runs use {@link #forRun}. */
    public StickySelector() {
        this.previous = new long[0];
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "back to the group's previous migrator if still active, else lowest: the duty stays with"
                + " CPUs that keep busy, fewer distinct CPUs pay for it";
    }

    @Override
    public MigratorSelector forRun(RunContext run) {
        return new StickySelector();
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        int g = group.id();
        if (g >= previous.length) previous = Arrays.copyOf(previous, Math.max(g + 1, previous.length * 2));
        long back = previous[g];
        previous[g] = leaving;
        return (back & active) != 0 ? back : Long.lowestOneBit(active);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
