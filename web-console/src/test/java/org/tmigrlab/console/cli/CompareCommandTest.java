package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;
import org.tmigrlab.engine.Lab;

class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path scenario() throws IOException {
        Path f = dir.resolve("small.yaml");
        Files.writeString(f, ExperimentFixtures.SCRIPTED);
        return f;
    }

    /** Every model the engine registers: the comparison must hold for baselines added later too. */
    private static String allModels() {
        return String.join(",", Lab.defaultCatalog().models().keySet());
    }

    @Test
    void everyModelGetsTheIdenticalArmedTimerList() throws IOException {
        Outcome o = tmigr("compare", scenario().toString(), "--models", allModels(), "--format", "json");

        assertThat(o.code()).as(o.err()).isZero();
        JsonNode root = JSON.readTree(o.out());
        assertThat(root.get("identicalWorkload").booleanValue()).isTrue();
        JsonNode results = root.get("results");
        assertThat(results).hasSize(Lab.defaultCatalog().models().size());
        List<String> reference = armed(results.get(0));
        assertThat(reference).hasSize(4).contains("net@1000000 on 5", "tcp@61000000 on 3");
        for (JsonNode r : results) {
            assertThat(armed(r)).as(r.get("model").textValue()).isEqualTo(reference);
            assertThat(r.get("workloadSha256").textValue()).isEqualTo(results.get(0).get("workloadSha256").textValue());
            assertThat(r.get("metrics").has("wakeups")).isTrue();
        }
    }

    @Test
    void generatedWorkloadIsTheSameForEveryModelAndDiffersWithTheSeed() throws IOException {
        Path f = dir.resolve("generated.yaml");
        Files.writeString(f, ExperimentFixtures.GENERATED);

        Outcome o = tmigr("compare", f.toString(), "--models", allModels(), "--format", "json");
        Outcome other = tmigr("compare", f.toString(), "--models", "mainline", "--format", "json", "--seed", "12");

        assertThat(o.code()).as(o.err()).isZero();
        JsonNode results = JSON.readTree(o.out()).get("results");
        List<String> reference = armed(results.get(0));
        assertThat(reference).hasSizeGreaterThan(50);
        for (JsonNode r : results) assertThat(armed(r)).as(r.get("model").textValue()).isEqualTo(reference);
        assertThat(armed(JSON.readTree(other.out()).get("results").get(0))).isNotEqualTo(reference);

        // With oracle among the models every model gets its excess over it; the oracle's own is 0.
        JsonNode oracle = null;
        for (JsonNode r : results) if (r.get("model").textValue().equals("oracle")) oracle = r;
        assertThat(oracle).isNotNull();
        assertThat(oracle.get("metrics").get("wakeupsOverOracle").doubleValue()).isZero();
        for (JsonNode r : results) {
            JsonNode m = r.get("metrics");
            assertThat(m.get("wakeupsOverOracle").doubleValue())
                    .isEqualTo(m.get("wakeups").doubleValue() - oracle.get("metrics").get("wakeups").doubleValue());
            assertThat(m.get("globalWakeupsOverOracle").doubleValue())
                    .isEqualTo(m.get("globalWakeups").doubleValue() - oracle.get("metrics").get("globalWakeups").doubleValue());
        }
    }

    private static List<String> armed(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : result.get("armed"))
            out.add(t.get("name").textValue() + "@" + t.get("armedAt").longValue() + " on " + t.get("armedOn").intValue());
        return out;
    }

    @Test
    void tableHasAColumnPerModelAndCsvARow() throws IOException {
        Path f = scenario();

        Outcome table = tmigr("compare", f.toString(), "--models", "mainline,rfc2017");
        Outcome csv = tmigr("compare", f.toString(), "--models", "mainline,rfc2017", "--format", "csv", "--metrics", "wakeups,remoteExpiries");

        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("workload  identical for all 2 models: 4 timers armed")
                .containsPattern("metric +mainline +rfc2017\n").containsPattern("\nwakeups +\\d+ +\\d+\n");
        assertThat(csv.code()).isZero();
        assertThat(csv.out().lines().toList()).hasSize(3)
                .first().isEqualTo("scenario,file,seed,model,workload_sha256,timers_armed,wakeups,remoteExpiries");
        assertThat(csv.out().lines().skip(1).toList()).allSatisfy(l -> assertThat(l).startsWith("small," + f + ",1,"));
    }

    @Test
    void sameSeedGivesByteIdenticalFiles() throws IOException {
        Path f = scenario();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");

        assertThat(tmigr("compare", f.toString(), "--models", allModels(), "--seed", "7", "--out", a.toString()).code()).isZero();
        assertThat(tmigr("compare", f.toString(), "--models", allModels(), "--seed", "7", "--out", b.toString(), "--threads", "1").code()).isZero();

        for (String name : List.of("compare.csv", "compare.json", "compare.txt", "compare.md"))
            assertThat(Files.readAllBytes(a.resolve(name))).as(name).isEqualTo(Files.readAllBytes(b.resolve(name)));
    }

    @Test
    void runJsonRecordsWhatReproducesTheRun() throws IOException {
        Path f = scenario();
        Path out = dir.resolve("out");

        assertThat(tmigr("compare", f.toString(), "--models", "mainline", "--set", "hz=250", "--out", out.toString()).code()).isZero();

        JsonNode m = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(m.get("version").textValue()).startsWith("tmigr-lab ");
        assertThat(m.get("arguments").toString()).isEqualTo("[\"compare\",\"" + f + "\",\"--models\",\"mainline\",\"--set\",\"hz=250\",\"--out\",\"" + out + "\"]");
        JsonNode s = m.get("scenarios").get(0);
        assertThat(s.get("text").textValue()).isEqualTo(ExperimentFixtures.SCRIPTED);
        assertThat(s.get("sha256").textValue()).hasSize(64);
        assertThat(m.get("seeds").get(0).longValue()).isEqualTo(1);
        assertThat(m.get("outputs")).hasSize(4);
        assertThat(m.has("wallSeconds")).isTrue();
    }

    @Test
    void badSetKeyOrValueExitsTwoNamingTheKey() throws IOException {
        Path f = scenario();

        Outcome key = tmigr("compare", f.toString(), "--set", "hierarchy.childrenPerGrop=4");
        Outcome value = tmigr("compare", f.toString(), "--set", "hierarchy.childrenPerGroup=3");
        Outcome list = tmigr("compare", f.toString(), "--set", "machine.cpus=8,16");

        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).contains("hierarchy.childrenPerGrop", "did you mean 'childrenPerGroup'");
        assertThat(value.code()).isEqualTo(2);
        assertThat(value.err()).contains("--set hierarchy.childrenPerGroup=3", "2, 4, 8, 16, 32, 64");
        assertThat(list.code()).isEqualTo(2);
        assertThat(list.err()).contains("machine.cpus", "tmigr sweep");
        assertThat(key.out() + value.out() + list.out()).isEmpty();
    }

    @Test
    void unknownModelOrMetricExitsTwo() throws IOException {
        Path f = scenario();

        Outcome model = tmigr("compare", f.toString(), "--models", "mainline,pull");
        Outcome metric = tmigr("compare", f.toString(), "--models", "mainline", "--metrics", "wakeupz");

        assertThat(model.code()).isEqualTo(2);
        assertThat(model.err()).contains("--models: unknown model 'pull'", "mainline");
        assertThat(metric.code()).isEqualTo(2);
        assertThat(metric.err()).contains("--metrics: unknown metric 'wakeupz'", "wakeups");
    }
}
