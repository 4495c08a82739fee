package org.tmigrlab.plugins.policypack;

import org.tmigrlab.api.LabPlugin;
import org.tmigrlab.api.Registrar;

/**
 * An example policy pack: two migrator hand-over rules the lab does not ship. Listed in
 * {@code META-INF/services/org.tmigrlab.api.LabPlugin}; depends on tmigr-api only.
 */
public final class PolicyPack implements LabPlugin {

    @Override
    public String id() {
        return "policy-pack";
    }

    @Override
    public void register(Registrar registrar) {
        registrar.migratorSelector(new HighestActive());
        registrar.migratorSelector(new LeastRecent());
    }
}
