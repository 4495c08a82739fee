package org.tmigrlab.engine.core.baseline;

import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.engine.core.CpuView;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;

/**
 * The lower bound on what global timers can cost: one flat group of every CPU, run by something
 * that sees all wheels and reprograms idle CPUs for free.
 * <ul>
 *   <li>While any available CPU is active (busy, or idle with its tick still running), it
 *       expires every due global timer of every CPU at its next tick: no wake-up at all.</li>
 *   <li>When none is, exactly one idle CPU — the <em>carrier</em> — programs the earliest global
 *       expiry; it expires every global timer due then, so timers due in the same jiffy share one
 *       wake-up. If some idle CPU will wake at that very instant for a pinned timer anyway, it is
 *       the carrier, and the global timers ride along for nothing.</li>
 *   <li>The carrier changes without waking anyone ({@link TimerSide#reevaluate}): when a CPU
 *       becomes active its wake-up is withdrawn, when the earliest expiry moves it moves.</li>
 *   <li>A CPU's own global timer due within the next jiffy does not keep its tick
 *       ({@link #globalTimersOnOwnClock}): it is not that CPU's business.</li>
 * </ul>
 * Pinned and deferrable timers are left alone (they cost the same under every model), and
 * unavailable (isolated, offline) CPUs keep their own timers, as in the mainline model.
 *
 * <p>Threading: the simulator's thread.
 */
public final class OracleModel implements PullModel {

    private final int ncpus;
    private final TimerSide timers;
    private final CpuView cpus;
    private final boolean[] available;
    private final boolean[] active;
    private int activeCount;
    private int carrier = -1;
    private long carrierWake = KTIME_MAX;
    /** The earliest global expiry the last {@link #settle} saw. */
    private long lastSettled = KTIME_MAX;
    /**
     * An idle CPU that kept its tick because the forecast made it the carrier of an expiry within
     * a tick, or -1. If that changes (another CPU wakes up, the expiry moves) it retries stopping
     * the tick; every other reason to keep a tick is the CPU's own pinned timer.
     */
    private int tickKeeper = -1;

    // earliest global expiry over available CPUs, cached until a wheel or availability changes
    private long cachedVersion = Long.MIN_VALUE;
    private long cachedEarliest;

    public OracleModel(ModelContext ctx) {
        this.ncpus = ctx.possibleCpus();
        this.timers = ctx.timers();
        this.cpus = ctx.cpus();
        this.available = new boolean[ncpus];
        this.active = new boolean[ncpus];
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public void prepare(Hierarchy hierarchy, int cpu, int controlCpu, long now) {
        // one flat group: nothing to build
    }

    @Override
    public void setAvailable(int cpu, boolean baseIdle, long now) {
        if (available[cpu]) return;
        available[cpu] = true;
        cachedVersion = Long.MIN_VALUE;
        if (!baseIdle) activate(cpu, now);
    }

    @Override
    public void clearAvailable(int cpu, long now) {
        if (!available[cpu]) return;
        if (active[cpu]) {
            active[cpu] = false;
            activeCount--;
        }
        available[cpu] = false;
        cachedVersion = Long.MIN_VALUE;
        if (carrier == cpu) {
            carrier = -1;
            carrierWake = KTIME_MAX;
        }
        // The last active CPU may have just left: someone must cover the global timers.
        settle(-1, now);
    }

    @Override
    public void cpuActivate(int cpu, long now) {
        if (available[cpu]) activate(cpu, now);
    }

    private void activate(int cpu, long now) {
        if (!active[cpu]) {
            active[cpu] = true;
            activeCount++;
        }
        if (carrier >= 0) {
            int old = carrier;
            carrier = -1;
            carrierWake = KTIME_MAX;
            if (old != cpu) timers.reevaluate(old, now);
        }
        releaseTickKeeper(cpu, now);
    }

    private void releaseTickKeeper(int asker, long now) {
        if (tickKeeper >= 0 && tickKeeper != asker) timers.reevaluate(tickKeeper, now);
        tickKeeper = -1;
    }

    @Override
    public long cpuDeactivate(int cpu, long nextGlobal, long now) {
        if (!available[cpu]) return nextGlobal;
        if (active[cpu]) {
            active[cpu] = false;
            activeCount--;
        }
        if (tickKeeper == cpu) tickKeeper = -1; // it stops its tick now
        return settle(cpu, now);
    }

    @Override
    public long cpuNewTimer(int cpu, long nextGlobal, long now) {
        if (!available[cpu]) return nextGlobal;
        return settle(cpu, now);
    }

    /**
     * The governor's forecast for an active CPU: what {@link #cpuDeactivate} would answer if it
     * went idle now, without changing anything (a forecast earlier than the real answer would
     * cost a wake-up the oracle does not need).
     */
    @Override
    public long quickCheck(int cpu, long nextEvent, long now) {
        if (!available[cpu]) return nextEvent;
        // Its own global timer is not its business unless it ends up the carrier.
        int othersActive = activeCount - (active[cpu] ? 1 : 0);
        if (othersActive > 0) return KTIME_MAX;
        long e = earliest();
        if (e == KTIME_MAX || chooseCarrier(cpu, e, true) != cpu) return KTIME_MAX;
        if (e - now <= cpus.tickNsec()) tickKeeper = cpu; // the simulator keeps its tick for e
        return e;
    }

    @Override
    public boolean requiresHandleRemote(int cpu, long now) {
        return mayHandle(cpu, now);
    }

    /** A CPU that runs the softirq while a global timer is due anywhere expires them all. */
    @Override
    public void handleRemote(int cpu, long now) {
        if (!mayHandle(cpu, now)) return;
        for (int c = 0; c < ncpus; c++) {
            if (available[c] && cpus.nextGlobalTimer(c) <= now) timers.expireRemote(c, cpu, now);
        }
    }

    /**
     * Whether {@code cpu} should expire the due global timers now. A busy CPU always does; an idle
     * one (a carrier, or a CPU that kept its tick) leaves them to another CPU taking an interrupt
     * at this very instant anyway — a busy CPU's tick, or an idle CPU woken for a pinned timer —
     * so they cost nothing. The last such CPU at this instant does it.
     */
    private boolean mayHandle(int cpu, long now) {
        if (!available[cpu] || earliest() > now) return false;
        if (cpus.cpuBusy(cpu)) return true;
        for (int c = 0; c < ncpus; c++) {
            if (c == cpu || !available[c] || cpus.cpuNextInterrupt(c) != now) continue;
            if (cpus.cpuBusy(c) || cpus.nextPinnedTimer(c) <= now) return false;
        }
        return true;
    }

    @Override
    public boolean isAvailable(int cpu) {
        return available[cpu];
    }

    /**
     * Global timers are the oracle's, not their CPU's: one due within the next jiffy does not
     * keep an idle CPU's tick (the kernel's rule would make it tick for a timer someone else
     * runs). Unavailable CPUs keep their own timers, as in the mainline model.
     */
    @Override
    public boolean globalTimersOnOwnClock(int cpu) {
        return !available[cpu];
    }

    // ---- the carrier -------------------------------------------------------------------------

    /**
     * Recomputes who must wake for the earliest global expiry and re-programs the idle CPUs whose
     * answer changed (other than {@code asker}, which is being asked right now).
     *
     * @return the wake-up {@code asker} must program, or KTIME_MAX
     */
    private long settle(int asker, long now) {
        int chosen = -1;
        long e = earliest();
        if (e != lastSettled) {
            lastSettled = e;
            releaseTickKeeper(asker, now);
        }
        if (activeCount == 0 && e != KTIME_MAX) chosen = chooseCarrier(asker, e, false);
        else e = KTIME_MAX;
        if (chosen != carrier || (chosen >= 0 && e != carrierWake)) {
            int old = carrier;
            carrier = chosen;
            carrierWake = chosen >= 0 ? e : KTIME_MAX;
            if (old >= 0 && old != asker && old != chosen) timers.reevaluate(old, now);
            if (chosen >= 0 && chosen != asker) timers.reevaluate(chosen, now);
        }
        return asker >= 0 && asker == carrier ? carrierWake : KTIME_MAX;
    }

    /**
     * An idle CPU that wakes at {@code e} for a pinned timer anyway; else the current carrier;
     * else {@code asker}; else the lowest idle available CPU.
     *
     * @param askerGoingIdle {@code asker} is still active but counts as idle (the forecast)
     */
    private int chooseCarrier(int asker, long e, boolean askerGoingIdle) {
        int lowest = -1;
        for (int c = 0; c < ncpus; c++) {
            boolean idle = available[c] && (!active[c] || (askerGoingIdle && c == asker));
            if (!idle) continue;
            if (cpus.nextPinnedTimer(c) == e) return c;
            if (lowest < 0) lowest = c;
        }
        if (carrier >= 0 && available[carrier] && !active[carrier]) return carrier;
        if (asker >= 0 && available[asker] && (!active[asker] || askerGoingIdle)) return asker;
        return lowest;
    }

    /** The earliest global expiry over available CPUs (bucket time, ns). */
    private long earliest() {
        long v = cpus.globalTimersVersion();
        if (v != cachedVersion) {
            long e = KTIME_MAX;
            for (int c = 0; c < ncpus; c++) if (available[c]) e = Math.min(e, cpus.nextGlobalTimer(c));
            cachedEarliest = e;
            cachedVersion = v;
        }
        return cachedEarliest;
    }
}
