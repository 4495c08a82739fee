package org.tmigrlab.engine.trace;

/**
 * Receives the simulator's events as the kernel's tracepoints (include/trace/events/
 * timer_migration.h, timer.h, power.h). Arguments are the values the kernel prints; groups are
 * dense group ids (a writer turns them into pointer-like identifiers), {@code -1} = NULL.
 * Masks are the hex-printed bitmasks, {@code migrator} uses {@code 0xff} for TMIGR_NONE.
 *
 * <p>Threading: called on the simulator thread, in simulated-time order. {@link #NONE} costs nothing.
 */
public interface TraceSink {

    /** {@code cpu} is the CPU the event happens on (the {@code [CPU#]} column). */
    default void groupSet(long t, int cpu, int group, int lvl, int numa) {}

    default void connectChildParent(long t, int cpu, int child, long groupmask, int parent, int lvl, int numa, int numChildren) {}

    default void connectCpuParent(long t, int cpu, int childCpu, long groupmask, int parent, int lvl, int numa, int numChildren) {}

    /** {@code active} true for tmigr_group_set_cpu_active, false for ..._inactive. */
    default void groupSetCpu(long t, int cpu, boolean active, int group, int lvl, int numa, long activeMask, long migrator, int parent, long childmask) {}

    /** class tmigr_cpugroup: name is one of tmigr_cpu_new_timer, tmigr_cpu_active, tmigr_cpu_available, tmigr_cpu_unavailable, tmigr_handle_remote_cpu. */
    default void cpuGroup(long t, int cpu, String event, int subjectCpu, int parent, long wakeup) {}

    /** class tmigr_idle: tmigr_cpu_idle or tmigr_cpu_new_timer_idle. */
    default void cpuIdle(long t, int cpu, String event, int subjectCpu, int parent, long nextevt, long wakeup) {}

    default void updateEvents(long t, int cpu, int child, int group, int groupLvl, long childActive, long groupActive,
                              long nextevt, long nextExpiry, long childEvtExpiry, int childEvtCpu) {}

    default void handleRemote(long t, int cpu, int group, int lvl) {}

    /** timer_start; {@code flags} as printed ("", "P", "D", "P|D" ...). */
    default void timerStart(long t, int cpu, int timer, String function, long expires, long timeout, long bucketExpiry, int baseCpu, int idx, String flags) {}

    default void timerCancel(long t, int cpu, int timer) {}

    default void timerExpireEntry(long t, int cpu, int timer, String function, long now, long baseclk) {}

    default void timerExpireExit(long t, int cpu, int timer) {}

    default void timerBaseIdle(long t, int cpu, boolean idle) {}

    /** power:cpu_idle; {@code state} 4294967295 on exit. */
    default void cpuIdleState(long t, int cpu, long state) {}

    TraceSink NONE = new TraceSink() {};
}
