package org.tmigrlab.engine;

import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.PullModelFactory;

/**
 * The named strategies a scenario can pick: hierarchy builders, migrator selectors, models.
 * Filled by Guice {@code MapBinder}s ({@link EngineModule} and plugins). Lookups of unknown names
 * fail with the list of known ones.
 *
 * <p>Immutable after injection; safe to share between threads.
 */
public final class Catalog {

    private final Map<String, HierarchyBuilder> builders;
    private final Map<String, MigratorSelector> migrators;
    private final Map<String, PullModelFactory> models;

    @Inject
    public Catalog(Map<String, HierarchyBuilder> builders, Map<String, MigratorSelector> migrators,
                   Map<String, PullModelFactory> models) {
        this.builders = new TreeMap<>(builders);
        this.migrators = new TreeMap<>(migrators);
        this.models = new TreeMap<>(models);
    }

    public Map<String, HierarchyBuilder> builders() {
        return builders;
    }

    public Map<String, MigratorSelector> migrators() {
        return migrators;
    }

    public Map<String, PullModelFactory> models() {
        return models;
    }

    public HierarchyBuilder builder(String name) {
        return lookup(builders, name, "hierarchy.builder");
    }

    public MigratorSelector migrator(String name) {
        return lookup(migrators, name, "migrator");
    }

    public PullModelFactory model(String name) {
        return lookup(models, name, "model");
    }

    private static <T> T lookup(Map<String, T> map, String name, String field) {
        T t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException(field + ": unknown name '" + name + "'; known: " + String.join(", ", map.keySet()));
        }
        return t;
    }
}
