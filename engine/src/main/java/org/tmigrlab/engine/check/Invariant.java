package org.tmigrlab.engine.check;

/**
 * The invariants the checker enforces (reference notes §6), with the fixes that motivated them.
 * {@link #key()} is the name written in reports.
 */
public enum Invariant {
    /** 1. migrator is TMIGR_NONE exactly when nothing is active, else one active child's bit; never 0 (#8B, #10). */
    MIGRATOR_VALID("migrator-valid"),
    /** 2. a group's bit is set in its parent's active mask exactly when the group is active; likewise for CPUs (doc A, #17). */
    PARENT_CHILD_ACTIVE("parent-child-active"),
    /** 3. one root per hierarchy: one parentless group, or one per CPU capacity class with per-capacity trees (#13). */
    SINGLE_ROOT("single-root"),
    /** 4. every group below the crossnode level holds CPUs of one node (#15). */
    NUMA_PURITY("numa-purity"),
    /** 5. with every CPU idle, some CPU is programmed to wake by the earliest pending timer (doc B, #2, #4). */
    NO_LOST_TIMER("no-lost-timer"),
    /** 6. a non-deferrable timer runs no later than its bucket expiry plus one tick (doc C, #4). */
    TIMELY_EXPIRY("timely-expiry"),
    /** 7. an idle CPU does not re-arm a hierarchy wakeup that already passed (#3, #19). */
    BOUNDED_WAKEUPS("bounded-wakeups"),
    /** 8. an isolated CPU neither runs other CPUs' timers nor has its own pulled (#16). */
    ISOLATION("isolation"),
    /** 9. pinned and deferrable timers run on the CPU that queued them. */
    NO_PINNED_MIGRATION("no-pinned-migration"),
    /** 10. tmigr_quick_check() is the minimum over the levels it walks (#1). */
    QUICK_CHECK("quick-check");

    private final String key;

    Invariant(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
