package org.tmigrlab.engine.core.baseline;

import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;

/**
 * No timer migration: an idle CPU programs its own first global timer like any other timer
 * ({@code tevt.global} is its own wake-up), nobody expires anyone else's timers. This is the
 * kernel with {@code kernel.timer_migration=0} before v6.9, and the cost the pull model exists to
 * avoid.
 *
 * <p>Threading: the simulator's thread.
 */
public class LocalModel implements PullModel {

    private final boolean[] available;

    public LocalModel(ModelContext ctx) {
        this.available = new boolean[ctx.possibleCpus()];
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void prepare(Hierarchy hierarchy, int cpu, int controlCpu, long now) {
        // no hierarchy
    }

    @Override
    public void setAvailable(int cpu, boolean baseIdle, long now) {
        available[cpu] = true;
    }

    @Override
    public void clearAvailable(int cpu, long now) {
        available[cpu] = false;
    }

    @Override
    public void cpuActivate(int cpu, long now) {
        // nothing to tell anyone
    }

    /** The CPU wakes for its own first global timer. */
    @Override
    public long cpuDeactivate(int cpu, long nextGlobal, long now) {
        return nextGlobal;
    }

    @Override
    public long cpuNewTimer(int cpu, long nextGlobal, long now) {
        return nextGlobal;
    }

    @Override
    public long quickCheck(int cpu, long nextEvent, long now) {
        return nextEvent;
    }

    @Override
    public boolean requiresHandleRemote(int cpu, long now) {
        return false;
    }

    @Override
    public void handleRemote(int cpu, long now) {
        // nobody else's timers
    }

    @Override
    public boolean isAvailable(int cpu) {
        return available[cpu];
    }
}
