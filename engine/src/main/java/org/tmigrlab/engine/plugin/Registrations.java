package org.tmigrlab.engine.plugin;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.Registrar;

/**
 * Every strategy registered so far, by kind and name, with its origin ({@code built-in}, or the
 * plugin and its jar). Collected before the injector is created, so a name registered twice is
 * reported here with both origins and the known names, not as a Guice stack trace; the engine's
 * module then binds each entry into its {@code MapBinder}.
 *
 * <p>Not thread-safe: filled once at startup.
 */
public final class Registrations {
    public static final String BUILT_IN = "built-in";
    /** Names go into YAML values and command lines: no spaces, no brackets (a sizing list is {@code [2, 8]}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    /** One kind's entries, in registration order. */
    public record Entry<T>(T strategy, String origin) {
    }

    private final Map<String, Entry<HierarchyBuilder>> builders = new LinkedHashMap<>();
    private final Map<String, Entry<MigratorSelector>> migrators = new LinkedHashMap<>();
    private final Map<String, Entry<GroupSizing>> sizings = new LinkedHashMap<>();

    /** A registrar that files everything under {@code origin}. */
    public Registrar from(String origin) {
        return new Registrar() {
            @Override public void hierarchyBuilder(HierarchyBuilder builder) {
                add(builders, "hierarchy builder", builder, HierarchyBuilder::name, origin);
            }

            @Override public void migratorSelector(MigratorSelector selector) {
                add(migrators, "migrator selector", selector, MigratorSelector::name, origin);
            }

            @Override public void groupSizing(GroupSizing sizing) {
                add(sizings, "group sizing", sizing, GroupSizing::name, origin);
            }
        };
    }

    /** Lets each plugin register under its own origin; any failure names the plugin. */
    public Registrations addAll(List<LoadedPlugin> plugins) {
        for (LoadedPlugin p : plugins) {
            try {
                p.plugin().register(from(p.origin()));
            } catch (PluginException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new PluginException("plugin " + p.origin() + ": register() failed: " + e, e);
            }
        }
        return this;
    }

    public Map<String, Entry<HierarchyBuilder>> builders() {
        return builders;
    }

    public Map<String, Entry<MigratorSelector>> migrators() {
        return migrators;
    }

    public Map<String, Entry<GroupSizing>> sizings() {
        return sizings;
    }

    private static <T> void add(Map<String, Entry<T>> map, String kind, T strategy, Function<T, String> name, String origin) {
        if (strategy == null) throw new PluginException(origin + ": registered a null " + kind);
        String n = name.apply(strategy);
        if (n == null || !NAME.matcher(n).matches())
            throw new PluginException(origin + ": " + kind + " " + strategy.getClass().getName() + " has name '" + n
                    + "'; expected letters, digits, '.', '_', '+' or '-'");
        Entry<T> before = map.get(n);
        if (before != null)
            throw new PluginException(origin + ": " + kind + " '" + n + "' is already registered by " + before.origin()
                    + "; names must be unique. Known " + kind + "s: " + known(map.keySet()));
        map.put(n, new Entry<>(strategy, origin));
    }

    private static String known(Collection<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
