package org.tmigrlab.plugins.policypack;

import java.util.HashMap;
import java.util.Map;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;

/**
 * {@code least-recent}: the active child that held the duty longest ago (never held counts as
 * oldest), ties to the lowest bit. Over a run every busy child takes its turn, like round-robin,
 * but a child that was idle during its turn is not skipped for a whole cycle.
 *
 * <p>The example of per-run state: the catalog's instance is a prototype and {@link #forRun}
 * returns a fresh one, so two runs never share memory.
 */
public final class LeastRecent implements MigratorSelector {

    /** Per group id: for each child bit, the hand-over count when it last held the duty; 0 = never. */
    private final Map<Integer, long[]> lastHeld = new HashMap<>();
    private long handOvers;

    @Override
    public String name() {
        return "least-recent";
    }

    @Override
    public String description() {
        return "the active child that held the duty longest ago: every busy child takes its turn";
    }

    @Override
    public MigratorSelector forRun(RunContext run) {
        return new LeastRecent();
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        long[] held = lastHeld.computeIfAbsent(group.id(), g -> new long[64]);
        handOvers++;
        held[Long.numberOfTrailingZeros(leaving)] = handOvers;
        long best = 0;
        long oldest = Long.MAX_VALUE;
        for (long bits = active; bits != 0; bits &= bits - 1) {
            long bit = Long.lowestOneBit(bits);
            long when = held[Long.numberOfTrailingZeros(bit)];
            if (when < oldest) {
                oldest = when;
                best = bit;
            }
        }
        held[Long.numberOfTrailingZeros(best)] = handOvers;
        return best;
    }
}
