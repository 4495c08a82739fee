package org.tmigrlab.engine.sim;

import java.util.Arrays;

/**
 * The next timer interrupt of every CPU: its next tick while the tick runs, or the clock event it
 * programmed when the tick is stopped. A CPU has at most one, so the queue is an indexed min-heap
 * over CPUs keyed by (time, cpu): rescheduling is a key change, never an allocation, and stale
 * events cannot exist.
 *
 * <p>The heap is 4-ary (half the levels of a binary heap: 4 instead of 8 at 256 CPUs), and a key
 * change sifts only the way the key moved. (time, cpu) is a total order, so the order CPUs come
 * out in does not depend on the heap's shape.
 */
final class IrqQueue {

    static final long NONE = Long.MAX_VALUE;

    private final long[] time;
    private final int[] heap;
    private final int[] pos;
    private int size;

    IrqQueue(int ncpus) {
        time = new long[ncpus];
        heap = new int[ncpus];
        pos = new int[ncpus];
        Arrays.fill(time, NONE);
        Arrays.fill(pos, -1);
    }

    long time(int cpu) {
        return time[cpu];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peekCpu() {
        return heap[0];
    }

    long peekTime() {
        return size == 0 ? NONE : time[heap[0]];
    }

    /** Sets or clears ({@link #NONE}) the CPU's next interrupt. */
    void set(int cpu, long t) {
        int i = pos[cpu];
        if (t == NONE) {
            if (i < 0) return;
            time[cpu] = NONE;
            int last = --size;
            pos[cpu] = -1;
            if (i != last) {
                int moved = heap[last];
                heap[i] = moved;
                pos[moved] = i;
                down(i);
                up(pos[moved]);
            }
            return;
        }
        long old = time[cpu];
        time[cpu] = t;
        if (i < 0) {
            i = size++;
            heap[i] = cpu;
            pos[cpu] = i;
            up(i);
        } else if (t > old) {
            down(i);
        } else if (t < old) {
            up(i);
        }
    }

    private boolean less(int a, int b) {
        return time[a] != time[b] ? time[a] < time[b] : a < b;
    }

    private void up(int i) {
        int c = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 2;
            if (!less(c, heap[p])) break;
            heap[i] = heap[p];
            pos[heap[i]] = i;
            i = p;
        }
        heap[i] = c;
        pos[c] = i;
    }

    private void down(int i) {
        int c = heap[i];
        long tc = time[c];
        while (true) {
            int l = 4 * i + 1;
            if (l >= size) break;
            int end = Math.min(l + 4, size);
            int m = heap[l];
            long tm = time[m];
            int mi = l;
            for (int j = l + 1; j < end; j++) {
                int x = heap[j];
                long tx = time[x];
                if (tx < tm || (tx == tm && x < m)) {
                    m = x;
                    tm = tx;
                    mi = j;
                }
            }
            if (tc < tm || (tc == tm && c < m)) break;
            heap[i] = m;
            pos[m] = i;
            i = mi;
        }
        heap[i] = c;
        pos[c] = i;
    }
}
