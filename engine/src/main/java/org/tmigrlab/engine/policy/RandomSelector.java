package org.tmigrlab.engine.policy;

import java.util.SplittableRandom;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;

/**
 * {@code random}: a uniformly random active child, from a generator seeded by the run's seed.
 * The null model: what any rule must beat. Deterministic: same seed, same choices.
 */
public final class RandomSelector implements MigratorSelector {
    public static final String NAME = "random";

    /**
     * Mixed into the run's seed so this stream differs from other users of the same seed (a
     * generated workload): otherwise the hand-overs would correlate with the workload's draws.
     */
    private static final long STREAM = 0x6d69_6772_6174_6f72L; // "migrator"

    private final SplittableRandom random;

    /** The registered prototype; it never chooses, runs use {@link #forRun}. */
    public RandomSelector() {
        this.random = null;
    }

    private RandomSelector(long seed) {
        this.random = new SplittableRandom(seed ^ STREAM);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a uniformly random active child, seeded by the run's seed: the null model every rule must beat";
    }

    @Override
    public MigratorSelector forRun(RunContext run) {
        return new RandomSelector(run.seed());
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        if (random == null) throw new IllegalStateException("random: use forRun(run) to get a seeded selector");
        long bits = active;
        for (int skip = random.nextInt(Long.bitCount(active)); skip > 0; skip--) bits &= bits - 1;
        return Long.lowestOneBit(bits);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
