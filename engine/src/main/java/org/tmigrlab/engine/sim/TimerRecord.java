package org.tmigrlab.engine.sim;

/**
 * What happened to one arming of a timer (each arm or rearm starts a new record).
 *
 * @param name         timer name from the scenario (generated timers: {@code w<cpu>.<n>})
 * @param armedAt      ns
 * @param armedOn      CPU that armed it
 * @param cpu          CPU whose base held it: the arming CPU, except where the model placed it
 *                     elsewhere ({@code push}) or a hot-unplug moved it
 * @param pinned       TIMER_PINNED
 * @param deferrable   TIMER_DEFERRABLE
 * @param expires      jiffies
 * @param bucketExpiry jiffies, as the wheel rounds it ({@code calc_wheel_index})
 * @param expiresNs    {@code expires} as ns
 * @param firedAt      ns, null if it never fired
 * @param firedOn      CPU that ran the callback, null if it never fired
 * @param remote       fired on another CPU than its base
 * @param latenessNs   {@code firedAt - expiresNs}, null if it never fired
 * @param cancelledAt  ns when cancelled or re-armed, null otherwise
 * @param wakesTask    its callback wakes a task on {@code armedOn} (workload ping-pong)
 */
public record TimerRecord(String name, long armedAt, int armedOn, int cpu, boolean pinned, boolean deferrable,
                          long expires, long bucketExpiry, long expiresNs,
                          Long firedAt, Integer firedOn, boolean remote, Long latenessNs, Long cancelledAt,
                          boolean wakesTask) {

    public TimerRecord(String name, long armedAt, int armedOn, int cpu, boolean pinned, boolean deferrable,
                       long expires, long bucketExpiry, long expiresNs,
                       Long firedAt, Integer firedOn, boolean remote, Long latenessNs, Long cancelledAt) {
        this(name, armedAt, armedOn, cpu, pinned, deferrable, expires, bucketExpiry, expiresNs, firedAt, firedOn, remote,
                latenessNs, cancelledAt, false);
    }
}
