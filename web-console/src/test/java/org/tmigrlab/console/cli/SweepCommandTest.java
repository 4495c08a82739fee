package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The columns README documents for sweep.csv after the axis columns. */
    private static final List<String> SUMMARY_COLUMNS = List.of("model", "metric", "n", "mean", "sd", "ci95_low", "ci95_high",
            "ci95_half", "min", "max");

    @TempDir
    Path dir;

    private Path scenario() throws IOException {
        Path f = dir.resolve("small.yaml");
        Files.writeString(f, ExperimentFixtures.SCRIPTED);
        return f;
    }

    private Outcome sweep(Path out, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", scenario().toString(),
                "--set", "hierarchy.childrenPerGroup=2,4", "--set", "machine.cpus=8,16", "--runs", "3", "--out", out.toString()));
        args.addAll(Arrays.asList(extra));
        return tmigr(args.toArray(String[]::new));
    }

    @Test
    void twoAxesThreeSeedsGiveDocumentedCsvChartsAndIntervals() throws IOException {
        Path out = dir.resolve("out");

        Outcome o = sweep(out);

        assertThat(o.code()).as(o.err()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header.subList(0, 2)).containsExactly("hierarchy.childrenPerGroup", "machine.cpus");
        assertThat(header.subList(2, header.size())).isEqualTo(SUMMARY_COLUMNS);
        // stdout carries the same table
        assertThat(o.out()).isEqualTo(Files.readString(out.resolve("sweep.csv")));

        List<String[]> rows = lines.stream().skip(1).map(l -> l.split(",", -1)).toList();
        List<String> metrics = rows.stream().map(r -> r[3]).distinct().toList();
        assertThat(metrics).contains("wakeups", "remoteExpiries", "violations");
        assertThat(rows).hasSize(4 * metrics.size());
        // first axis outermost, in the order given
        assertThat(rows.stream().map(r -> r[0] + "/" + r[1]).distinct().toList()).containsExactly("2/8", "2/16", "4/8", "4/16");
        for (String[] r : rows) {
            assertThat(r[4]).isEqualTo("3");
            // every CI column is filled: a scripted scenario gives equal runs, so the interval is mean ± 0
            for (int c = 5; c <= 11; c++) assertThat(r[c]).as(String.join(",", r)).isNotEmpty();
            assertThat(Double.parseDouble(r[7])).isLessThanOrEqualTo(Double.parseDouble(r[5]));
            assertThat(Double.parseDouble(r[8])).isGreaterThanOrEqualTo(Double.parseDouble(r[5]));
        }

        try (Stream<Path> charts = Files.list(out.resolve("charts"))) {
            assertThat(charts.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(metrics.stream().map(m -> m + ".png").sorted().toList());
        }
        byte[] png = Files.readAllBytes(out.resolve("charts/wakeups.png"));
        assertThat(Arrays.copyOf(png, 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs.get(0)).startsWith("hierarchy.childrenPerGroup,machine.cpus,model,run,seed,");
        assertThat(runs).hasSize(1 + 4 * 3);
        assertThat(runs.get(1)).startsWith("2,8,mainline,0,1,");
        assertThat(runs.get(3)).startsWith("2,8,mainline,2,3,");

        JsonNode manifest = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(manifest.get("seeds").get(0).toString()).isEqualTo("[1,2,3]");
        assertThat(manifest.get("scenario").get("text").textValue()).isEqualTo(ExperimentFixtures.SCRIPTED);
        JsonNode sweep = JSON.readTree(out.resolve("sweep.json").toFile());
        assertThat(sweep.get("cells")).hasSize(4);
        assertThat(sweep.get("cells").get(3).get("settings").toString()).isEqualTo("{\"hierarchy.childrenPerGroup\":4,\"machine.cpus\":16}");
        assertThat(sweep.get("cells").get(0).get("summary").get("wakeups").has("ci95Half")).isTrue();
    }

    @Test
    void sameSeedGivesByteIdenticalOutputsWhateverTheThreadCount() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");

        assertThat(sweep(a, "--models", "mainline,rfc2017", "--threads", "4").code()).isZero();
        assertThat(sweep(b, "--models", "mainline,rfc2017", "--threads", "1").code()).isZero();

        for (String f : List.of("sweep.csv", "runs.csv", "sweep.json"))
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
    }

    @Test
    void seedsOfAGeneratedWorkloadGiveAnInterval() throws IOException {
        Path f = dir.resolve("generated.yaml");
        Files.writeString(f, ExperimentFixtures.GENERATED);
        Path out = dir.resolve("g");

        Outcome o = tmigr("sweep", f.toString(), "--set", "workload.timers.rate=100,400", "--runs", "3", "--out", out.toString(),
                "--metrics", "timersArmed,wakeups", "--no-check");

        assertThat(o.code()).as(o.err()).isZero();
        List<String[]> rows = o.out().lines().skip(1).map(l -> l.split(",", -1)).toList();
        assertThat(rows).hasSize(4);
        // seeds 11, 12, 13 draw different workloads: the spread is real, so the interval is open
        for (String[] r : rows) {
            assertThat(Double.parseDouble(r[8])).as(String.join(",", r)).isGreaterThan(0);
            assertThat(Double.parseDouble(r[6])).isLessThan(Double.parseDouble(r[4]));
            assertThat(Double.parseDouble(r[7])).isGreaterThan(Double.parseDouble(r[4]));
        }
        // four times the arm rate arms more timers
        assertThat(Double.parseDouble(rows.get(2)[4])).isGreaterThan(Double.parseDouble(rows.get(0)[4]));
        assertThat(out.resolve("charts/timersArmed.png")).exists();
    }

    @Test
    void modelsBecomeTheInnermostAxis() throws IOException {
        Path out = dir.resolve("m");

        Outcome o = tmigr("sweep", scenario().toString(), "--set", "hz=250,1000", "--models", "mainline,rfc2017",
                "--runs", "2", "--out", out.toString(), "--metrics", "wakeups", "--chart", "svg");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().lines().skip(1).map(l -> l.substring(0, l.indexOf(",wakeups"))).toList())
                .containsExactly("250,mainline", "250,rfc2017", "1000,mainline", "1000,rfc2017");
        assertThat(out.resolve("charts/wakeups.svg")).exists();
        assertThat(out.resolve("charts/remoteExpiries.svg")).doesNotExist();
    }

    @Test
    void badSetKeyOrValueExitsTwoNamingTheKey() throws IOException {
        Path f = scenario();
        Path out = dir.resolve("never");

        Outcome key = tmigr("sweep", f.toString(), "--set", "machine.cpuz=8,16", "--out", out.toString());
        Outcome value = tmigr("sweep", f.toString(), "--set", "hierarchy.childrenPerGroup=2,3", "--out", out.toString());
        Outcome tooFew = tmigr("sweep", f.toString(), "--set", "machine.cpus=4,8", "--out", out.toString());
        Outcome syntax = tmigr("sweep", f.toString(), "--set", "machine.cpus", "--out", out.toString());

        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).contains("--set machine.cpuz=8", "unknown key 'cpuz'", "did you mean 'cpus'", "allowed here: cpus");
        assertThat(value.code()).isEqualTo(2);
        assertThat(value.err()).contains("--set hierarchy.childrenPerGroup=3", "is not allowed", "2, 4, 8, 16, 32, 64");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err()).contains("machine.cpus=4");
        assertThat(syntax.code()).isEqualTo(2);
        assertThat(syntax.err()).contains("--set machine.cpus", "KEY=VALUE");
        assertThat(out.resolve("sweep.csv")).doesNotExist();
    }
}
