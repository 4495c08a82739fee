package org.tmigrlab.engine.workload;

import java.util.Arrays;

/**
 * The generator's future actions, popped in (time, scheduling order), in primitive arrays so
 * that scheduling an action allocates nothing once they have grown to the run's peak.
 *
 * <p><b>Shape.</b> Most actions belong to a CPU, and a CPU has at most one live action of each
 * such kind: its next activity {@link #SWITCH}, the end of its latest task {@link #BURST_END},
 * its next timer {@link #ARRIVAL} while busy, its next device {@link #IRQ}. Those live in four
 * per-CPU slots; scheduling one ({@link #set}) replaces the slot, because the action it replaces
 * could only have done nothing (an arrival of a busy period that ended; the end of a task a later
 * task outlasts). A winner tree over CPUs keyed by each CPU's earliest slot gives the CPU whose
 * action is first; changing a CPU's slots replays one leaf-to-root path: {@code log2(CPUs)}
 * compares of the path's key with its siblings' keys, stored in the nodes so that no load waits
 * for the level below, and selected with conditional moves rather than branches. The fates of
 * armed timers ({@link #CANCEL}, {@link #REARM}) are many per CPU; they sit in one 4-ary heap.
 * The queue's first action is the smaller (time, seq) of the tree's winner and the heap's head.
 *
 * <p>Every action gets the next number of one sequence when scheduled, so equal times pop in
 * scheduling order whichever structure holds them: (time, seq) is a total order, and the pop
 * order is that of any other correct priority queue over the live actions.
 *
 * <p>Measured (issue 7, BENCHMARKS.md): the previous single heap spent half of the generator's
 * time sifting and a third of its pops were dead arrivals; a calendar queue (bucket ring, sorted
 * current bucket, lazy deletion of replaced slots) was tried in place of the tree and was 10–25 %
 * slower on the default workload at 256 and 8192 CPUs.
 *
 * <p>Slot changes reach the tree lazily, at the next {@link #peekTime()} or {@link #pop()}:
 * handling one action usually reschedules two or three slots of the same CPU, which then costs one
 * path replay. Not thread-safe.
 */
final class ActionQueue {

    static final byte SWITCH = 0;
    static final byte BURST_END = 1;
    static final byte ARRIVAL = 2;
    static final byte IRQ = 3;
    static final byte CANCEL = 4;
    static final byte REARM = 5;

    private static final int SLOTS = 4;
    private static final long NONE = Long.MAX_VALUE;
    /** Sequence numbers share a long with a 16-bit CPU (at most 65 536 CPUs) in the tree's nodes. */
    private static final long SEQ_LIMIT = 1L << 47;

    // per CPU and slot kind, at [cpu * SLOTS + kind]
    private final long[] slotTime;
    private final long[] slotSeq;
    /** The kind of each CPU's earliest slot. */
    private final byte[] cpuKind;
    /**
     * Winner tree, nodes 1-based, leaves at {@code leaves + cpu}: each node holds the key of the
     * earliest CPU below it, time in {@code nodeTime} and {@code seq << 16 | cpu} in {@code nodeSeq}
     * ({@link Long#MAX_VALUE} in both when nothing is below).
     */
    private final long[] nodeTime;
    private final long[] nodeSeq;
    private final int leaves;
    private final int[] dirty;
    private final boolean[] isDirty;
    private int ndirty;

    private final FateHeap fates = new FateHeap();
    private long counter;

    // the action last popped
    long topTime;
    byte topKind;
    int topCpu;
    int topAux;
    long topKey;

    ActionQueue(int ncpus) {
        if (ncpus > 1 << 16) throw new IllegalArgumentException(ncpus + " CPUs: at most 65536 (a CPU is 16 bits in the tree)");
        slotTime = new long[ncpus * SLOTS];
        slotSeq = new long[ncpus * SLOTS];
        Arrays.fill(slotTime, NONE);
        cpuKind = new byte[ncpus];
        int p = 1;
        while (p < ncpus) p <<= 1;
        leaves = p;
        nodeTime = new long[2 * p];
        nodeSeq = new long[2 * p];
        Arrays.fill(nodeTime, NONE);
        Arrays.fill(nodeSeq, Long.MAX_VALUE);
        dirty = new int[ncpus];
        isDirty = new boolean[ncpus];
    }

    /** Schedules the CPU's action of slot {@code kind} at {@code t}, replacing the slot's action. */
    void set(byte kind, int cpu, long t) {
        int s = cpu * SLOTS + kind;
        slotTime[s] = t;
        slotSeq[s] = nextSeq();
        touch(cpu);
    }

    /** Drops the CPU's action of slot {@code kind}, if any. */
    void clear(byte kind, int cpu) {
        int s = cpu * SLOTS + kind;
        if (slotTime[s] == NONE) return;
        slotTime[s] = NONE;
        touch(cpu);
    }

    /** Schedules a timer's fate ({@link #CANCEL} or {@link #REARM}); {@code aux} says where its values come from. */
    void addFate(long t, byte kind, int cpu, int aux, long key) {
        long pay = ((long) kind << 56) | ((long) (cpu & 0xFFFFFF) << 32) | (aux & 0xFFFFFFFFL);
        fates.add(t, nextSeq(), pay, key);
    }

    private long nextSeq() {
        // 2^47: about 300 simulated days of 65 536 CPUs at the default workload's ~210 actions per CPU-second
        if (counter == SEQ_LIMIT) throw new IllegalStateException("workload action sequence exhausted (2^47 actions)");
        return counter++;
    }

    boolean isEmpty() {
        flush();
        return nodeTime[1] == NONE && fates.size == 0;
    }

    long peekTime() {
        flush();
        long ct = nodeTime[1];
        return fates.size == 0 ? ct : Math.min(ct, fates.h[0]);
    }

    /** Pops the first action into the {@code top*} fields; the queue must not be empty. */
    void pop() {
        flush();
        long ct = nodeTime[1];
        if (fates.size > 0) {
            long ft = fates.h[0];
            if (ft < ct || (ft == ct && fates.h[1] < nodeSeq[1] >>> 16)) {
                long[] h = fates.h;
                long pay = h[2];
                topTime = ft;
                topKind = (byte) (pay >>> 56);
                topCpu = (int) ((pay >>> 32) & 0xFFFFFF);
                topAux = (int) pay;
                topKey = h[3];
                fates.removeRoot();
                return;
            }
        }
        if (ct == NONE) throw new IllegalStateException("no actions");
        int w = (int) (nodeSeq[1] & 0xFFFF);
        byte k = cpuKind[w];
        topTime = ct;
        topKind = k;
        topCpu = w;
        topAux = 0;
        topKey = -1;
        slotTime[w * SLOTS + k] = NONE;
        touch(w);
    }

    private void touch(int cpu) {
        if (isDirty[cpu]) return;
        isDirty[cpu] = true;
        dirty[ndirty++] = cpu;
    }

    private void flush() {
        while (ndirty > 0) {
            int c = dirty[--ndirty];
            isDirty[c] = false;
            rekey(c);
        }
    }

    /** The CPU's earliest slot becomes its key; its leaf-to-root path is replayed. */
    private void rekey(int c) {
        int b = c * SLOTS;
        long bt = NONE;
        long bs = Long.MAX_VALUE;
        int bk = 0;
        for (int k = 0; k < SLOTS; k++) {
            long t = slotTime[b + k];
            long q = slotSeq[b + k];
            boolean first = t < bt;
            if (t == bt && t != NONE) first = q < bs; // rare: two slots of a CPU at one instant
            bt = first ? t : bt;
            bs = first ? q : bs;
            bk = first ? k : bk;
        }
        cpuKind[c] = (byte) bk;
        long kt = bt;
        long kq = bt == NONE ? Long.MAX_VALUE : bs << 16 | c;
        long[] nt = nodeTime;
        long[] nq = nodeSeq;
        int i = leaves + c;
        nt[i] = kt;
        nq[i] = kq;
        while (i > 1) {
            long st = nt[i ^ 1];
            long sq = nq[i ^ 1];
            // Selects, not branches: C2 compiles them to conditional moves (an explicit bit-mask
            // version measured slower). Equal times are rare, so their branch predicts well.
            boolean sibFirst = st < kt;
            if (st == kt) sibFirst = sq < kq;
            kt = sibFirst ? st : kt;
            kq = sibFirst ? sq : kq;
            i >>>= 1;
            nt[i] = kt;
            nq[i] = kq;
        }
    }

    /**
     * Checks that every tree node holds the earliest key below it and each leaf its CPU's earliest
     * slot (for tests and debugging; O(CPUs)). Pending slot changes are flushed first.
     *
     * @throws IllegalStateException naming the first node that is wrong
     */
    void check() {
        flush();
        for (int c = 0; c < leaves; c++) {
            long t = NONE;
            long q = Long.MAX_VALUE;
            if (c < cpuKind.length) {
                for (int k = 0; k < SLOTS; k++) {
                    long st = slotTime[c * SLOTS + k];
                    long sq = slotSeq[c * SLOTS + k] << 16 | c;
                    if (st < t || (st == t && st != NONE && sq < q)) {
                        t = st;
                        q = sq;
                    }
                }
            }
            if (nodeTime[leaves + c] != t || nodeSeq[leaves + c] != q) throw new IllegalStateException("leaf of CPU " + c + " is stale");
        }
        for (int i = leaves - 1; i >= 1; i--) {
            int m = nodeTime[2 * i] < nodeTime[2 * i + 1]
                    || (nodeTime[2 * i] == nodeTime[2 * i + 1] && nodeSeq[2 * i] <= nodeSeq[2 * i + 1]) ? 2 * i : 2 * i + 1;
            if (nodeTime[i] != nodeTime[m] || nodeSeq[i] != nodeSeq[m]) throw new IllegalStateException("tree node " + i + " is not the earlier child");
        }
    }

    /** A 4-ary min-heap of (time, seq, payload, key) entries at {@code h[4i .. 4i+3]}. */
    private static final class FateHeap {
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
                    long jq = h[jb + 1];
                    // selects, as in rekey(): which child is least is a coin toss for a branch
                    boolean less = jt < mt;
                    if (jt == mt) less = jq < mq;
                    m = less ? j : m;
                    mb = less ? jb : mb;
                    mt = less ? jt : mt;
                    mq = less ? jq : mq;
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
