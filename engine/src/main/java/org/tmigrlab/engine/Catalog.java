package org.tmigrlab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.PullModelFactory;
import org.tmigrlab.engine.plugin.Registrations;

/**
 * The named strategies a scenario can pick: hierarchy builders, migrator selectors, group
 * sizings, models. Filled by Guice {@code MapBinder}s ({@link EngineModule}, with what plugins
 * registered) and knows where each name came from. Lookups of unknown names fail with the list of
 * known ones.
 *
 * <p>Immutable after injection; safe to share between threads.
 */
public final class Catalog {

    public static final String BUILDER = "builder";
    public static final String MIGRATOR = "migrator";
    public static final String SIZING = "sizing";
    public static final String MODEL = "model";

    /**
     * One strategy as {@code tmigr catalog} lists it.
     *
     * @param kind        {@code builder}, {@code migrator}, {@code sizing} or {@code model}
     * @param origin      {@code built-in}, or the plugin id and its jar (or {@code classpath})
     * @param description one line, empty if the strategy has none
     */
    public record Entry(String kind, String name, String origin, String description) {
    }

    private final Map<String, HierarchyBuilder> builders;
    private final Map<String, MigratorSelector> migrators;
    private final Map<String, PullModelFactory> models;
    private final Map<String, GroupSizing> sizings;
    private final Map<String, String> origins;

    /** A catalog without sizings and with every name built in (tests that wire their own strategies). */
    public Catalog(Map<String, HierarchyBuilder> builders, Map<String, MigratorSelector> migrators,
                   Map<String, PullModelFactory> models) {
        this(builders, migrators, models, Map.of(), Map.of());
    }

    /** @param origins {@code "kind:name"} → origin; names missing here are built in */
    @Inject
    public Catalog(Map<String, HierarchyBuilder> builders, Map<String, MigratorSelector> migrators,
                   Map<String, PullModelFactory> models, Map<String, GroupSizing> sizings,
                   @Named(EngineModule.ORIGINS) Map<String, String> origins) {
        this.builders = new TreeMap<>(builders);
        this.migrators = new TreeMap<>(migrators);
        this.models = new TreeMap<>(models);
        this.sizings = new TreeMap<>(sizings);
        this.origins = Map.copyOf(origins);
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

    public Map<String, GroupSizing> sizings() {
        return sizings;
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

    /**
     * A registered sizing, or a per-level list written as in a scenario ({@code [2, 8, 8]},
     * {@link GroupSizing#perLevel}).
     */
    public GroupSizing sizing(String name) {
        GroupSizing s = sizings.get(name);
        if (s != null) return s;
        if (name.startsWith("[") && name.endsWith("]")) {
            List<Integer> levels = new ArrayList<>();
            for (String item : name.substring(1, name.length() - 1).split(",")) {
                try {
                    levels.add(Integer.parseInt(item.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("hierarchy.sizing: '" + name + "' is not a list of integers such as [2, 8, 8]");
                }
            }
            return GroupSizing.perLevel(levels);
        }
        throw new IllegalArgumentException("hierarchy.sizing: unknown name '" + name + "'; known: " + String.join(", ", sizings.keySet())
                + ", or a per-level list such as [2, 8, 8]");
    }

    /** Where a name comes from: {@link Registrations#BUILT_IN} or a plugin. */
    public String origin(String kind, String name) {
        return origins.getOrDefault(kind + ":" + name, Registrations.BUILT_IN);
    }

    /** Every strategy, by kind ({@code builder}, {@code migrator}, {@code model}, {@code sizing}) then name. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        builders.forEach((n, b) -> out.add(new Entry(BUILDER, n, origin(BUILDER, n), b.description())));
        migrators.forEach((n, m) -> out.add(new Entry(MIGRATOR, n, origin(MIGRATOR, n), m.description())));
        models.forEach((n, m) -> out.add(new Entry(MODEL, n, origin(MODEL, n), "")));
        sizings.forEach((n, s) -> out.add(new Entry(SIZING, n, origin(SIZING, n), s.description())));
        return out;
    }

    private static <T> T lookup(Map<String, T> map, String name, String field) {
        T t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException(field + ": unknown name '" + name + "'; known: " + String.join(", ", map.keySet()));
        }
        return t;
    }
}
