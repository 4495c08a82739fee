package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.tmigrlab.console.experiments.Csv;
import org.tmigrlab.console.experiments.JsonOut;
import org.tmigrlab.console.experiments.JsonOut.Compact;
import org.tmigrlab.console.experiments.Manifest;
import org.tmigrlab.console.experiments.Num;
import org.tmigrlab.console.experiments.OracleExcess;
import org.tmigrlab.console.experiments.Progress;
import org.tmigrlab.console.experiments.RunPool;
import org.tmigrlab.console.experiments.ScalarMetrics;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.report.TextTable;
import org.tmigrlab.engine.scenario.Durations;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioOverrides.Setting;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr compare FILE... --models a,b,c}: runs each scenario once per model and puts the
 * models side by side. Every model gets the same scenario (same script, same seed, so the same
 * generated workload: common random numbers); the JSON lists each model's armed timers and a
 * SHA-256 of that list, so anyone can check that the workloads really were identical.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs scenarios under several models on the same workload and compares their metrics.",
                "Data goes to stdout (--format); with --out DIR also compare.{txt,csv,json,md} and run.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all runs completed", "2:bad input (file, --set, --models, --metrics, option); the message names it"})
public final class CompareCommand implements Callable<Integer> {

    static final List<String> FORMATS = List.of("table", "csv", "json", "markdown");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Scenario files (default: the embedded default scenario).")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "stdout format: table, csv, json or markdown (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write compare.txt, .csv, .json, .md and run.json to DIR.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenarios' seed.")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a scenario entry, e.g. --set machine.cpus=64 (repeatable; one value each, sweep takes lists).")
    List<String> sets = new ArrayList<>();

    @Mixin
    ExperimentOptions options;

    /** One model's run of one scenario. */
    record ModelRun(String model, Map<String, Number> metrics, List<Map<String, Object>> armed, String workloadSha256,
                    String aborted) {
    }

    /** One scenario under every model. */
    record Comparison(ScenarioInput input, Scenario scenario, List<Setting> settings, List<ModelRun> runs) {
        boolean identicalWorkload() {
            return runs.stream().map(ModelRun::workloadSha256).distinct().count() <= 1;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!FORMATS.contains(format))
            throw new BadInputException("--format: '" + format + "' is not a format; allowed: " + String.join(", ", FORMATS));
        List<Setting> settings = new ArrayList<>();
        for (ScenarioInput.Axis a : ScenarioInput.axes(sets)) {
            if (a.values().size() != 1)
                throw new BadInputException("--set " + a.key() + ": compare takes one value per key, got " + a.values().size()
                        + "; use tmigr sweep for several");
            if (a.key().equals("model")) throw new BadInputException("--set model: use --models to choose models");
            settings.add(new Setting(a.key(), a.values().get(0)));
        }
        if (seed != null) settings.add(ScenarioInput.seed(seed));

        // Everything is read and validated before the first run: a typo costs nothing.
        List<ScenarioInput> inputs = new ArrayList<>();
        if (files == null || files.isEmpty()) inputs.add(ScenarioInput.load(null));
        else for (Path f : files) inputs.add(ScenarioInput.load(f));
        List<String> models = inputs.get(0).models(options.modelsOption());
        List<Setting> fixed = options.noCheck ? List.of(ScenarioInput.noCheck()) : List.of();
        List<RunPool.Task<ModelRun>> tasks = new ArrayList<>();
        List<Scenario> scenarios = new ArrayList<>();
        for (ScenarioInput in : inputs) {
            scenarios.add(in.scenario(settings, fixed));
            for (String model : models) {
                List<Setting> f = new ArrayList<>(fixed);
                f.add(ScenarioInput.model(model));
                Scenario s = in.scenario(settings, f);
                tasks.add(new RunPool.Task<>(in.shown + ", model " + model, () -> run(model, s)));
            }
        }

        Path dir = out == null ? null : ExperimentOptions.createDir(out);
        Manifest manifest = new Manifest(version(), "compare", spec.commandLine().getParseResult().originalArgs());
        List<ModelRun> all;
        try (RunPool pool = new RunPool(Math.min(options.threads(), tasks.size()));
             Progress progress = Progress.start("compare", tasks.size(), options.progress())) {
            all = pool.runAll(tasks, progress);
        } catch (RunPool.RunFailedException e) {
            // Builders and models reject settings they cannot honour with an IAE naming the setting.
            if (e.getCause() instanceof IllegalArgumentException) throw new BadInputException(e.getMessage(), e);
            throw e;
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            List<ModelRun> runs = all.subList(i * models.size(), (i + 1) * models.size());
            OracleExcess.add(models, runs.stream().map(ModelRun::metrics).toList());
            comparisons.add(new Comparison(inputs.get(i), scenarios.get(i), settings, runs));
        }
        List<String> shown = options.select(metricNames(comparisons));
        warn(comparisons);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(render(format, comparisons, models, shown));
        stdout.flush();
        if (dir != null) {
            for (String f : FORMATS) {
                Path p = dir.resolve("compare." + extension(f));
                Files.writeString(p, render(f, comparisons, models, shown), StandardCharsets.UTF_8);
                manifest.output(p);
            }
            List<Object> scen = new ArrayList<>();
            for (Comparison c : comparisons) {
                Map<String, Object> s = Manifest.scenario(c.input().shown, c.input().file, c.input().text);
                s.put("seed", c.scenario().seed());
                scen.add(s);
            }
            manifest.put("scenarios", scen).put("models", models)
                    .put("settings", settings.stream().map(Setting::toString).toList())
                    .put("seeds", comparisons.stream().map(c -> c.scenario().seed()).toList())
                    .put("threads", Math.min(options.threads(), tasks.size()));
            manifest.write(dir);
        }
        return 0;
    }

    private static ModelRun run(String model, Scenario s) {
        RunResult r = Lab.run(s, TraceSink.NONE);
        List<Map<String, Object>> armed = new ArrayList<>(r.timers().size());
        StringBuilder digest = new StringBuilder();
        for (TimerRecord t : r.timers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("armedAt", t.armedAt());
            m.put("armedOn", t.armedOn());
            m.put("expiresNs", t.expiresNs());
            m.put("pinned", t.pinned());
            m.put("deferrable", t.deferrable());
            armed.add(m);
            digest.append(t.name()).append(',').append(t.armedAt()).append(',').append(t.armedOn()).append(',')
                    .append(t.expiresNs()).append(',').append(t.pinned()).append(',').append(t.deferrable()).append('\n');
        }
        Object aborted = r.metrics().get("aborted");
        return new ModelRun(model, ScalarMetrics.of(r), armed,
                Manifest.sha256(digest.toString().getBytes(StandardCharsets.UTF_8)), aborted == null ? null : aborted.toString());
    }

    private void warn(List<Comparison> comparisons) {
        PrintWriter err = spec.commandLine().getErr();
        for (Comparison c : comparisons) {
            if (!c.identicalWorkload())
                err.println("warning: " + c.input().shown + ": the models did not arm the same timers (see workloadSha256 in the JSON)");
            for (ModelRun r : c.runs())
                if (r.aborted() != null) err.println("warning: " + c.input().shown + ", model " + r.model() + ": run aborted: " + r.aborted());
        }
        err.flush();
    }

    /** Every metric any run produced, in first-seen order (runs in scenario, then model order). */
    private static List<String> metricNames(List<Comparison> comparisons) {
        Set<String> names = new LinkedHashSet<>();
        for (Comparison c : comparisons) for (ModelRun r : c.runs()) names.addAll(r.metrics().keySet());
        return new ArrayList<>(names);
    }

    private static String extension(String format) {
        return switch (format) {
            case "table" -> "txt";
            case "markdown" -> "md";
            default -> format;
        };
    }

    private String version() {
        String[] v = spec.root().version();
        return v.length == 0 ? "unknown" : v[0];
    }

    // ---- output -----------------------------------------------------------------------------

    static String render(String format, List<Comparison> comparisons, List<String> models, List<String> metrics) {
        return switch (format) {
            case "csv" -> csv(comparisons, metrics);
            case "json" -> json(comparisons, models);
            case "markdown" -> markdown(comparisons, metrics);
            default -> table(comparisons, models, metrics);
        };
    }

    /** Per scenario: a heading, whether the workloads matched, then metrics down and models across. */
    static String table(List<Comparison> comparisons, List<String> models, List<String> metrics) {
        StringBuilder b = new StringBuilder();
        for (Comparison c : comparisons) {
            if (b.length() > 0) b.append('\n');
            Scenario s = c.scenario();
            b.append("scenario  ").append(c.input().shown).append("  (seed ").append(s.seed()).append(", ")
                    .append(s.machine().possibleCpus()).append(" CPUs, ").append(s.machine().nodeCount())
                    .append(s.machine().nodeCount() == 1 ? " node" : " nodes").append(", until ")
                    .append(Durations.format(s.until())).append(")\n");
            if (!c.settings().isEmpty())
                b.append("settings  ").append(String.join(" ", c.settings().stream().map(Setting::toString).toList())).append('\n');
            ModelRun first = c.runs().get(0);
            if (c.identicalWorkload()) {
                b.append("workload  identical for all ").append(c.runs().size()).append(" models: ").append(first.armed().size())
                        .append(" timers armed, sha256 ").append(first.workloadSha256(), 0, 12).append('\n');
            } else {
                b.append("workload  DIFFERS between models:");
                for (ModelRun r : c.runs())
                    b.append(' ').append(r.model()).append('=').append(r.workloadSha256(), 0, 12).append(" (").append(r.armed().size()).append(')');
                b.append('\n');
            }
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>();
            header.add("metric");
            for (ModelRun r : c.runs()) header.add(r.model());
            rows.add(header);
            for (String m : metrics) {
                List<String> row = new ArrayList<>();
                row.add(m);
                for (ModelRun r : c.runs()) {
                    String v = Num.format(r.metrics().get(m));
                    row.add(v == null ? "-" : v);
                }
                rows.add(row);
            }
            b.append(TextTable.align(rows));
        }
        return b.toString();
    }

    /** One row per scenario and model; the columns README documents. */
    static String csv(List<Comparison> comparisons, List<String> metrics) {
        StringBuilder b = new StringBuilder();
        List<Object> header = new ArrayList<>(List.of("scenario", "file", "seed", "model", "workload_sha256", "timers_armed"));
        header.addAll(metrics);
        b.append(Csv.row(header));
        for (Comparison c : comparisons) {
            for (ModelRun r : c.runs()) {
                List<Object> row = new ArrayList<>(List.of(c.input().name(), c.input().shown, c.scenario().seed(), r.model(),
                        r.workloadSha256(), r.armed().size()));
                for (String m : metrics) row.add(r.metrics().get(m));
                b.append(Csv.row(row));
            }
        }
        return b.toString();
    }

    /** A GitHub table, rows scenario × model: what README's findings section shows. */
    static String markdown(List<Comparison> comparisons, List<String> metrics) {
        StringBuilder b = new StringBuilder("| scenario | model |");
        for (String m : metrics) b.append(' ').append(m).append(" |");
        b.append("\n|---|---|");
        b.append("---:|".repeat(metrics.size())).append('\n');
        for (Comparison c : comparisons) {
            for (ModelRun r : c.runs()) {
                b.append("| ").append(c.input().name()).append(" | ").append(r.model()).append(" |");
                for (String m : metrics) {
                    String v = Num.format(r.metrics().get(m));
                    b.append(' ').append(v == null ? "–" : v).append(" |");
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** One object for one scenario, an array of them for several. */
    static String json(List<Comparison> comparisons, List<String> models) {
        List<Object> out = new ArrayList<>();
        for (Comparison c : comparisons) {
            Map<String, Object> o = new LinkedHashMap<>();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", c.input().name());
            s.put("file", c.input().shown);
            s.put("sha256", Manifest.sha256(c.input().text.getBytes(StandardCharsets.UTF_8)));
            s.put("seed", c.scenario().seed());
            Map<String, Object> set = new LinkedHashMap<>();
            for (Setting st : c.settings()) set.put(st.key(), st.value());
            s.put("settings", set);
            o.put("scenario", s);
            o.put("models", models);
            o.put("identicalWorkload", c.identicalWorkload());
            List<Object> results = new ArrayList<>();
            for (ModelRun r : c.runs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", r.model());
                m.put("workloadSha256", r.workloadSha256());
                m.put("timersArmed", r.armed().size());
                m.put("metrics", r.metrics());
                m.put("armed", r.armed().stream().map(Compact::new).toList());
                results.add(m);
            }
            o.put("results", results);
            out.add(o);
        }
        return JsonOut.write(out.size() == 1 ? out.get(0) : out);
    }
}
