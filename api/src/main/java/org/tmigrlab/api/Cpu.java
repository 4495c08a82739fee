package org.tmigrlab.api;

/**
 * One possible CPU of a {@link Machine}, with the places it shares with other CPUs.
 *
 * <p>{@code node} is the NUMA node (what the kernel's {@code cpu_to_node()} answers), {@code pkg}
 * the physical package (socket), {@code llc} a machine-wide id of the last-level cache the CPU
 * shares, {@code core} a machine-wide id of the physical core (SMT siblings share it).
 * {@code capacity} is the scheduler capacity (1024 = {@code SCHED_CAPACITY_SCALE}); big.LITTLE
 * machines have several classes.
 */
public record Cpu(int id, int node, int pkg, int llc, int core, int capacity) {

    public static final int CAPACITY_SCALE = 1024;

    public Cpu {
        if (id < 0) throw new IllegalArgumentException("cpu id must be >= 0, got " + id);
        if (node < 0) throw new IllegalArgumentException("cpu " + id + ": node must be >= 0, got " + node);
        if (capacity <= 0) throw new IllegalArgumentException("cpu " + id + ": capacity must be > 0");
    }

    /** A CPU that is its own core and cache, on package = node. */
    public static Cpu simple(int id, int node) {
        return new Cpu(id, node, node, node, id, CAPACITY_SCALE);
    }
}
