package org.tmigrlab.engine.sim;

import java.util.Arrays;

/**
 * The next timer interrupt of every CPU: its next tick while the tick runs, or the clock event it
 * programmed when the tick is stopped. A CPU has at most one, so the queue is an indexed min-heap
 * over CPUs keyed by (time, cpu): rescheduling is a key change, never an allocation, and stale
 * events cannot exist.
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
        time[cpu] = t;
        if (i < 0) {
            i = size++;
            heap[i] = cpu;
            pos[cpu] = i;
        }
        up(i);
        down(pos[cpu]);
    }

    private boolean less(int a, int b) {
        return time[a] != time[b] ? time[a] < time[b] : a < b;
    }

    private void up(int i) {
        int c = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
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
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) break;
            int r = l + 1;
            int m = (r < size && less(heap[r], heap[l])) ? r : l;
            if (!less(heap[m], c)) break;
            heap[i] = heap[m];
            pos[heap[i]] = i;
            i = m;
        }
        heap[i] = c;
        pos[c] = i;
    }
}
