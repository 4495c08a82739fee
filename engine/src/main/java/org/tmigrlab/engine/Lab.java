package org.tmigrlab.engine;

import java.nio.file.Path;
import java.util.List;

import com.google.inject.Guice;
import com.google.inject.Stage;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;
import org.tmigrlab.engine.check.InvariantChecker;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.plugin.LoadedPlugin;
import org.tmigrlab.engine.plugin.PluginLoader;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.topologies.HierarchyInvariants;

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

    /** The built-in strategies ({@link EngineModule}) and the plugins on the classpath; built once. */
    public static Catalog defaultCatalog() {
        Catalog c = defaultCatalog;
        if (c == null) {
            c = catalog(PluginLoader.classpath(Lab.class.getClassLoader()));
            defaultCatalog = c;
        }
        return c;
    }

    /**
     * The built-ins, the classpath's plugins and those of every jar in {@code pluginsDir} (none if
     * null). A fresh catalog on every call: jars may have come or gone.
     *
     * @throws org.tmigrlab.engine.plugin.PluginException naming the jar or plugin that cannot be used
     */
    public static Catalog catalog(Path pluginsDir) {
        return catalog(PluginLoader.load(Lab.class.getClassLoader(), pluginsDir, false));
    }

    /** The built-ins plus {@code plugins}' strategies. */
    public static Catalog catalog(List<LoadedPlugin> plugins) {
        EngineModule module = new EngineModule(EngineModule.builtIns().addAll(plugins));
        return Guice.createInjector(Stage.PRODUCTION, module).getInstance(Catalog.class);
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
        GroupSizing sizing = scenario.sizing() == null ? GroupSizing.uniform(scenario.childrenPerGroup())
                : catalog.sizing(scenario.sizing());
        BuildOptions options = new BuildOptions(sizing, scenario.bugs().contains(Bug.IMBALANCED_NUMA_TREES));
        HierarchyBuilder builder = new CheckedBuilder(catalog.builder(scenario.builder()));
        Simulator sim = new Simulator(scenario, builder, options, trace);
        // Selectors with per-run state get their own instance; the catalog's is a shared prototype.
        MigratorSelector migrator = catalog.migrator(scenario.migrator()).forRun(new Run(scenario, sim));
        PullModel model = catalog.model(scenario.model()).create(new ModelContext(scenario.machine().possibleCpus(),
                migrator, scenario.bugs(), sim, trace, sim));
        sim.attach(model, scenario.checkInvariants() ? new InvariantChecker(sim, scenario.machine()) : null);
        return sim;
    }

    /** What a selector may see of the run: machine, seed, and the simulator's hierarchy as it grows. */
    private record Run(Scenario scenario, Simulator sim) implements RunContext {
        @Override public Machine machine() { return scenario.machine(); }
        @Override public long seed() { return scenario.seed(); }
        @Override public Hierarchy hierarchy() { return sim.hierarchy(); }
    }

    /**
     * Checks every tree a builder returns ({@link HierarchyInvariants}) before the model sees it:
     * a plugin's broken builder stops the run with a message instead of corrupting the walks.
     */
    private record CheckedBuilder(HierarchyBuilder builder) implements HierarchyBuilder {
        @Override public String name() { return builder.name(); }

        @Override public String description() { return builder.description(); }

        @Override
        public Hierarchy build(Machine machine, int[] prepareOrder, BuildOptions options) {
            Hierarchy h = builder.build(machine, prepareOrder, options);
            List<String> broken = HierarchyInvariants.violations(machine, prepareOrder, h);
            if (!broken.isEmpty())
                throw new IllegalArgumentException("hierarchy.builder '" + builder.name() + "' built an invalid hierarchy: "
                        + String.join("; ", broken.subList(0, Math.min(5, broken.size())))
                        + (broken.size() > 5 ? "; and " + (broken.size() - 5) + " more" : ""));
            return h;
        }
    }
}
