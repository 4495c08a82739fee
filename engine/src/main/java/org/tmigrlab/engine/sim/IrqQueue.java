package org.tmigrlab.engine.sim;

import java.util.Arrays;

/**
 * The next timer interrupt of every CPU: its next tick while the tick runs, or the clock event it
 * programmed when the tick is stopped. A CPU has at most one, so the queue is indexed by CPU and
 * ordered by (time, cpu): rescheduling is a key change, never an allocation, and stale events
 * cannot exist.
 *
 * <p>Two structures share the CPUs, and the queue's minimum is the smaller (time, cpu) of both:
 * <ul>
 *   <li><b>Jiffy lanes</b> (when built with a tick length): an interrupt exactly on a jiffy boundary
 *       — every tick of a ticking CPU, most programmed clock events — goes into the lane of its
 *       jiffy, a bitset over CPUs, if that lane is free or already holds that jiffy ({@value #LANES}
 *       lanes, by jiffy modulo, for the jiffies {@code [baseJ, baseJ + LANES)} where {@code baseJ}
 *       trails the queue's minimum). Taking the lowest CPU of the earliest lane, and moving a CPU
 *       to the next jiffy, are O(1) instead of a sift through a heap in which thousands of CPUs
 *       tie on the same time (issue 7: the busy CPUs' ticks).</li>
 *   <li>A 4-ary indexed min-heap for everything else, with each entry's time inline. A key
 *       change sifts only the way the key moved.</li>
 * </ul>
 * (time, cpu) is a total order, so the order CPUs come out in does not depend on which structure
 * holds them nor on the heap's shape. The minimum is cached and survives every change that cannot
 * move it; only moving the minimum CPU later (what its tick does) costs a look at the earliest lane.
 */
final class IrqQueue {

    static final long NONE = Long.MAX_VALUE;
    private static final int LANES = 8;

    /**
     * By CPU, two words side by side (one cache line holds four CPUs): its time at [2c], and at
     * [2c + 1] its heap position (-1 when not in the heap) shifted left by 8 over its lane.
     */
    private final long[] cw;
    private final int[] heap;    // heap position -> CPU
    private final long[] ht;     // heap position -> its CPU's time (inline: a sift reads one array)
    private int size;

    private final long tick;     // 0: no lanes
    private final long[] laneBits;   // lane s, word w at [s * words + w]
    private final int words;
    private final int[] laneCount = new int[LANES];
    private final long[] laneJiffy = new long[LANES];
    private final int[] laneLow = new int[LANES];   // lowest word of the lane that may be non-zero
    private int laneMask;        // bit s: lane s is not empty
    private long baseJ;          // the jiffy of the queue's minimum, as last seen: lanes take jiffies below baseJ + LANES

    // the minimum of both structures, valid while !dirty (only read when a lane is not empty)
    private boolean dirty = true;
    private long minTime;
    private int minCpu;

    /** A queue without lanes: a plain indexed heap. */
    IrqQueue(int ncpus) {
        this(ncpus, 0);
    }

    /** A queue whose interrupts on multiples of {@code tickNs} go to jiffy lanes ({@code tickNs} 0: none). */
    IrqQueue(int ncpus, long tickNs) {
        cw = new long[2 * ncpus];
        heap = new int[ncpus];
        ht = new long[ncpus];
        for (int c = 0; c < ncpus; c++) {
            cw[2 * c] = NONE;
            cw[2 * c + 1] = -1L << 8;
        }
        tick = tickNs;
        words = (ncpus + 63) >>> 6;
        laneBits = new long[tickNs > 0 ? LANES * words : 0];
    }

    long time(int cpu) {
        return cw[2 * cpu];
    }

    boolean isEmpty() {
        return size == 0 && laneMask == 0;
    }

    int peekCpu() {
        if (laneMask == 0) return heap[0];
        if (dirty) refresh();
        return minCpu;
    }

    long peekTime() {
        if (laneMask == 0) return size == 0 ? NONE : ht[0];
        if (dirty) refresh();
        return minTime;
    }

    private void refresh() {
        long bt = size == 0 ? NONE : ht[0];
        int bc = size == 0 ? Integer.MAX_VALUE : heap[0];
        // Lanes hold distinct jiffies in [baseJ, baseJ + LANES), lane = jiffy % LANES: only the
        // earliest can hold the minimum, and it is the first lane in use from baseJ's, cyclically.
        int mask = laneMask;
        int s = -1;
        long sj = Long.MAX_VALUE;
        if (mask != 0) {
            int r = (int) (baseJ & (LANES - 1));
            int rot = ((mask >>> r) | (mask << (LANES - r))) & ((1 << LANES) - 1);
            s = (Integer.numberOfTrailingZeros(rot) + r) & (LANES - 1);
            sj = laneJiffy[s];
        }
        if (s >= 0 && sj * tick <= bt) {
            long[] b = laneBits;
            int base = s * words;
            int w = laneLow[s];
            while (b[base + w] == 0) w++;
            laneLow[s] = w;
            int c = (w << 6) + Long.numberOfTrailingZeros(b[base + w]);
            if (sj * tick < bt || c < bc) {
                bt = sj * tick;
                bc = c;
            }
        }
        minTime = bt;
        minCpu = bc;
        dirty = false;
    }

    /** Sets or clears ({@link #NONE}) the CPU's next interrupt. */
    void set(int cpu, long t) {
        long j = t != NONE && tick > 0 ? t / tick : -1;
        place(cpu, t, j >= 0 && j * tick == t ? j : -1);
    }

    /** {@link #set} to the start of jiffy {@code j} (queues built with a tick length only). */
    void setJiffy(int cpu, long j) {
        place(cpu, j * tick, j);
    }

    /** @param j the jiffy {@code t} starts, or -1 when {@code t} is not on a jiffy boundary */
    private void place(int cpu, long t, long j) {
        long old = cw[2 * cpu];
        if (t == old) return;
        int s = -1;
        if (j >= 0) {
            if (j - baseJ >= LANES) {
                // Lanes are for the next few jiffies: far events would hold them for long.
                long m = peekTime();
                if (m != NONE) baseJ = Math.max(baseJ, m / tick);
            }
            int slot = (int) (j & (LANES - 1));
            // Only jiffies in [baseJ, baseJ + LANES): refresh() relies on it. An event programmed
            // before baseJ (a step earlier than the queue's minimum) goes to the heap.
            if (j >= baseJ && j - baseJ < LANES && (laneCount[slot] == 0 || laneJiffy[slot] == j)) s = slot;
        }
        noteMinChange(cpu, t);
        int i = (int) (cw[2 * cpu + 1] >> 8);
        if (i >= 0) {
            if (s < 0 && t != NONE) {
                cw[2 * cpu] = t;
                ht[i] = t;
                if (t > old) down(i);
                else up(i);
                return;
            }
            heapRemove(cpu, i);
        } else if (old != NONE) {
            laneRemove(cpu);
        }
        cw[2 * cpu] = t;
        if (t == NONE) return;
        if (s >= 0) {
            laneAdd(cpu, s, j);
        } else {
            i = size++;
            heap[i] = cpu;
            ht[i] = t;
            cw[2 * cpu + 1] = (long) i << 8;
            up(i);
        }
    }

    /**
     * Keeps the cached minimum valid when it can be without a scan: a CPU other than the minimum
     * that moves stays behind it or becomes the new minimum; only moving the minimum itself
     * later needs a {@link #refresh()} (which a ticking CPU's move to its next jiffy is).
     */
    private void noteMinChange(int cpu, long t) {
        if (dirty) return;
        if (cpu == minCpu) {
            if (t == NONE || t > minTime) dirty = true;
            else minTime = t;
        } else if (t < minTime || (t == minTime && cpu < minCpu)) {
            minTime = t;
            minCpu = cpu;
        }
    }

    private void laneAdd(int cpu, int s, long j) {
        int w = cpu >>> 6;
        if (laneCount[s]++ == 0) {
            laneJiffy[s] = j;
            laneLow[s] = w;
            laneMask |= 1 << s;
        } else if (w < laneLow[s]) {
            laneLow[s] = w;
        }
        laneBits[s * words + w] |= 1L << cpu;
        cw[2 * cpu + 1] = (-1L << 8) | s;
    }

    private void laneRemove(int cpu) {
        int s = (int) (cw[2 * cpu + 1] & 0xFF);
        laneBits[s * words + (cpu >>> 6)] &= ~(1L << cpu);
        if (--laneCount[s] == 0) laneMask &= ~(1 << s);
    }

    private void heapRemove(int cpu, int i) {
        cw[2 * cpu + 1] = -1L << 8;
        int last = --size;
        if (i != last) {
            int moved = heap[last];
            heap[i] = moved;
            ht[i] = ht[last];
            cw[2 * moved + 1] = (long) i << 8;
            down(i);
            up((int) (cw[2 * moved + 1] >> 8));
        }
    }

    private void up(int i) {
        int c = heap[i];
        long tc = ht[i];
        while (i > 0) {
            int p = (i - 1) >>> 2;
            long tp = ht[p];
            int cp = heap[p];
            if (tc > tp || (tc == tp && c > cp)) break;
            heap[i] = cp;
            ht[i] = tp;
            cw[2 * cp + 1] = (long) i << 8;
            i = p;
        }
        heap[i] = c;
        ht[i] = tc;
        cw[2 * c + 1] = (long) i << 8;
    }

    private void down(int i) {
        int c = heap[i];
        long tc = ht[i];
        int n = size;
        while (true) {
            int l = 4 * i + 1;
            if (l >= n) break;
            int end = Math.min(l + 4, n);
            int m = heap[l];
            long tm = ht[l];
            int mi = l;
            for (int j = l + 1; j < end; j++) {
                long tx = ht[j];
                if (tx < tm || (tx == tm && heap[j] < m)) {
                    m = heap[j];
                    tm = tx;
                    mi = j;
                }
            }
            if (tc < tm || (tc == tm && c < m)) break;
            heap[i] = m;
            ht[i] = tm;
            cw[2 * m + 1] = (long) i << 8;
            i = mi;
        }
        heap[i] = c;
        ht[i] = tc;
        cw[2 * c + 1] = (long) i << 8;
    }
}
