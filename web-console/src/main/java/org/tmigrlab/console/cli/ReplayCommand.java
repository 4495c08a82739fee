package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.replay.Replay;
import org.tmigrlab.engine.replay.ReplayOptions;
import org.tmigrlab.engine.replay.ReplayReport;
import org.tmigrlab.engine.replay.ReplayResult;
import org.tmigrlab.engine.replay.TraceFormatException;
import org.tmigrlab.engine.replay.TraceProfile;
import org.tmigrlab.engine.trace.KernelTraceWriter;
import org.tmigrlab.topologies.machine.LoadedMachine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr replay TRACE}: replays a real kernel capture (ftrace text, plain or gzip) through
 * the lab and reports the simulated outcome and, when the trace holds the kernel's decisions,
 * how closely the lab agrees with them. With {@code --model}, {@code --builder},
 * {@code --children-per-group} or {@code --migrator} other than the kernel's, the capture is
 * replayed twice — as the kernel ran and as asked — and the outcomes are put side by side
 * (what-if on a real workload; the agreement rows then say how far the what-if strays).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays a real ftrace capture (trace, trace-cmd report or ftrace_dump text; .gz too) through the lab:",
                "machine, tree and HZ from the trace, CPUs' active/idle periods and timers as inputs, then the kernel's",
                "decisions (which CPU expired each global timer, what tmigr_cpu_idle returned) against the lab's."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:replayed", "2:bad input: not a trace (the message names the file and line), bad option, unknown name"})
public final class ReplayCommand implements Callable<Integer> {

    static final List<String> FORMATS = List.of("table", "json");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The capture: ftrace text, plain or gzip-compressed.")
    Path trace;

    @Option(names = "--model", paramLabel = "NAME", description = "Pull model to replay under (kernel: mainline); tmigr catalog lists them.")
    String model;

    @Option(names = {"--builder", "--hierarchy"}, paramLabel = "NAME",
            description = "Hierarchy builder to replay under (kernel: kernel); tmigr catalog lists them.")
    String builder;

    @Option(names = "--children-per-group", paramLabel = "K", description = "Children per group, a power of two in 2..64 (kernel: 8).")
    Integer childrenPerGroup;

    @Option(names = "--migrator", paramLabel = "NAME", description = "Migrator hand-over rule (kernel: lowest-active).")
    String migrator;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    String format;

    @Option(names = "--hz", paramLabel = "N", description = "HZ when the trace cannot tell (100, 250, 300 or 1000).")
    Integer hz;

    @Option(names = "--cpus", paramLabel = "C", description = "Machine of C CPUs, when the trace has no tmigr_connect_* lines.")
    Integer cpus;

    @Option(names = "--nodes", paramLabel = "N", description = "... split contiguously over N nodes (with --cpus).")
    Integer nodes;

    @Mixin
    MachineOption machine;

    @Mixin
    PluginsOption plugins;

    @Option(names = "--idle-source", paramLabel = "SOURCE", defaultValue = "auto",
            description = "Lines that give the CPUs' active/idle periods: auto (default: the best the trace has), tmigr, base-idle, cpu-idle.")
    String idleSource;

    @Option(names = "--list", paramLabel = "N", defaultValue = "10", description = "Disagreements listed per cause (default ${DEFAULT-VALUE}).")
    int list;

    @Option(names = "--check", description = "Also run the invariant checker on every event (slower).")
    boolean check;

    @Option(names = "--trace", paramLabel = "OUT", description = "Also write the lab's replay as kernel ftrace text to OUT.")
    Path traceOut;

    @Override
    public Integer call() {
        if (!FORMATS.contains(format))
            throw new BadInputException("--format: '" + format + "' is not a format; allowed: " + String.join(", ", FORMATS));
        if (list < 0) throw new BadInputException("--list must be >= 0, got " + list);
        if (childrenPerGroup != null && (childrenPerGroup < 2 || childrenPerGroup > 64 || Integer.bitCount(childrenPerGroup) != 1))
            throw new BadInputException("--children-per-group must be a power of two in 2..64, got " + childrenPerGroup);
        if (hz != null && hz != 100 && hz != 250 && hz != 300 && hz != 1000)
            throw new BadInputException("--hz must be 100, 250, 300 or 1000, got " + hz);
        Catalog catalog = plugins.catalog();
        if (model != null && !catalog.models().containsKey(model))
            throw new BadInputException("--model: unknown name '" + model + "'; known: " + String.join(", ", catalog.models().keySet()));
        if (builder != null && !catalog.builders().containsKey(builder))
            throw new BadInputException("--builder: unknown name '" + builder + "'; known: " + String.join(", ", catalog.builders().keySet()));
        if (migrator != null && !catalog.migrators().containsKey(migrator))
            throw new BadInputException("--migrator: unknown name '" + migrator + "'; known: " + String.join(", ", catalog.migrators().keySet()));

        ReplayOptions kernel = new ReplayOptions(null, null, null, null, null, hz, machine(), idleSource(), check, list);
        ReplayOptions asked = kernel.withModel(model).withBuilder(builder).withChildrenPerGroup(childrenPerGroup).withMigrator(migrator);
        List<ReplayResult> runs = new ArrayList<>();
        try {
            TraceProfile profile = TraceProfile.scan(trace);
            runs.add(replay(profile, kernel, catalog, traceOut));
            if (!asked.isKernelConfiguration()) runs.add(replay(profile, asked, catalog, null));
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Options the lab cannot honour (HZ not derivable, a machine too small) name themselves.
            throw new BadInputException(trace + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new BadInputException(trace + ": cannot read: " + e.getCause().getMessage(), e);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? ReplayReport.json(runs) : ReplayReport.whatIf(runs));
        out.flush();
        return 0;
    }

    private ReplayResult replay(TraceProfile profile, ReplayOptions options, Catalog catalog, Path out) {
        if (out == null) return Replay.run(trace, profile, options, catalog, null);
        Writer w;
        try {
            w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--trace: cannot create " + out + ": " + e.getMessage(), e);
        }
        try (w) {
            KernelTraceWriter sink = new KernelTraceWriter(w);
            ReplayResult r = Replay.run(trace, profile, options, catalog, sink);
            sink.flush();
            return r;
        } catch (IOException e) {
            throw new BadInputException("--trace: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** {@code --machine} or {@code --cpus/--nodes}; null lets the trace decide. */
    private Machine machine() {
        LoadedMachine loaded = machine.load();
        if (loaded != null && (cpus != null || nodes != null))
            throw new BadInputException("--machine replaces --cpus and --nodes; give one or the other");
        if (loaded != null) return loaded.machine();
        if (cpus == null) {
            if (nodes != null) throw new BadInputException("--nodes needs --cpus");
            return null;
        }
        int n = nodes == null ? 1 : nodes;
        if (cpus < 1 || n < 1 || n > cpus) throw new BadInputException("--cpus must be >= 1 and --nodes in 1.." + cpus);
        return Machine.contiguous(cpus, n);
    }

    private TraceProfile.IdleSource idleSource() {
        if (idleSource.equals("auto")) return null;
        for (TraceProfile.IdleSource s : TraceProfile.IdleSource.values()) if (s.key().equals(idleSource.toLowerCase(Locale.ROOT))) return s;
        throw new BadInputException("--idle-source: '" + idleSource + "' is not allowed; allowed: auto, tmigr, base-idle, cpu-idle");
    }
}
