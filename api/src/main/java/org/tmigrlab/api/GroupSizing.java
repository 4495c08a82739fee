package org.tmigrlab.api;

/**
 * How many children a group may have at each level (the kernel: {@code TMIGR_CHILDREN_PER_GROUP},
 * 8 at every level). Extension point: a plugin may size levels differently, e.g. {@code [2, 8, 8]}.
 *
 * <p>Implementations are pure functions; builders may call them from any thread.
 */
public interface GroupSizing {

    /** Children allowed in a group at {@code level}: a power of two in 2..64. */
    int childrenPerGroup(int level);

    /** Name used in scenario files and the catalog. */
    String name();

    /** The kernel's sizing with {@code k} children at every level. */
    static GroupSizing uniform(int k) {
        if (k < 2 || k > 64 || Integer.bitCount(k) != 1)
            throw new IllegalArgumentException("hierarchy.childrenPerGroup must be a power of two in 2..64, got " + k);
        return new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return k; }
            @Override public String name() { return "uniform-" + k; }
            @Override public String toString() { return name(); }
        };
    }
}
