package org.tmigrlab.engine.core;

import org.tmigrlab.api.Hierarchy;

/**
 * One timer-migration model (mainline v6.9+, the 2017 RFC, or a baseline) seen from the
 * timer wheel: the calls {@code kernel/time/timer.c} makes into {@code timer_migration.c}.
 *
 * <p>Times are CLOCK_MONOTONIC ns, tick-aligned; {@link #KTIME_MAX} means "none".
 * Threading: single-threaded; every call runs to completion on the simulator thread (a race lab
 * may drive the mainline model's walks step by step instead).
 */
public interface PullModel {

    long KTIME_MAX = Long.MAX_VALUE;

    String name();

    /**
     * The hierarchy grew because {@code cpu} was prepared for the first time
     * ({@code tmigr_cpu_prepare}); {@code controlCpu} is the CPU running the hotplug control
     * ({@code -1} at boot before any CPU is up).
     */
    void prepare(Hierarchy hierarchy, int cpu, int controlCpu, long now);

    /** {@code tmigr_set_cpu_available}: online or unisolate; {@code baseIdle} = timer base idle. */
    void setAvailable(int cpu, boolean baseIdle, long now);

    /** {@code tmigr_clear_cpu_available}: offline or isolate. */
    void clearAvailable(int cpu, long now);

    /** {@code tmigr_cpu_activate}: idle exit ({@code timer_clear_idle}). */
    void cpuActivate(int cpu, long now);

    /** {@code tmigr_cpu_deactivate}: tick stop; returns the hierarchy wakeup this CPU must program. */
    long cpuDeactivate(int cpu, long nextGlobal, long now);

    /** {@code tmigr_cpu_new_timer}: re-evaluation while the base is already idle. */
    long cpuNewTimer(int cpu, long nextGlobal, long now);

    /** {@code tmigr_quick_check}: cpuidle forecast for an active CPU. */
    long quickCheck(int cpu, long nextEvent, long now);

    /** {@code tmigr_requires_handle_remote}: tick check, decides whether to raise the softirq. */
    boolean requiresHandleRemote(int cpu, long now);

    /** {@code tmigr_handle_remote}: softirq; expires remote CPUs' global timers through {@link TimerSide}. */
    void handleRemote(int cpu, long now);

    /** Whether the CPU takes part in the hierarchy (prepared, online, not isolated). */
    boolean isAvailable(int cpu);

    /**
     * The CPU whose wheel a timer armed on {@code armingCpu} is queued on ({@code __mod_timer()}'s
     * choice of base). Since v6.9 a timer is always queued where it is armed, the default; the
     * pre-6.9 {@code push} baseline asks {@code get_nohz_timer_target()}. The simulator falls back
     * to {@code armingCpu} if the answer is not an online CPU.
     *
     * @param pinned {@code TIMER_PINNED}: such a timer never leaves {@code armingCpu}
     */
    default int placeTimer(int armingCpu, boolean pinned, long now) {
        return armingCpu;
    }

    /**
     * Whether {@code cpu}'s own global timers count as its own next event, as
     * {@code fetch_next_timer_interrupt()} reports them: one due within the next jiffy keeps the
     * tick, and the first is handed to the model as {@code tevt.global}. True for every kernel
     * model; the {@code oracle} takes global timers off their CPUs' clocks (it runs them itself).
     */
    default boolean globalTimersOnOwnClock(int cpu) {
        return true;
    }
}
