package org.tmigrlab.console.cli;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.GroupSizing;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.HierarchyBuilder;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.topologies.HierarchyInvariants;
import org.tmigrlab.topologies.machine.LoadedMachine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr topology}: the hierarchy the kernel (or another builder) builds for a machine, as a
 * tree for people or as JSON for tools (tools/check_kernel_trees.py compares it with trees
 * captured from a real kernel). Levels are always sized from all possible CPUs, as
 * {@code tmigr_init()} sizes them, even when {@code --online} prepares only some of them. The
 * machine is {@code --cpus}/{@code --nodes}/{@code --cpu-nodes}, or a real one with
 * {@code --machine}.
 */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = {"Print the timer-migration hierarchy the kernel (or --builder) builds for a machine:",
                "--cpus/--nodes/--cpu-nodes, or a real one with --machine (e.g. --machine sysfs for this host)."})
public final class TopologyCommand implements Callable<Integer> {

    /** CONFIG_NR_CPUS can go no higher (x86 MAXSMP). */
    static final int MAX_CPUS = 8192;
    /** 1 << CONFIG_NODES_SHIFT at its maximum. */
    static final int MAX_NODES = 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--cpus", paramLabel = "C", description = "possible CPUs (1..8192); or give --machine")
    Integer cpus;

    @Option(names = "--nodes", paramLabel = "N",
            description = "possible NUMA nodes (default 1); CPUs are split contiguously unless --cpu-nodes is given")
    Integer nodes;

    @Mixin
    MachineOption machineSource;

    @Mixin
    PluginsOption plugins;

    @Option(names = "--builder", defaultValue = "kernel", paramLabel = "NAME",
            description = "hierarchy builder (default ${DEFAULT-VALUE}); tmigr catalog lists them")
    String builderName;

    @Option(names = "--sizing", paramLabel = "K0,K1,...|NAME",
            description = "children per group at each level, e.g. 2,8,8 (the last repeats), or a sizing name; builders other than kernel")
    String sizing;

    @Option(names = "--cpu-nodes", paramLabel = "N0,N1,...", description = "node of each CPU, C entries, each below --nodes")
    String cpuNodes;

    @Option(names = "--online", paramLabel = "LIST",
            description = "CPUs in the order they are first prepared, e.g. 0,1,8 or 0-7,16 (default: 0..C-1)")
    String online;

    @Option(names = "--bugs", paramLabel = "LIST", description = "historical defects to switch on, comma separated; "
            + "only imbalanced-numa-trees changes the tree")
    String bugs;

    @Option(names = "--children-per-group", paramLabel = "K",
            description = "children per group, a power of two in 2..64 (kernel: 8)")
    Integer childrenPerGroupOption;

    /** {@code --children-per-group}, or the kernel's 8. */
    private int childrenPerGroup = 8;

    @Option(names = "--format", defaultValue = "tree", paramLabel = "tree|json", description = "output format (default ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("tree") && !format.equals("json"))
            throw new BadInputException("--format must be tree or json, got '" + format + "'");
        LoadedMachine loaded = machineSource.load();
        if (loaded != null && (cpus != null || nodes != null || cpuNodes != null))
            throw new BadInputException("--machine replaces --cpus, --nodes and --cpu-nodes; give one or the other");
        if (loaded == null && cpus == null) throw new BadInputException("give the machine: --cpus C (with --nodes, --cpu-nodes) or --machine SPEC");
        Machine machine = loaded != null ? loaded.machine() : machine();
        cpus = machine.possibleCpus();
        int[] order = online != null ? onlineOrder() : loaded != null ? loaded.online().stream().mapToInt(Integer::intValue).toArray()
                : range(cpus);
        boolean imbalanced = parseBugs().contains(Bug.IMBALANCED_NUMA_TREES);
        if (childrenPerGroupOption != null) childrenPerGroup = childrenPerGroupOption;
        if (childrenPerGroup < 2 || childrenPerGroup > 64 || Integer.bitCount(childrenPerGroup) != 1)
            throw new BadInputException("--children-per-group must be a power of two in 2..64, got " + childrenPerGroup);
        Catalog catalog = plugins.catalog();
        HierarchyBuilder builder;
        GroupSizing groupSizing;
        try {
            builder = catalog.builder(builderName);
            groupSizing = sizing(catalog);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(flags(e.getMessage()), e);
        }
        BuildOptions options = new BuildOptions(groupSizing, imbalanced);

        Hierarchy h;
        try {
            h = builder.build(machine, order, options);
        } catch (IllegalArgumentException e) {
            // The builder names scenario settings; here the same knobs are flags.
            throw new BadInputException(flags(e.getMessage()), e);
        }
        List<String> broken = HierarchyInvariants.violations(machine, order, h);
        if (!broken.isEmpty())
            throw new BadInputException("--builder " + builderName + " built an invalid hierarchy: " + String.join("; ", broken));
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? json(h, machine, groupSizing) : tree(h, machine, imbalanced, groupSizing));
        out.flush();
        return 0;
    }

    /** Scenario keys in builder messages, as the flags that set them here. */
    private static String flags(String message) {
        return message.replace("hierarchy.childrenPerGroup", "--children-per-group").replace("hierarchy.sizing", "--sizing")
                .replace("hierarchy.builder", "--builder").replace("machine: ", "--cpus/--nodes/--cpu-nodes: ");
    }

    /** {@code --sizing 2,8,8} or a name; without it, {@code --children-per-group} at every level. */
    private GroupSizing sizing(Catalog catalog) {
        if (sizing == null) return GroupSizing.uniform(childrenPerGroup);
        if (childrenPerGroupOption != null)
            throw new IllegalArgumentException("--sizing: give either --children-per-group (the same at every level) or --sizing");
        if (!sizing.matches("[0-9 ,\\[\\]]+")) return catalog.sizing(sizing);
        List<Integer> levels = new ArrayList<>();
        for (String k : sizing.replace("[", "").replace("]", "").split(",")) {
            try {
                levels.add(Integer.parseInt(k.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sizing: '" + sizing + "' is not a list like 2,8,8 or a sizing name");
            }
        }
        return GroupSizing.perLevel(levels);
    }

    private Machine machine() {
        if (cpus < 1 || cpus > MAX_CPUS)
            throw new BadInputException("--cpus must be in 1.." + MAX_CPUS + ", got " + cpus);
        if (nodes == null) nodes = 1;
        if (cpuNodes == null) {
            if (nodes < 1 || nodes > cpus)
                throw new BadInputException("--nodes must be in 1.." + cpus + " (the contiguous split gives every node a CPU;"
                        + " use --cpu-nodes for nodes without CPUs), got " + nodes);
            return Machine.contiguous(cpus, nodes);
        }
        if (nodes < 1 || nodes > MAX_NODES)
            throw new BadInputException("--nodes must be in 1.." + MAX_NODES + ", got " + nodes);
        List<Integer> list = numbers("--cpu-nodes", cpuNodes, false);
        if (list.size() != cpus)
            throw new BadInputException("--cpu-nodes must give one node per CPU (" + cpus + " entries for --cpus " + cpus
                    + "), got " + list.size());
        int[] nodeOf = new int[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            int n = list.get(cpu);
            if (n < 0 || n >= nodes)
                throw new BadInputException("--cpu-nodes: cpu " + cpu + " is on node " + n + ", allowed nodes are 0.."
                        + (nodes - 1) + " (--nodes " + nodes + ")");
            nodeOf[cpu] = n;
        }
        return Machine.withNodes(nodeOf, nodes);
    }

    private int[] onlineOrder() {
        List<Integer> list = numbers("--online", online, true);
        if (list.isEmpty()) throw new BadInputException("--online must list at least one CPU, e.g. 0,1,8");
        BitSet seen = new BitSet(cpus);
        for (int cpu : list) {
            if (cpu < 0 || cpu >= cpus)
                throw new BadInputException("--online: cpu " + cpu + " is not a possible CPU, allowed 0.." + (cpus - 1));
            if (seen.get(cpu)) throw new BadInputException("--online: cpu " + cpu + " is listed twice; each CPU is prepared once");
            seen.set(cpu);
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<Bug> parseBugs() {
        List<Bug> out = new ArrayList<>();
        if (bugs == null) return out;
        for (String key : bugs.split(",")) {
            String k = key.trim();
            if (k.isEmpty()) continue;
            out.add(Bug.byKey(k).orElseThrow(() ->
                    new BadInputException("--bugs: unknown bug '" + k + "'; allowed: " + Bug.allowed())));
        }
        return out;
    }

    /** Comma-separated integers; with {@code ranges}, also the kernel's cpulist {@code a-b}. */
    private static List<Integer> numbers(String flag, String text, boolean ranges) {
        List<Integer> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String s = item.trim();
            if (s.isEmpty() && text.isBlank()) continue;
            try {
                int dash = s.indexOf('-', 1);
                if (ranges && dash > 0) {
                    int from = Integer.parseInt(s.substring(0, dash).trim());
                    int to = Integer.parseInt(s.substring(dash + 1).trim());
                    if (to < from) throw new BadInputException(flag + ": range '" + s + "' runs backwards");
                    if (to - from >= MAX_CPUS) throw new BadInputException(flag + ": range '" + s + "' is longer than " + MAX_CPUS);
                    for (int c = from; c <= to; c++) out.add(c);
                } else {
                    out.add(Integer.parseInt(s));
                }
            } catch (NumberFormatException e) {
                throw new BadInputException(flag + ": '" + s + "' is not " + (ranges ? "a CPU number or range a-b" : "a number")
                        + " (expected a comma list like " + (ranges ? "0,1,8-11" : "0,1,0,1") + ")");
            }
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    // ---- output -------------------------------------------------------------------------

    private String json(Hierarchy h, Machine m, GroupSizing groupSizing) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("levels", h.levels());
        root.put("crossnodeLevel", h.crossnodeLevel());
        root.put("childrenPerGroup", groupSizing.childrenPerGroup(0));
        root.put("builder", builderName);
        root.put("sizing", sizing == null ? null : groupSizing.name());
        List<Object> groups = new ArrayList<>();
        for (Group g : h.groups()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", g.id());
            o.put("label", g.label());
            o.put("level", g.level());
            o.put("index", g.index());
            o.put("node", g.node());
            o.put("parent", g.isRoot() ? null : g.parent());
            o.put("groupmask", unsigned(g.groupmask()));
            o.put("cpus", g.cpus());
            groups.add(o);
        }
        root.put("groups", groups);
        List<Object> cpuList = new ArrayList<>();
        for (int cpu = 0; cpu < h.possibleCpus(); cpu++) {
            Map<String, Object> o = new LinkedHashMap<>();
            int group = h.cpuGroup().get(cpu);
            o.put("cpu", cpu);
            o.put("node", m.nodeOf(cpu));
            o.put("capacity", m.cpus().get(cpu).capacity());
            o.put("group", group < 0 ? null : group);
            o.put("groupmask", unsigned(h.cpuGroupmask().get(cpu)));
            cpuList.add(o);
        }
        root.put("cpus", cpuList);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bit 63 of a 64-child group must not come out negative. */
    private static Object unsigned(long mask) {
        return mask >= 0 ? (Object) mask : new BigInteger(Long.toUnsignedString(mask));
    }

    private String tree(Hierarchy h, Machine m, boolean imbalanced, GroupSizing groupSizing) {
        StringBuilder b = new StringBuilder();
        b.append(builderName).append(" hierarchy: ").append(m.possibleCpus()).append(" possible CPUs, ").append(m.nodeCount())
                .append(m.nodeCount() == 1 ? " node, " : " nodes, ")
                .append(sizing == null ? childrenPerGroup + " children per group; " : "sizing " + groupSizing.name() + "; ")
                .append(h.levels()).append(h.levels() == 1 ? " level" : " levels").append(", crossnode level ")
                .append(h.crossnodeLevel()).append(imbalanced ? "; imbalanced NUMA trees (before 5eb579dfd46b)" : "")
                .append('\n');
        b.append("children are listed by groupmask bit; node=-1 is NUMA_NO_NODE (at and above the crossnode level)\n");
        for (Group r : h.roots()) {
            // Several roots: one hierarchy per capacity class; say which.
            if (h.roots().size() > 1) b.append("capacity ").append(m.cpus().get(r.cpus().get(0)).capacity()).append(":\n");
            printGroup(b, h, r, h.roots().size() > 1 ? 1 : 0);
        }
        List<Integer> unprepared = new ArrayList<>();
        for (int cpu = 0; cpu < h.possibleCpus(); cpu++) if (h.cpuGroup().get(cpu) < 0) unprepared.add(cpu);
        if (!unprepared.isEmpty()) b.append("not prepared: ").append(cpuList(unprepared)).append('\n');
        return b.toString();
    }

    private void printGroup(StringBuilder b, Hierarchy h, Group g, int depth) {
        b.append("  ".repeat(depth)).append(g.label()).append(" node=").append(g.node());
        if (!g.isRoot()) b.append(" mask=0x").append(Long.toHexString(g.groupmask()));
        b.append(" cpus=").append(cpuList(g.cpus()));
        // A CPU's bit is its place in the prepare order; say so when that is not the CPU order.
        List<Integer> byBit = new ArrayList<>(g.childCpus());
        byBit.sort((x, y) -> Long.compareUnsigned(h.cpuGroupmask().get(x), h.cpuGroupmask().get(y)));
        if (!byBit.isEmpty() && !byBit.equals(g.cpus())) {
            List<String> bits = new ArrayList<>();
            for (int c : byBit) bits.add(c + ":0x" + Long.toHexString(h.cpuGroupmask().get(c)));
            b.append(" bits=").append(String.join(",", bits));
        }
        b.append('\n');
        List<Group> children = new ArrayList<>();
        for (int c : g.childGroups()) children.add(h.group(c));
        children.sort((x, y) -> Long.compareUnsigned(x.groupmask(), y.groupmask()));
        for (Group c : children) printGroup(b, h, c, depth + 1);
    }

    /** The kernel's cpulist format: 0-7,9,12-15. */
    static String cpuList(List<Integer> sorted) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
            if (b.length() > 0) b.append(',');
            b.append(sorted.get(i));
            if (j > i) b.append('-').append(sorted.get(j));
            i = j + 1;
        }
        return b.toString();
    }
}
