package org.tmigrlab.engine.scenario;

import java.util.List;
import java.util.Set;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.Bug;

/**
 * A validated scenario: everything a run needs. Built by {@code ScenarioReader} from YAML/JSON
 * or directly by tests.
 *
 * @param machine          possible CPUs and nodes
 * @param onlineOrder      CPUs brought up at boot, in order; others are possible but offline
 * @param builder          hierarchy builder name ({@code kernel})
 * @param childrenPerGroup power of two 2..64
 * @param migrator         migrator selector name ({@code lowest-active})
 * @param model            {@code mainline} or {@code rfc2017}
 * @param bugs             historical bug switches
 * @param hz               100, 250, 300 or 1000
 * @param seed             random seed (for generated workloads)
 * @param until            end of the run, ns
 * @param script           timed steps, sorted by (at, order)
 * @param expect           expectations checked after the run
 * @param checkInvariants  run the invariant checker on every step
 */
public record Scenario(Machine machine, int[] onlineOrder, String builder, int childrenPerGroup,
                       String migrator, String model, Set<Bug> bugs, int hz, long seed, long until,
                       List<Step> script, List<Expectation> expect, boolean checkInvariants) {

    public Scenario {
        bugs = Set.copyOf(bugs);
        script = List.copyOf(script);
        expect = List.copyOf(expect);
        onlineOrder = onlineOrder.clone();
    }

    @Override
    public int[] onlineOrder() {
        return onlineOrder.clone();
    }
}
