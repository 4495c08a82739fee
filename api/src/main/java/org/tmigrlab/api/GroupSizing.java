package org.tmigrlab.api;

import java.util.List;

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

    /** One line for {@code tmigr catalog}: the sizes and why one would try them. */
    default String description() {
        return "";
    }

    /** The kernel's sizing with {@code k} children at every level. */
    static GroupSizing uniform(int k) {
        if (k < 2 || k > 64 || Integer.bitCount(k) != 1)
            throw new IllegalArgumentException("hierarchy.childrenPerGroup must be a power of two in 2..64, got " + k);
        return new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return k; }
            @Override public String name() { return "uniform-" + k; }
            @Override public String description() {
                return k + " children per group at every level" + (k == 8 ? " (the kernel's TMIGR_CHILDREN_PER_GROUP)" : "");
            }
            @Override public String toString() { return name(); }
        };
    }

    /**
     * {@code children.get(level)} children at each listed level, and the last entry above them,
     * e.g. {@code [2, 8, 8]}: pairs at level 0, then eight per group. Named as written,
     * {@code "[2, 8, 8]"}.
     */
    static GroupSizing perLevel(List<Integer> children) {
        if (children.isEmpty()) throw new IllegalArgumentException("hierarchy.sizing must list at least one level");
        List<Integer> sizes = List.copyOf(children);
        for (int level = 0; level < sizes.size(); level++) {
            int k = sizes.get(level);
            if (k < 2 || k > 64 || Integer.bitCount(k) != 1)
                throw new IllegalArgumentException("hierarchy.sizing[" + level + "] must be a power of two in 2..64, got " + k);
        }
        String name = sizes.toString();
        return new GroupSizing() {
            @Override public int childrenPerGroup(int level) { return sizes.get(Math.min(level, sizes.size() - 1)); }
            @Override public String name() { return name; }
            @Override public String toString() { return name; }
        };
    }
}
