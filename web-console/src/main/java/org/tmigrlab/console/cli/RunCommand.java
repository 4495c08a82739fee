package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.report.Report;
import org.tmigrlab.engine.report.ReportJson;
import org.tmigrlab.engine.report.ReportTable;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioException;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.KernelTraceWriter;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.topologies.machine.LoadedMachine;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr run [FILE]}: runs a scenario and prints its report on stdout.
 * Exit 0 when every expectation holds, 1 when one fails, 2 on bad input (message {@code FILE: field: problem}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a scenario file (YAML or JSON) and reports timers, CPU wake-ups, invariant violations",
                "and whether the file's expectations hold. Without FILE, runs the embedded default scenario.",
                "--machine replaces the file's machine; --plugins adds the builders and policies of plugin jars."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every expectation holds", "1:an expectation failed (including invariant violations nobody expected)",
                "2:bad input; the message names the file and the field"})
public final class RunCommand implements Callable<Integer> {
    private static final String DEFAULT_NAME = "default";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Scenario file (.yaml, .yml or .json).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Report format: table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--trace", paramLabel = "OUT", description = "Also write the run as kernel ftrace text to OUT.")
    Path trace;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    Long seed;

    @Option(names = "--no-check", description = "Do not run the invariant checker (checkInvariants: false).")
    boolean noCheck;

    @Option(names = "--work-ahead", description = "Generate the workload on a second thread, ahead of the simulation:"
            + " the same steps, so the same report, sooner on a multi-core machine. Not for a workload with a ping-pong"
            + " (it reacts to expiries): that one runs on one thread, with a note.")
    boolean workAhead;

    @Mixin
    MachineOption machine;

    @Mixin
    PluginsOption plugins;

    /** Resolves the scenario's names; built once per invocation, with the plugins. */
    private Catalog catalog;

    @Override
    public Integer call() throws IOException {
        // Checked before the (possibly long) run, so a typo costs nothing.
        if (!format.equals("table") && !format.equals("json"))
            throw new BadInputException("--format: '" + format + "' is not a format; allowed: table, json");

        String shown = file == null ? "classpath:" + ScenarioReader.DEFAULT_SCENARIO.substring(1) : file.toString();
        catalog = plugins.catalog();
        Scenario scenario = override(onMachine(load(shown), shown));

        RunResult result;
        try {
            result = runWithTrace(scenario);
        } catch (IllegalArgumentException e) {
            // Builders and policies reject settings they cannot honour with an IAE naming the setting.
            throw new BadInputException(shown + ": " + e.getMessage(), e);
        }

        Report report = Report.of(name(), shown, scenario, result);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) ReportJson.write(report, out);
        else ReportTable.write(report, out);
        out.flush();
        return report.ok() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private Scenario load(String shown) {
        // Names the engine's catalog knows (plugins included) are valid in the file as well.
        ScenarioReader reader = new ScenarioReader().withBuilders(catalog.builders().keySet())
                .withMigrators(catalog.migrators().keySet()).withModels(catalog.models().keySet())
                .withSizings(catalog.sizings().keySet());
        try {
            return file == null ? reader.readDefault() : reader.read(file);
        } catch (ScenarioException e) {
            throw new BadInputException(shown + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new BadInputException(shown + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(shown + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * {@code --machine} replaces the file's machine; the script and expectations must fit it. The
     * file's online order is kept unless it was the default (every CPU), which becomes the new
     * machine's.
     */
    private Scenario onMachine(Scenario s, String shown) {
        LoadedMachine m = machine.load();
        if (m == null) return s;
        try {
            return s.withMachine(m.machine(), "--machine");
        } catch (ScenarioException e) {
            throw new BadInputException(shown + ": " + e.getMessage(), e);
        }
    }

    /** Command-line settings win over the file's. */
    private Scenario override(Scenario s) {
        if (seed == null && !noCheck) return s;
        // The with-copies keep everything else, workload and metrics window included.
        return s.withSeed(seed != null ? seed : s.seed()).withCheckInvariants(s.checkInvariants() && !noCheck);
    }

    /**
     * Runs with a {@link KernelTraceWriter} on OUT when {@code --trace} is given. Event lines only,
     * like {@code trace_pipe}: the file header's entry count is only known after the run.
     */
    private RunResult runWithTrace(Scenario scenario) throws IOException {
        if (trace == null) return simulate(scenario, TraceSink.NONE);
        Writer w;
        try {
            w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--trace: cannot create " + trace + ": " + e.getMessage(), e);
        }
        try (w) {
            KernelTraceWriter sink = new KernelTraceWriter(w);
            RunResult result = simulate(scenario, sink);
            sink.flush();
            return result;
        }
    }

    private RunResult simulate(Scenario scenario, TraceSink sink) {
        Simulator sim = Lab.prepare(scenario, sink, catalog);
        if (workAhead && !sim.workAhead() && !scenario.workload().isEmpty())
            spec.commandLine().getErr().println("--work-ahead: the workload has a ping-pong (it reacts to expiries); running on one thread");
        try {
            return sim.run();
        } finally {
            sim.close(); // run() closes on success; a failed run must not leave the workload thread behind
        }
    }

    /** {@code default}, or the file name without its extension. */
    private String name() {
        if (file == null) return DEFAULT_NAME;
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
