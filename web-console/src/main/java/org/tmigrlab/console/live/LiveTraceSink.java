package org.tmigrlab.console.live;

import org.HdrHistogram.Histogram;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * The trace sink of a live experiment: counts what the windowed metrics need (timer starts,
 * cancels, expiries with their lateness, remote and cross-node expiries) and forwards every event
 * to the kernel-format log writer when the event log is on.
 *
 * <p>Threading: called on the experiment's thread only, like every {@link TraceSink}.
 */
final class LiveTraceSink implements TraceSink {
    private final TraceSink log;
    private final Machine machine;
    private final long tick;
    private volatile boolean logging;

    // per timer id (dense, as the simulator numbers them)
    private long[] expiresNs = new long[256];
    private int[] baseCpu = new int[256];
    private byte[] kind = new byte[256]; // 0 global, 1 pinned, 2 deferrable

    // window counters, reset by the metrics window
    long armed;
    long cancelled;
    long fired;
    long remote;
    long crossNode;
    final Histogram lateness = new Histogram(3_600_000_000_000L, 2);
    // run totals
    long totalFired;
    long totalRemote;
    long totalCrossNode;

    LiveTraceSink(TraceSink log, Machine machine, long tickNs, boolean logging) {
        this.log = log;
        this.machine = machine;
        this.tick = tickNs;
        this.logging = logging;
    }

    void setLogging(boolean on) {
        logging = on;
    }

    boolean logging() {
        return logging;
    }

    void resetWindow() {
        armed = 0;
        cancelled = 0;
        fired = 0;
        remote = 0;
        crossNode = 0;
        lateness.reset();
    }

    private void grow(int timer) {
        if (timer < expiresNs.length) return;
        int n = Math.max(timer + 1, expiresNs.length * 2);
        expiresNs = java.util.Arrays.copyOf(expiresNs, n);
        baseCpu = java.util.Arrays.copyOf(baseCpu, n);
        kind = java.util.Arrays.copyOf(kind, n);
    }

    @Override
    public void timerStart(long t, int cpu, int timer, String function, long expires, long timeout, long bucketExpiry,
                           int base, int idx, String flags) {
        grow(timer);
        expiresNs[timer] = expires * tick;
        baseCpu[timer] = base;
        kind[timer] = (byte) (flags.contains("D") ? 2 : flags.contains("P") ? 1 : 0);
        armed++;
        if (logging) log.timerStart(t, cpu, timer, function, expires, timeout, bucketExpiry, base, idx, flags);
    }

    @Override
    public void timerCancel(long t, int cpu, int timer) {
        cancelled++;
        if (logging) log.timerCancel(t, cpu, timer);
    }

    @Override
    public void timerExpireEntry(long t, int cpu, int timer, String function, long now, long baseclk) {
        fired++;
        totalFired++;
        if (timer < expiresNs.length) {
            int base = baseCpu[timer];
            if (base != cpu) {
                remote++;
                totalRemote++;
                if (machine.nodeOf(base) != machine.nodeOf(cpu)) {
                    crossNode++;
                    totalCrossNode++;
                }
            }
            if (kind[timer] == 0) lateness.recordValue(Math.max(0, Math.min(t - expiresNs[timer], lateness.getHighestTrackableValue())));
        }
        if (logging) log.timerExpireEntry(t, cpu, timer, function, now, baseclk);
    }

    // ---- the rest is forwarded to the log only ----

    @Override
    public void groupSet(long t, int cpu, int group, int lvl, int numa) {
        if (logging) log.groupSet(t, cpu, group, lvl, numa);
    }

    @Override
    public void connectChildParent(long t, int cpu, int child, long groupmask, int parent, int lvl, int numa, int numChildren) {
        if (logging) log.connectChildParent(t, cpu, child, groupmask, parent, lvl, numa, numChildren);
    }

    @Override
    public void connectCpuParent(long t, int cpu, int childCpu, long groupmask, int parent, int lvl, int numa, int numChildren) {
        if (logging) log.connectCpuParent(t, cpu, childCpu, groupmask, parent, lvl, numa, numChildren);
    }

    @Override
    public void groupSetCpu(long t, int cpu, boolean active, int group, int lvl, int numa, long activeMask, long migrator,
                            int parent, long childmask) {
        if (logging) log.groupSetCpu(t, cpu, active, group, lvl, numa, activeMask, migrator, parent, childmask);
    }

    @Override
    public void cpuGroup(long t, int cpu, String event, int subjectCpu, int parent, long wakeup) {
        if (logging) log.cpuGroup(t, cpu, event, subjectCpu, parent, wakeup);
    }

    @Override
    public void cpuIdle(long t, int cpu, String event, int subjectCpu, int parent, long nextevt, long wakeup) {
        if (logging) log.cpuIdle(t, cpu, event, subjectCpu, parent, nextevt, wakeup);
    }

    @Override
    public void updateEvents(long t, int cpu, int child, int group, int groupLvl, long childActive, long groupActive,
                             long nextevt, long nextExpiry, long childEvtExpiry, int childEvtCpu) {
        if (logging) log.updateEvents(t, cpu, child, group, groupLvl, childActive, groupActive, nextevt, nextExpiry,
                childEvtExpiry, childEvtCpu);
    }

    @Override
    public void handleRemote(long t, int cpu, int group, int lvl) {
        if (logging) log.handleRemote(t, cpu, group, lvl);
    }

    @Override
    public void timerExpireExit(long t, int cpu, int timer) {
        if (logging) log.timerExpireExit(t, cpu, timer);
    }

    @Override
    public void timerBaseIdle(long t, int cpu, boolean idle) {
        if (logging) log.timerBaseIdle(t, cpu, idle);
    }

    @Override
    public void cpuIdleState(long t, int cpu, long state) {
        if (logging) log.cpuIdleState(t, cpu, state);
    }
}
