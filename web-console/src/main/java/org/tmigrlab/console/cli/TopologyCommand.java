package org.tmigrlab.console.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "topology", description = "(not implemented yet)")
public final class TopologyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new BadInputException("topology: not implemented yet");
    }
}
