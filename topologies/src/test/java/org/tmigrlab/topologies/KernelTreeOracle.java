package org.tmigrlab.topologies;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;

/**
 * A tree captured from a real kernel ({@code shared/data/kernel-hierarchies*}/*.json), and the two
 * ways of comparing a built {@link Hierarchy} with it: the shape the check tool compares, and the
 * exact one (labels, creation order, connection order, children counts).
 */
final class KernelTreeOracle {

    /** One captured group; {@code name} is {@code L<level>#<index>}, index = creation order in its level. */
    record OGroup(String name, int level, int numa, String parent, Long groupmask, int numChildren, Set<Integer> cpus) {}

    /** The kernel's shape key, as tools/check_kernel_trees.py builds it (root groupmask ignored). */
    record Shape(int level, int node, List<Integer> cpus, Long groupmask) {}

    final String file;
    final int levels;
    final int crossnode;
    final Map<String, OGroup> groups = new LinkedHashMap<>();
    /** tmigr_group_set order. */
    final List<String> creationOrder = new ArrayList<>();
    /** Per parent name: children ("L0#3" or "cpu5") in tmigr_connect_* order. */
    final Map<String, List<String>> connectionOrder = new HashMap<>();
    final Map<Integer, String> cpuParent = new HashMap<>();
    final Map<Integer, Long> cpuGroupmask = new HashMap<>();
    /** Node of every possible CPU (layout files), or null. */
    final int[] nodeOfCpu;
    final int ncpus;

    @SuppressWarnings("unchecked")
    private KernelTreeOracle(Path path) {
        this.file = path.getFileName().toString();
        Map<String, Object> root;
        try {
            root = (Map<String, Object>) MiniJson.parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> meta = (Map<String, Object>) root.get("meta");
        levels = num(meta.get("levels"));
        crossnode = num(meta.get("crossnode_level"));
        ncpus = num(root.get("ncpus"));
        Map<String, String> nameOfPtr = new HashMap<>();
        for (Object o : (List<Object>) root.get("groups")) {
            Map<String, Object> g = (Map<String, Object>) o;
            nameOfPtr.put((String) g.get("id"), (String) g.get("name"));
            Set<Integer> cpus = new TreeSet<>();
            for (Object c : (List<Object>) g.get("cpus")) cpus.add(num(c));
            Object mask = g.get("groupmask");
            groups.put((String) g.get("name"), new OGroup((String) g.get("name"), num(g.get("level")), num(g.get("numa")),
                    (String) g.get("parent_name"), mask == null ? null : ((Number) mask).longValue(),
                    num(g.get("num_children")), cpus));
        }
        for (Object o : (List<Object>) root.get("cpus")) {
            Map<String, Object> c = (Map<String, Object>) o;
            cpuParent.put(num(c.get("cpu")), (String) c.get("parent_name"));
            cpuGroupmask.put(num(c.get("cpu")), ((Number) c.get("groupmask")).longValue());
        }
        for (Object o : (List<Object>) root.get("events")) {
            Map<String, Object> e = (Map<String, Object>) o;
            switch ((String) e.get("ev")) {
                case "group_set" -> creationOrder.add(nameOfPtr.get((String) e.get("group")));
                case "connect_child_parent" -> connectionOrder
                        .computeIfAbsent(nameOfPtr.get((String) e.get("parent")), p -> new ArrayList<>())
                        .add(nameOfPtr.get((String) e.get("group")));
                case "connect_cpu_parent" -> connectionOrder
                        .computeIfAbsent(nameOfPtr.get((String) e.get("parent")), p -> new ArrayList<>())
                        .add("cpu" + num(e.get("cpu")));
                default -> { }
            }
        }
        Map<String, Object> layout = (Map<String, Object>) root.get("layout");
        if (layout == null) {
            nodeOfCpu = null;
        } else {
            Map<String, Object> nodes = (Map<String, Object>) layout.get("node_of_cpu");
            nodeOfCpu = new int[nodes.size()];
            nodes.forEach((cpu, node) -> nodeOfCpu[Integer.parseInt(cpu)] = num(node));
            assertThat(layout.get("possible")).as("%s: possible", file).isEqualTo("0-" + (nodeOfCpu.length - 1));
            assertThat(layout.get("online")).as("%s: online", file).isEqualTo("0-" + (nodeOfCpu.length - 1));
        }
    }

    static KernelTreeOracle load(Path path) {
        return new KernelTreeOracle(path);
    }

    int nodeCount() {
        int max = 0;
        for (int n : nodeOfCpu) max = Math.max(max, n);
        return max + 1;
    }

    static List<Path> files(String dir) {
        try (Stream<Path> s = Files.list(sharedData().resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code shared/data}: beside the repo given by {@code tmigr.repo}, else beside an ancestor of the working dir. */
    static Path sharedData() {
        String repo = System.getProperty("tmigr.repo");
        if (repo != null) {
            Path p = Path.of(repo, "..", "shared", "data").normalize();
            if (Files.isDirectory(p)) return p;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("cannot find shared/data (set -Dtmigr.repo to the repository root)");
    }

    /** What tools/check_kernel_trees.py compares. */
    Set<Shape> shapes() {
        Set<Shape> out = new java.util.HashSet<>();
        for (OGroup g : groups.values())
            out.add(new Shape(g.level(), g.numa(), List.copyOf(g.cpus()), g.parent() == null ? null : g.groupmask()));
        return out;
    }

    static Set<Shape> shapes(Hierarchy h) {
        Set<Shape> out = new java.util.HashSet<>();
        for (Group g : h.groups())
            out.add(new Shape(g.level(), g.node(), g.cpus(), g.isRoot() ? null : g.groupmask()));
        return out;
    }

    /** The check tool's comparison. */
    void assertSameShape(Hierarchy h) {
        assertThat(h.levels()).as("%s: levels", file).isEqualTo(levels);
        assertThat(h.crossnodeLevel()).as("%s: crossnode level", file).isEqualTo(crossnode);
        assertThat(shapes(h)).as("%s: (level, node, cpus, groupmask) of every group", file)
                .containsExactlyInAnyOrderElementsOf(shapes());
        for (int cpu = 0; cpu < ncpus; cpu++)
            assertThat(h.cpuGroupmask().get(cpu)).as("%s: groupmask of cpu %d", file, cpu).isEqualTo(cpuGroupmask.get(cpu));
    }

    /** Label for label, including creation order and the order children were connected. */
    void assertSameTree(Hierarchy h) {
        assertSameShape(h);
        assertThat(h.groups().stream().map(KernelTreeOracle::name).toList()).as("%s: groups in creation order", file)
                .containsExactlyElementsOf(creationOrder);
        for (Group g : h.groups()) {
            OGroup o = groups.get(name(g));
            assertThat(o).as("%s: %s exists in the kernel tree", file, name(g)).isNotNull();
            String parent = g.isRoot() ? null : name(h.group(g.parent()));
            assertThat(parent).as("%s: parent of %s", file, o.name()).isEqualTo(o.parent());
            assertThat(g.node()).as("%s: node of %s", file, o.name()).isEqualTo(o.numa());
            assertThat(Set.copyOf(g.cpus())).as("%s: cpus of %s", file, o.name()).isEqualTo(o.cpus());
            if (!g.isRoot()) assertThat(g.groupmask()).as("%s: groupmask of %s", file, o.name()).isEqualTo(o.groupmask());
            assertThat(g.childGroups().size() + g.childCpus().size()).as("%s: num_children of %s", file, o.name())
                    .isEqualTo(o.numChildren());
            List<String> children = new ArrayList<>();
            g.childGroups().forEach(c -> children.add(name(h.group(c))));
            g.childCpus().forEach(c -> children.add("cpu" + c));
            assertThat(children).as("%s: children of %s in connection order", file, o.name())
                    .containsExactlyElementsOf(connectionOrder.getOrDefault(o.name(), List.of()));
        }
        for (int cpu = 0; cpu < ncpus; cpu++)
            assertThat(name(h.group(h.cpuGroup().get(cpu)))).as("%s: group of cpu %d", file, cpu)
                    .isEqualTo(cpuParent.get(cpu));
    }

    /** The data files' naming: {@code L<level>#<index>} for {@code GRP<level>:<index>}. */
    static String name(Group g) {
        return "L" + g.level() + "#" + g.index();
    }

    private static int num(Object o) {
        return ((Number) Objects.requireNonNull(o)).intValue();
    }

    @Override
    public String toString() {
        return file;
    }
}
