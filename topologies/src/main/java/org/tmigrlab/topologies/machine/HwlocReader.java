package org.tmigrlab.topologies.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.tmigrlab.api.Cpu;

/**
 * Reads a machine from hwloc XML as {@code lstopo --of xml} writes it (format 2.x, and 1.x where
 * NUMA nodes and sockets were ordinary parents). StAX rather than DOM so that every complaint can
 * name the line of the element it is about; no DTD or external entity is ever loaded.
 *
 * <p>CPUs are the {@code PU} objects ({@code os_index} = CPU id, which must be 0..n-1). For each
 * PU: the package is its {@code Package} (1.x: {@code Socket}) ancestor, the core its {@code Core}
 * ancestor, the LLC its deepest data or unified cache ancestor, the node the {@code NUMANode} that
 * is local to it: in 2.x a memory child of an ancestor, in 1.x an ancestor. A PU local to two
 * nodes is an error unless all but one carry a {@code subtype} (HBM, MCDRAM, CXL memory: the kernel's
 * {@code cpu_to_node()} is the plain DRAM node). Capacity comes from the {@code LinuxCapacity}
 * info of the PU's {@code cpukind} (hwloc copies {@code cpu_capacity} there), 1024 otherwise.
 */
public final class HwlocReader {
    private static final Pattern CACHE_TYPE = Pattern.compile("L\\d+[diu]?Cache|Cache");
    /** hwloc's cache_type attribute: 0 unified, 1 data, 2 instruction. */
    private static final String INSTRUCTION_CACHE = "2";

    /** One XML element, kept with its line so that messages can point at it. */
    private static final class Element {
        final String tag;
        final Map<String, String> attrs = new HashMap<>();
        final Element parent;
        final List<Element> children = new ArrayList<>();
        final int line;

        Element(String tag, Element parent, int line) {
            this.tag = tag;
            this.parent = parent;
            this.line = line;
        }

        String type() {
            return attrs.getOrDefault("type", "");
        }

        boolean isObject() {
            return tag.equals("object");
        }

        String describe() {
            String idx = attrs.containsKey("os_index") ? " os_index=\"" + attrs.get("os_index") + "\"" : "";
            return "line " + line + ": <" + tag + (isObject() ? " type=\"" + type() + "\"" : "") + idx + ">";
        }
    }

    private final Path file;

    private HwlocReader(Path file) {
        this.file = file;
    }

    public static LoadedMachine read(Path file) {
        return new HwlocReader(file).load();
    }

    private LoadedMachine load() {
        Element topology = parse();
        if (!topology.tag.equals("topology"))
            throw fail("line " + topology.line, "the root element is <" + topology.tag + ">, expected <topology>; is this lstopo --of xml output?");

        Map<Integer, Element> pus = new TreeMap<>();
        List<Element> numaNodes = new ArrayList<>();
        collect(topology, pus, numaNodes);
        if (pus.isEmpty()) throw fail("", "no PU object; expected the output of lstopo --of xml");
        int n = pus.size();
        int expect = 0;
        for (int id : pus.keySet()) {
            if (id != expect)
                throw fail(pus.get(id).describe(), "CPU ids must be 0..n-1, but PU os_index " + expect + " is missing"
                        + " (export the whole machine: lstopo --whole-system --of xml)");
            expect++;
        }

        Map<Element, Integer> nodeOfObject = new HashMap<>();
        TreeMap<Integer, Element> nodesById = new TreeMap<>();
        for (Element node : numaNodes) {
            int id = osIndex(node);
            Element previous = nodesById.put(id, node);
            if (previous != null) throw fail(node.describe(), "NUMANode os_index " + id + " already used at line " + previous.line);
            nodeOfObject.put(node, id);
        }
        Map<Integer, Integer> capacityOf = capacities(topology);

        CpuTable table = new CpuTable(n);
        for (Map.Entry<Integer, Element> e : pus.entrySet()) {
            int cpu = e.getKey();
            Element pu = e.getValue();
            Element pkg = ancestor(pu, "Package", "Socket");
            Element core = ancestor(pu, "Core");
            int node = numaNodes.isEmpty() ? 0 : nodeOf(pu, numaNodes);
            table.set(cpu, node, pkg == null ? (Object) "machine" : pkg, lastLevelCache(pu), core,
                    capacityOf.getOrDefault(cpu, Cpu.CAPACITY_SCALE));
        }
        List<Integer> nodeIds = numaNodes.isEmpty() ? List.of(0) : new ArrayList<>(nodesById.keySet());
        return LoadedMachine.allOnline(table.toMachine(nodeIds));
    }

    private Element parse() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // lstopo writes a DOCTYPE naming hwloc2.dtd; never fetch it, never expand entities.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Element root = null;
        Element current = null;
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = factory.createXMLStreamReader(in);
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    Element el = new Element(r.getLocalName(), current, r.getLocation().getLineNumber());
                    for (int i = 0; i < r.getAttributeCount(); i++) el.attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                    if (current != null) current.children.add(el);
                    else root = el;
                    current = el;
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    current = current.parent;
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            Location loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNumber() + ", column " + loc.getColumnNumber();
            throw new MachineFormatException(file.toString(), where, "malformed XML: " + firstSentence(e.getMessage()), e);
        } catch (NoSuchFileException e) {
            throw fail("", "no such file");
        } catch (IOException e) {
            throw fail("", "cannot read: " + e.getMessage());
        }
        if (root == null) throw fail("", "empty document; expected the output of lstopo --of xml");
        return root;
    }

    /** The JDK prefixes "ParseError at [row,col]:[r,c]\nMessage: "; line and column are already given. */
    private static String firstSentence(String message) {
        int m = message.indexOf("Message: ");
        return (m >= 0 ? message.substring(m + 9) : message).strip();
    }

    private void collect(Element el, Map<Integer, Element> pus, List<Element> numaNodes) {
        if (el.isObject()) {
            if (el.type().equals("PU")) {
                int id = osIndex(el);
                Element previous = pus.put(id, el);
                if (previous != null) throw fail(el.describe(), "PU os_index " + id + " already used at line " + previous.line);
            } else if (el.type().equals("NUMANode")) {
                numaNodes.add(el);
            }
        }
        for (Element c : el.children) collect(c, pus, numaNodes);
    }

    private int osIndex(Element el) {
        String v = el.attrs.get("os_index");
        if (v == null) throw fail(el.describe(), "os_index is missing");
        try {
            int id = Integer.parseInt(v);
            if (id < 0 || id > CpuList.MAX_ID) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw fail(el.describe(), "os_index '" + v + "' is not a CPU/node number");
        }
    }

    private static Element ancestor(Element el, String... types) {
        for (Element a = el.parent; a != null; a = a.parent)
            if (a.isObject() && List.of(types).contains(a.type())) return a;
        return null;
    }

    /** The deepest (highest-level) data or unified cache above the PU. */
    private Element lastLevelCache(Element pu) {
        Element best = null;
        int bestDepth = -1;
        for (Element a = pu.parent; a != null; a = a.parent) {
            if (!a.isObject() || !CACHE_TYPE.matcher(a.type()).matches()) continue;
            if (INSTRUCTION_CACHE.equals(a.attrs.get("cache_type"))) continue;
            int depth = cacheDepth(a);
            if (depth > bestDepth) {
                bestDepth = depth;
                best = a;
            }
        }
        return best;
    }

    private int cacheDepth(Element cache) {
        String d = cache.attrs.get("depth");
        if (d != null) {
            try {
                return Integer.parseInt(d);
            } catch (NumberFormatException e) {
                throw fail(cache.describe(), "cache depth '" + d + "' is not a number");
            }
        }
        // 2.x types carry the level in their name (L3Cache); depth is only a cross-check there.
        String t = cache.type();
        return t.startsWith("L") ? Integer.parseInt(t.replaceAll("\\D", "")) : 0;
    }

    /** The node local to {@code pu}: see the class comment. */
    private int nodeOf(Element pu, List<Element> numaNodes) {
        List<Element> local = new ArrayList<>();
        for (Element node : numaNodes) {
            // 1.x: the node is a parent of its CPUs; 2.x: a memory child of the object above them.
            Element scope = node.children.stream().anyMatch(Element::isObject) ? node : node.parent;
            if (scope != null && isAncestor(scope, pu)) local.add(node);
        }
        if (local.isEmpty()) throw fail(pu.describe(), "no NUMANode is local to this PU");
        if (local.size() > 1) {
            List<Element> plain = local.stream().filter(nd -> !nd.attrs.containsKey("subtype")).toList();
            if (plain.size() != 1) {
                StringBuilder names = new StringBuilder();
                for (Element nd : local) names.append(names.length() == 0 ? "" : " and ").append("NUMANode os_index ")
                        .append(nd.attrs.get("os_index")).append(" (line ").append(nd.line).append(')');
                throw fail(pu.describe(), "this CPU is in two nodes: " + names + "; a CPU belongs to exactly one node");
            }
            local = plain;
        }
        return osIndex(local.get(0));
    }

    private static boolean isAncestor(Element a, Element el) {
        for (Element p = el.parent; p != null; p = p.parent) if (p == a) return true;
        return false;
    }

    /** CPU → capacity from {@code <cpukind cpuset=...><info name="LinuxCapacity" value=.../>}. */
    private Map<Integer, Integer> capacities(Element topology) {
        Map<Integer, Integer> out = new HashMap<>();
        for (Element kind : topology.children) {
            if (!kind.tag.equals("cpukind")) continue;
            String capacity = null;
            for (Element info : kind.children)
                if (info.tag.equals("info") && "LinuxCapacity".equals(info.attrs.get("name"))) capacity = info.attrs.get("value");
            if (capacity == null) continue;
            int cap;
            try {
                cap = Integer.parseInt(capacity);
            } catch (NumberFormatException e) {
                throw fail(kind.describe(), "LinuxCapacity '" + capacity + "' is not a number");
            }
            if (cap <= 0) throw fail(kind.describe(), "LinuxCapacity must be > 0, got " + cap);
            BitSet cpus = bitmap(kind, kind.attrs.getOrDefault("cpuset", ""));
            for (int c = cpus.nextSetBit(0); c >= 0; c = cpus.nextSetBit(c + 1)) {
                Integer before = out.put(c, cap);
                if (before != null && before != cap)
                    throw fail(kind.describe(), "CPU " + c + " is in two cpukinds with capacities " + before + " and " + cap);
            }
        }
        return out;
    }

    /** hwloc's bitmap string: 32-bit hex words, most significant first, e.g. {@code 0x000000ff,0xffffffff}. */
    private BitSet bitmap(Element el, String text) {
        BitSet set = new BitSet();
        String[] words = text.split(",");
        for (int w = 0; w < words.length; w++) {
            String word = words[words.length - 1 - w].strip();
            if (word.isEmpty()) continue; // hwloc elides all-zero words: "0xff,,0x1"
            if (!word.startsWith("0x") || word.contains("f...f"))
                throw fail(el.describe(), "cpuset '" + text + "' is not a finite hwloc bitmap");
            long bits;
            try {
                bits = Long.parseLong(word.substring(2), 16);
            } catch (NumberFormatException e) {
                throw fail(el.describe(), "cpuset '" + text + "' is not a hwloc bitmap");
            }
            for (int b = 0; b < 32; b++) if ((bits >>> b & 1) != 0) set.set(w * 32 + b);
        }
        return set;
    }

    private MachineFormatException fail(String where, String reason) {
        return new MachineFormatException(file.toString(), where, reason);
    }
}
