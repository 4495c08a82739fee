package org.tmigrlab.engine;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;

import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.Registrar;
import org.tmigrlab.engine.core.PullModelFactory;
import org.tmigrlab.engine.core.baseline.BaselineFactories;
import org.tmigrlab.engine.core.mainline.MainlineModelFactory;
import org.tmigrlab.engine.core.rfc2017.Rfc2017ModelFactory;
import org.tmigrlab.engine.plugin.Registrations;
import org.tmigrlab.engine.policy.AffineSelector;
import org.tmigrlab.engine.policy.RandomSelector;
import org.tmigrlab.engine.policy.RoundRobinSelector;
import org.tmigrlab.engine.policy.StickySelector;
import org.tmigrlab.topologies.KernelHierarchyBuilder;
import org.tmigrlab.topologies.PackingHierarchyBuilder;

/**
 * The engine's wiring: every named strategy a scenario can pick, each bound by name in a
 * {@code MapBinder} (hierarchy builders, migrator selectors, group sizings, models). Builders,
 * selectors and sizings arrive as {@link Registrations}: the built-ins ({@link #builtIns()}) plus
 * what plugins registered, with the origin of each, which is bound too ({@link #ORIGINS}) so the
 * catalog can say where a name comes from. Duplicates are refused while registering, with both
 * origins; Guice's own duplicate check stays as a second line. The defaults a scenario gets
 * when it names nothing (8 children per group, NUMA split from the machine) live in the scenario
 * reader.
 */
public class EngineModule extends AbstractModule {

    /** Binding name of the {@code Map<String, String>} from {@code "kind:name"} to origin. */
    public static final String ORIGINS = "tmigr.origins";

    private final Registrations strategies;

    /** The built-in strategies only. */
    public EngineModule() {
        this(builtIns());
    }

    /** Built-ins plus whatever plugins added to {@code strategies} ({@link Registrations#addAll}). */
    public EngineModule(Registrations strategies) {
        this.strategies = strategies;
    }

    /** A fresh registry holding the built-in builders, selectors and sizings, ready for plugins. */
    public static Registrations builtIns() {
        Registrations r = new Registrations();
        Registrar builtIn = r.from(Registrations.BUILT_IN);
        builtIn.hierarchyBuilder(new KernelHierarchyBuilder());
        PackingHierarchyBuilder.all().forEach(builtIn::hierarchyBuilder);
        builtIn.migratorSelector(MigratorSelector.LOWEST_ACTIVE);
        builtIn.migratorSelector(new StickySelector());
        builtIn.migratorSelector(new RoundRobinSelector());
        builtIn.migratorSelector(AffineSelector.numa());
        builtIn.migratorSelector(AffineSelector.llc());
        builtIn.migratorSelector(new RandomSelector());
        for (int k = 2; k <= 64; k *= 2) builtIn.groupSizing(GroupSizing.uniform(k));
        return r;
    }

    @Override
    protected void configure() {
        MapBinder<String, HierarchyBuilder> builders = MapBinder.newMapBinder(binder(), String.class, HierarchyBuilder.class);
        MapBinder<String, MigratorSelector> migrators = MapBinder.newMapBinder(binder(), String.class, MigratorSelector.class);
        MapBinder<String, GroupSizing> sizings = MapBinder.newMapBinder(binder(), String.class, GroupSizing.class);
        MapBinder<String, String> origins = MapBinder.newMapBinder(binder(), String.class, String.class, Names.named(ORIGINS));
        strategies.builders().forEach((name, e) -> {
            builders.addBinding(name).toInstance(e.strategy());
            origins.addBinding(Catalog.BUILDER + ":" + name).toInstance(e.origin());
        });
        strategies.migrators().forEach((name, e) -> {
            migrators.addBinding(name).toInstance(e.strategy());
            origins.addBinding(Catalog.MIGRATOR + ":" + name).toInstance(e.origin());
        });
        strategies.sizings().forEach((name, e) -> {
            sizings.addBinding(name).toInstance(e.strategy());
            origins.addBinding(Catalog.SIZING + ":" + name).toInstance(e.origin());
        });
        MapBinder<String, PullModelFactory> models = MapBinder.newMapBinder(binder(), String.class, PullModelFactory.class);
        models.addBinding("mainline").toInstance(new MainlineModelFactory());
        models.addBinding("rfc2017").toInstance(new Rfc2017ModelFactory());
        // Baselines (issue 3): same engine, same workload streams.
        models.addBinding("push").toInstance(BaselineFactories.PUSH);
        models.addBinding("local").toInstance(BaselineFactories.LOCAL);
        models.addBinding("oracle").toInstance(BaselineFactories.ORACLE);
    }
}
