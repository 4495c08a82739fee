package org.tmigrlab.engine.sim;

/**
 * Per-CPU totals of a run.
 *
 * @param wakeups      times the CPU left a stopped-tick idle state because its clock event fired
 *                     ({@code timerWakeups + dutyWakeups})
 * @param timerWakeups wake-ups in which one of its own timers was due
 * @param dutyWakeups  wake-ups for hierarchy duty only (remote expiry as idle migrator, or a stale wakeup)
 * @param idleNs       time spent idle
 */
public record CpuRecord(int cpu, long wakeups, long timerWakeups, long dutyWakeups, long idleNs) {
}
