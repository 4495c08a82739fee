package org.tmigrlab.plugins.topologyexample;

import org.tmigrlab.api.LabPlugin;
import org.tmigrlab.api.Registrar;

/**
 * An example topology plugin: a hierarchy builder ({@code node}) and a group sizing
 * ({@code wide-top}). Listed in {@code META-INF/services/org.tmigrlab.api.LabPlugin}; depends on
 * tmigr-api only.
 */
public final class TopologyExample implements LabPlugin {

    @Override
    public String id() {
        return "topology-example";
    }

    @Override
    public void register(Registrar registrar) {
        registrar.hierarchyBuilder(new NodeHierarchyBuilder());
        registrar.groupSizing(new WideTop());
    }
}
