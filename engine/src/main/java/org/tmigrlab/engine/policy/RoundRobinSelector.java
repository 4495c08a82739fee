package org.tmigrlab.engine.policy;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.MigratorSelector;

/**
 * {@code round-robin}: the next active child above the leaving one, wrapping around. Successive
 * hand-overs walk the children in bit order, so the duty (and its wake-ups) is spread evenly.
 * Needs no memory: the leaving bit is the cursor.
 */
public final class RoundRobinSelector implements MigratorSelector {
    public static final String NAME = "round-robin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the next active child after the leaving one, wrapping: spreads the duty evenly over the children";
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        // -(leaving << 1) has every bit above the leaving one set (none when it was bit 63).
        long above = active & -(leaving << 1);
        return Long.lowestOneBit(above != 0 ? above : active);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
