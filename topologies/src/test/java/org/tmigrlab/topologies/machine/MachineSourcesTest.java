package org.tmigrlab.topologies.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Machine;

/**
 * The four machine sources on files the real tools wrote (lstopo, lscpu, a sysfs tree), and on
 * files broken on purpose. The strongest check is agreement: one machine described by sysfs,
 * hwloc, lscpu and the synthetic counts must load to the same {@link Machine}.
 */
class MachineSourcesTest {

    @TempDir
    Path dir;

    static Set<Integer> cpusWhere(Machine m, java.util.function.Predicate<Cpu> p) {
        return m.cpus().stream().filter(p).map(Cpu::id).collect(Collectors.toCollection(TreeSet::new));
    }

    static Machine withCapacity(Machine m, int capacity) {
        return new Machine(m.nodeCount(), m.cpus().stream()
                .map(c -> new Cpu(c.id(), c.node(), c.pkg(), c.llc(), c.core(), capacity)).toList());
    }

    @Nested
    class SameMachineFromEverySource {

        @Test
        void x86TwoSocketsWithInterleavedSmtSiblings() {
            Machine synthetic = new SyntheticMachine(16, 2, 2, 4, 2, true, List.of()).toMachine();
            Machine sysfs = SysfsReader.read(Fixtures.path("sysfs/x86-2s-smt2-il")).machine();
            Machine hwloc = HwlocReader.read(Fixtures.path("hwloc/x86-2s-smt2-il.xml")).machine();
            Machine lscpu = LscpuReader.read(Fixtures.path("lscpu/x86-2s-smt2-il.lscpu")).machine();

            assertThat(sysfs).isEqualTo(synthetic);
            assertThat(hwloc).isEqualTo(synthetic);
            assertThat(lscpu).isEqualTo(synthetic);
            // Interleaved: node 0 is 0-3 and 8-11, CPU 0's sibling is CPU 8.
            assertThat(cpusWhere(synthetic, c -> c.node() == 0)).containsExactly(0, 1, 2, 3, 8, 9, 10, 11);
            assertThat(cpusWhere(synthetic, c -> c.core() == synthetic.cpus().get(0).core())).containsExactly(0, 8);
            assertThat(cpusWhere(synthetic, c -> c.llc() == synthetic.cpus().get(0).llc())).containsExactly(0, 1, 8, 9);
        }

        @Test
        void armBigLittleWithCapacities() {
            Machine synthetic = new SyntheticMachine(8, 1, 1, 2, 1, false, List.of(446, 1024)).toMachine();
            Machine sysfs = SysfsReader.read(Fixtures.path("sysfs/arm-bl8")).machine();
            Machine hwloc = HwlocReader.read(Fixtures.path("hwloc/arm-bl8.xml")).machine();
            Machine lscpu = LscpuReader.read(Fixtures.path("lscpu/arm-bl8.lscpu")).machine();

            assertThat(sysfs).isEqualTo(synthetic);
            // hwloc copies cpu_capacity into its cpukinds (LinuxCapacity)
            assertThat(hwloc).isEqualTo(synthetic);
            // lscpu has no capacity column: everything else agrees
            assertThat(lscpu).isEqualTo(withCapacity(synthetic, Cpu.CAPACITY_SCALE));
            assertThat(cpusWhere(sysfs, c -> c.capacity() == 446)).containsExactly(0, 1, 2, 3);
            // no NUMA in the tree (a phone kernel): one node
            assertThat(sysfs.nodeCount()).isEqualTo(1);
        }
    }

    @Nested
    class Hwloc {

        @Test
        void lstopoSyntheticTwoPackagesFourL3Smt2() throws IOException {
            Path xml = Fixtures.path("hwloc/pack2-numa2-l3x2-smt2.xml");
            Machine m = HwlocReader.read(xml).machine();

            assertThat(m.possibleCpus()).isEqualTo(16);
            assertThat(m.nodeCount()).isEqualTo(2);
            assertThat(cpusWhere(m, c -> c.node() == 1)).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
            assertThat(m.cpus().stream().map(Cpu::pkg).distinct()).containsExactly(0, 1);
            assertThat(m.cpus().stream().map(Cpu::core).distinct()).hasSize(8);
            // LLC sharing equals the L3 cpusets lstopo wrote
            Set<Set<Integer>> l3 = m.cpus().stream().map(c -> cpusWhere(m, x -> x.llc() == c.llc())).collect(Collectors.toSet());
            assertThat(l3).isEqualTo(XmlCpusets.of(xml, "L3Cache"));
        }

        @Test
        void interleavedPackagesGiveNodeCpuModTwo() {
            Machine m = HwlocReader.read(Fixtures.path("hwloc/pack2-numa2-l3x2-smt2-il16.xml")).machine();
            for (Cpu c : m.cpus()) assertThat(c.node()).as("cpu %d", c.id()).isEqualTo(c.id() % 2);
        }

        @Test
        void truncatedXmlNamesLineAndColumn() throws IOException {
            String xml = Files.readString(Fixtures.path("hwloc/pack2-numa2-l3x2-smt2.xml"));
            Path cut = Files.writeString(dir.resolve("cut.xml"), xml.substring(0, xml.length() / 2));

            assertThatThrownBy(() -> HwlocReader.read(cut)).isInstanceOf(MachineFormatException.class)
                    .hasMessageStartingWith(cut.toString() + ": line ").hasMessageContaining("malformed XML");
        }

        @Test
        void aCpuInTwoNodesIsRejectedWithBothElements() throws IOException {
            Path xml = Files.writeString(dir.resolve("two.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <!DOCTYPE topology SYSTEM "hwloc2.dtd">
                    <topology version="2.0">
                      <object type="Machine" os_index="0">
                        <object type="NUMANode" os_index="0"/>
                        <object type="NUMANode" os_index="1"/>
                        <object type="Core" os_index="0"><object type="PU" os_index="0"/></object>
                      </object>
                    </topology>
                    """);

            assertThatThrownBy(() -> HwlocReader.read(xml)).isInstanceOf(MachineFormatException.class)
                    .hasMessageContaining("line 7: <object type=\"PU\" os_index=\"0\">")
                    .hasMessageContaining("in two nodes: NUMANode os_index 0 (line 5) and NUMANode os_index 1 (line 6)");
        }

        @Test
        void aMemoryOnlyNodeWithSubtypeDoesNotCount() throws IOException {
            Path xml = Files.writeString(dir.resolve("hbm.xml"), """
                    <topology version="2.0">
                      <object type="Machine" os_index="0">
                        <object type="NUMANode" os_index="0"/>
                        <object type="NUMANode" os_index="1" subtype="HBM"/>
                        <object type="Core" os_index="0"><object type="PU" os_index="0"/></object>
                      </object>
                    </topology>
                    """);

            Machine m = HwlocReader.read(xml).machine();
            assertThat(m.nodeCount()).isEqualTo(2);
            assertThat(m.nodeOf(0)).isZero();
        }

        @Test
        void gapsMissingIndexesAndWrongRootsAreNamed() throws IOException {
            Path gap = Files.writeString(dir.resolve("gap.xml"), """
                    <topology><object type="Machine"><object type="PU" os_index="0"/><object type="PU" os_index="2"/></object></topology>
                    """);
            Path noIndex = Files.writeString(dir.resolve("noindex.xml"), """
                    <topology>
                      <object type="PU"/>
                    </topology>
                    """);
            Path notHwloc = Files.writeString(dir.resolve("pom.xml"), "<project/>");
            Path empty = Files.writeString(dir.resolve("empty.xml"), "<topology/>");

            assertThatThrownBy(() -> HwlocReader.read(gap)).hasMessageContaining("PU os_index 1 is missing");
            assertThatThrownBy(() -> HwlocReader.read(noIndex)).hasMessageContaining("line 2: <object type=\"PU\">: os_index is missing");
            assertThatThrownBy(() -> HwlocReader.read(notHwloc)).hasMessageContaining("expected <topology>");
            assertThatThrownBy(() -> HwlocReader.read(empty)).hasMessageContaining("no PU object");
            assertThatThrownBy(() -> HwlocReader.read(dir.resolve("nope.xml"))).hasMessageEndingWith("no such file");
        }

        @Test
        void externalEntitiesAreNeverLoaded() throws IOException {
            Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t");
            Path xml = Files.writeString(dir.resolve("xxe.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE topology [<!ENTITY x SYSTEM \""
                    + secret.toUri() + "\">]>\n<topology><object type=\"PU\" os_index=\"&x;\"/></topology>\n");

            assertThatThrownBy(() -> HwlocReader.read(xml)).isInstanceOf(MachineFormatException.class)
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    @Nested
    class Lscpu {

        @Test
        void theHostCaptureLoads() {
            Machine m = LscpuReader.read(Fixtures.path("lscpu/host.lscpu")).machine();
            assertThat(m.possibleCpus()).isPositive();
        }

        @Test
        void oldUtilLinuxWritesCachesAsOneColumn() throws IOException {
            Path f = Files.writeString(dir.resolve("old.lscpu"), """
                    # The following is the parsable format, which can be fed to other
                    # CPU,Core,Socket,Node,,L1d:L1i:L2:L3
                    0,0,0,0,,0:0:0:0
                    1,0,0,0,,0:0:0:0
                    2,1,0,0,,1:1:1:1
                    3,1,0,0,,1:1:1:1
                    """);

            Machine m = LscpuReader.read(f).machine();
            assertThat(cpusWhere(m, c -> c.llc() == m.cpus().get(0).llc())).containsExactly(0, 1);
            assertThat(cpusWhere(m, c -> c.core() == m.cpus().get(2).core())).containsExactly(2, 3);
        }

        @Test
        void aCpuListedOnTwoNodesNamesBothLines() throws IOException {
            Path f = Files.writeString(dir.resolve("two.lscpu"), """
                    # CPU,Core,Socket,Node
                    0,0,0,0
                    1,1,0,0
                    1,1,0,1
                    """);

            assertThatThrownBy(() -> LscpuReader.read(f)).isInstanceOf(MachineFormatException.class)
                    .hasMessage(f + ": line 4: CPU 1 is listed again (first on line 3); now on node 1, line 3 put it on node 0:"
                            + " a CPU belongs to exactly one node");
        }

        @Test
        void badLinesAreNamed() throws IOException {
            Path fields = Files.writeString(dir.resolve("f.lscpu"), "# CPU,Core,Socket,Node\n0,0,0\n");
            Path letters = Files.writeString(dir.resolve("l.lscpu"), "# CPU,Core,Socket,Node\n0,x,0,0\n");
            Path gap = Files.writeString(dir.resolve("g.lscpu"), "# CPU,Core,Socket,Node\n0,0,0,0\n2,1,0,0\n");
            Path noHeader = Files.writeString(dir.resolve("h.lscpu"), "0,0,0,0\n");
            Path nothing = Files.writeString(dir.resolve("n.lscpu"), "");

            assertThatThrownBy(() -> LscpuReader.read(fields)).hasMessage(fields + ": line 2: has 3 fields, the header (line 1) has 4");
            assertThatThrownBy(() -> LscpuReader.read(letters)).hasMessage(letters + ": line 2: Core 'x' is not a number");
            assertThatThrownBy(() -> LscpuReader.read(gap)).hasMessageContaining("CPU 1 is missing");
            assertThatThrownBy(() -> LscpuReader.read(noHeader)).hasMessageContaining("line 1: data before the column header");
            assertThatThrownBy(() -> LscpuReader.read(nothing)).hasMessageContaining("no CPU line");
        }
    }

    @Nested
    class Sysfs {

        @Test
        void theHostSnapshotLoads() {
            LoadedMachine m = SysfsReader.read(Fixtures.path("sysfs/host"));
            assertThat(m.machine().possibleCpus()).isPositive();
            assertThat(m.online()).isNotEmpty();
        }

        @Test
        void theLiveHostLoads() {
            assumeThat(Path.of("/sys/devices/system/cpu/possible")).exists();
            LoadedMachine m = SysfsReader.read(MachineSource.LIVE_SYSFS);
            assertThat(m.machine().possibleCpus()).isGreaterThanOrEqualTo(m.online().size());
        }

        @Test
        void anEmptyDirectoryIsNotASysfsTree() {
            assertThatThrownBy(() -> SysfsReader.read(dir)).isInstanceOf(MachineFormatException.class)
                    .hasMessage(dir + ": not a sysfs tree: devices/system/cpu/possible is missing"
                            + " (give the directory that holds devices/system/cpu, e.g. /sys)");
            assertThatThrownBy(() -> SysfsReader.read(dir.resolve("nope"))).hasMessageEndingWith("no such directory");
        }

        @Test
        void aCpuInTwoNodesNamesTheNodeFiles() throws IOException {
            Path root = tree("0-3", "0-2", "2-3");

            assertThatThrownBy(() -> SysfsReader.read(root)).isInstanceOf(MachineFormatException.class)
                    .hasMessage(root + ": devices/system/node/node1/cpulist: CPU 2 is also in node0 (node/node0/cpulist);"
                            + " a CPU belongs to exactly one node");
        }

        @Test
        void garbageInAFileNamesTheFile() throws IOException {
            Path root = tree("0-1", "0-1");
            Path pkg = root.resolve("devices/system/cpu/cpu1/topology/physical_package_id");
            Files.createDirectories(pkg.getParent());
            Files.writeString(pkg, "two\n");
            Path badList = tree("0-x");

            assertThatThrownBy(() -> SysfsReader.read(root))
                    .hasMessage(root + ": devices/system/cpu/cpu1/topology/physical_package_id: 'two' is not a number");
            assertThatThrownBy(() -> SysfsReader.read(badList)).hasMessageContaining("devices/system/cpu/possible: '0-x' is not a CPU number");
        }

        @Test
        void filesPaddedWithNulsByTarStillRead() throws IOException {
            Path root = tree("0-1", "0-1");
            Files.writeString(root.resolve("devices/system/cpu/possible"), "0-1\n" + "\0".repeat(4092));
            assertThat(SysfsReader.read(root).machine().possibleCpus()).isEqualTo(2);
        }

        @Test
        void withoutTopologyFilesEachCpuIsItsOwnCore() throws IOException {
            Machine m = SysfsReader.read(tree("0-3")).machine();
            assertThat(m.nodeCount()).isEqualTo(1);
            assertThat(m.cpus().stream().map(Cpu::core).distinct()).hasSize(4);
            assertThat(m.cpus().stream().map(Cpu::llc).distinct()).hasSize(1);
        }

        /** A sysfs tree with {@code possible} and one cpulist per node (none: no NUMA directory). */
        private Path tree(String possible, String... nodes) throws IOException {
            Path root = Files.createTempDirectory(dir, "sys");
            Path cpu = Files.createDirectories(root.resolve("devices/system/cpu"));
            Files.writeString(cpu.resolve("possible"), possible + "\n");
            for (int n = 0; n < nodes.length; n++) {
                Path node = Files.createDirectories(root.resolve("devices/system/node/node" + n));
                Files.writeString(node.resolve("cpulist"), nodes[n] + "\n");
            }
            return root;
        }
    }

    @Nested
    class Synthetic {

        @Test
        void contiguousKeepsSiblingsAdjacentInterleavedPutsThemACoreCountApart() {
            Machine contiguous = new SyntheticMachine(8, 1, 1, 1, 2, false, List.of()).toMachine();
            Machine interleaved = new SyntheticMachine(8, 1, 1, 1, 2, true, List.of()).toMachine();

            assertThat(cpusWhere(contiguous, c -> c.core() == 0)).containsExactly(0, 1);
            assertThat(cpusWhere(interleaved, c -> c.core() == 0)).containsExactly(0, 4);
        }

        @Test
        void subNumaNodesTakeWholeLlcs() {
            Machine m = new SyntheticMachine(32, 2, 4, 4, 2, false, List.of()).toMachine();
            assertThat(IntStream.range(0, 4).map(n -> cpusWhere(m, c -> c.node() == n).size())).containsOnly(8);
            for (Cpu c : m.cpus()) assertThat(c.node()).isEqualTo(c.llc());
        }

        @Test
        void countsThatDoNotDivideNameTheKeys() {
            assertThatThrownBy(() -> new SyntheticMachine(30, 1, 1, 1, 4, false, List.of())).hasMessage("cpus (30) must be a multiple of smt (4)");
            assertThatThrownBy(() -> new SyntheticMachine(16, 2, 1, 3, 1, false, List.of())).hasMessageContaining("llcs (3) must be a multiple of packages (2)");
            assertThatThrownBy(() -> new SyntheticMachine(16, 2, 3, 2, 1, false, List.of())).hasMessageContaining("nodes (3)");
            assertThatThrownBy(() -> new SyntheticMachine(8, 1, 1, 2, 1, false, List.of(1024))).hasMessageContaining("one per LLC (2)");
            assertThatThrownBy(() -> new SyntheticMachine(0, 1, 1, 1, 1, false, List.of())).hasMessage("cpus must be >= 1, got 0");
        }
    }

    @Nested
    class Specs {

        @Test
        void everyFormParses() {
            assertThat(MachineSource.parse("sysfs")).isEqualTo(new MachineSource.Sysfs(Path.of("/sys")));
            assertThat(MachineSource.parse("sysfs:/tmp/snap")).isEqualTo(new MachineSource.Sysfs(Path.of("/tmp/snap")));
            assertThat(MachineSource.parse("hwloc:x.xml")).isEqualTo(new MachineSource.Hwloc(Path.of("x.xml")));
            assertThat(MachineSource.parse("lscpu:x.txt")).isEqualTo(new MachineSource.Lscpu(Path.of("x.txt")));
            assertThat(MachineSource.parse("synthetic:cpus=16,packages=2,nodes=2,llcs=4,smt=2,numbering=interleaved,capacities=1/2/3/4"))
                    .isEqualTo(new MachineSource.Synthetic(new SyntheticMachine(16, 2, 2, 4, 2, true, List.of(1, 2, 3, 4))));
        }

        @Test
        void badSpecsSayWhatIsAccepted() {
            assertThatThrownBy(() -> MachineSource.parse("numa:4")).hasMessageContaining("unknown machine source 'numa'")
                    .hasMessageContaining("hwloc:FILE");
            assertThatThrownBy(() -> MachineSource.parse("hwloc")).hasMessage("hwloc needs FILE, e.g. hwloc:FILE");
            assertThatThrownBy(() -> MachineSource.parse("synthetic:cpus=8,cores=4")).hasMessageStartingWith("synthetic: 'cores=4' is not KEY=VALUE");
            assertThatThrownBy(() -> MachineSource.parse("synthetic:nodes=2")).hasMessage("synthetic: cpus=N is required");
            assertThatThrownBy(() -> MachineSource.parse("synthetic:cpus=8,smt=3")).hasMessage("synthetic: cpus (8) must be a multiple of smt (3)");
            assertThatThrownBy(() -> MachineSource.parse("synthetic:cpus=eight")).hasMessage("synthetic: cpus 'eight' is not a number");
        }
    }

    @Test
    void cpuListsRoundTrip() {
        assertThat(CpuList.format(CpuList.parse("0-3,8,10-11\n"))).isEqualTo("0-3,8,10-11");
        assertThat(CpuList.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> CpuList.parse("3-1")).hasMessageContaining("runs backwards");
    }
}
