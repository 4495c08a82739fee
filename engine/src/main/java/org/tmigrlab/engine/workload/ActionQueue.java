package org.tmigrlab.engine.workload;

import java.util.Arrays;

/**
 * The generator's future actions: a binary min-heap ordered by (time, insertion order), stored
 * in primitive columns so that scheduling an action allocates nothing once the columns have
 * grown to the run's peak. Slots of popped actions are reused.
 */
final class ActionQueue {
    private long[] time = new long[64];
    private long[] seq = new long[64];
    private byte[] kind = new byte[64];
    private int[] cpu = new int[64];
    private int[] aux = new int[64];
    private String[] name = new String[64];
    private int[] heap = new int[64];
    private int[] free = new int[64];
    private int nfree;
    private int slots;
    private int size;
    private long counter;

    // the action last popped
    long topTime;
    byte topKind;
    int topCpu;
    int topAux;
    String topName;

    boolean isEmpty() {
        return size == 0;
    }

    long peekTime() {
        return size == 0 ? Long.MAX_VALUE : time[heap[0]];
    }

    void add(long t, byte k, int c, int a, String n) {
        int s;
        if (nfree > 0) {
            s = free[--nfree];
        } else {
            if (slots == time.length) grow(slots * 2);
            s = slots++;
        }
        time[s] = t;
        seq[s] = counter++;
        kind[s] = k;
        cpu[s] = c;
        aux[s] = a;
        name[s] = n;
        int i = size++;
        heap[i] = s;
        up(i);
    }

    /** Pops the first action into the {@code top*} fields. */
    void pop() {
        int s = heap[0];
        topTime = time[s];
        topKind = kind[s];
        topCpu = cpu[s];
        topAux = aux[s];
        topName = name[s];
        name[s] = null;
        free[nfree++] = s;
        int last = --size;
        if (last > 0) {
            heap[0] = heap[last];
            down(0);
        }
    }

    private void grow(int n) {
        time = Arrays.copyOf(time, n);
        seq = Arrays.copyOf(seq, n);
        kind = Arrays.copyOf(kind, n);
        cpu = Arrays.copyOf(cpu, n);
        aux = Arrays.copyOf(aux, n);
        name = Arrays.copyOf(name, n);
        heap = Arrays.copyOf(heap, n);
        free = Arrays.copyOf(free, n);
    }

    private boolean less(int a, int b) {
        return time[a] != time[b] ? time[a] < time[b] : seq[a] < seq[b];
    }

    private void up(int i) {
        int s = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(s, heap[p])) break;
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = s;
    }

    private void down(int i) {
        int s = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) break;
            int r = l + 1;
            int m = r < size && less(heap[r], heap[l]) ? r : l;
            if (!less(heap[m], s)) break;
            heap[i] = heap[m];
            i = m;
        }
        heap[i] = s;
    }
}
