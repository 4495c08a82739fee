package org.tmigrlab.engine.sim;

import java.util.Arrays;

import org.tmigrlab.engine.wheel.TimerWheel;

/**
 * All timers of a run and the per-CPU wheel bases they sit in ({@code BASE_LOCAL} for pinned,
 * {@code BASE_GLOBAL}, {@code BASE_DEF} for deferrable).
 *
 * <p>A base is a binary min-heap of timer ids ordered like the wheel expires them: by
 * {@code bucket_expiry}, then wheel level (higher levels run first), then newest first
 * (a bucket is an hlist filled at its head). The wheel's buckets themselves are not needed: the
 * kernel only ever asks a base for its earliest bucket ({@code next_expiry}) and for everything due.
 * Timer state is column arrays indexed by timer id; nothing is allocated per arm or expiry once the
 * arrays have grown to the run's peak.
 */
final class TimerStore {

    static final int LOCAL = 0;
    static final int GLOBAL = 1;
    static final int DEF = 2;
    static final long NONE = Long.MAX_VALUE;

    // per timer
    int count;
    String[] name = new String[16];
    int[] baseCpu = new int[16];      // -1 when not pending
    int[] baseKind = new int[16];
    long[] expires = new long[16];
    long[] bucket = new long[16];
    int[] wheelIdx = new int[16];     // bucket index as calc_wheel_index() gives it
    int[] wheelLevel = new int[16];
    long[] enqueueSeq = new long[16];
    int[] heapPos = new int[16];
    int[] record = new int[16];       // current arming record, -1 if none
    long[] key = new long[16];        // generated-timer key, -1 for a timer named by its name
    // the current arming, as its record has it (kept here so a run without records needs none)
    int[] armedOn = new int[16];
    long[] armBucket = new long[16];  // bucket_expiry when armed (a hotplug migration re-buckets, this stays)
    byte[] flags = new byte[16];
    static final byte F_PINNED = 1;
    static final byte F_DEFERRABLE = 2;
    static final byte F_WAKES = 4;
    static final byte F_ARMED = 8;           // armed at least once
    static final byte F_RELEASE_ON_FIRE = 16; // its source never names it again once it ran
    private int[] free = new int[16];
    private int nfree;
    private long seqCounter;
    private long removals;

    // per base: (cpu * 3 + kind)
    private final int[][] heap;
    private final int[] size;

    TimerStore(int ncpus) {
        heap = new int[ncpus * 3][];
        size = new int[ncpus * 3];
        for (int i = 0; i < heap.length; i++) heap[i] = new int[4];
    }

    int newTimer(String timerName) {
        return newTimer(timerName, -1);
    }

    /** A new timer (a released id is reused first); {@code timerName} may be null for a keyed timer. */
    int newTimer(String timerName, long timerKey) {
        int id;
        if (nfree > 0) {
            id = free[--nfree];
        } else {
            if (count == name.length) grow(count * 2);
            id = count++;
        }
        name[id] = timerName;
        key[id] = timerKey;
        baseCpu[id] = -1;
        record[id] = -1;
        flags[id] = 0;
        return id;
    }

    /** Gives a timer's id back for reuse; it must not be pending. */
    void release(int t) {
        if (baseCpu[t] >= 0) throw new IllegalStateException("timer " + t + " is pending");
        name[t] = null;
        key[t] = -1;
        if (nfree == free.length) free = Arrays.copyOf(free, nfree * 2);
        free[nfree++] = t;
    }

    /** Timer ids in use (created and not released). */
    int live() {
        return count - nfree;
    }

    private void grow(int n) {
        name = Arrays.copyOf(name, n);
        baseCpu = Arrays.copyOf(baseCpu, n);
        baseKind = Arrays.copyOf(baseKind, n);
        expires = Arrays.copyOf(expires, n);
        bucket = Arrays.copyOf(bucket, n);
        wheelIdx = Arrays.copyOf(wheelIdx, n);
        wheelLevel = Arrays.copyOf(wheelLevel, n);
        enqueueSeq = Arrays.copyOf(enqueueSeq, n);
        heapPos = Arrays.copyOf(heapPos, n);
        record = Arrays.copyOf(record, n);
        key = Arrays.copyOf(key, n);
        armedOn = Arrays.copyOf(armedOn, n);
        armBucket = Arrays.copyOf(armBucket, n);
        flags = Arrays.copyOf(flags, n);
    }

    boolean pending(int t) {
        return baseCpu[t] >= 0;
    }

    /** Earliest bucket of a base, or {@link #NONE}. */
    long nextExpiry(int cpu, int kind) {
        int b = cpu * 3 + kind;
        return size[b] == 0 ? NONE : bucket[heap[b][0]];
    }

    /** First timer of a base, or -1. */
    int first(int cpu, int kind) {
        int b = cpu * 3 + kind;
        return size[b] == 0 ? -1 : heap[b][0];
    }

    int size(int cpu, int kind) {
        return size[cpu * 3 + kind];
    }

    /** Timer ids of a base, heap order (for migration of a dead CPU's timers). */
    int[] snapshot(int cpu, int kind) {
        int b = cpu * 3 + kind;
        return Arrays.copyOf(heap[b], size[b]);
    }

    void enqueue(int t, int cpu, int kind, long exp, long bucketExpiry, int idx) {
        int level = idx / TimerWheel.LVL_SIZE;
        int b = cpu * 3 + kind;
        baseCpu[t] = cpu;
        baseKind[t] = kind;
        expires[t] = exp;
        bucket[t] = bucketExpiry;
        wheelIdx[t] = idx;
        wheelLevel[t] = level;
        enqueueSeq[t] = ++seqCounter;
        if (size[b] == heap[b].length) heap[b] = Arrays.copyOf(heap[b], size[b] * 2);
        int i = size[b]++;
        heap[b][i] = t;
        heapPos[t] = i;
        siftUp(b, i);
    }

    /** Changes with every enqueue and removal: lets a reader cache a scan over the bases. */
    long changes() {
        return seqCounter + removals;
    }

    void remove(int t) {
        removals++;
        int b = baseCpu[t] * 3 + baseKind[t];
        int i = heapPos[t];
        int last = --size[b];
        baseCpu[t] = -1;
        if (i == last) return;
        int moved = heap[b][last];
        heap[b][i] = moved;
        heapPos[moved] = i;
        siftDown(b, i);
        siftUp(b, heapPos[moved]);
    }

    private boolean before(int x, int y) {
        if (bucket[x] != bucket[y]) return bucket[x] < bucket[y];
        // __run_timers() expires the collected levels from the highest down
        if (wheelLevel[x] != wheelLevel[y]) return wheelLevel[x] > wheelLevel[y];
        return enqueueSeq[x] > enqueueSeq[y];
    }

    private void siftUp(int b, int i) {
        int[] h = heap[b];
        int t = h[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(t, h[p])) break;
            h[i] = h[p];
            heapPos[h[i]] = i;
            i = p;
        }
        h[i] = t;
        heapPos[t] = i;
    }

    private void siftDown(int b, int i) {
        int[] h = heap[b];
        int n = size[b];
        int t = h[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) break;
            int r = l + 1;
            int c = (r < n && before(h[r], h[l])) ? r : l;
            if (!before(h[c], t)) break;
            h[i] = h[c];
            heapPos[h[i]] = i;
            i = c;
        }
        h[i] = t;
        heapPos[t] = i;
    }
}
