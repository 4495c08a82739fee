package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.scenario.ScenarioReader.Format;

class ScenarioReaderTest {
    private static final ScenarioReader READER = new ScenarioReader();

    private static Scenario yaml(String text) {
        return READER.read(text, Format.YAML);
    }

    private static ScenarioException yamlError(String text) {
        return catchThrowableOfType(ScenarioException.class, () -> yaml(text));
    }

    // ---- defaults and every field ------------------------------------------------------------

    @Test
    void onlyCpusGivenEverythingElseDefaults() {
        Scenario s = yaml("machine: {cpus: 4}");

        assertThat(s.machine().possibleCpus()).isEqualTo(4);
        assertThat(s.machine().nodeCount()).isEqualTo(1);
        assertThat(s.onlineOrder()).containsExactly(0, 1, 2, 3);
        assertThat(s.builder()).isEqualTo("kernel");
        assertThat(s.childrenPerGroup()).isEqualTo(8);
        assertThat(s.migrator()).isEqualTo("lowest-active");
        assertThat(s.model()).isEqualTo("mainline");
        assertThat(s.bugs()).isEmpty();
        assertThat(s.hz()).isEqualTo(1000);
        assertThat(s.seed()).isEqualTo(1);
        assertThat(s.until()).as("no script: 0 + 1s").isEqualTo(1_000_000_000L);
        assertThat(s.script()).isEmpty();
        assertThat(s.expect()).isEmpty();
        assertThat(s.checkInvariants()).isTrue();
    }

    @Test
    void everyFieldIsRead() {
        Scenario s = yaml("""
                machine:
                  cpus: 6
                  nodes: 3
                  cpuNodes: [0, 0, 2, 2, 0, 2]
                  onlineOrder: [4, 0]
                hierarchy: {builder: kernel, childrenPerGroup: 2}
                migrator: lowest-active
                model: rfc2017
                bugs: [stale-wakeup-requeue, quick-check-top-only]
                hz: 250
                seed: -7
                until: 2s
                checkInvariants: false
                script:
                  - {at: 1ms, cpu: 4, op: arm, timer: a, in: 250us, pinned: true, deferrable: true}
                  - {at: 2ms, cpu: 0, op: arm, timer: b, expiresAt: 1.5s}
                expect:
                  - {timer: a, firesBy: 3ms, on: 4}
                  - {timer: b, firesAt: never}
                  - {cpu: 5, wakeupsAtMost: 3, wakeupsAtLeast: 1}
                  - {violations: 2}
                """);

        assertThat(s.machine().nodeCount()).isEqualTo(3);
        assertThat(s.machine().cpus()).extracting(c -> c.node()).containsExactly(0, 0, 2, 2, 0, 2);
        assertThat(s.onlineOrder()).containsExactly(4, 0);
        assertThat(s.childrenPerGroup()).isEqualTo(2);
        assertThat(s.model()).isEqualTo("rfc2017");
        assertThat(s.bugs()).containsExactlyInAnyOrder(Bug.STALE_WAKEUP_REQUEUE, Bug.QUICK_CHECK_TOP_ONLY);
        assertThat(s.hz()).isEqualTo(250);
        assertThat(s.seed()).isEqualTo(-7);
        assertThat(s.until()).isEqualTo(2_000_000_000L);
        assertThat(s.checkInvariants()).isFalse();
        assertThat(s.script()).containsExactly(
                new Step(1_000_000, 4, Op.ARM, "a", 250_000, -1, true, true, 0),
                new Step(2_000_000, 0, Op.ARM, "b", -1, 1_500_000_000L, false, false, 1));
        assertThat(s.expect()).containsExactly(
                new Expectation("a", 3_000_000, -1, false, 4, -1, -1, -1, -1, "{timer: a, firesBy: 3ms, on: 4}"),
                new Expectation("b", -1, -1, true, -1, -1, -1, -1, -1, "{timer: b, firesAt: never}"),
                new Expectation(null, -1, -1, false, -1, 5, 3, 1, -1, "{cpu: 5, wakeupsAtMost: 3, wakeupsAtLeast: 1}"),
                new Expectation(null, -1, -1, false, -1, -1, -1, -1, 2, "{violations: 2}"));
    }

    @Test
    void nodesSplitCpusContiguously() {
        Scenario s = yaml("machine: {cpus: 16, nodes: 2}");

        assertThat(s.machine().cpus()).extracting(c -> c.node())
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void cpuNodesWithoutNodesCountsUpToTheHighestNode() {
        Scenario s = yaml("machine: {cpus: 3, cpuNodes: [1, 0, 1]}");

        assertThat(s.machine().nodeCount()).isEqualTo(2);
    }

    @Test
    void untilDefaultsToOneSecondAfterTheLastStep() {
        Scenario s = yaml("""
                machine: {cpus: 2}
                script:
                  - {at: 40ms, cpu: 1, op: busy}
                  - {at: 5ms, cpu: 0, op: busy}
                """);

        assertThat(s.until()).isEqualTo(1_040_000_000L);
    }

    @Test
    void scriptIsSortedByTimeAndSameTimeStepsKeepFileOrder() {
        Scenario s = yaml("""
                machine: {cpus: 4}
                script:
                  - {at: 2ms, cpu: 0, op: idle}
                  - {at: 1ms, cpu: 3, op: busy}
                  - {at: 2ms, cpu: 1, op: busy}
                  - {at: 1000000, cpu: 2, op: busy}
                """);

        assertThat(s.script()).extracting(Step::order).containsExactly(1, 3, 0, 2);
        assertThat(s.script()).extracting(Step::cpu).containsExactly(3, 2, 0, 1);
    }

    @Test
    void everyOpIsAccepted() {
        Scenario s = yaml("""
                machine: {cpus: 2}
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 0, cpu: 0, op: arm, timer: t, in: 1ms}
                  - {at: 0, cpu: 0, op: rearm, timer: t, in: 2ms}
                  - {at: 0, cpu: 0, op: cancel, timer: t}
                  - {at: 0, cpu: 0, op: idle}
                  - {at: 0, cpu: 1, op: offline}
                  - {at: 0, cpu: 1, op: online}
                  - {at: 0, cpu: 1, op: isolate}
                  - {at: 0, cpu: 1, op: unisolate}
                  - {at: 0, cpu: 1, op: irq}
                  - {at: 0, cpu: 1, op: wake}
                """);

        assertThat(s.script()).extracting(Step::op).containsExactlyInAnyOrder(Op.values());
    }

    @Test
    void rearmKeepsTheFlagsOfTheLastArmingLikeModTimer() {
        Scenario s = yaml("""
                machine: {cpus: 2}
                script:
                  - {at: 0, cpu: 0, op: arm, timer: t, in: 1ms, pinned: true}
                  - {at: 1ms, cpu: 1, op: rearm, timer: t, expiresAt: 5ms}
                """);

        Step rearm = s.script().get(1);
        assertThat(rearm.pinned()).isTrue();
        assertThat(rearm.atNs()).isEqualTo(5_000_000);
        assertThat(rearm.inNs()).isEqualTo(-1);
    }

    @Test
    void yamlAndJsonGiveTheSameScenario() {
        Scenario fromYaml = yaml("""
                machine: {cpus: 8, nodes: 2, onlineOrder: [1, 0, 5]}
                hierarchy: {childrenPerGroup: 4}
                model: mainline
                bugs: [missing-cpu-update]
                hz: 300
                seed: 42
                until: 1.5s
                script:
                  - {at: 0, cpu: 1, op: busy}
                  - {at: 10us, cpu: 1, op: arm, timer: x, in: 3ms, deferrable: true}
                  - {at: 1ms, cpu: 1, op: idle}
                expect:
                  - {timer: x, firesAt: 4ms}
                  - {cpu: 1, wakeupsAtLeast: 0}
                """);
        Scenario fromJson = READER.read("""
                {"machine": {"cpus": 8, "nodes": 2, "onlineOrder": [1, 0, 5]},
                 "hierarchy": {"childrenPerGroup": 4},
                 "model": "mainline",
                 "bugs": ["missing-cpu-update"],
                 "hz": 300,
                 "seed": 42,
                 "until": "1.5s",
                 "script": [
                   {"at": 0, "cpu": 1, "op": "busy"},
                   {"at": "10us", "cpu": 1, "op": "arm", "timer": "x", "in": "3ms", "deferrable": true},
                   {"at": "1ms", "cpu": 1, "op": "idle"}],
                 "expect": [{"timer": "x", "firesAt": "4ms"}, {"cpu": 1, "wakeupsAtLeast": 0}]}
                """, Format.JSON);

        assertThat(fromJson.onlineOrder()).containsExactly(fromYaml.onlineOrder());
        // int[] has identity equals; everything else compares by value once it is aligned.
        assertThat(fromJson).usingRecursiveComparison().ignoringFields("onlineOrder").isEqualTo(fromYaml);
        assertThat(fromJson.script()).isEqualTo(fromYaml.script());
        assertThat(fromJson.expect()).isEqualTo(fromYaml.expect());
    }

    @Test
    void readsFilesByExtension(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("s.json");
        Files.writeString(json, "{\"machine\": {\"cpus\": 2}, \"hz\": 100}");
        Path yml = dir.resolve("s.yml");
        Files.writeString(yml, "machine: {cpus: 2}\nhz: 100\n");

        assertThat(READER.read(json).hz()).isEqualTo(100);
        assertThat(READER.read(yml).hz()).isEqualTo(100);
        // The JSON parser reads .json, so YAML in a .json file is a syntax error, not silently accepted.
        Files.writeString(json, "machine: {cpus: 2}");
        assertThatThrownBy(() -> READER.read(json)).isInstanceOf(ScenarioException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void extraBuildersAndModelsCanBeRegistered() {
        String text = "machine: {cpus: 2}\nhierarchy: {builder: pairs}\nmodel: push\nmigrator: highest-active";
        assertThat(yamlError(text).field()).isEqualTo("hierarchy.builder");

        Scenario s = READER.withBuilders(Set.of("pairs")).withModels(Set.of("push")).withMigrators(Set.of("highest-active"))
                .read(text, Format.YAML);

        assertThat(s.builder()).isEqualTo("pairs");
        assertThat(s.model()).isEqualTo("push");
        assertThat(s.migrator()).isEqualTo("highest-active");
        assertThat(READER.builders()).isEqualTo(ScenarioReader.DEFAULT_BUILDERS);
    }

    @Test
    void embeddedDefaultScenarioIsValid() {
        Scenario s = READER.readDefault();

        assertThat(s.machine().possibleCpus()).isEqualTo(16);
        assertThat(s.machine().nodeCount()).isEqualTo(2);
        assertThat(s.script()).extracting(Step::op).contains(Op.BUSY, Op.IDLE, Op.ARM, Op.CANCEL, Op.REARM);
        assertThat(s.script()).anyMatch(Step::pinned).anyMatch(st -> st.op() == Op.ARM && !st.pinned() && !st.deferrable());
        assertThat(s.expect()).isNotEmpty();
    }

    @Test
    void exampleScenariosInTheRepositoryAreValid() throws IOException {
        Path dir = Path.of(System.getProperty("tmigr.repo", ".."), "scenarios");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().matches(".*\\.(ya?ml|json)")).sorted().toList();
        }

        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        for (Path f : files) {
            assertThat(READER.read(f).expect()).as(f.toString()).isNotEmpty();
        }
    }

    // ---- bad input: the field path comes first, the message says what is allowed -------------

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("unknown op", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: sleep}]""", "script[0].op", List.of("'sleep'", Op.allowed())),
                Arguments.of("misspelt op", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: bussy}]""", "script[0].op", List.of("did you mean 'busy'")),
                Arguments.of("negative time", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: busy}, {at: -5ms, cpu: 0, op: idle}]""", "script[1].at", List.of("negative", "-5ms")),
                Arguments.of("negative ns", """
                        machine: {cpus: 2}
                        script: [{at: -1, cpu: 0, op: busy}]""", "script[0].at", List.of("negative")),
                Arguments.of("cpu out of range", """
                        machine: {cpus: 4}
                        script: [{at: 0, cpu: 4, op: busy}]""", "script[0].cpu", List.of("0..3", "4")),
                Arguments.of("childrenPerGroup 3", """
                        machine: {cpus: 4}
                        hierarchy: {childrenPerGroup: 3}""", "hierarchy.childrenPerGroup", List.of("3", "power of two", "2..64")),
                Arguments.of("childrenPerGroup 128", """
                        machine: {cpus: 4}
                        hierarchy: {childrenPerGroup: 128}""", "hierarchy.childrenPerGroup", List.of("128")),
                Arguments.of("unknown model", """
                        machine: {cpus: 4}
                        model: pusj""", "model", List.of("'pusj'", "local, mainline, oracle, push, rfc2017")),
                Arguments.of("unknown top-level key", """
                        machine: {cpus: 4}
                        workloads: {}""", "workloads", List.of("unknown key", "did you mean 'workload'", "machine", "expect")),
                Arguments.of("unknown nested key with suggestion", """
                        machine: {cpu: 4}""", "machine.cpu", List.of("did you mean 'cpus'")),
                Arguments.of("in and expiresAt both", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms, expiresAt: 2ms}]""", "script[0]", List.of("exactly one", "both")),
                Arguments.of("arm without time", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t}]""", "script[0]", List.of("neither")),
                Arguments.of("in on busy", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: busy, in: 1ms}]""", "script[0].in", List.of("not allowed for op busy", "at, cpu, op")),
                Arguments.of("pinned on rearm", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms}, {at: 0, cpu: 0, op: rearm, timer: t, in: 1ms, pinned: true}]""",
                        "script[1].pinned", List.of("not allowed for op rearm")),
                Arguments.of("missing at", """
                        machine: {cpus: 2}
                        script: [{cpu: 0, op: busy}]""", "script[0].at", List.of("missing")),
                Arguments.of("missing timer", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: cancel}]""", "script[0].timer", List.of("missing")),
                Arguments.of("expiresAt before the step", """
                        machine: {cpus: 2}
                        script: [{at: 5ms, cpu: 0, op: arm, timer: t, expiresAt: 4ms}]""", "script[0].expiresAt", List.of("4ms", "before", "5ms")),
                Arguments.of("cancel of a timer never armed", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: net, in: 1ms}, {at: 1ms, cpu: 0, op: cancel, timer: nett}]""",
                        "script[1].timer", List.of("'nett'", "did you mean 'net'")),
                Arguments.of("rearm earlier in time than the arm listed before it", """
                        machine: {cpus: 2}
                        script: [{at: 2ms, cpu: 0, op: arm, timer: t, in: 1ms}, {at: 1ms, cpu: 0, op: rearm, timer: t, in: 1ms}]""",
                        "script[1].timer", List.of("not armed", "1ms")),
                Arguments.of("inexact decimal", """
                        machine: {cpus: 2}
                        script: [{at: 1.0000005ms, cpu: 0, op: busy}]""", "script[0].at", List.of("whole number of nanoseconds")),
                Arguments.of("unknown unit", """
                        machine: {cpus: 2}
                        until: 5min""", "until", List.of("unknown unit 'min'", "ns, us, ms, s")),
                Arguments.of("time without unit as string", """
                        machine: {cpus: 2}
                        until: "100\"""", "until", List.of("not a time")),
                Arguments.of("until before the last step", """
                        machine: {cpus: 2}
                        until: 1ms
                        script: [{at: 2ms, cpu: 0, op: busy}]""", "until", List.of("before the last step")),
                Arguments.of("cpus missing", "machine: {nodes: 1}", "machine.cpus", List.of("missing")),
                Arguments.of("machine missing", "hz: 1000", "machine", List.of("missing")),
                Arguments.of("cpus zero", "machine: {cpus: 0}", "machine.cpus", List.of("1..65536", "0")),
                Arguments.of("cpus as string", "machine: {cpus: \"4\"}", "machine.cpus", List.of("\"4\"")),
                Arguments.of("more nodes than cpus", "machine: {cpus: 2, nodes: 3}", "machine.nodes", List.of("1..2")),
                Arguments.of("cpuNodes too short", "machine: {cpus: 3, cpuNodes: [0, 1]}", "machine.cpuNodes", List.of("2", "3")),
                Arguments.of("cpuNodes beyond nodes", "machine: {cpus: 2, nodes: 2, cpuNodes: [0, 2]}", "machine.cpuNodes[1]", List.of("node 2", "0..1")),
                Arguments.of("onlineOrder repeats a CPU", "machine: {cpus: 3, onlineOrder: [0, 2, 0]}", "machine.onlineOrder[2]", List.of("twice")),
                Arguments.of("onlineOrder out of range", "machine: {cpus: 3, onlineOrder: [0, 3]}", "machine.onlineOrder[1]", List.of("0..2")),
                Arguments.of("onlineOrder empty", "machine: {cpus: 3, onlineOrder: []}", "machine.onlineOrder", List.of("empty")),
                Arguments.of("unknown builder", "machine: {cpus: 2}\nhierarchy: {builder: pairs}", "hierarchy.builder", List.of("'pairs'", "kernel, llc")),
                Arguments.of("unknown migrator", "machine: {cpus: 2}\nmigrator: highest", "migrator", List.of("'highest'", "lowest-active")),
                Arguments.of("unknown bug", "machine: {cpus: 2}\nbugs: [missing-cpu-updates]", "bugs[0]", List.of("did you mean 'missing-cpu-update'", Bug.allowed())),
                Arguments.of("bug twice", "machine: {cpus: 2}\nbugs: [missing-cpu-update, missing-cpu-update]", "bugs[1]", List.of("twice")),
                Arguments.of("hz 200", "machine: {cpus: 2}\nhz: 200", "hz", List.of("200", "100, 250, 300, 1000")),
                Arguments.of("checkInvariants as string", "machine: {cpus: 2}\ncheckInvariants: \"no\"", "checkInvariants", List.of("true or false")),
                Arguments.of("expect both firesBy and firesAt", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms}]
                        expect: [{timer: t, firesBy: 2ms, firesAt: 1ms}]""", "expect[0]", List.of("exactly one of firesBy or firesAt")),
                Arguments.of("expect a timer never armed", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms}]
                        expect: [{timer: u, firesBy: 2ms}]""", "expect[0].timer", List.of("'u'", "never armed", "armed: t")),
                Arguments.of("expect on with never", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms}]
                        expect: [{timer: t, firesAt: never, on: 1}]""", "expect[0].on", List.of("never")),
                Arguments.of("expect firesAt garbage", """
                        machine: {cpus: 2}
                        script: [{at: 0, cpu: 0, op: arm, timer: t, in: 1ms}]
                        expect: [{timer: t, firesAt: soon}]""", "expect[0].firesAt", List.of("'soon'", "or never")),
                Arguments.of("expect mixes kinds", """
                        machine: {cpus: 2}
                        expect: [{cpu: 1, violations: 0}]""", "expect[0]", List.of("mixes cpu and violations")),
                Arguments.of("expect key of another kind", """
                        machine: {cpus: 2}
                        expect: [{cpu: 1, wakeupsAtMost: 1, on: 1}]""", "expect[0].on", List.of("unknown key", "wakeupsAtMost")),
                Arguments.of("expect cpu out of range", """
                        machine: {cpus: 2}
                        expect: [{cpu: 2, wakeupsAtMost: 1}]""", "expect[0].cpu", List.of("0..1")),
                Arguments.of("expect cpu without bound", """
                        machine: {cpus: 2}
                        expect: [{cpu: 1}]""", "expect[0]", List.of("wakeupsAtMost")),
                Arguments.of("expect impossible bounds", """
                        machine: {cpus: 2}
                        expect: [{cpu: 1, wakeupsAtMost: 1, wakeupsAtLeast: 2}]""", "expect[0].wakeupsAtLeast", List.of("above")),
                Arguments.of("expect negative violations", """
                        machine: {cpus: 2}
                        expect: [{violations: -1}]""", "expect[0].violations", List.of(">= 0")),
                Arguments.of("script not a list", "machine: {cpus: 2}\nscript: {at: 0}", "script", List.of("list of steps")),
                Arguments.of("step not a mapping", "machine: {cpus: 2}\nscript: [busy]", "script[0]", List.of("mapping", "\"busy\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputNamesTheFieldAndWhatIsAllowed(String what, String text, String field, List<String> fragments) {
        ScenarioException e = yamlError(text);

        assertThat(e).as(what).isNotNull();
        assertThat(e.field()).as(what).isEqualTo(field);
        assertThat(e.getMessage()).as(what).startsWith(field + ": ").contains(fragments);
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        ScenarioException e = yamlError("""
                machine:
                  cpus: 4
                script:
                  - {at: 0, cpu: 0, op: busy
                """);

        assertThat(e.getMessage()).contains("malformed YAML").containsPattern("line [45], column \\d+");
    }

    @Test
    void malformedJsonReportsLineAndColumn() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> READER.read("{\"machine\": {\"cpus\": 4},\n \"hz\": }", Format.JSON));

        assertThat(e.getMessage()).contains("malformed JSON").contains("line 2, column 8");
    }

    @Test
    void duplicateKeyIsAnErrorNotLastOneWins() {
        ScenarioException e = yamlError("machine:\n  cpus: 4\n  cpus: 8\n");

        assertThat(e.field()).isEqualTo("machine.cpus");
        assertThat(e.getMessage()).containsIgnoringCase("duplicate").contains("line 3");
    }

    @Test
    void secondYamlDocumentIsRejected() {
        assertThat(yamlError("machine: {cpus: 4}\n---\nhz: 100\n").getMessage()).contains("malformed YAML");
    }

    @Test
    void emptyDocumentSaysWhatIsNeeded() {
        ScenarioException e = yamlError("# nothing here\n");

        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage()).contains("empty document", "machine.cpus");
    }

    @Test
    void documentThatIsNotAMappingIsRejected() {
        assertThat(yamlError("- just\n- a list\n").getMessage()).contains("expected a mapping");
    }
}
