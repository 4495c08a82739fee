package org.tmigrlab.engine.workload;

import java.util.Arrays;

/**
 * The generator's future actions, ordered by (time, insertion order), in primitive arrays so that
 * scheduling an action allocates nothing once they have grown to the run's peak.
 *
 * <p>Two 4-ary min-heaps share the actions: one for those due within {@value #NEAR_NS} ns of the
 * last action popped (activity switches, arrivals, the ends of short bursts), one for the rest
 * (fates and interrupts far ahead). Most actions are scheduled a little after now, in a
 * single heap they would sift up to near its root through cache-cold levels; in the small near
 * heap that is short. The queue's first action is the smaller of both heads, so the pop order is
 * the (time, sequence) order whichever heap an action went to — a total order, so the run is
 * exactly that of any other correct priority queue.
 *
 * <p>A heap keeps each entry inline and interleaved — key (time, sequence) and payload (kind, CPU,
 * aux packed in one {@code long}, and the timer key) in four consecutive {@code long}s — so a sift
 * compares neighbouring cells of one array and a pop reads one position (issue 7: this queue was
 * the largest cost of a generated workload).
 */
final class ActionQueue {
    /** Actions due within this of the last one popped go to the near heap. */
    static final long NEAR_NS = 5_000_000L;

    private final Heap near = new Heap();
    private final Heap far = new Heap();
    private long counter;

    // the action last popped
    long topTime;
    byte topKind;
    int topCpu;
    int topAux;
    long topKey;

    boolean isEmpty() {
        return near.size == 0 && far.size == 0;
    }

    long peekTime() {
        return Math.min(near.size == 0 ? Long.MAX_VALUE : near.h[0], far.size == 0 ? Long.MAX_VALUE : far.h[0]);
    }

    void add(long t, byte k, int c, int a, long n) {
        long pay = ((long) k << 56) | ((long) (c & 0xFFFFFF) << 32) | (a & 0xFFFFFFFFL);
        (t - topTime < NEAR_NS ? near : far).add(t, counter++, pay, n);
    }

    /** Pops the first action into the {@code top*} fields. */
    void pop() {
        Heap from;
        if (near.size == 0) {
            from = far;
        } else if (far.size == 0) {
            from = near;
        } else {
            long nt = near.h[0];
            long ft = far.h[0];
            from = nt < ft || (nt == ft && near.h[1] < far.h[1]) ? near : far;
        }
        long[] h = from.h;
        long pay = h[2];
        topTime = h[0];
        topKind = (byte) (pay >>> 56);
        topCpu = (int) ((pay >>> 32) & 0xFFFFFF);
        topAux = (int) pay;
        topKey = h[3];
        from.removeRoot();
    }

    /** A 4-ary min-heap of (time, seq, payload, key) entries at {@code h[4i .. 4i+3]}. */
    private static final class Heap {
        private static final int W = 4;
        long[] h = new long[64 * W];
        int size;

        void add(long t, long q, long pay, long key) {
            if (size * W == h.length) h = Arrays.copyOf(h, h.length * 2);
            up(size++, t, q, pay, key);
        }

        void removeRoot() {
            int last = --size;
            if (last > 0) {
                int l = last * W;
                down(h[l], h[l + 1], h[l + 2], h[l + 3]);
            }
        }

        private void up(int i, long t, long q, long pay, long key) {
            long[] h = this.h;
            while (i > 0) {
                int p = (i - 1) >>> 2;
                int pb = p * W;
                long pt = h[pb];
                if (pt < t || (pt == t && h[pb + 1] < q)) break;
                int ib = i * W;
                h[ib] = pt;
                h[ib + 1] = h[pb + 1];
                h[ib + 2] = h[pb + 2];
                h[ib + 3] = h[pb + 3];
                i = p;
            }
            int ib = i * W;
            h[ib] = t;
            h[ib + 1] = q;
            h[ib + 2] = pay;
            h[ib + 3] = key;
        }

        /** Places the entry from the root down; the heap has {@code size} entries. */
        private void down(long t, long q, long pay, long key) {
            long[] h = this.h;
            int i = 0;
            int n = size;
            while (true) {
                int c = 4 * i + 1;
                if (c >= n) break;
                int end = Math.min(c + 4, n);
                int m = c;
                int mb = c * W;
                long mt = h[mb];
                long mq = h[mb + 1];
                for (int j = c + 1; j < end; j++) {
                    int jb = j * W;
                    long jt = h[jb];
                    if (jt < mt || (jt == mt && h[jb + 1] < mq)) {
                        m = j;
                        mb = jb;
                        mt = jt;
                        mq = h[jb + 1];
                    }
                }
                if (t < mt || (t == mt && q < mq)) break;
                int ib = i * W;
                h[ib] = mt;
                h[ib + 1] = mq;
                h[ib + 2] = h[mb + 2];
                h[ib + 3] = h[mb + 3];
                i = m;
            }
            int ib = i * W;
            h[ib] = t;
            h[ib + 1] = q;
            h[ib + 2] = pay;
            h[ib + 3] = key;
        }
    }
}
