package org.tmigrlab.engine.scenario;

/**
 * One timed script step. Same-time steps run in file order ({@code order}).
 *
 * @param at         when, ns
 * @param cpu        the CPU the step happens on (for arm/rearm: the arming CPU)
 * @param op         what happens
 * @param timer      timer name (arm, cancel, rearm), else null
 * @param inNs       relative timeout in ns (arm, rearm), or -1 when {@code atNs} is used
 * @param atNs       absolute expiry time in ns (arm, rearm), or -1 when {@code inNs} is used
 * @param pinned     arm: TIMER_PINNED (local base)
 * @param deferrable arm: TIMER_DEFERRABLE
 * @param order      position in the file (generated steps: position in their generator's stream)
 * @param wakesTask  arm: the callback wakes a task on the arming CPU (a generated workload's
 *                   ping-pong; the simulator tells the step's source when it ran)
 */
public record Step(long at, int cpu, Op op, String timer, long inNs, long atNs,
                   boolean pinned, boolean deferrable, int order, boolean wakesTask) {

    /** A step as scripts write it: no task behind the timer. */
    public Step(long at, int cpu, Op op, String timer, long inNs, long atNs, boolean pinned, boolean deferrable, int order) {
        this(at, cpu, op, timer, inNs, atNs, pinned, deferrable, order, false);
    }
}
