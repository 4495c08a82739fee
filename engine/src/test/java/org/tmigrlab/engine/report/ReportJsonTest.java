package org.tmigrlab.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.report.ReportFixtures.MS;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void sameRunTwiceGivesIdenticalBytes() {
        String first = ReportJson.toJson(ReportFixtures.report());
        // Rebuilt from scratch, with a hash map filled in the opposite order: nothing may depend on it.
        String second = ReportJson.toJson(Report.of("demo", "scenarios/demo.yaml", ReportFixtures.scenario(), ReportFixtures.result(true)));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void topLevelSectionsComeInTheDocumentedOrder() throws Exception {
        JsonNode root = MAPPER.readTree(ReportJson.toJson(ReportFixtures.report()));

        assertThat(keys(root)).containsExactly("scenario", "timers", "cpus", "metrics", "violations", "expectations", "windows");
    }

    @Test
    void scenarioSectionDescribesTheRun() throws Exception {
        JsonNode s = MAPPER.readTree(ReportJson.toJson(ReportFixtures.report())).get("scenario");

        assertThat(keys(s)).startsWith("name", "file", "model", "hz", "seed", "cpus", "nodes", "childrenPerGroup", "bugs");
        assertThat(s.get("name").asText()).isEqualTo("demo");
        assertThat(s.get("file").asText()).isEqualTo("scenarios/demo.yaml");
        assertThat(s.get("cpus").asInt()).isEqualTo(4);
        assertThat(s.get("nodes").asInt()).isEqualTo(2);
        assertThat(s.get("childrenPerGroup").asInt()).isEqualTo(2);
        assertThat(s.get("seed").asLong()).isEqualTo(7);
        // Enum order, not the set's iteration order.
        assertThat(s.get("bugs").toString()).isEqualTo("[\"quick-check-top-only\",\"stale-wakeup-requeue\",\"missing-cpu-update\"]");
    }

    @Test
    void everyTimerRecordHasAllFieldsWithNullsForWhatDidNotHappen() throws Exception {
        JsonNode timers = MAPPER.readTree(ReportJson.toJson(ReportFixtures.report())).get("timers");

        assertThat(timers).hasSize(3);
        for (JsonNode t : timers) {
            assertThat(keys(t)).containsExactly("name", "armedAt", "armedOn", "cpu", "pinned", "deferrable", "expires",
                    "bucketExpiry", "expiresNs", "firedAt", "firedOn", "remote", "latenessNs", "cancelledAt", "wakesTask");
        }
        JsonNode netRx = timers.get(0);
        assertThat(netRx.get("firedAt").asLong()).isEqualTo(6 * MS);
        assertThat(netRx.get("firedOn").asInt()).isZero();
        assertThat(netRx.get("remote").asBoolean()).isTrue();
        assertThat(netRx.get("cancelledAt").isNull()).isTrue();
        JsonNode gc = timers.get(2);
        assertThat(gc.get("firedAt").isNull()).isTrue();
        assertThat(gc.get("firedOn").isNull()).isTrue();
        assertThat(gc.get("latenessNs").isNull()).isTrue();
        assertThat(gc.get("cancelledAt").asLong()).isEqualTo(4 * MS);
        assertThat(gc.get("bucketExpiry").asLong()).isEqualTo(31);
    }

    @Test
    void cpusViolationsAndExpectationsHaveTheirFields() throws Exception {
        JsonNode root = MAPPER.readTree(ReportJson.toJson(ReportFixtures.report()));

        assertThat(keys(root.get("cpus").get(2))).containsExactly("cpu", "wakeups", "timerWakeups", "dutyWakeups", "idleNs", "irqWakeups", "ipiWakeups");
        assertThat(root.get("cpus").get(2).get("idleNs").asLong()).isEqualTo(47_500_000);
        JsonNode v = root.get("violations").get(0);
        assertThat(keys(v)).containsExactly("time", "invariant", "message", "groups", "cpus");
        assertThat(v.get("message").asText()).isEqualTo("gc \"pending\" but nobody wakes");
        assertThat(v.get("groups").toString()).isEqualTo("[1,3]");
        JsonNode expectations = root.get("expectations");
        for (JsonNode e : expectations) assertThat(keys(e)).containsExactly("expect", "ok", "actual");
        assertThat(expectations.get(0).get("expect").asText()).isEqualTo("{timer: net-rx, firesBy: 7ms, on: 0}");
        assertThat(expectations.get(0).get("ok").asBoolean()).isTrue();
        assertThat(expectations.get(0).get("actual").asText()).isEqualTo("fired at 6ms on CPU 0 (remote)");
        // One violation and no violations entry in the file: the implicit check is listed and fails.
        assertThat(expectations).hasSize(4);
        assertThat(expectations.get(3).get("ok").asBoolean()).isFalse();
    }

    @Test
    void metricsKeepTheRunsOrderAndSortHashOrderedMaps() throws Exception {
        JsonNode metrics = MAPPER.readTree(ReportJson.toJson(ReportFixtures.report())).get("metrics");

        assertThat(keys(metrics)).containsExactly("wakeups", "remoteExpiries", "latenessP99Us", "walkStepsPerLevel", "handOffs", "none");
        assertThat(keys(metrics.get("walkStepsPerLevel"))).containsExactly("lvl0", "lvl1", "lvl10", "lvl2");
        assertThat(metrics.get("latenessP99Us").asDouble()).isEqualTo(250.5);
        assertThat(metrics.get("remoteExpiries").isIntegralNumber()).isTrue();
        assertThat(metrics.get("none").isNull()).isTrue();
    }

    @Test
    void layoutIsPrettyWithUnixLineEndsAndATrailingNewline() {
        String json = ReportJson.toJson(ReportFixtures.report());

        assertThat(json).startsWith("{\n  \"scenario\": {\n    \"name\": \"demo\",\n").endsWith("}\n").doesNotContain("\r");
        assertThat(json).contains("\"groups\": [1, 3],", "\"firedAt\": null,", "\"expiresNs\": 6000000,");
    }

    @Test
    void emptyListsAreWrittenCompactly() {
        String json = ReportJson.toJson(new Report("x", "x.yaml", ReportFixtures.scenario(),
                new org.tmigrlab.engine.sim.RunResult(List.of(), List.of(), new java.util.LinkedHashMap<>(), List.of(), null, 0),
                List.of()));

        assertThat(json).contains("\"timers\": [],", "\"metrics\": {},", "\"expectations\": [],", "\"windows\": []\n");
    }
}
