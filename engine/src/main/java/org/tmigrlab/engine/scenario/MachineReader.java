package org.tmigrlab.engine.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.tmigrlab.api.Machine;
import org.tmigrlab.topologies.machine.LoadedMachine;
import org.tmigrlab.topologies.machine.MachineFormatException;
import org.tmigrlab.topologies.machine.MachineSource;
import org.tmigrlab.topologies.machine.SyntheticMachine;

/**
 * Reads the {@code machine} section. Two forms:
 * <ul>
 *   <li>counts, as always: {@code cpus}, {@code nodes}, {@code cpuNodes};</li>
 *   <li>a source: {@code source: sysfs} (with {@code path}, default {@code /sys}),
 *       {@code source: hwloc} or {@code source: lscpu} (with {@code file}), or
 *       {@code source: synthetic} with the counts of {@link SyntheticMachine}.</li>
 * </ul>
 * Both take {@code onlineOrder}; without it a sysfs machine boots the CPUs that were online when it
 * was read, every other machine all of its CPUs. Relative paths are relative to the scenario
 * file's directory. A file that cannot be used is reported on {@code machine.file} (or
 * {@code machine.path}) with the file's own line or element and the reason.
 */
final class MachineReader {

    /** The machine and its boot order. */
    record Section(Machine machine, int[] onlineOrder) {
    }

    static final List<String> SOURCES = List.of("sysfs", "hwloc", "lscpu", "synthetic");
    private static final List<String> COUNT_KEYS = List.of("cpus", "nodes", "cpuNodes", "onlineOrder");

    private MachineReader() {
    }

    static Section read(JsonNode node, String path, Path baseDir) {
        Fields probe = Fields.of(node, path, "cpus, nodes, cpuNodes, onlineOrder, or a source: " + String.join(", ", SOURCES));
        if (!probe.has("source")) {
            Fields m = probe.allow(COUNT_KEYS);
            int cpus = Fields.asInt(m.required("cpus", "an integer in 1.." + ScenarioReader.MAX_CPUS + " (or a source: "
                    + String.join(", ", SOURCES) + ")"), m.path("cpus"), 1, ScenarioReader.MAX_CPUS);
            return new Section(counted(m, cpus), onlineOrder(m, cpus, null));
        }
        String source = Fields.oneOf(probe.get("source"), probe.path("source"), "machine source", SOURCES);
        Fields m = probe.allow(keys(source));
        LoadedMachine loaded = switch (source) {
            case "sysfs" -> {
                Path root = m.has("path") ? baseDir.resolve(Fields.asText(m.get("path"), m.path("path"))) : MachineSource.LIVE_SYSFS;
                yield load(new MachineSource.Sysfs(root), m.path("path"));
            }
            case "hwloc" -> load(new MachineSource.Hwloc(file(m, baseDir)), m.path("file"));
            case "lscpu" -> load(new MachineSource.Lscpu(file(m, baseDir)), m.path("file"));
            default -> LoadedMachine.allOnline(synthetic(m).toMachine());
        };
        int cpus = loaded.machine().possibleCpus();
        if (cpus > ScenarioReader.MAX_CPUS)
            throw new ScenarioException(m.path("source"), "the machine has " + cpus + " CPUs; the lab takes at most " + ScenarioReader.MAX_CPUS);
        return new Section(loaded.machine(), onlineOrder(m, cpus, loaded.online()));
    }

    /** The keys a source form allows. */
    private static List<String> keys(String source) {
        List<String> keys = new ArrayList<>(List.of("source"));
        switch (source) {
            case "sysfs" -> keys.add("path");
            case "hwloc", "lscpu" -> keys.add("file");
            default -> keys.addAll(SyntheticMachine.KEYS);
        }
        keys.add("onlineOrder");
        return keys;
    }

    private static Path file(Fields m, Path baseDir) {
        return baseDir.resolve(Fields.asText(m.required("file", "the file to read"), m.path("file")));
    }

    private static LoadedMachine load(MachineSource source, String field) {
        try {
            return source.load();
        } catch (MachineFormatException e) {
            throw new ScenarioException(field, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // The api's own checks (a CPU on a node beyond the count, ...) once the file parsed.
            throw new ScenarioException(field, e.getMessage(), e);
        }
    }

    private static SyntheticMachine synthetic(Fields m) {
        int cpus = Fields.asInt(m.required("cpus", "an integer in 1.." + ScenarioReader.MAX_CPUS), m.path("cpus"), 1, ScenarioReader.MAX_CPUS);
        int packages = m.intValue("packages", 1, cpus, 1);
        int nodes = m.intValue("nodes", 1, cpus, 1);
        int llcs = m.intValue("llcs", 1, cpus, packages);
        int smt = m.intValue("smt", 1, cpus, 1);
        String numbering = m.has("numbering")
                ? Fields.oneOf(m.get("numbering"), m.path("numbering"), "numbering", List.of("contiguous", "interleaved")) : "contiguous";
        List<Integer> capacities = new ArrayList<>();
        if (m.has("capacities"))
            for (int c : intList(m.get("capacities"), m.path("capacities"), 1, Integer.MAX_VALUE)) capacities.add(c);
        try {
            return new SyntheticMachine(cpus, packages, nodes, llcs, smt, numbering.equals("interleaved"), capacities);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(m.path(), e.getMessage(), e);
        }
    }

    private static Machine counted(Fields m, int cpus) {
        if (!m.has("cpuNodes")) {
            int nodes = m.intValue("nodes", 1, cpus, 1);
            return Machine.contiguous(cpus, nodes);
        }
        int[] nodeOf = intList(m.get("cpuNodes"), m.path("cpuNodes"), 0, Integer.MAX_VALUE);
        if (nodeOf.length != cpus)
            throw new ScenarioException(m.path("cpuNodes"), "lists " + nodeOf.length + " nodes but machine.cpus is " + cpus
                    + "; give one node per CPU");
        int max = 0;
        for (int n : nodeOf) max = Math.max(max, n);
        // Without an explicit count, the highest node listed decides; a node may still be CPU-less if named by nodes.
        int nodes = m.intValue("nodes", 1, ScenarioReader.MAX_CPUS, max + 1);
        for (int c = 0; c < nodeOf.length; c++) {
            if (nodeOf[c] >= nodes)
                throw new ScenarioException(m.path("cpuNodes") + "[" + c + "]", "node " + nodeOf[c] + " is not below machine.nodes ("
                        + nodes + "); allowed: 0.." + (nodes - 1));
        }
        return Machine.withNodes(nodeOf, nodes);
    }

    /** {@code onlineOrder}, else {@code online} (a source's CPUs up at capture), else every CPU ascending. */
    private static int[] onlineOrder(Fields m, int cpus, List<Integer> online) {
        if (!m.has("onlineOrder")) {
            if (online != null && !online.isEmpty()) return online.stream().mapToInt(Integer::intValue).toArray();
            int[] all = new int[cpus];
            for (int c = 0; c < cpus; c++) all[c] = c;
            return all;
        }
        int[] order = intList(m.get("onlineOrder"), m.path("onlineOrder"), 0, cpus - 1);
        if (order.length == 0)
            throw new ScenarioException(m.path("onlineOrder"), "is empty; at least the boot CPU must come online");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < order.length; i++) {
            if (!seen.add(order[i]))
                throw new ScenarioException(m.path("onlineOrder") + "[" + i + "]", "CPU " + order[i] + " is listed twice; CPUs must be distinct");
        }
        return order;
    }

    private static int[] intList(JsonNode list, String path, int min, int max) {
        if (list == null || !list.isArray()) throw new ScenarioException(path, "expected a list of integers, got " + Fields.show(list));
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = Fields.asInt(list.get(i), path + "[" + i + "]", min, max);
        return out;
    }
}
