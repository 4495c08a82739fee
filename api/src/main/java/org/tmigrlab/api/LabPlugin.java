package org.tmigrlab.api;

/**
 * The entry point of a plugin jar: it names itself and registers its strategies.
 *
 * <p>A jar declares its implementations in {@code META-INF/services/org.tmigrlab.api.LabPlugin},
 * one fully qualified class name per line; each class needs a public no-argument constructor.
 * The lab finds plugins with {@link java.util.ServiceLoader} on the classpath and in its plugins
 * directory ({@code --plugins DIR}, default {@code ~/.tmigr/plugins}), giving every jar there its
 * own class loader whose parent holds this api package. A plugin therefore sees the api and the
 * JDK only, never the engine.
 *
 * <p>Called once, on the thread that builds the lab's catalog, before any run.
 */
public interface LabPlugin {

    /**
     * Short stable id, unique among the loaded plugins, e.g. {@code policy-pack}; shown as the
     * origin of its strategies in {@code tmigr catalog}.
     */
    String id();

    /**
     * Registers this plugin's strategies. Each name must be new to its kind: a name the lab or
     * another plugin already uses stops the lab at startup, naming both origins.
     */
    void register(Registrar registrar);
}
