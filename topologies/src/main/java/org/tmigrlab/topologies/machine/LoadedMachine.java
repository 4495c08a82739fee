package org.tmigrlab.topologies.machine;

import java.util.List;

import org.tmigrlab.api.Machine;

/**
 * A machine read from a source, with the CPUs that were up when it was captured (sysfs knows;
 * the other sources describe online CPUs only, so for them it is every CPU).
 *
 * @param machine the possible CPUs with their places
 * @param online  CPUs online at capture, ascending; the default boot order of a scenario
 */
public record LoadedMachine(Machine machine, List<Integer> online) {
    public LoadedMachine {
        online = List.copyOf(online);
    }

    /** Every CPU online. */
    public static LoadedMachine allOnline(Machine machine) {
        return new LoadedMachine(machine, java.util.stream.IntStream.range(0, machine.possibleCpus()).boxed().toList());
    }
}
