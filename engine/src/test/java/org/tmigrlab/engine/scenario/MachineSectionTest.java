package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.ScenarioReader.Format;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.trace.TraceSink;

/** {@code machine:} from a source, {@code hierarchy.sizing}, and the names the reader accepts. */
class MachineSectionTest {

    @TempDir
    Path dir;

    static final ScenarioReader READER = new ScenarioReader();

    static Path repo() {
        return Path.of(System.getProperty("tmigr.repo", "..")).toAbsolutePath().normalize();
    }

    static Path machines() {
        return repo().resolve("scenarios/machines");
    }

    private ScenarioException error(String yaml) {
        try {
            READER.relativeTo(dir).read(yaml, Format.YAML);
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("no error for\n" + yaml);
    }

    @Test
    void theDefaultNamesAreTheEnginesBuiltIns() {
        Catalog c = Lab.defaultCatalog();
        assertThat(ScenarioReader.DEFAULT_BUILDERS).isEqualTo(c.builders().keySet());
        assertThat(ScenarioReader.DEFAULT_MIGRATORS).isEqualTo(c.migrators().keySet());
        assertThat(ScenarioReader.DEFAULT_SIZINGS).isEqualTo(c.sizings().keySet());
        assertThat(ScenarioReader.DEFAULT_MODELS).isEqualTo(c.models().keySet());
    }

    @Test
    void aHwlocFileIsFoundBesideTheScenario() throws IOException {
        Files.copy(machines().resolve("2s-16cpu-4l3-smt2.xml"), dir.resolve("m.xml"));
        Path scenario = Files.writeString(dir.resolve("s.yaml"), "machine: {source: hwloc, file: m.xml}\n");

        Scenario s = READER.read(scenario);

        assertThat(s.machine().possibleCpus()).isEqualTo(16);
        assertThat(s.machine().nodeCount()).isEqualTo(2);
        assertThat(s.onlineOrder()).hasSize(16);
    }

    @Test
    void lscpuAndSyntheticDescribeTheSameMachine() {
        Scenario fromLscpu = READER.relativeTo(machines()).read("machine: {source: lscpu, file: x86-2s-16cpu-il.lscpu}", Format.YAML);
        Scenario synthetic = READER.read("""
                machine: {source: synthetic, cpus: 16, packages: 2, nodes: 2, llcs: 4, smt: 2, numbering: interleaved}
                """, Format.YAML);

        assertThat(fromLscpu.machine()).isEqualTo(synthetic.machine());
    }

    @Test
    void syntheticCapacitiesAndOnlineOrder() {
        Scenario s = READER.read("""
                machine: {source: synthetic, cpus: 8, llcs: 2, capacities: [446, 1024], onlineOrder: [4, 0]}
                """, Format.YAML);

        assertThat(s.machine().cpus().stream().map(Cpu::capacity).distinct()).containsExactly(446, 1024);
        assertThat(s.onlineOrder()).containsExactly(4, 0);
    }

    @Test
    void theLiveHostBootsItsOnlineCpusAndRunsAScenario() {
        assumeThat(Path.of("/sys/devices/system/cpu/possible")).exists();
        Scenario s = Runs.scenario("""
                machine: {source: sysfs}
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 1ms, cpu: 0, op: arm, timer: T, in: 3ms}
                  - {at: 2ms, cpu: 0, op: idle}
                """);
        RunResult r = Lab.run(s, TraceSink.NONE);

        assertThat(s.onlineOrder()).isNotEmpty();
        assertThat(r.violations()).isEmpty();
        assertThat(Runs.timer(r, "T").firedOn()).isZero();
    }

    @Test
    void theCountsFormIsUnchanged() {
        Scenario s = READER.read("machine: {cpus: 6, cpuNodes: [0, 1, 0, 1, 0, 1], onlineOrder: [1, 0]}", Format.YAML);
        assertThat(s.machine().nodeOf(3)).isEqualTo(1);
        assertThat(s.onlineOrder()).containsExactly(1, 0);
        assertThat(s.sizing()).isNull();
    }

    @Test
    void malformedMachineFilesNameTheFieldTheFileAndTheReason() throws IOException {
        String xml = Files.readString(machines().resolve("2s-16cpu-4l3-smt2.xml"));
        Files.writeString(dir.resolve("cut.xml"), xml.substring(0, 2000));
        Path sys = Files.createDirectories(dir.resolve("sys/devices/system/cpu"));
        Files.writeString(sys.resolve("possible"), "0-3\n");
        Files.createDirectories(dir.resolve("sys/devices/system/node/node0"));
        Files.createDirectories(dir.resolve("sys/devices/system/node/node1"));
        Files.writeString(dir.resolve("sys/devices/system/node/node0/cpulist"), "0-2\n");
        Files.writeString(dir.resolve("sys/devices/system/node/node1/cpulist"), "2-3\n");
        Files.createDirectories(dir.resolve("empty"));

        ScenarioException truncated = error("machine: {source: hwloc, file: cut.xml}");
        assertThat(truncated.field()).isEqualTo("machine.file");
        assertThat(truncated.detail()).startsWith(dir.resolve("cut.xml") + ": line ").contains("malformed XML");

        ScenarioException twoNodes = error("machine: {source: sysfs, path: sys}");
        assertThat(twoNodes.field()).isEqualTo("machine.path");
        assertThat(twoNodes.detail()).contains("devices/system/node/node1/cpulist: CPU 2 is also in node0");

        assertThat(error("machine: {source: sysfs, path: empty}").detail()).contains("not a sysfs tree");
        assertThat(error("machine: {source: lscpu, file: nope.txt}").detail()).endsWith("nope.txt: no such file");
    }

    @Test
    void sourceKeysAreCheckedPerSource() {
        assertThat(error("machine: {source: hwloc, path: x}").getMessage())
                .isEqualTo("machine.path: unknown key 'path'; allowed here: source, file, onlineOrder");
        assertThat(error("machine: {source: hwloc}").getMessage()).isEqualTo("machine.file: missing; expected the file to read");
        assertThat(error("machine: {source: numa}").getMessage()).startsWith("machine.source: unknown machine source 'numa'")
                .endsWith("allowed: sysfs, hwloc, lscpu, synthetic");
        assertThat(error("machine: {source: synthetic, cpus: 30, smt: 4}").getMessage())
                .isEqualTo("machine: cpus (30) must be a multiple of smt (4)");
        assertThat(error("machine: {source: synthetic, cpus: 8, numbering: spread}").field()).isEqualTo("machine.numbering");
        assertThat(error("machine: {source: synthetic, cpus: 4, onlineOrder: [4]}").field()).isEqualTo("machine.onlineOrder[0]");
        assertThat(error("machine: {}").getMessage()).contains("machine.cpus: missing", "or a source: sysfs, hwloc, lscpu, synthetic");
    }

    @Test
    void sizingIsAListOrAName() {
        assertThat(READER.read("machine: {cpus: 4}\nhierarchy: {builder: sized, sizing: [2, 8, 8]}", Format.YAML).sizing())
                .isEqualTo("[2, 8, 8]");
        assertThat(READER.read("machine: {cpus: 4}\nhierarchy: {sizing: uniform-4}", Format.YAML).sizing()).isEqualTo("uniform-4");
        assertThat(error("machine: {cpus: 4}\nhierarchy: {sizing: [2, 3]}").getMessage())
                .startsWith("hierarchy.sizing[1]: 3 is not allowed; expected a power of two");
        assertThat(error("machine: {cpus: 4}\nhierarchy: {sizing: []}").field()).isEqualTo("hierarchy.sizing");
        assertThat(error("machine: {cpus: 4}\nhierarchy: {sizing: wide}").getMessage())
                .startsWith("hierarchy.sizing: unknown sizing 'wide'").contains("uniform-16");
        assertThat(error("machine: {cpus: 4}\nhierarchy: {childrenPerGroup: 4, sizing: [2]}").getMessage())
                .contains("either childrenPerGroup", "or sizing");
    }

    @Test
    void aPerLevelSizingShapesTheRunsTree() {
        var sim = Runs.simulator("""
                machine: {cpus: 16}
                hierarchy: {builder: sized, sizing: [2, 4]}
                until: 1ms
                """);
        sim.runUntil(0);
        var h = sim.hierarchy();
        assertThat(h.groups().stream().filter(g -> g.level() == 0).map(g -> g.cpus().size())).containsOnly(2);
        assertThat(h.levels()).isEqualTo(3);
    }

    @Test
    void theKernelBuilderStillRefusesUnevenSizings() {
        Scenario s = Runs.scenario("machine: {cpus: 16}\nhierarchy: {sizing: [2, 8]}");
        assertThatThrownBy(() -> Lab.run(s, TraceSink.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the same at every level for the kernel builder");
    }

    @Test
    void withMachineAndCopiesKeepTheSizing() {
        Scenario s = Runs.scenario("machine: {cpus: 4}\nhierarchy: {builder: sized, sizing: [2, 4]}");
        assertThat(s.withSeed(9).sizing()).isEqualTo("[2, 4]");
        assertThat(s.withMachine(org.tmigrlab.api.Machine.contiguous(8, 2), "--machine").sizing()).isEqualTo("[2, 4]");
        assertThat(s.withChildrenPerGroup(8).sizing()).isNull();
    }
}
