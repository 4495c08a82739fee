package org.tmigrlab.console.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "run", description = "(not implemented yet)")
public final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new BadInputException("run: not implemented yet");
    }
}
