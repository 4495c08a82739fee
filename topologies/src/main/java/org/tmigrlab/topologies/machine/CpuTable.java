package org.tmigrlab.topologies.machine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Machine;

/**
 * The per-CPU places a source reports, under the source's own keys (OS node ids, package ids,
 * cache objects, sibling lists), turned into a {@link Machine} with dense ids. Every source goes
 * through here, so the same hardware gives the same {@code Machine} whichever file described it.
 *
 * <p>Node ids become dense in ascending OS order over all possible nodes (CPU-less ones keep their
 * place, as {@code num_possible_nodes()} counts them). Packages, LLCs and cores are numbered in the
 * order their lowest CPU appears: their OS ids are per-package or absent, so only the sharing
 * matters.
 */
final class CpuTable {
    private final int[] node;
    private final Object[] pkg;
    private final Object[] llc;
    private final Object[] core;
    private final int[] capacity;

    CpuTable(int cpus) {
        node = new int[cpus];
        pkg = new Object[cpus];
        llc = new Object[cpus];
        core = new Object[cpus];
        capacity = new int[cpus];
    }

    int size() {
        return node.length;
    }

    /**
     * @param osNode  the OS node id
     * @param pkgKey  anything equal for CPUs of one package
     * @param llcKey  anything equal for CPUs sharing the last-level cache (null: the package)
     * @param coreKey anything equal for SMT siblings (null: the CPU is its own core)
     */
    void set(int cpu, int osNode, Object pkgKey, Object llcKey, Object coreKey, int cap) {
        node[cpu] = osNode;
        pkg[cpu] = pkgKey;
        // Without cache information the package is the best guess at what CPUs share.
        llc[cpu] = llcKey != null ? llcKey : List.of("package", pkgKey);
        core[cpu] = coreKey != null ? coreKey : List.of("cpu", cpu);
        capacity[cpu] = cap;
    }

    /** @param osNodes every possible OS node id, ascending; the CPUs' nodes must be among them */
    Machine toMachine(List<Integer> osNodes) {
        Map<Integer, Integer> denseNode = new HashMap<>();
        for (int id : osNodes) denseNode.put(id, denseNode.size());
        Map<Object, Integer> pkgs = new HashMap<>();
        Map<Object, Integer> llcs = new HashMap<>();
        Map<Object, Integer> cores = new HashMap<>();
        List<Cpu> cpus = new ArrayList<>(node.length);
        for (int c = 0; c < node.length; c++) {
            Integer n = denseNode.get(node[c]);
            if (n == null) throw new IllegalStateException("cpu " + c + " is on node " + node[c] + ", not among " + osNodes);
            cpus.add(new Cpu(c, n, dense(pkgs, pkg[c]), dense(llcs, llc[c]), dense(cores, core[c]), capacity[c]));
        }
        return new Machine(Math.max(1, osNodes.size()), cpus);
    }

    private static int dense(Map<Object, Integer> ids, Object key) {
        return ids.computeIfAbsent(key, k -> ids.size());
    }
}
