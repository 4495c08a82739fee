package org.tmigrlab.engine;

import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * Entry point for running a scenario. Deterministic: the same scenario (including its seed)
 * gives the same {@link RunResult}, byte for byte once written.
 *
 * <p>Threading: runs on the calling thread until the scenario's {@code until}.
 */
public final class Lab {
    private Lab() {
    }

    public static RunResult run(Scenario scenario, TraceSink trace) {
        throw new UnsupportedOperationException("simulator not wired yet");
    }
}
