package org.tmigrlab.console.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tmigrlab.console.experiments.Progress;

import picocli.CommandLine.Option;

/** Options {@code compare} and {@code sweep} share (a picocli mixin). */
final class ExperimentOptions {

    @Option(names = "--models", paramLabel = "LIST", split = ",", splitSynopsisLabel = ",",
            description = "Models to run, comma separated (e.g. mainline,rfc2017,push,local,oracle).")
    List<String> models;

    @Option(names = "--metrics", paramLabel = "LIST", split = ",", splitSynopsisLabel = ",",
            description = "Only these metrics in tables, CSV summaries and charts (default: all). JSON always has all.")
    List<String> metrics;

    @Option(names = "--threads", paramLabel = "N",
            description = "Simulations run in parallel (default: the machine's cores).")
    Integer threads;

    @Option(names = "--no-check", description = "Do not run the invariant checker (faster; checkInvariants: false).")
    boolean noCheck;

    @Option(names = "--no-progress", description = "Never show the progress bar (it is shown on stderr only when stderr is"
            + " a terminal and the job takes longer than a second).")
    boolean noProgress;

    /** The {@code --models} option as {@link ScenarioInput#models} takes it. */
    String modelsOption() {
        return models == null ? null : String.join(",", models);
    }

    int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 1024) throw new BadInputException("--threads: " + n + " is not allowed; expected 1..1024");
        return n;
    }

    boolean progress() {
        return !noProgress && Progress.stderrIsTerminal();
    }

    /**
     * Metrics to show: {@code --metrics} in its order (each must be one the runs produced), or all
     * of {@code available} in order. Checked after the runs, since metric names come from them.
     */
    List<String> select(List<String> available) {
        if (metrics == null) return available;
        Set<String> out = new LinkedHashSet<>();
        for (String m : metrics) {
            String name = m.trim();
            if (!available.contains(name))
                throw new BadInputException("--metrics: unknown metric '" + name + "'; these runs produced: " + String.join(", ", available));
            out.add(name);
        }
        return new ArrayList<>(out);
    }

    /** The output directory, created if needed. */
    static Path createDir(Path dir) {
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new BadInputException("--out: cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
