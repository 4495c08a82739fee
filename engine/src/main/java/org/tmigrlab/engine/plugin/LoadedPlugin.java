package org.tmigrlab.engine.plugin;

import org.tmigrlab.api.LabPlugin;

/**
 * A plugin instance and where it came from.
 *
 * @param plugin   the instance {@link java.util.ServiceLoader} created
 * @param location the jar's absolute path, or {@code classpath}
 */
public record LoadedPlugin(LabPlugin plugin, String location) {

    /** How the catalog names it: {@code policy-pack (/home/me/.tmigr/plugins/policy-pack.jar)}. */
    public String origin() {
        return plugin.id() + " (" + location + ")";
    }
}
