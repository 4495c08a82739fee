package org.tmigrlab.console.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tmigr}: the lab's command line. Data goes to stdout, diagnostics to stderr.
 * Exit codes: 0 success, 1 an expectation or check failed, 2 bad input (the message names the field).
 */
@Command(name = "tmigr", mixinStandardHelpOptions = true, version = "tmigr-lab 0.1.0",
        description = "A lab for the Linux kernel's hierarchical timer-migration pull model.",
        subcommands = {TopologyCommand.class, RunCommand.class, CompareCommand.class, SweepCommand.class,
                ConsoleCommand.class, CatalogCommand.class, ReplayCommand.class, BenchCommand.class})
public final class TmigrCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own streams. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TmigrCli());
        // picocli reports usage errors with exit code 2 already; make the rest of bad input consistent.
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            if (ex instanceof BadInputException) {
                c.getErr().println("error: " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw ex;
        });
        return cl;
    }
}
