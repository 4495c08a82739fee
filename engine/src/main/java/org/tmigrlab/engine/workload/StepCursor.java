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

    /** Flag bits of a generated step, as {@link #setGenerated} takes them and {@link #generatedFlags} gives them. */
    public static final int PINNED = 1;
    public static final int DEFERRABLE = 2;
    public static final int WAKES_TASK = 4;
    public static final int LAST_USE = 8;

    /** A generated step: its timer named by {@code key}, its timeout relative ({@code atNs} -1). */
    public StepCursor setGenerated(long at, int cpu, Op op, long key, long inNs, int flags, int order) {
        this.at = at;
        this.cpu = cpu;
        this.op = op;
        this.timer = null;
        this.key = key;
        this.inNs = inNs;
        this.atNs = -1;
        this.pinned = (flags & PINNED) != 0;
        this.deferrable = (flags & DEFERRABLE) != 0;
        this.wakesTask = (flags & WAKES_TASK) != 0;
        this.lastUse = (flags & LAST_USE) != 0;
        this.order = order;
        return this;
    }

    /** The flags {@link #setGenerated} would take to give this step's. */
    public int generatedFlags() {
        return (pinned ? PINNED : 0) | (deferrable ? DEFERRABLE : 0) | (wakesTask ? WAKES_TASK : 0) | (lastUse ? LAST_USE : 0);
    }

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
