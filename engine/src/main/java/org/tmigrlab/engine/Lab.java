package org.tmigrlab.engine;

import com.google.inject.Guice;
import com.google.inject.Stage;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.engine.check.InvariantChecker;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * Entry point for running a scenario. Deterministic: the same scenario (including its seed)
 * gives the same {@link RunResult}, byte for byte once written.
 *
 * <p>Threading: runs on the calling thread until the scenario's {@code until}.
 */
public final class Lab {

    private static volatile Catalog defaultCatalog;

    private Lab() {
    }

    /** The built-in strategies ({@link EngineModule}). */
    public static Catalog defaultCatalog() {
        Catalog c = defaultCatalog;
        if (c == null) {
            c = Guice.createInjector(Stage.PRODUCTION, new EngineModule()).getInstance(Catalog.class);
            defaultCatalog = c;
        }
        return c;
    }

    public static RunResult run(Scenario scenario, TraceSink trace) {
        return run(scenario, trace, defaultCatalog());
    }

    /** Runs with the given catalog; unknown strategy names throw {@link IllegalArgumentException}. */
    public static RunResult run(Scenario scenario, TraceSink trace, Catalog catalog) {
        return prepare(scenario, trace, catalog).run();
    }

    /** A simulator wired for the scenario but not yet run (tests and the console step it). */
    public static Simulator prepare(Scenario scenario, TraceSink trace, Catalog catalog) {
        BuildOptions options = new BuildOptions(GroupSizing.uniform(scenario.childrenPerGroup()),
                scenario.bugs().contains(Bug.IMBALANCED_NUMA_TREES));
        Simulator sim = new Simulator(scenario, catalog.builder(scenario.builder()), options, trace);
        PullModel model = catalog.model(scenario.model()).create(new ModelContext(scenario.machine().possibleCpus(),
                catalog.migrator(scenario.migrator()), scenario.bugs(), sim, trace));
        sim.attach(model, scenario.checkInvariants() ? new InvariantChecker(sim, scenario.machine()) : null);
        return sim;
    }
}
