package org.tmigrlab.engine.sim;

/**
 * Per-CPU totals of a run.
 *
 * @param wakeups      times the CPU left a stopped-tick idle state because its clock event fired
 *                     ({@code timerWakeups + dutyWakeups})
 * @param timerWakeups wake-ups in which one of its own timers was due
 * @param dutyWakeups  wake-ups for hierarchy duty only (remote expiry as idle migrator, or a stale wakeup)
 * @param idleNs       time spent idle
 * @param irqWakeups   device interrupts that arrived while its tick was stopped (not in {@code wakeups})
 * @param ipiWakeups   IPIs that arrived while its tick was stopped: a timer queued on it by another
 *                     CPU ({@code push}), or a task woken on it from another CPU (not in {@code wakeups})
 */
public record CpuRecord(int cpu, long wakeups, long timerWakeups, long dutyWakeups, long idleNs,
                        long irqWakeups, long ipiWakeups) {

    /** Without interrupt or IPI wake-ups (scripted runs before the workload existed, tests). */
    public CpuRecord(int cpu, long wakeups, long timerWakeups, long dutyWakeups, long idleNs) {
        this(cpu, wakeups, timerWakeups, dutyWakeups, idleNs, 0, 0);
    }
}
