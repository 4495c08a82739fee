package org.tmigrlab.engine.sim;

/**
 * Counters of one metrics window {@code [startNs, endNs)} ({@code metrics.window}). Wake-ups have
 * the same meaning as the run totals (README "Metrics").
 *
 * @param startNs              window start
 * @param endNs                window end (the run's end for the last window)
 * @param wakeups              clock-event wake-ups ({@code timerWakeups + dutyWakeups})
 * @param timerWakeups         ... one of the CPU's own timers was due
 * @param dutyWakeups          ... hierarchy duty only
 * @param globalWakeups        wake-ups global timers cost (no pinned timer of the CPU due, or an enqueue IPI)
 * @param irqWakeups           device interrupts on CPUs whose tick was stopped
 * @param ipiWakeups           IPIs that woke such a CPU (timer enqueue, task wake-up)
 * @param timersArmed          arms and re-arms
 * @param timersFired          callbacks run
 * @param remoteExpiries       callbacks run on another CPU than the timer's base
 * @param maxLatenessGlobalNs  latest global timer fired in the window, ns after its expiry
 */
public record WindowMetrics(long startNs, long endNs, long wakeups, long timerWakeups, long dutyWakeups,
                            long globalWakeups, long irqWakeups, long ipiWakeups, long timersArmed,
                            long timersFired, long remoteExpiries, long maxLatenessGlobalNs) {
}
