package org.tmigrlab.plugins.policypack;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.MigratorSelector;

/**
 * {@code highest-active}: the kernel's rule mirrored, the highest active bit. Stateless, so the
 * registered instance serves every run.
 */
public final class HighestActive implements MigratorSelector {

    @Override
    public String name() {
        return "highest-active";
    }

    @Override
    public String description() {
        return "the kernel's rule mirrored (highest active bit): shows how much lowest-active's bias matters";
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        return Long.highestOneBit(active);
    }
}
