package org.tmigrlab.console.cli;

import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Issue 4 acceptance through the command line: the host's sysfs runs a scenario (2), an example
 * plugin jar dropped into an empty plugins directory shows up in {@code tmigr catalog} and is
 * usable by name, and removing it gives the unknown-name error listing what is known (3), and
 * malformed machine files exit 2 naming the file and the reason (5).
 */
class MachinesAndPluginsTest {

    @TempDir
    Path dir;



    private static Path scenarios() {
        return ExamplePluginJars.repo().resolve("scenarios");
    }

    /** Busy CPUs 0-2, CPU 0 the migrator; when it idles, highest-active hands over to CPU 2 (the kernel: CPU 1). */
    private Path handOverScenario() throws IOException {
        return Files.writeString(dir.resolve("hand-over.yaml"), """
                machine: {cpus: 4}
                hierarchy: {childrenPerGroup: 4}
                migrator: highest-active
                script:
                  - {at: 1ms, cpu: 0, op: busy}
                  - {at: 1ms, cpu: 1, op: busy}
                  - {at: 1ms, cpu: 2, op: busy}
                  - {at: 1ms, cpu: 3, op: busy}
                  - {at: 2ms, cpu: 3, op: arm, timer: T, in: 5ms}
                  - {at: 3ms, cpu: 3, op: idle}
                  - {at: 4ms, cpu: 0, op: idle}
                expect:
                  - {timer: T, firesBy: 8ms, on: 2}
                """);
    }

    @Test
    void aPluginJarDroppedInIsListedUsableAndMissedWhenRemoved() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path scenario = handOverScenario();
        Outcome before = tmigr("catalog", "--plugins", plugins.toString());
        assertThat(before.code()).isZero();
        assertThat(before.out()).doesNotContain("highest-active");

        Path jar = ExamplePluginJars.copyTo(plugins, "policy-pack");

        Outcome catalog = tmigr("catalog", "--plugins", plugins.toString());
        assertThat(catalog.code()).isZero();
        assertThat(catalog.out()).containsPattern("migrator +highest-active +policy-pack \\(" + java.util.regex.Pattern.quote(jar.toString()) + "\\)")
                .containsPattern("migrator +least-recent +policy-pack")
                .containsPattern("migrator +lowest-active +built-in +the kernel's rule");
        Outcome run = tmigr("run", scenario.toString(), "--plugins", plugins.toString());
        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("✓");

        Files.delete(jar);

        Outcome gone = tmigr("run", scenario.toString(), "--plugins", plugins.toString());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).contains(scenario + ": migrator: unknown migrator 'highest-active'",
                "allowed: llc-affine, lowest-active, numa-affine, random, round-robin, sticky");
        assertThat(tmigr("catalog", "--plugins", plugins.toString()).out()).doesNotContain("highest-active");
    }

    @Test
    void aTopologyPluginAddsABuilderAndASizing() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        ExamplePluginJars.copyTo(plugins, "topology-example");

        Outcome tree = tmigr("topology", "--machine", "synthetic:cpus=16,packages=2,nodes=2", "--builder", "node",
                "--plugins", plugins.toString());
        assertThat(tree.code()).as(tree.err()).isZero();
        assertThat(tree.out()).startsWith("node hierarchy: 16 possible CPUs, 2 nodes")
                .contains("GRP0:0 node=0 mask=0x1 cpus=0-7", "GRP0:1 node=1 mask=0x2 cpus=8-15");

        Path scenario = Files.writeString(dir.resolve("wide.yaml"), """
                machine: {cpus: 16}
                hierarchy: {builder: sized, sizing: wide-top}
                script: [{at: 0, cpu: 0, op: busy}]
                """);
        assertThat(tmigr("run", scenario.toString(), "--plugins", plugins.toString()).code()).isZero();
        assertThat(tmigr("catalog", "--plugins", plugins.toString(), "--format", "json").out())
                .contains("\"name\" : \"wide-top\"", "\"origin\" : \"topology-example (");
    }

    @Test
    void theHostsOwnSysfsRunsAScenario() {
        assumeThat(Path.of("/sys/devices/system/cpu/possible")).exists();
        Outcome run = tmigr("run", scenarios().resolve("host.yaml").toString());
        assertThat(run.code()).as(run.err() + run.out()).isZero();

        Outcome tree = tmigr("topology", "--machine", "sysfs", "--builder", "llc");
        assertThat(tree.code()).as(tree.err()).isZero();
        assertThat(tree.out()).startsWith("llc hierarchy: ");
    }

    @Test
    void machineReplacesTheScenariosMachine() {
        Outcome ok = tmigr("run", scenarios().resolve("quickstart.yaml").toString(),
                "--machine", "hwloc:" + scenarios().resolve("machines/2s-16cpu-4l3-smt2.xml"), "--format", "json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("\"cpus\": 16");

        Outcome small = tmigr("run", scenarios().resolve("quickstart.yaml").toString(), "--machine", "synthetic:cpus=1");
        assertThat(small.code()).isEqualTo(2);
        assertThat(small.err()).contains("--machine: 1 CPUs are too few: script[", "uses CPU 1");
    }

    @Test
    void malformedMachineFilesExitTwoWithFileAndReason() throws IOException {
        String xml = Files.readString(scenarios().resolve("machines/2s-16cpu-4l3-smt2.xml"));
        Path cut = Files.writeString(dir.resolve("cut.xml"), xml.substring(0, xml.length() / 3));
        Path scenario = Files.writeString(dir.resolve("s.yaml"), "machine: {source: hwloc, file: cut.xml}\n");
        Path twoNodes = Files.writeString(dir.resolve("two.lscpu"), "# CPU,Core,Socket,Node\n0,0,0,0\n1,1,0,0\n1,1,0,1\n");
        Path emptySys = Files.createDirectories(dir.resolve("empty-sys"));

        Outcome truncated = tmigr("run", scenario.toString());
        assertThat(truncated.code()).isEqualTo(2);
        assertThat(truncated.err()).contains(scenario + ": machine.file: " + cut + ": line ", "malformed XML");

        Outcome inTwo = tmigr("topology", "--machine", "lscpu:" + twoNodes);
        assertThat(inTwo.code()).isEqualTo(2);
        assertThat(inTwo.err()).contains("--machine: " + twoNodes + ": line 4: CPU 1 is listed again", "a CPU belongs to exactly one node");

        Outcome empty = tmigr("run", scenarios().resolve("quickstart.yaml").toString(), "--machine", "sysfs:" + emptySys);
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--machine: " + emptySys + ": not a sysfs tree");

        assertThat(tmigr("topology", "--machine", "numa:2").err()).contains("unknown machine source 'numa'", "hwloc:FILE");
    }

    @Test
    void catalogListsEveryKindWithItsOrigin() throws IOException {
        Outcome json = tmigr("catalog", "--format", "json");
        assertThat(json.code()).isZero();
        JsonNode list = new ObjectMapper().readTree(json.out()).get("strategies");
        assertThat(list.findValuesAsText("kind")).contains("builder", "migrator", "model", "sizing");
        assertThat(list.findValuesAsText("name")).contains("kernel", "flat", "llc", "smt", "sized", "capacity",
                "lowest-active", "sticky", "round-robin", "numa-affine", "llc-affine", "random", "mainline", "uniform-8");
        for (JsonNode e : list) {
            if (e.get("kind").asText().equals("builder") || e.get("kind").asText().equals("migrator"))
                assertThat(e.get("description").asText()).as(e.get("name").asText()).isNotBlank();
        }
        assertThat(tmigr("catalog", "--plugins", dir.resolve("nope").toString()).err())
                .contains("--plugins: " + dir.resolve("nope") + ": no such plugins directory");
    }

    @Test
    void topologyFlagsForBuildersAndMachines() {
        Path bigLittle = scenarios().resolve("machines/arm-biglittle-8cpu.xml");
        Outcome capacity = tmigr("topology", "--machine", "hwloc:" + bigLittle, "--builder", "capacity");
        assertThat(capacity.code()).as(capacity.err()).isZero();
        assertThat(capacity.out()).contains("capacity 446:\n  GRP0:", "capacity 1024:\n  GRP0:");

        Outcome sized = tmigr("topology", "--cpus", "16", "--builder", "sized", "--sizing", "2,8", "--format", "json");
        assertThat(sized.code()).as(sized.err()).isZero();
        assertThat(sized.out()).contains("\"builder\" : \"sized\"", "\"sizing\" : \"[2, 8]\"");

        assertThat(tmigr("topology", "--cpus", "4", "--machine", "sysfs").err()).contains("--machine replaces --cpus");
        assertThat(tmigr("topology").err()).contains("give the machine");
        assertThat(tmigr("topology", "--cpus", "4", "--builder", "pairs").err())
                .contains("--builder: unknown name 'pairs'; known: capacity, flat, kernel, llc, sized, smt");
        assertThat(tmigr("topology", "--cpus", "16", "--sizing", "2,8").err()).contains("the same at every level for the kernel builder");
    }
}
