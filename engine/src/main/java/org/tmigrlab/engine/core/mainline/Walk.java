package org.tmigrlab.engine.core.mainline;

/**
 * One hierarchy walk in flight: the kernel's {@code struct tmigr_walk} plus the position of
 * {@code __walk_groups_from()}. A walk is driven one group at a time by
 * {@link MainlineModel#step(Walk)}; the sequential engine runs the steps back to back, a race lab
 * can interleave the steps of several walks.
 *
 * <p>Walk objects are owned and reused by the model (no allocation per operation).
 */
public final class Walk {

    /** The per-group function applied at each step ({@code up} argument of {@code walk_groups}). */
    public enum Up {
        /** {@code tmigr_active_up}: idle exit. */
        ACTIVE,
        /** {@code tmigr_inactive_up}: idle entry; always followed by an event update. */
        INACTIVE,
        /** {@code tmigr_new_timer_up} (= {@code tmigr_update_events}): new first timer, or the re-walk after a remote expiry. */
        NEW_TIMER,
        /** {@code tmigr_handle_remote_up}: migrator duty in the softirq. */
        HANDLE_REMOTE,
        /** {@code tmigr_requires_handle_remote_up}: tick check. */
        REQUIRES_HANDLE_REMOTE
    }

    Up up;
    /** CPU doing the walk (trace column), and the CPU whose view is walked. */
    int onCpu;
    int cpu;
    /** Position: {@code child} is -1 at level 0 (the CPU itself is the child). */
    int child;
    int group;
    boolean done;

    // struct tmigr_walk
    long nextexp;
    long firstexp;
    /** Event id: a CPU's event is its CPU number, a group's event is possibleCpus + group id. */
    int evt;
    long childmask;
    boolean remote;
    long now;
    boolean check;

    int steps;

    Walk() {
    }

    public Up up() {
        return up;
    }

    /** The group the next step will visit, or -1 when the walk is done. */
    public int group() {
        return done ? -1 : group;
    }

    public boolean done() {
        return done;
    }

    public long firstexp() {
        return firstexp;
    }

    public int steps() {
        return steps;
    }
}
