package org.tmigrlab.engine.workload;

import java.util.Arrays;

/**
 * The generator's future actions: a 4-ary min-heap ordered by (time, insertion order), stored
 * in primitive columns so that scheduling an action allocates nothing once the columns have
 * grown to the run's peak.
 *
 * <p>The heap keeps each entry inline — key (time, sequence) and payload (kind, CPU, aux packed
 * in one {@code long}, and the timer key) — so a sift compares neighbouring array cells and a pop
 * reads one position, with no slot indirection (issue 7: this queue was the largest cost of a
 * generated workload). (time, sequence) is a total order, so the pop order — and the
 * run — is exactly that of any other correct priority queue.
 */
final class ActionQueue {
    // entry i of the heap
    private long[] hTime = new long[64];
    private long[] hSeq = new long[64];
    private long[] hPay = new long[64];   // kind << 56 | (cpu & 0xFFFFFF) << 32 | aux
    private long[] hKey = new long[64];
    private int size;
    private long counter;

    // the action last popped
    long topTime;
    byte topKind;
    int topCpu;
    int topAux;
    long topKey;

    boolean isEmpty() {
        return size == 0;
    }

    long peekTime() {
        return size == 0 ? Long.MAX_VALUE : hTime[0];
    }

    void add(long t, byte k, int c, int a, long n) {
        if (size == hTime.length) grow(size * 2);
        long pay = ((long) k << 56) | ((long) (c & 0xFFFFFF) << 32) | (a & 0xFFFFFFFFL);
        up(size++, t, counter++, pay, n);
    }

    /** Pops the first action into the {@code top*} fields. */
    void pop() {
        long pay = hPay[0];
        topTime = hTime[0];
        topKind = (byte) (pay >>> 56);
        topCpu = (int) ((pay >>> 32) & 0xFFFFFF);
        topAux = (int) pay;
        topKey = hKey[0];
        int last = --size;
        if (last > 0) down(hTime[last], hSeq[last], hPay[last], hKey[last]);
    }

    private void grow(int n) {
        hTime = Arrays.copyOf(hTime, n);
        hSeq = Arrays.copyOf(hSeq, n);
        hPay = Arrays.copyOf(hPay, n);
        hKey = Arrays.copyOf(hKey, n);
    }

    private void up(int i, long t, long q, long pay, long key) {
        while (i > 0) {
            int p = (i - 1) >>> 2;
            long pt = hTime[p];
            if (pt < t || (pt == t && hSeq[p] < q)) break;
            hTime[i] = pt;
            hSeq[i] = hSeq[p];
            hPay[i] = hPay[p];
            hKey[i] = hKey[p];
            i = p;
        }
        hTime[i] = t;
        hSeq[i] = q;
        hPay[i] = pay;
        hKey[i] = key;
    }

    /** Places the entry from the root down; the heap has {@code size} entries. */
    private void down(long t, long q, long pay, long key) {
        int i = 0;
        int n = size;
        while (true) {
            int c = 4 * i + 1;
            if (c >= n) break;
            int end = Math.min(c + 4, n);
            int m = c;
            long mt = hTime[c];
            long mq = hSeq[c];
            for (int j = c + 1; j < end; j++) {
                long jt = hTime[j];
                if (jt < mt || (jt == mt && hSeq[j] < mq)) {
                    m = j;
                    mt = jt;
                    mq = hSeq[j];
                }
            }
            if (t < mt || (t == mt && q < mq)) break;
            hTime[i] = mt;
            hSeq[i] = mq;
            hPay[i] = hPay[m];
            hKey[i] = hKey[m];
            i = m;
        }
        hTime[i] = t;
        hSeq[i] = q;
        hPay[i] = pay;
        hKey[i] = key;
    }
}
