package org.tmigrlab.engine.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The run's metrics beyond the simulator's original totals: wake-ups by cause, lateness
 * distributions (HdrHistogram), placement and cross-LLC counts, and per-window counters.
 * Everything here is a deterministic function of the run; the wall clock lives in
 * {@link RuntimeStats}. Recording allocates nothing once the histograms have grown to the run's
 * largest lateness.
 *
 * <p>Threading: the simulator's thread.
 */
final class RunMetrics {

    /** Three significant digits: a p99 of 1.234ms is exact to the µs. */
    private static final int DIGITS = 3;

    // window columns
    private static final int W_WAKEUPS = 0;
    private static final int W_TIMER = 1;
    private static final int W_DUTY = 2;
    private static final int W_GLOBAL = 3;
    private static final int W_IRQ = 4;
    private static final int W_IPI = 5;
    private static final int W_ARMED = 6;
    private static final int W_FIRED = 7;
    private static final int W_REMOTE = 8;
    private static final int W_MAXLATE = 9;
    private static final int W_COLUMNS = 10;

    private final long window;
    private final long[] windows;
    private final int nwindows;

    private final Histogram latenessGlobal = new Histogram(DIGITS);
    private final Histogram latenessPinned = new Histogram(DIGITS);
    /** Global timers: fired minus bucket time, the delay the model adds beyond the wheel's rounding. */
    private final Histogram overdueGlobal = new Histogram(DIGITS);

    // exact maxima (a histogram's max is rounded to its precision)
    private long maxGlobal;
    private long maxPinned;
    private long maxOverdue;

    long pinnedWakeups;
    long globalWakeups;
    long irqWakeups;
    long idleTicks;
    long idleTickGlobalWakeups;
    long enqueueIpiWakeups;
    long taskIpiWakeups;
    long timersPushed;
    long pushedCrossNode;
    long pushedCrossLlc;
    long crossLlcRemote;
    long transitions;

    RunMetrics(long windowNs, long until) {
        this.window = windowNs;
        this.nwindows = windowNs > 0 ? (int) Math.max(1, (until + windowNs - 1) / windowNs) : 0;
        this.windows = new long[nwindows * W_COLUMNS];
    }

    private int slot(long now, int column) {
        int w = (int) Math.min(now / window, nwindows - 1);
        return w * W_COLUMNS + column;
    }

    private void count(long now, int column) {
        if (nwindows > 0) windows[slot(now, column)]++;
    }

    /** A clock event woke a tick-stopped CPU. */
    void clockWakeup(long now, boolean ownDue, boolean pinnedDue) {
        if (pinnedDue) pinnedWakeups++;
        else globalWakeups++;
        count(now, W_WAKEUPS);
        count(now, ownDue ? W_TIMER : W_DUTY);
        if (!pinnedDue) count(now, W_GLOBAL);
    }

    /** A tick taken by an idle CPU that kept its tick; {@code global}: no pinned timer of its own was due. */
    void idleTick(long now, boolean global) {
        idleTicks++;
        if (global) {
            idleTickGlobalWakeups++;
            globalWakeups++;
            count(now, W_GLOBAL);
        }
    }

    void irqWakeup(long now) {
        irqWakeups++;
        count(now, W_IRQ);
    }

    /** An IPI woke a tick-stopped CPU; {@code enqueue}: a timer queued on it from elsewhere. */
    void ipiWakeup(long now, boolean enqueue) {
        if (enqueue) {
            enqueueIpiWakeups++;
            globalWakeups++;
            count(now, W_GLOBAL);
        } else {
            taskIpiWakeups++;
        }
        count(now, W_IPI);
    }

    void armed(long now) {
        count(now, W_ARMED);
    }

    void pushed(boolean crossNode, boolean crossLlc) {
        timersPushed++;
        if (crossNode) pushedCrossNode++;
        if (crossLlc) pushedCrossLlc++;
    }

    void fired(long now, long late, long overdue, boolean pinned, boolean deferrable, boolean remote, boolean crossLlc) {
        count(now, W_FIRED);
        if (remote) {
            count(now, W_REMOTE);
            if (crossLlc) crossLlcRemote++;
        }
        long l = Math.max(0, late);
        if (pinned) {
            latenessPinned.recordValue(l);
            maxPinned = Math.max(maxPinned, l);
        } else if (!deferrable) {
            latenessGlobal.recordValue(l);
            overdueGlobal.recordValue(Math.max(0, overdue));
            maxGlobal = Math.max(maxGlobal, l);
            maxOverdue = Math.max(maxOverdue, overdue);
            if (nwindows > 0) {
                int s = slot(now, W_MAXLATE);
                windows[s] = Math.max(windows[s], l);
            }
        }
    }

    /** Percentiles of the lateness of global (neither pinned nor deferrable) and pinned timers. */
    void putLateness(Map<String, Object> m) {
        put(m, "latenessGlobal", latenessGlobal, maxGlobal);
        put(m, "latenessPinned", latenessPinned, maxPinned);
        m.put("overdueGlobalP50Ns", pct(overdueGlobal, 50, maxOverdue));
        m.put("overdueGlobalP99Ns", pct(overdueGlobal, 99, maxOverdue));
        m.put("overdueGlobalMaxNs", maxOverdue);
    }

    private static void put(Map<String, Object> m, String prefix, Histogram h, long exactMax) {
        m.put(prefix + "Count", h.getTotalCount());
        m.put(prefix + "P50Ns", pct(h, 50, exactMax));
        m.put(prefix + "P90Ns", pct(h, 90, exactMax));
        m.put(prefix + "P99Ns", pct(h, 99, exactMax));
        m.put(prefix + "P999Ns", pct(h, 99.9, exactMax));
        m.put(prefix + "MaxNs", exactMax);
    }

    /**
     * The histogram's value at a percentile: the highest value equivalent to it at 3 digits,
     * capped by the exact maximum so that no percentile reads above the max.
     */
    private static long pct(Histogram h, double p, long exactMax) {
        return h.getTotalCount() == 0 ? 0L : Math.min(h.getValueAtPercentile(p), exactMax);
    }

    List<WindowMetrics> windows(long end) {
        List<WindowMetrics> out = new ArrayList<>(nwindows);
        for (int w = 0; w < nwindows; w++) {
            int b = w * W_COLUMNS;
            long start = w * window;
            long stop = w == nwindows - 1 ? Math.max(end, start) : start + window;
            out.add(new WindowMetrics(start, stop, windows[b + W_WAKEUPS], windows[b + W_TIMER], windows[b + W_DUTY],
                    windows[b + W_GLOBAL], windows[b + W_IRQ], windows[b + W_IPI], windows[b + W_ARMED],
                    windows[b + W_FIRED], windows[b + W_REMOTE], windows[b + W_MAXLATE]));
        }
        return out;
    }

    /** {@code num / den} with {@code scale} decimals (half-even), 0 when {@code den} is 0: exact text in JSON. */
    static BigDecimal ratio(double num, double den, int scale) {
        if (den == 0) return BigDecimal.ZERO.setScale(scale, RoundingMode.HALF_EVEN);
        return BigDecimal.valueOf(num).divide(BigDecimal.valueOf(den), scale, RoundingMode.HALF_EVEN);
    }
}
