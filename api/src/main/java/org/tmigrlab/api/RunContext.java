package org.tmigrlab.api;

/**
 * What a strategy may know about the run it serves ({@link MigratorSelector#forRun}).
 *
 * <p>Read on the simulator thread only. The hierarchy is the one built so far: it grows (never
 * changes) when a CPU is prepared for the first time, so look it up when needed rather than
 * keeping an old one.
 */
public interface RunContext {

    /** The machine being simulated. */
    Machine machine();

    /** The run's seed ({@code seed} in the scenario, or {@code --seed}); same seed, same run. */
    long seed();

    /** The hierarchy as built so far. */
    Hierarchy hierarchy();
}
