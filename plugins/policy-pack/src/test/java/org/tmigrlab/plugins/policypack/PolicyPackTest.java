package org.tmigrlab.plugins.policypack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.LabPlugin;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.Registrar;

class PolicyPackTest {

    private static final Group G = new Group(0, 0, 0, 0, -1, 0, List.of(), List.of(0, 1, 2, 3), List.of(0, 1, 2, 3));

    @Test
    void theServicesFileNamesThePack() {
        List<String> ids = new ArrayList<>();
        ServiceLoader.load(LabPlugin.class).forEach(p -> ids.add(p.id()));
        assertThat(ids).containsExactly("policy-pack");
    }

    @Test
    void registersTwoSelectors() {
        List<String> names = new ArrayList<>();
        new PolicyPack().register(new Registrar() {
            @Override public void hierarchyBuilder(HierarchyBuilder builder) { names.add(builder.name()); }
            @Override public void migratorSelector(MigratorSelector selector) { names.add(selector.name()); }
            @Override public void groupSizing(GroupSizing sizing) { names.add(sizing.name()); }
        });
        assertThat(names).containsExactly("highest-active", "least-recent");
    }

    @Test
    void highestActiveTakesTheTopBit() {
        assertThat(new HighestActive().handOver(G, 0b0110, 0b0001)).isEqualTo(0b0100);
    }

    @Test
    void leastRecentGivesEveryBusyChildItsTurn() {
        MigratorSelector s = new LeastRecent().forRun(null);
        // children 1, 2, 3 busy; 0 leaves: nobody held it yet, lowest first
        assertThat(s.handOver(G, 0b1110, 0b0001)).isEqualTo(0b0010);
        // 1 leaves: 2 and 3 never held it
        assertThat(s.handOver(G, 0b1101, 0b0010)).isEqualTo(0b0100);
        // 2 leaves with 0 back: 0 held it longer ago than anyone still active except 3 (never)
        assertThat(s.handOver(G, 0b1011, 0b0100)).isEqualTo(0b1000);
        assertThat(s.handOver(G, 0b0011, 0b1000)).isEqualTo(0b0001);
        // a fresh run forgets
        assertThat(new LeastRecent().forRun(null).handOver(G, 0b0011, 0b1000)).isEqualTo(0b0001);
    }
}
