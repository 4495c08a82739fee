package org.tmigrlab.engine.core;

/**
 * What a pull model may ask of the per-CPU timer wheels (kernel/time/timer.c side).
 *
 * <p>Threading: called only from the simulator thread, inside a model operation.
 */
public interface TimerSide {

    /**
     * {@code timer_expire_remote(cpu)}: run the <em>global</em> base of {@code cpu} up to the
     * current jiffy; the callbacks execute on {@code onCpu} (the migrator).
     */
    void expireRemote(int cpu, int onCpu, long now);

    /**
     * {@code fetch_next_timer_interrupt_remote()}: the next global event of {@code cpu} in ns
     * as it is reported to the hierarchy ({@code tevt.global}), or {@link PullModel#KTIME_MAX}.
     * Follows {@code fetch_next_timer_interrupt()}: a global timer behind the first pinned timer
     * is not reported.
     */
    long nextGlobalEvent(int cpu, long now);

    /** {@code work_on_cpu(cpu, tmigr_trigger_active)}: wake {@code cpu} so it becomes active. */
    void triggerActive(int cpu, long now);

    /**
     * No kernel counterpart: an idle {@code cpu} re-reads its next event (calling
     * {@link PullModel#cpuNewTimer}, or retrying to stop a tick it kept) without being woken and
     * without a wake-up being counted.
     * Only the {@code oracle} baseline uses it, to move its single wake-up between idle CPUs for
     * free; done after the current event, like {@link #triggerActive}.
     */
    default void reevaluate(int cpu, long now) {
        throw new UnsupportedOperationException("this timer side cannot re-evaluate idle CPUs");
    }
}
