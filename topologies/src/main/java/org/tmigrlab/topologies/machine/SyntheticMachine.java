package org.tmigrlab.topologies.machine;

import java.util.ArrayList;
import java.util.List;

import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Machine;

/**
 * A machine from counts: {@code packages} packages, each with {@code llcs / packages} last-level
 * caches, each shared by the same number of cores of {@code smt} threads. Nodes split the machine
 * evenly: several per package (sub-NUMA clustering: each takes whole LLCs) or several packages per
 * node.
 *
 * <p>Numbering: {@code contiguous} gives SMT siblings adjacent ids (0,1 on core 0), as ARM and
 * most AMD firmware do; {@code interleaved} gives every core's first thread ids 0..cores-1 and the
 * siblings ids one core-count apart (0 and 32 on a 32-core machine), as Intel and many x86 BIOSes
 * do, so a node or an LLC is not a contiguous id range.
 *
 * @param cpus       total CPUs (threads)
 * @param packages   physical packages
 * @param nodes      NUMA nodes
 * @param llcs       last-level caches in the machine
 * @param smt        threads per core
 * @param interleaved SMT siblings numbered one core-count apart
 * @param capacities empty (every CPU 1024), or the capacity of each LLC's CPUs, one entry per
 *                   LLC: big.LITTLE clusters
 */
public record SyntheticMachine(int cpus, int packages, int nodes, int llcs, int smt, boolean interleaved,
                               List<Integer> capacities) {

    /** The keys of the synthetic form, in the order they are documented. */
    public static final List<String> KEYS = List.of("cpus", "packages", "nodes", "llcs", "smt", "numbering", "capacities");

    /** @throws IllegalArgumentException naming the key that does not fit */
    public SyntheticMachine {
        capacities = List.copyOf(capacities);
        positive("cpus", cpus);
        positive("packages", packages);
        positive("nodes", nodes);
        positive("llcs", llcs);
        positive("smt", smt);
        if (cpus > CpuList.MAX_ID) throw bad("cpus must be <= " + CpuList.MAX_ID + ", got " + cpus);
        if (cpus % smt != 0) throw bad("cpus (" + cpus + ") must be a multiple of smt (" + smt + ")");
        int cores = cpus / smt;
        if (llcs % packages != 0) throw bad("llcs (" + llcs + ") must be a multiple of packages (" + packages + ")");
        if (cores % llcs != 0) throw bad("the " + cores + " cores (cpus / smt) must split evenly over llcs (" + llcs + ")");
        if (nodes >= packages) {
            if (nodes % packages != 0) throw bad("nodes (" + nodes + ") must be a multiple of packages (" + packages + ") or divide it");
            if ((llcs / packages) % (nodes / packages) != 0)
                throw bad("each package's " + llcs / packages + " LLCs must split evenly over its " + nodes / packages + " nodes");
        } else if (packages % nodes != 0) {
            throw bad("nodes (" + nodes + ") must divide packages (" + packages + ") or be a multiple of it");
        }
        if (!capacities.isEmpty() && capacities.size() != llcs)
            throw bad("capacities lists " + capacities.size() + " values; give one per LLC (" + llcs + ")");
        for (int cap : capacities) if (cap <= 0) throw bad("capacities must be > 0, got " + cap);
    }

    /** One package, one node, one LLC, no SMT, contiguous: the simplest machine of {@code cpus} CPUs. */
    public static SyntheticMachine of(int cpus) {
        return new SyntheticMachine(cpus, 1, 1, 1, 1, false, List.of());
    }

    public Machine toMachine() {
        int cores = cpus / smt;
        int coresPerLlc = cores / llcs;
        int llcsPerPackage = llcs / packages;
        Cpu[] out = new Cpu[cpus];
        // Walk the hardware in physical order; only the id assignment depends on the numbering.
        for (int core = 0; core < cores; core++) {
            int llc = core / coresPerLlc;
            int pkg = llc / llcsPerPackage;
            int node = nodes >= packages ? llc / (llcs / nodes) : pkg / (packages / nodes);
            int capacity = capacities.isEmpty() ? Cpu.CAPACITY_SCALE : capacities.get(llc);
            for (int t = 0; t < smt; t++) {
                int id = interleaved ? t * cores + core : core * smt + t;
                out[id] = new Cpu(id, node, pkg, llc, core, capacity);
            }
        }
        return new Machine(nodes, new ArrayList<>(List.of(out)));
    }

    private static void positive(String key, int v) {
        if (v < 1) throw bad(key + " must be >= 1, got " + v);
    }

    private static IllegalArgumentException bad(String reason) {
        return new IllegalArgumentException(reason);
    }
}
