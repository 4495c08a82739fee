package org.tmigrlab.engine;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.PullModelFactory;
import org.tmigrlab.engine.core.mainline.MainlineModelFactory;
import org.tmigrlab.engine.core.rfc2017.Rfc2017ModelFactory;
import org.tmigrlab.topologies.KernelHierarchyBuilder;

/**
 * The engine's default wiring: the kernel's hierarchy builder, the kernel's lowest-active
 * migrator hand-over, the mainline model and the 2017 RFC model, each registered by name so plugins can add
 * more with their own {@code MapBinder} entries (a duplicate name fails injector creation).
 * The defaults a scenario gets when it names nothing (8 children per group, NUMA split from the
 * machine) live in the scenario reader.
 */
public class EngineModule extends AbstractModule {

    @Override
    protected void configure() {
        MapBinder<String, HierarchyBuilder> builders = MapBinder.newMapBinder(binder(), String.class, HierarchyBuilder.class);
        builders.addBinding("kernel").toInstance(new KernelHierarchyBuilder());
        MapBinder<String, MigratorSelector> migrators = MapBinder.newMapBinder(binder(), String.class, MigratorSelector.class);
        migrators.addBinding(MigratorSelector.LOWEST_ACTIVE.name()).toInstance(MigratorSelector.LOWEST_ACTIVE);
        MapBinder<String, PullModelFactory> models = MapBinder.newMapBinder(binder(), String.class, PullModelFactory.class);
        models.addBinding("mainline").toInstance(new MainlineModelFactory());
        models.addBinding("rfc2017").toInstance(new Rfc2017ModelFactory());
    }
}
