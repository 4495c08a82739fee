package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import org.tmigrlab.console.experiments.Charts;
import org.tmigrlab.console.experiments.Csv;
import org.tmigrlab.console.experiments.JsonOut;
import org.tmigrlab.console.experiments.JsonOut.Compact;
import org.tmigrlab.console.experiments.Manifest;
import org.tmigrlab.console.experiments.OracleExcess;
import org.tmigrlab.console.experiments.Progress;
import org.tmigrlab.console.experiments.RunPool;
import org.tmigrlab.console.experiments.ScalarMetrics;
import org.tmigrlab.console.experiments.Stats;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioOverrides.Setting;
import org.tmigrlab.engine.trace.TraceSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr sweep FILE --set KEY=V1,V2 ... --runs N}: the cartesian product of the
 * {@code --set} values (first key outermost), times {@code --models}, each cell run with seeds
 * {@code seed, seed+1, ..., seed+N-1} (the cell's scenario seed plus the run index; the same
 * seeds in every cell, so cells differ only in the swept settings). Reports mean and Student-t
 * 95% confidence interval per cell and metric.
 *
 * <p>Runs go to a fixed pool of threads; results are collected in cell order, so the output
 * does not depend on which run finished first.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a scenario over the cartesian product of the --set values, several seeds per cell,",
                "and reports mean and 95%% confidence interval per cell and metric.",
                "Summary CSV on stdout; in DIR: sweep.csv, runs.csv, sweep.json, charts/METRIC.png|svg, run.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all runs completed", "2:bad input (file, --set key or value, --models, --metrics, option); the message names it"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Scenario file (default: the embedded default scenario).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=V1,V2,...",
            description = "A sweep axis: a scenario key and its values, e.g. --set hierarchy.childrenPerGroup=2,4,8,16 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Seeds per cell: scenario seed + 0 .. N-1 (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: sweep-NAME in the current directory; '-' writes stdout only).")
    String out;

    @Option(names = "--chart", paramLabel = "FORMAT", defaultValue = "png",
            description = "Chart format: png, svg or none (default: ${DEFAULT-VALUE}).")
    String chart;

    @Mixin
    ExperimentOptions options;

    /** One cell: the swept settings and the model. */
    record Cell(List<Setting> settings, String model, long seed) {
        String label() {
            List<String> parts = new ArrayList<>();
            for (Setting s : settings) parts.add(s.toString());
            parts.add(model);
            return String.join(", ", parts);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || runs > 100_000) throw new BadInputException("--runs: " + runs + " is not allowed; expected 1..100000");
        Charts.Format chartFormat = switch (chart) {
            case "png" -> Charts.Format.PNG;
            case "svg" -> Charts.Format.SVG;
            case "none" -> null;
            default -> throw new BadInputException("--chart: '" + chart + "' is not a chart format; allowed: png, svg, none");
        };
        List<ScenarioInput.Axis> axes = ScenarioInput.axes(sets);
        ScenarioInput input = ScenarioInput.load(file);
        if (options.models != null && axes.stream().anyMatch(a -> a.key().equals("model")))
            throw new BadInputException("--set model and --models both choose models; use one");
        // Without --models the scenario's own model (or the swept one) runs.
        List<String> models = options.models == null ? null : input.models(options.modelsOption());

        // Each value alone first, so an error names the key that is wrong rather than a combination.
        for (ScenarioInput.Axis a : axes)
            for (JsonNode v : a.values()) input.scenario(List.of(new Setting(a.key(), v)), List.of());
        List<Cell> cells = new ArrayList<>();
        for (List<Setting> combo : product(axes)) {
            Scenario s = input.scenario(combo, List.of());
            if (models == null) cells.add(new Cell(combo, s.model(), s.seed()));
            else for (String m : models) cells.add(new Cell(combo, m, s.seed()));
        }
        List<Setting> fixed = options.noCheck ? List.of(ScenarioInput.noCheck()) : List.of();
        List<RunPool.Task<Map<String, Number>>> tasks = new ArrayList<>();
        for (Cell c : cells) {
            for (int r = 0; r < runs; r++) {
                long seed = c.seed() + r;
                List<Setting> f = new ArrayList<>(fixed);
                f.add(ScenarioInput.model(c.model()));
                f.add(ScenarioInput.seed(seed));
                // The scenario is built in the worker: for a long script, parsing is work worth spreading too.
                tasks.add(new RunPool.Task<>(c.label() + ", seed " + seed,
                        () -> ScalarMetrics.of(Lab.run(input.scenario(c.settings(), f), TraceSink.NONE))));
            }
        }

        Path dir = "-".equals(out) ? null : ExperimentOptions.createDir(Path.of(out == null ? "sweep-" + input.name() : out));
        Manifest manifest = new Manifest(version(), "sweep", spec.commandLine().getParseResult().originalArgs());
        int threads = Math.min(options.threads(), tasks.size());
        List<Map<String, Number>> results;
        try (RunPool pool = new RunPool(threads);
             Progress progress = Progress.start("sweep", tasks.size(), options.progress())) {
            results = pool.runAll(tasks, progress);
        } catch (RunPool.RunFailedException e) {
            if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof BadInputException)
                throw new BadInputException(input.shown + ": " + e.getMessage(), e);
            throw e;
        }

        if (models != null) {
            // Cells of one settings combination are adjacent (model innermost) and share seeds run by run.
            for (int first = 0; first < cells.size(); first += models.size()) {
                for (int r = 0; r < runs; r++) {
                    List<Map<String, Number>> same = new ArrayList<>();
                    for (int m = 0; m < models.size(); m++) same.add(results.get((first + m) * runs + r));
                    OracleExcess.add(models, same);
                }
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Number> r : results) names.addAll(r.keySet());
        List<String> all = new ArrayList<>(names);
        List<String> metrics = options.select(all);
        String summary = summaryCsv(axes, cells, results, metrics);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(summary);
        stdout.flush();
        if (dir == null) return 0;

        Path csv = write(dir.resolve("sweep.csv"), summary, manifest);
        write(dir.resolve("runs.csv"), runsCsv(axes, cells, results, all), manifest);
        write(dir.resolve("sweep.json"), json(input, axes, models, cells, results, all), manifest);
        if (chartFormat != null) charts(dir.resolve("charts"), chartFormat, input, axes, cells, results, metrics, manifest);

        List<Object> seeds = new ArrayList<>();
        for (Cell c : cells) seeds.add(new Compact(seedsOf(c)));
        manifest.put("scenario", Manifest.scenario(input.shown, input.file, input.text))
                .put("axes", axesJson(axes)).put("models", models == null ? cells.stream().map(Cell::model).distinct().toList() : models)
                .put("runs", runs).put("seedRule", "seed of run i in a cell = the cell's scenario seed + i, i = 0.." + (runs - 1))
                .put("seeds", seeds).put("threads", threads);
        manifest.write(dir);
        spec.commandLine().getErr().println("sweep: " + cells.size() + " cells x " + runs + " runs; wrote " + csv.getParent());
        spec.commandLine().getErr().flush();
        return 0;
    }

    private static Path write(Path p, String text, Manifest manifest) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
        manifest.output(p);
        return p;
    }

    private String version() {
        String[] v = spec.root().version();
        return v.length == 0 ? "unknown" : v[0];
    }

    /** Cartesian product, first axis outermost; one empty combination when there are no axes. */
    static List<List<Setting>> product(List<ScenarioInput.Axis> axes) {
        List<List<Setting>> out = new ArrayList<>();
        out.add(List.of());
        for (ScenarioInput.Axis a : axes) {
            List<List<Setting>> next = new ArrayList<>();
            for (List<Setting> prefix : out) {
                for (JsonNode v : a.values()) {
                    List<Setting> combo = new ArrayList<>(prefix);
                    combo.add(new Setting(a.key(), v));
                    next.add(List.copyOf(combo));
                }
            }
            out = next;
        }
        return out;
    }

    private List<Long> seedsOf(Cell c) {
        List<Long> s = new ArrayList<>();
        for (int r = 0; r < runs; r++) s.add(c.seed() + r);
        return s;
    }

    private List<Map<String, Number>> cellRuns(List<Map<String, Number>> results, int cell) {
        return results.subList(cell * runs, (cell + 1) * runs);
    }

    private static Stats.Summary summarize(List<Map<String, Number>> runs, String metric) {
        List<Double> xs = new ArrayList<>();
        for (Map<String, Number> r : runs) {
            Number n = r.get(metric);
            if (n != null) xs.add(n.doubleValue());
        }
        return Stats.of(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    // ---- outputs ----------------------------------------------------------------------------

    /** Columns: each axis key, model, metric, n, mean, sd, ci95_low, ci95_high, ci95_half, min, max. */
    String summaryCsv(List<ScenarioInput.Axis> axes, List<Cell> cells, List<Map<String, Number>> results, List<String> metrics) {
        StringBuilder b = new StringBuilder();
        List<Object> header = new ArrayList<>();
        for (ScenarioInput.Axis a : axes) header.add(a.key());
        header.addAll(List.of("model", "metric", "n", "mean", "sd", "ci95_low", "ci95_high", "ci95_half", "min", "max"));
        b.append(Csv.row(header));
        for (int c = 0; c < cells.size(); c++) {
            Cell cell = cells.get(c);
            for (String m : metrics) {
                Stats.Summary s = summarize(cellRuns(results, c), m);
                if (s.n() == 0) continue;   // a metric this model does not have (walk steps of a baseline)
                List<Object> row = new ArrayList<>();
                for (Setting st : cell.settings()) row.add(st.value());
                row.addAll(List.of(cell.model(), m, s.n(), s.mean(), s.sd(), s.low(), s.high(), s.half(), s.min(), s.max()));
                b.append(Csv.row(row));
            }
        }
        return b.toString();
    }

    /** Columns: each axis key, model, run, seed, then every metric. */
    String runsCsv(List<ScenarioInput.Axis> axes, List<Cell> cells, List<Map<String, Number>> results, List<String> metrics) {
        StringBuilder b = new StringBuilder();
        List<Object> header = new ArrayList<>();
        for (ScenarioInput.Axis a : axes) header.add(a.key());
        header.addAll(List.of("model", "run", "seed"));
        header.addAll(metrics);
        b.append(Csv.row(header));
        for (int c = 0; c < cells.size(); c++) {
            Cell cell = cells.get(c);
            for (int r = 0; r < runs; r++) {
                List<Object> row = new ArrayList<>();
                for (Setting st : cell.settings()) row.add(st.value());
                row.addAll(List.of(cell.model(), r, cell.seed() + r));
                Map<String, Number> values = results.get(c * runs + r);
                for (String m : metrics) row.add(values.get(m));
                b.append(Csv.row(row));
            }
        }
        return b.toString();
    }

    private static List<Object> axesJson(List<ScenarioInput.Axis> axes) {
        List<Object> out = new ArrayList<>();
        for (ScenarioInput.Axis a : axes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", a.key());
            m.put("values", a.values());
            out.add(new Compact(m));
        }
        return out;
    }

    String json(ScenarioInput input, List<ScenarioInput.Axis> axes, List<String> models, List<Cell> cells,
                List<Map<String, Number>> results, List<String> metrics) {
        Map<String, Object> o = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", input.name());
        s.put("file", input.shown);
        s.put("sha256", Manifest.sha256(input.text.getBytes(StandardCharsets.UTF_8)));
        s.put("seed", input.base().seed());
        o.put("scenario", s);
        o.put("axes", axesJson(axes));
        o.put("models", models == null ? cells.stream().map(Cell::model).distinct().toList() : models);
        o.put("runs", runs);
        o.put("seedRule", "seed of run i in a cell = the cell's scenario seed + i");
        o.put("confidence", "95% Student t interval: mean ± t(0.975, n-1)·sd/√n; null when n < 2");
        o.put("metrics", metrics);
        List<Object> cellList = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            Cell cell = cells.get(c);
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> settings = new LinkedHashMap<>();
            for (Setting st : cell.settings()) settings.put(st.key(), st.value());
            m.put("settings", new Compact(settings));
            m.put("model", cell.model());
            m.put("seeds", new Compact(seedsOf(cell)));
            Map<String, Object> stats = new LinkedHashMap<>();
            for (String metric : metrics) {
                Stats.Summary sum = summarize(cellRuns(results, c), metric);
                if (sum.n() == 0) continue;
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("n", sum.n());
                v.put("mean", sum.mean());
                v.put("sd", sum.sd());
                v.put("ci95Low", sum.low());
                v.put("ci95High", sum.high());
                v.put("ci95Half", sum.half());
                v.put("min", sum.min());
                v.put("max", sum.max());
                stats.put(metric, new Compact(v));
            }
            m.put("summary", stats);
            List<Object> runList = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("run", r);
                run.put("seed", cell.seed() + r);
                run.put("metrics", results.get(c * runs + r));
                runList.add(new Compact(run));
            }
            m.put("runs", runList);
            cellList.add(m);
        }
        o.put("cells", cellList);
        return JsonOut.write(o);
    }

    /**
     * One chart per metric: x = the first axis, one series per combination of the other axes and
     * model; without axes, x = the models.
     */
    private void charts(Path dir, Charts.Format format, ScenarioInput input, List<ScenarioInput.Axis> axes, List<Cell> cells,
                        List<Map<String, Number>> results, List<String> metrics, Manifest manifest) throws IOException {
        Files.createDirectories(dir);
        // Charts of an earlier sweep into the same directory would otherwise pass for this one's.
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.{png,svg}")) {
            for (Path p : old) Files.delete(p);
        }
        List<String> xs = new ArrayList<>();
        boolean numeric;
        String xTitle;
        // Series key (settings of the other axes + model) → cell index per x position.
        Map<String, int[]> series = new LinkedHashMap<>();
        boolean manyModels = cells.stream().map(Cell::model).distinct().count() > 1;
        if (axes.isEmpty()) {
            xTitle = "model";
            numeric = false;
            int[] ix = new int[cells.size()];
            for (int c = 0; c < cells.size(); c++) {
                xs.add(cells.get(c).model());
                ix[c] = c;
            }
            series.put("", ix);
        } else {
            ScenarioInput.Axis first = axes.get(0);
            xTitle = first.key();
            numeric = first.values().stream().allMatch(JsonNode::isNumber);
            for (JsonNode v : first.values()) xs.add(v.isTextual() ? v.textValue() : v.toString());
            for (int c = 0; c < cells.size(); c++) {
                Cell cell = cells.get(c);
                List<String> parts = new ArrayList<>();
                for (int a = 1; a < axes.size(); a++)
                    // An axis with one value is the same for every line: naming it would only crowd the legend.
                    if (axes.get(a).values().size() > 1) parts.add(cell.settings().get(a).toString());
                if (manyModels) parts.add(cell.model());
                String key = String.join(", ", parts);
                int xi = first.values().indexOf(cell.settings().get(0).value());
                series.computeIfAbsent(key, k -> {
                    int[] a = new int[xs.size()];
                    Arrays.fill(a, -1);
                    return a;
                })[xi] = c;
            }
        }
        for (String metric : metrics) {
            List<Charts.Series> list = new ArrayList<>();
            for (Map.Entry<String, int[]> e : series.entrySet()) {
                double[] mean = new double[xs.size()];
                double[] half = new double[xs.size()];
                boolean any = false;
                for (int i = 0; i < xs.size(); i++) {
                    int c = e.getValue()[i];
                    Stats.Summary s = c < 0 ? Stats.of(new double[0]) : summarize(cellRuns(results, c), metric);
                    mean[i] = s.mean();
                    half[i] = s.half();
                    any |= s.n() > 0;
                }
                // A model without this metric (walk steps of a baseline) gets no line rather than a line at zero.
                if (any) list.add(new Charts.Series(e.getKey(), mean, half));
            }
            if (list.isEmpty()) continue;
            Path p = dir.resolve(Charts.fileName(metric) + "." + format.extension());
            String title = metric + " (" + input.name() + "; mean and 95% CI over " + runs + (runs == 1 ? " seed)" : " seeds)");
            Charts.write(p, format, title, xTitle, metric, xs, numeric, list);
            manifest.output(p);
        }
    }
}
