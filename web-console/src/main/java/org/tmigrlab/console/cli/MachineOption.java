package org.tmigrlab.console.cli;

import org.tmigrlab.topologies.machine.LoadedMachine;
import org.tmigrlab.topologies.machine.MachineFormatException;
import org.tmigrlab.topologies.machine.MachineSource;

import picocli.CommandLine.Option;

/** {@code --machine SPEC}: a real or synthetic machine, shared by {@code run} and {@code topology}. */
public final class MachineOption {

    @Option(names = "--machine", paramLabel = "SPEC", description = {
            "Machine to use: sysfs[:DIR] (this host, or a copied /sys tree), hwloc:FILE (lstopo --of xml),",
            "lscpu:FILE (lscpu -p=CPU,CORE,SOCKET,NODE,CACHE), synthetic:cpus=N[,packages=P,nodes=N,llcs=L,smt=T,",
            "numbering=contiguous|interleaved,capacities=C1/C2/...]."})
    String spec;

    boolean given() {
        return spec != null;
    }

    /** The machine, or null without {@code --machine}; bad specs and files are bad input. */
    LoadedMachine load() {
        if (spec == null) return null;
        try {
            return MachineSource.parse(spec).load();
        } catch (MachineFormatException | IllegalArgumentException e) {
            throw new BadInputException("--machine: " + e.getMessage(), e);
        }
    }
}
