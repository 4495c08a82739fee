package org.tmigrlab.topologies.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tmigrlab.api.Cpu;

/**
 * Reads a machine from {@code lscpu -p=CPU,CORE,SOCKET,NODE,CACHE}: comment lines, the last of
 * which names the columns, then one comma-separated line per online CPU, e.g.
 * <pre>
 *   # CPU,Core,Socket,Node,,L1d,L1i,L2,L3
 *   0,0,0,0,,0,0,0,0
 * </pre>
 * util-linux before 2.38 writes the caches as one column, {@code L1d:L1i:L2:L3} /
 * {@code 0:0:0:0}; both are read. {@code CPU} and {@code Core} are required; without
 * {@code Socket} everything is package 0, without {@code Node} (or with it empty: no NUMA) node 0,
 * without caches the package stands in for the LLC (the highest-level data or unified cache).
 * Other columns are ignored. Capacity is always 1024: lscpu does not report it.
 */
public final class LscpuReader {
    private static final Pattern CACHE_NAME = Pattern.compile("L(\\d+)([diu]?)");

    private final Path file;

    private LscpuReader(Path file) {
        this.file = file;
    }

    public static LoadedMachine read(Path file) {
        return new LscpuReader(file).load();
    }

    /** One column of a data line: the index of its comma field and, for a combined cache column, of its ':' part. */
    private record Column(int field, int part) {
    }

    private LoadedMachine load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fail("", "no such file");
        } catch (IOException e) {
            throw fail("", "cannot read: " + e.getMessage());
        }
        String header = null;
        int headerLine = 0;
        int fields = 0;
        Map<String, Column> columns = new HashMap<>();
        int llcLevel = -1;
        Column llc = null;
        // CPU id -> {line number, node, socket, core, llc}
        TreeMap<Integer, long[]> rows = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String body = line.substring(1).strip();
                if (rows.isEmpty() && (body.toUpperCase().startsWith("CPU,") || body.equalsIgnoreCase("CPU"))) {
                    header = body;
                    headerLine = lineNo;
                }
                continue;
            }
            if (header == null)
                throw fail("line " + lineNo, "data before the column header; expected the output of lscpu -p=CPU,CORE,SOCKET,NODE,CACHE");
            if (columns.isEmpty()) {
                String[] names = header.split(",", -1);
                fields = names.length;
                for (int f = 0; f < names.length; f++) {
                    String[] parts = names[f].split(":", -1);
                    for (int p = 0; p < parts.length; p++) {
                        String name = parts[p].strip();
                        Matcher m = CACHE_NAME.matcher(name);
                        if (m.matches()) {
                            int level = Integer.parseInt(m.group(1));
                            if (!m.group(2).equals("i") && level > llcLevel) {
                                llcLevel = level;
                                llc = new Column(f, parts.length > 1 ? p : -1);
                            }
                        } else if (!name.isEmpty()) {
                            columns.put(name.toUpperCase(), new Column(f, -1));
                        }
                    }
                }
                if (!columns.containsKey("CPU") || !columns.containsKey("CORE"))
                    throw fail("line " + headerLine, "header '" + header + "' lacks CPU or Core; expected lscpu -p=CPU,CORE,SOCKET,NODE,CACHE");
            }
            String[] values = line.split(",", -1);
            if (values.length != fields)
                throw fail("line " + lineNo, "has " + values.length + " fields, the header (line " + headerLine + ") has " + fields);
            int cpu = (int) number(values, columns.get("CPU"), "CPU", lineNo, false);
            long node = columns.containsKey("NODE") ? number(values, columns.get("NODE"), "Node", lineNo, true) : -1;
            long socket = columns.containsKey("SOCKET") ? number(values, columns.get("SOCKET"), "Socket", lineNo, false) : 0;
            long core = number(values, columns.get("CORE"), "Core", lineNo, false);
            long cache = llc == null ? -1 : number(values, llc, "L" + llcLevel, lineNo, false);
            long[] before = rows.get(cpu);
            if (before != null) {
                String nodes = before[1] != node ? "; now on node " + node + ", line " + before[0] + " put it on node " + before[1]
                        + ": a CPU belongs to exactly one node" : "";
                throw fail("line " + lineNo, "CPU " + cpu + " is listed again (first on line " + before[0] + ")" + nodes);
            }
            rows.put(cpu, new long[] {lineNo, node, socket, core, cache});
        }
        if (rows.isEmpty()) throw fail("", "no CPU line; expected the output of lscpu -p=CPU,CORE,SOCKET,NODE,CACHE");
        int n = rows.size();
        if (rows.lastKey() != n - 1) {
            int missing = 0;
            while (rows.containsKey(missing)) missing++;
            throw fail("", "CPU " + missing + " is missing; CPU ids must be 0..n-1 (lscpu -p lists online CPUs only:"
                    + " bring every CPU online before capturing)");
        }
        boolean numa = rows.values().stream().anyMatch(r -> r[1] >= 0);
        TreeSet<Integer> nodeIds = new TreeSet<>();
        CpuTable table = new CpuTable(n);
        for (Map.Entry<Integer, long[]> e : rows.entrySet()) {
            long[] r = e.getValue();
            if (numa && r[1] < 0) throw fail("line " + r[0], "Node is empty while other CPUs have one");
            int node = numa ? (int) r[1] : 0;
            nodeIds.add(node);
            // lscpu's ids are machine-wide already (it numbers them itself), except core ids on some kernels.
            table.set(e.getKey(), node, r[2], r[4] < 0 ? null : List.of(llcLevel, r[4]), List.of(r[2], r[3]), Cpu.CAPACITY_SCALE);
        }
        return LoadedMachine.allOnline(table.toMachine(new ArrayList<>(nodeIds)));
    }

    private long number(String[] values, Column col, String name, int lineNo, boolean mayBeEmpty) {
        String v = values[col.field()].strip();
        if (col.part() >= 0) {
            String[] parts = v.split(":", -1);
            v = col.part() < parts.length ? parts[col.part()].strip() : "";
        }
        if (v.isEmpty()) {
            if (mayBeEmpty) return -1;
            throw fail("line " + lineNo, name + " is empty (an offline CPU from lscpu --all?)");
        }
        try {
            long x = Long.parseLong(v);
            if (x < 0 || x > CpuList.MAX_ID) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw fail("line " + lineNo, name + " '" + v + "' is not a number");
        }
    }

    private MachineFormatException fail(String where, String reason) {
        return new MachineFormatException(file.toString(), where, reason);
    }
}
