package org.tmigrlab.topologies.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.tmigrlab.api.Cpu;

/**
 * Reads a machine from sysfs: the live {@code /sys} or a copied tree of the same files. What is
 * read, relative to the root ({@code /sys}):
 * <pre>
 *   devices/system/cpu/possible                               the CPUs (must be 0..n-1)
 *   devices/system/cpu/online                                 CPUs up at capture (default: possible)
 *   devices/system/cpu/cpuN/topology/physical_package_id      package
 *   devices/system/cpu/cpuN/topology/thread_siblings_list     SMT siblings (or core_cpus_list)
 *   devices/system/cpu/cpuN/cache/indexK/{level,type,shared_cpu_list}   last-level cache sharers
 *   devices/system/cpu/cpuN/cpu_capacity                      capacity (default 1024)
 *   devices/system/node/possible                              NUMA nodes (default: the nodeM dirs)
 *   devices/system/node/nodeM/cpulist                         CPUs of each node
 * </pre>
 * Without {@code devices/system/node} (a kernel without NUMA) everything is node 0. A possible CPU
 * without topology files (not present, or offline: the kernel removes them) is its own core, on
 * package 0, on the first node unless a node lists it. The LLC is the highest-level data or unified cache; without cache
 * directories the package stands in for it. Copying just these files makes a snapshot:
 * <pre>
 *   cd / &amp;&amp; tar cf host.tar sys/devices/system/cpu/{possible,online} sys/devices/system/cpu/cpu[0-9]*&#47;{topology/physical_package_id,topology/thread_siblings_list,cache/index*&#47;level,cache/index*&#47;type,cache/index*&#47;shared_cpu_list,cpu_capacity} sys/devices/system/node/{possible,node[0-9]*&#47;cpulist}
 * </pre>
 */
public final class SysfsReader {
    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");

    private final Path root;
    private final Path cpuDir;
    private final Path nodeDir;

    private SysfsReader(Path root) {
        this.root = root;
        // Accept both /sys and /sys/devices/system: people copy either.
        Path system = Files.isDirectory(root.resolve("devices/system")) ? root.resolve("devices/system") : root;
        this.cpuDir = system.resolve("cpu");
        this.nodeDir = system.resolve("node");
    }

    public static LoadedMachine read(Path root) {
        return new SysfsReader(root).load();
    }

    private LoadedMachine load() {
        if (!Files.isDirectory(root)) throw fail(root, "", "no such directory");
        Path possibleFile = cpuDir.resolve("possible");
        if (!Files.isRegularFile(possibleFile))
            throw fail(root, "", "not a sysfs tree: devices/system/cpu/possible is missing"
                    + " (give the directory that holds devices/system/cpu, e.g. /sys)");
        BitSet possible = cpuList(possibleFile);
        int n = possible.cardinality();
        if (n == 0) throw fail(possibleFile, "", "lists no CPU");
        if (possible.nextClearBit(0) != n)
            throw fail(possibleFile, "", "CPU ids have a gap at " + possible.nextClearBit(0) + " (" + CpuList.format(possible)
                    + "); the lab needs possible CPUs 0..n-1, as Linux numbers them");
        BitSet online = Files.isRegularFile(cpuDir.resolve("online")) ? cpuList(cpuDir.resolve("online")) : possible;
        if (online.length() > n)
            throw fail(cpuDir.resolve("online"), "", "CPU " + (online.length() - 1) + " is online but not possible (" + CpuList.format(possible) + ")");

        List<Integer> nodeIds = nodeIds();
        int[] nodeOf = nodeOfCpus(nodeIds, n);
        CpuTable table = new CpuTable(n);
        for (int c = 0; c < n; c++) {
            Path dir = cpuDir.resolve("cpu" + c);
            if (!Files.isDirectory(dir.resolve("topology"))) {
                table.set(c, nodeOf[c], 0, null, null, Cpu.CAPACITY_SCALE);
                continue;
            }
            int pkg = optionalInt(dir.resolve("topology/physical_package_id"), 0);
            Object core = siblings(dir);
            table.set(c, nodeOf[c], pkg, lastLevelCache(dir), core, capacity(dir));
        }
        List<Integer> up = new ArrayList<>();
        online.stream().forEach(up::add);
        return new LoadedMachine(table.toMachine(nodeIds), up);
    }

    /** Possible node ids, ascending; {@code [0]} without NUMA. */
    private List<Integer> nodeIds() {
        if (!Files.isDirectory(nodeDir)) return List.of(0);
        BitSet ids;
        if (Files.isRegularFile(nodeDir.resolve("possible"))) {
            ids = cpuList(nodeDir.resolve("possible"));
        } else {
            ids = new BitSet();
            try (Stream<Path> s = Files.list(nodeDir)) {
                s.forEach(p -> {
                    Matcher m = NODE_DIR.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isDirectory(p)) ids.set(Integer.parseInt(m.group(1)));
                });
            } catch (IOException e) {
                throw fail(nodeDir, "", "cannot list: " + e.getMessage());
            }
        }
        if (ids.isEmpty()) throw fail(nodeDir, "", "no NUMA node (no node/possible and no nodeM directory)");
        List<Integer> out = new ArrayList<>();
        ids.stream().forEach(out::add);
        return out;
    }

    private int[] nodeOfCpus(List<Integer> nodeIds, int n) {
        int[] nodeOf = new int[n];
        int[] listedIn = new int[n];
        Arrays.fill(listedIn, -1);
        for (int id : nodeIds) {
            Path list = nodeDir.resolve("node" + id).resolve("cpulist");
            if (!Files.isRegularFile(list)) continue; // a node without CPUs may lack the file in a copy
            BitSet cpus = cpuList(list);
            for (int c = cpus.nextSetBit(0); c >= 0; c = cpus.nextSetBit(c + 1)) {
                if (c >= n) throw fail(list, "", "CPU " + c + " is not a possible CPU (0.." + (n - 1) + ")");
                if (listedIn[c] >= 0)
                    throw fail(list, "", "CPU " + c + " is also in node" + listedIn[c] + " (node/node" + listedIn[c]
                            + "/cpulist); a CPU belongs to exactly one node");
                listedIn[c] = id;
            }
        }
        for (int c = 0; c < n; c++) nodeOf[c] = listedIn[c] >= 0 ? listedIn[c] : nodeIds.get(0);
        return nodeOf;
    }

    /** The sibling set itself is the core's identity: core_id repeats in every package. */
    private Object siblings(Path dir) {
        for (String name : List.of("topology/thread_siblings_list", "topology/core_cpus_list")) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) return cpuList(f);
        }
        return null;
    }

    /** The highest-level data or unified cache's sharers, or null without cache information. */
    private Object lastLevelCache(Path dir) {
        Path cacheDir = dir.resolve("cache");
        if (!Files.isDirectory(cacheDir)) return null;
        int bestLevel = -1;
        BitSet best = null;
        List<Path> indexes;
        try (Stream<Path> s = Files.list(cacheDir)) {
            indexes = s.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList();
        } catch (IOException e) {
            throw fail(cacheDir, "", "cannot list: " + e.getMessage());
        }
        for (Path index : indexes) {
            Path typeFile = index.resolve("type");
            if (Files.isRegularFile(typeFile) && text(typeFile).equals("Instruction")) continue;
            Path shared = index.resolve("shared_cpu_list");
            if (!Files.isRegularFile(shared)) continue;
            int level = optionalInt(index.resolve("level"), 0);
            if (level > bestLevel) {
                bestLevel = level;
                best = cpuList(shared);
            }
        }
        return best == null ? null : List.of(bestLevel, best);
    }

    private int capacity(Path dir) {
        int cap = optionalInt(dir.resolve("cpu_capacity"), Cpu.CAPACITY_SCALE);
        if (cap <= 0) throw fail(dir.resolve("cpu_capacity"), "", "capacity must be > 0, got " + cap);
        return cap;
    }

    private BitSet cpuList(Path file) {
        try {
            return CpuList.parse(text(file));
        } catch (IllegalArgumentException e) {
            throw fail(file, "", e.getMessage());
        }
    }

    private int optionalInt(Path file, int dflt) {
        if (!Files.isRegularFile(file)) return dflt;
        String s = text(file);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw fail(file, "", "'" + s + "' is not a number");
        }
    }

    private String text(Path file) {
        try {
            // tar copies sysfs files at their reported size (4096) and pads them with NULs.
            return Files.readString(file, StandardCharsets.US_ASCII).replace("\0", "").strip();
        } catch (NoSuchFileException e) {
            throw fail(file, "", "missing");
        } catch (IOException e) {
            throw fail(file, "", "cannot read: " + e.getMessage());
        }
    }

    private MachineFormatException fail(Path file, String where, String reason) {
        Path shown = file.startsWith(root) && !file.equals(root) ? root.relativize(file) : file;
        return new MachineFormatException(root.toString(), shown.equals(file) ? where : shown.toString(), reason);
    }
}
