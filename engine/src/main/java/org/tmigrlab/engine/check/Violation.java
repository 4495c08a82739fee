package org.tmigrlab.engine.check;

import java.util.List;

/**
 * One broken invariant.
 *
 * @param time      ns
 * @param invariant short name, e.g. {@code migrator-in-active}; see {@link Invariant}
 * @param message   what was seen
 * @param groups    group ids involved
 * @param cpus      CPUs involved
 */
public record Violation(long time, String invariant, String message, List<Integer> groups, List<Integer> cpus) {
    public Violation {
        groups = List.copyOf(groups);
        cpus = List.copyOf(cpus);
    }
}
