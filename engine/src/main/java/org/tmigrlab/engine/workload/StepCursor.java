package org.tmigrlab.engine.workload;

import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Step;

/**
 * One step handed from a {@link StepSource} to the simulator without allocating: the fields of a
 * {@link Step}, overwritten for every step. A generated timer is named by a primitive
 * {@link #key} ({@link #timer} is null); {@link WorkloadGenerator#timerName(long)} gives the
 * name a {@link Step} would carry.
 *
 * <p>Public mutable fields on purpose: this is the event loop's hand-off, read once per step.
 * Threading: the simulator's thread.
 */
public final class StepCursor {
    public long at;
    public int cpu;
    public Op op;
    /** Timer name, or null when the step names its timer by {@link #key} (or has none). */
    public String timer;
    /** Generated timer key ({@link WorkloadGenerator#timerName(long)}), -1 when none or named by {@link #timer}. */
    public long key = -1;
    public long inNs;
    public long atNs;
    public boolean pinned;
    public boolean deferrable;
    public int order;
    public boolean wakesTask;
    /**
     * Its source will never name this timer again after this step: after a cancel at once, after
     * an arm once the timer has run. Lets the simulator recycle the timer's slot (records
     * aggregated only).
     */
    public boolean lastUse;

    /** Copies a step (script and injected steps). */
    public StepCursor set(Step s) {
        at = s.at();
        cpu = s.cpu();
        op = s.op();
        timer = s.timer();
        key = -1;
        inNs = s.inNs();
        atNs = s.atNs();
        pinned = s.pinned();
        deferrable = s.deferrable();
        order = s.order();
        wakesTask = s.wakesTask();
        lastUse = false;
        return this;
    }

    /** The step as a {@link Step} (names materialised). */
    public Step toStep() {
        String name = timer != null ? timer : key >= 0 ? WorkloadGenerator.timerName(key) : null;
        return new Step(at, cpu, op, name, inNs, atNs, pinned, deferrable, order, wakesTask);
    }
}
