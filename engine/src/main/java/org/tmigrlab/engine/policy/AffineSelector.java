package org.tmigrlab.engine.policy;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.api.RunContext;

/**
 * {@code numa-affine} and {@code llc-affine}: the active child nearest the leaving one, ties to
 * the lowest bit. The migrator runs the idle CPUs' timer callbacks, and those touch data that
 * lives where the timers were armed; keeping the duty near the previous migrator keeps that
 * traffic inside a node (or a cache). Near means: shares a last-level cache ({@code llc-affine}
 * only), then shares a node; a child group counts by the places of all its CPUs.
 *
 * <p>Where every child is on one node (below the kernel tree's crossnode level) {@code
 * numa-affine} is {@code lowest-active}; it matters in trees whose groups mix nodes
 * ({@code flat}, {@code llc} on sub-NUMA machines, the imbalanced NUMA bug) and at the top.
 */
public final class AffineSelector implements MigratorSelector {
    public static final String NUMA = "numa-affine";
    public static final String LLC = "llc-affine";

    private final String name;
    private final boolean byLlc;
    private final RunContext run;
    /** Places (nodes or LLCs, see {@link #places}) of a child, by group id and bit; dropped when the hierarchy grows. */
    private final Map<Long, BitSet[]> placesCache = new HashMap<>();
    private Hierarchy cachedFor;

    private AffineSelector(String name, boolean byLlc, RunContext run) {
        this.name = name;
        this.byLlc = byLlc;
        this.run = run;
    }

    /** Prefers a child on the leaving child's node. */
    public static AffineSelector numa() {
        return new AffineSelector(NUMA, false, null);
    }

    /** Prefers a child sharing the leaving child's LLC, then its node. */
    public static AffineSelector llc() {
        return new AffineSelector(LLC, true, null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return byLlc ? "the active child sharing the leaving one's LLC, else its node, else lowest: remote timer"
                + " callbacks stay cache-local"
                : "the active child on the leaving one's node, else lowest: remote timer callbacks stay node-local";
    }

    @Override
    public MigratorSelector forRun(RunContext context) {
        return new AffineSelector(name, byLlc, context);
    }

    @Override
    public long handOver(Group group, long active, long leaving) {
        if (run == null) throw new IllegalStateException(name + ": use forRun(run) to get a selector bound to a run");
        Hierarchy h = run.hierarchy();
        if (h != cachedFor) {
            placesCache.clear();
            cachedFor = h;
        }
        BitSet[] from = places(h, group, leaving);
        long best = Long.lowestOneBit(active);
        int bestRank = Integer.MAX_VALUE;
        for (long bits = active; bits != 0; bits &= bits - 1) {
            long bit = Long.lowestOneBit(bits);
            BitSet[] to = places(h, group, bit);
            int rank = byLlc && to[1].intersects(from[1]) ? 0 : to[0].intersects(from[0]) ? 1 : 2;
            if (rank < bestRank) {
                bestRank = rank;
                best = bit;
                if (rank == 0 || !byLlc && rank == 1) break;
            }
        }
        return best;
    }

    /** {nodes, LLCs} of the CPUs below the child with {@code bit}. */
    private BitSet[] places(Hierarchy h, Group group, long bit) {
        long key = (long) group.id() << 6 | Long.numberOfTrailingZeros(bit);
        BitSet[] cached = placesCache.get(key);
        if (cached != null) return cached;
        Machine m = run.machine();
        BitSet nodes = new BitSet();
        BitSet llcs = new BitSet();
        List<Integer> cpus = h.cpusOfChild(group, bit);
        for (int c : cpus) {
            Cpu cpu = m.cpus().get(c);
            nodes.set(cpu.node());
            llcs.set(cpu.llc());
        }
        BitSet[] p = {nodes, llcs};
        placesCache.put(key, p);
        return p;
    }

    @Override
    public String toString() {
        return name;
    }
}
