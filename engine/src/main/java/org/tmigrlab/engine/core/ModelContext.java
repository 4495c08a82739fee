package org.tmigrlab.engine.core;

import java.util.Set;

import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * What a {@link PullModel} is built from.
 *
 * @param possibleCpus number of possible CPUs
 * @param migrator     migrator hand-over policy
 * @param bugs         historical bug switches (models that have no such code ignore them)
 * @param timers       the timer-wheel side
 * @param trace        tracepoint sink ({@link TraceSink#NONE} when not tracing)
 * @param cpus         CPU states and topology for baselines ({@link CpuView#NONE} where there is no simulator)
 */
public record ModelContext(int possibleCpus, MigratorSelector migrator, Set<Bug> bugs, TimerSide timers, TraceSink trace,
                           CpuView cpus) {
    public ModelContext {
        bugs = Set.copyOf(bugs);
        if (cpus == null) cpus = CpuView.NONE;
    }

    /** Without a CPU view: enough for the pull models, which only talk to the wheels. */
    public ModelContext(int possibleCpus, MigratorSelector migrator, Set<Bug> bugs, TimerSide timers, TraceSink trace) {
        this(possibleCpus, migrator, bugs, timers, trace, CpuView.NONE);
    }
}
