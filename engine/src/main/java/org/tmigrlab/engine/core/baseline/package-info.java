/**
 * Baselines beside the pull models, on the same simulator and the same workload streams, so a
 * comparison measures placement and expiry policy and nothing else:
 * <ul>
 *   <li>{@code local} ({@link org.tmigrlab.engine.core.baseline.LocalModel}): no migration at all;
 *       every CPU wakes for its own timers, as with {@code timer_migration=0} before v6.9;</li>
 *   <li>{@code push} ({@link org.tmigrlab.engine.core.baseline.PushModel}): the pre-6.9 placement,
 *       {@code get_nohz_timer_target()} at enqueue; the timer stays where it was put;</li>
 *   <li>{@code oracle} ({@link org.tmigrlab.engine.core.baseline.OracleModel}): a lower bound that
 *       knows every wheel: a global timer costs a wake-up only when no CPU is awake at its expiry,
 *       and all global timers due in that jiffy share it.</li>
 * </ul>
 * None has a hierarchy, so the invariant checker's structural checks (mainline only) do not apply;
 * its behavioural checks (no lost timer, timely expiry, isolation, pinned timers stay home) hold
 * for all three.
 */
package org.tmigrlab.engine.core.baseline;
