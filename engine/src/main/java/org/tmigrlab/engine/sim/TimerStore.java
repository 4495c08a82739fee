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
 *
 * <p><b>Layout</b> (issue 7: at most 150 bytes per pending timer). A timer is one record of
 * {@value #WORDS} {@code long}s — expires, bucket, enqueue sequence, generated key, bucket when
 * armed, then ints and bytes packed two or more to a word — in pages of {@value #PAGE} timers,
 * plus its name in a parallel page of references. Pages, not one growing array per field: no
 * doubling slack and no column big enough to be a G1 humongous object (which wastes the rest of
 * its region); only a single wheel base holding tens of thousands of timers grows an array that
 * large (its heap, 20 bytes per timer). Generated keys are
 * found through an open-addressing table of timer ids (the key itself is read from the record), so
 * a timer costs 4 bytes per table slot instead of a key/value pair. Nothing is allocated per arm
 * or expiry once the pages have grown to the run's peak.
 */
final class TimerStore {

    static final int LOCAL = 0;
    static final int GLOBAL = 1;
    static final int DEF = 2;
    static final long NONE = Long.MAX_VALUE;

    static final byte F_PINNED = 1;
    static final byte F_DEFERRABLE = 2;
    static final byte F_WAKES = 4;
    static final byte F_ARMED = 8;           // armed at least once
    static final byte F_RELEASE_ON_FIRE = 16; // its source never names it again once it ran

    private static final int PAGE_BITS = 12;
    static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE - 1;
    static final int WORDS = 8;
    // word offsets in a timer's record
    private static final int EXPIRES = 0;
    private static final int BUCKET = 1;
    private static final int SEQ = 2;         // enqueue sequence: newest first within a bucket and level
    private static final int KEY = 3;         // generated-timer key, -1 for a timer named by its name
    private static final int ARM_BUCKET = 4;  // bucket_expiry when armed (a hotplug migration re-buckets, this stays)
    private static final int CPU_POS = 5;     // base CPU (-1 when not pending) << 32 | position in its base's heap
    private static final int RECORD_ON = 6;   // current arming record (-1 if none) << 32 | CPU that armed it
    private static final int SMALL = 7;       // wheel index (16 bits) | base kind (8) | flags (8)

    private long[][] pages = new long[4][];
    private String[][] names = new String[4][];
    private int count;
    private int[] free = new int[16];
    private int nfree;
    private long seqCounter;
    private long removals;

    // generated keys -> timer ids: linear probing, backward-shift deletion, -1 empty
    private int[][] keyTable;
    private int keyMask;
    private int keyed;
    private static final int TABLE_PAGE_BITS = 16;

    // per base: (cpu * 3 + kind)
    private final int[][] heap;
    private final long[][] hkey;
    private final int[] size;
    /** Each base's earliest bucket, kept flat: every tick asks it of three bases. */
    private final long[] next;

    TimerStore(int ncpus) {
        heap = new int[ncpus * 3][];
        size = new int[ncpus * 3];
        next = new long[ncpus * 3];
        Arrays.fill(next, NONE);
        hkey = new long[ncpus * 3][];
        for (int i = 0; i < heap.length; i++) {
            heap[i] = new int[4];
            hkey[i] = new long[8];
        }
        newKeyTable(64);
    }

    // ---- record access ----

    private long get(int t, int word) {
        return pages[t >>> PAGE_BITS][((t & PAGE_MASK) << 3) + word];
    }

    private void put(int t, int word, long v) {
        pages[t >>> PAGE_BITS][((t & PAGE_MASK) << 3) + word] = v;
    }

    String name(int t) {
        return names[t >>> PAGE_BITS][t & PAGE_MASK];
    }

    long expires(int t) {
        return get(t, EXPIRES);
    }

    void setExpires(int t, long v) {
        put(t, EXPIRES, v);
    }

    long bucket(int t) {
        return get(t, BUCKET);
    }

    long key(int t) {
        return get(t, KEY);
    }

    long armBucket(int t) {
        return get(t, ARM_BUCKET);
    }

    void setArmBucket(int t, long v) {
        put(t, ARM_BUCKET, v);
    }

    /** The CPU whose base holds the timer, -1 when not pending. */
    int baseCpu(int t) {
        return (int) (get(t, CPU_POS) >> 32);
    }

    private int heapPos(int t) {
        return (int) get(t, CPU_POS);
    }

    private void setCpuPos(int t, int cpu, int pos) {
        put(t, CPU_POS, (long) cpu << 32 | (pos & 0xFFFFFFFFL));
    }

    private void setHeapPos(int t, int pos) {
        long[] p = pages[t >>> PAGE_BITS];
        int i = ((t & PAGE_MASK) << 3) + CPU_POS;
        p[i] = (p[i] & 0xFFFFFFFF00000000L) | (pos & 0xFFFFFFFFL);
    }

    int record(int t) {
        return (int) (get(t, RECORD_ON) >> 32);
    }

    void setRecord(int t, int r) {
        put(t, RECORD_ON, (long) r << 32 | (armedOn(t) & 0xFFFFFFFFL));
    }

    int armedOn(int t) {
        return (int) get(t, RECORD_ON);
    }

    void setArmedOn(int t, int cpu) {
        put(t, RECORD_ON, (get(t, RECORD_ON) & 0xFFFFFFFF00000000L) | (cpu & 0xFFFFFFFFL));
    }

    /** Bucket index as {@code calc_wheel_index()} gave it. */
    int wheelIdx(int t) {
        return (int) (get(t, SMALL) >>> 16) & 0xFFFF;
    }

    private int baseKind(int t) {
        return (int) (get(t, SMALL) >>> 8) & 0xFF;
    }

    byte flags(int t) {
        return (byte) get(t, SMALL);
    }

    void setFlags(int t, byte f) {
        put(t, SMALL, (get(t, SMALL) & ~0xFFL) | (f & 0xFF));
    }

    private void setSmall(int t, int idx, int kind, byte f) {
        put(t, SMALL, (long) idx << 16 | kind << 8 | (f & 0xFF));
    }

    // ---- timers ----

    int newTimer(String timerName) {
        return newTimer(timerName, -1);
    }

    /**
     * A new timer (a released id is reused first); {@code timerName} may be null for a keyed
     * timer. A timer with a key ({@code >= 0}) is found by {@link #byKey} until released.
     */
    int newTimer(String timerName, long timerKey) {
        int at = timerKey >= 0 ? slotForNewKey(timerKey) : timerName != null ? slotForNewName(timerName) : -1;
        int id;
        if (nfree > 0) {
            id = free[--nfree];
        } else {
            id = count++;
            int pg = id >>> PAGE_BITS;
            if (pg == pages.length) {
                pages = Arrays.copyOf(pages, pg * 2);
                names = Arrays.copyOf(names, pg * 2);
            }
            if (pages[pg] == null) {
                pages[pg] = new long[PAGE * WORDS];
                names[pg] = new String[PAGE];
            }
        }
        names[id >>> PAGE_BITS][id & PAGE_MASK] = timerName;
        put(id, KEY, timerKey);
        setCpuPos(id, -1, -1);
        put(id, RECORD_ON, -1L << 32);
        setSmall(id, 0, 0, (byte) 0);
        if (at >= 0) {
            setSlot(at, id);
            keyed++;
            tableChanges++;
        }
        return id;
    }

    /** The empty table slot a new timer with key {@code k} takes (growing the table first if due); throws if {@code k} is taken. */
    private int slotForNewKey(long k) {
        growIfDue();
        if (missKey == k && missTable == tableChanges) return missSlot;
        int i = hash(k) & keyMask;
        for (int t; (t = slot(i)) >= 0; i = (i + 1) & keyMask)
            if (key(t) == k) throw new IllegalStateException("key " + k + " already names timer " + t);
        return i;
    }

    /** {@link #slotForNewKey} for a timer known by its name only. */
    private int slotForNewName(String n) {
        growIfDue();
        int i = hashName(n) & keyMask;
        for (int t; (t = slot(i)) >= 0; i = (i + 1) & keyMask)
            if (key(t) < 0 && n.equals(name(t))) throw new IllegalStateException("name " + n + " already names timer " + t);
        return i;
    }

    private void growIfDue() {
        if (2 * (keyed + 1) <= keyMask + 1) return;
        int[][] old = keyTable;
        newKeyTable(2 * (keyMask + 1));
        keyed = 0;
        for (int[] p : old) for (int x : p) if (x >= 0) insert(x);
        tableChanges++;
    }

    /** Gives a timer's id back for reuse (and forgets its key); it must not be pending. */
    void release(int t) {
        if (pending(t)) throw new IllegalStateException("timer " + t + " is pending");
        if (key(t) >= 0 || name(t) != null) unindex(t);
        names[t >>> PAGE_BITS][t & PAGE_MASK] = null;
        put(t, KEY, -1);
        if (nfree == free.length) free = Arrays.copyOf(free, nfree * 2);
        free[nfree++] = t;
    }

    /** Timer ids in use (created and not released). */
    int live() {
        return count - nfree;
    }

    boolean pending(int t) {
        return baseCpu(t) >= 0;
    }

    // ---- finding a timer by generated key or by name ----
    // One open-addressing table of timer ids (linear probing, backward-shift deletion, -1 empty)
    // for both: a keyed timer hashes by its key, a script-named one by its name; the key or name
    // an id stands for is read from the timer's record. 4 bytes a slot, at most half full.

    /** The timer named {@code n} (a name that is not a generated key), or -1. */
    int byName(String n) {
        for (int i = hashName(n) & keyMask; ; i = (i + 1) & keyMask) {
            int t = slot(i);
            if (t < 0) return -1;
            if (key(t) < 0 && n.equals(name(t))) {
                foundSlot = i;
                foundTimer = t;
                return t;
            }
        }
    }

    /** The timer holding generated key {@code k}, or -1. */
    int byKey(long k) {
        if (k < 0) return -1; // script-named timers hold -1: no key names them
        for (int i = hash(k) & keyMask; ; i = (i + 1) & keyMask) {
            int t = slot(i);
            if (t < 0) {
                missKey = k;
                missSlot = i;
                missTable = tableChanges;
                return -1;
            }
            if (key(t) == k) {
                foundSlot = i;
                foundTimer = t;
                return t;
            }
        }
    }

    // The table slot byKey()/byName() last found, valid while foundTimer holds it: a cancel looks
    // the timer up, then releases it, and the release need not probe again.
    private int foundSlot = -1;
    private int foundTimer = -1;
    // Where byKey() last missed: the empty slot a new timer with that key goes to, while the
    // table has not changed since (an arm looks the key up, then creates the timer).
    private long missKey = -1;
    private int missSlot;
    private long missTable = -1;
    private long tableChanges;

    private static int hash(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return (int) (k ^ (k >>> 32));
    }

    private static int hashName(String n) {
        return hash(~(long) n.hashCode());
    }

    /** Where timer {@code t}'s probe run starts. */
    private int home(int t) {
        long k = key(t);
        return (k >= 0 ? hash(k) : hashName(name(t))) & keyMask;
    }

    private int slot(int i) {
        return keyTable[i >>> TABLE_PAGE_BITS][i & ((1 << TABLE_PAGE_BITS) - 1)];
    }

    private void setSlot(int i, int t) {
        keyTable[i >>> TABLE_PAGE_BITS][i & ((1 << TABLE_PAGE_BITS) - 1)] = t;
    }

    private void newKeyTable(int capacity) {
        int pageLen = Math.min(capacity, 1 << TABLE_PAGE_BITS);
        keyTable = new int[capacity / pageLen][pageLen];
        for (int[] p : keyTable) Arrays.fill(p, -1);
        keyMask = capacity - 1;
    }

    private void insert(int t) {
        int i = home(t);
        while (slot(i) >= 0) i = (i + 1) & keyMask;
        setSlot(i, t);
        keyed++;
    }

    /** Takes timer {@code t} out of the table. */
    private void unindex(int t0) {
        int i;
        if (foundSlot >= 0 && foundSlot <= keyMask && foundTimer == t0 && slot(foundSlot) == t0) {
            i = foundSlot;
        } else {
            i = home(t0);
            while (true) {
                int t = slot(i);
                if (t < 0) return;
                if (t == t0) break;
                i = (i + 1) & keyMask;
            }
        }
        foundSlot = -1;
        keyed--;
        tableChanges++;
        // backward-shift deletion: pull later entries of the probe run into the hole
        int hole = i;
        for (int j = (i + 1) & keyMask; ; j = (j + 1) & keyMask) {
            int t = slot(j);
            if (t < 0) break;
            int home = home(t);
            if (((j - home) & keyMask) >= ((j - hole) & keyMask)) {
                setSlot(hole, t);
                hole = j;
            }
        }
        setSlot(hole, -1);
    }

    // ---- bases ----

    /** Earliest bucket of a base, or {@link #NONE}. */
    long nextExpiry(int cpu, int kind) {
        return next[cpu * 3 + kind];
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
        int b = cpu * 3 + kind;
        long seq = ++seqCounter;
        put(t, EXPIRES, exp);
        put(t, BUCKET, bucketExpiry);
        put(t, SEQ, seq);
        setSmall(t, idx, kind, flags(t));
        if (size[b] == heap[b].length) {
            heap[b] = Arrays.copyOf(heap[b], size[b] * 2);
            hkey[b] = Arrays.copyOf(hkey[b], size[b] * 4);
        }
        int i = size[b]++;
        setCpuPos(t, cpu, i);
        siftUp(b, i, t, bucketExpiry, order(idx, seq));
        next[b] = hkey[b][0];
    }

    /**
     * The expiry order within one bucket as a number, smaller first: {@code __run_timers()}
     * expires the collected levels from the highest down, and a bucket is an hlist filled at
     * its head, so newest first. Sequence numbers stay below 2^56.
     */
    private static long order(int idx, long seq) {
        long level = idx / TimerWheel.LVL_SIZE;
        return (15 - level) << 56 | ((1L << 56) - 1 - seq);
    }

    /** Changes with every enqueue and removal: lets a reader cache a scan over the bases. */
    long changes() {
        return seqCounter + removals;
    }

    void remove(int t) {
        removals++;
        int b = baseCpu(t) * 3 + baseKind(t);
        int i = heapPos(t);
        int last = --size[b];
        setCpuPos(t, -1, -1);
        long[] k = hkey[b];
        if (i != last) {
            int moved = heap[b][last];
            long mb = k[2 * last];
            long mo = k[2 * last + 1];
            int p = (i - 1) >>> 1;
            if (i > 0 && (mb < k[2 * p] || (mb == k[2 * p] && mo < k[2 * p + 1]))) siftUp(b, i, moved, mb, mo);
            else siftDown(b, i, moved, mb, mo);
        }
        next[b] = last == 0 ? NONE : k[0];
    }

    // A base's heap: ids in heap[b], and each position's (bucket, order) inline in hkey[b] at
    // [2i, 2i+1], so a sift compares neighbouring cells instead of reading timer records.

    /** Places timer {@code t} with key (kb, ko) at position {@code i} or above. */
    private void siftUp(int b, int i, int t, long kb, long ko) {
        int[] h = heap[b];
        long[] k = hkey[b];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            long pb = k[2 * p];
            long po = k[2 * p + 1];
            if (pb < kb || (pb == kb && po < ko)) break;
            h[i] = h[p];
            k[2 * i] = pb;
            k[2 * i + 1] = po;
            setHeapPos(h[i], i);
            i = p;
        }
        h[i] = t;
        k[2 * i] = kb;
        k[2 * i + 1] = ko;
        setHeapPos(t, i);
    }

    /** Places timer {@code t} with key (kb, ko) at position {@code i} or below. */
    private void siftDown(int b, int i, int t, long kb, long ko) {
        int[] h = heap[b];
        long[] k = hkey[b];
        int n = size[b];
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            long cb = k[2 * c];
            long co = k[2 * c + 1];
            if (c + 1 < n) {
                long rb = k[2 * c + 2];
                long ro = k[2 * c + 3];
                if (rb < cb || (rb == cb && ro < co)) {
                    c++;
                    cb = rb;
                    co = ro;
                }
            }
            if (kb < cb || (kb == cb && ko < co)) break;
            h[i] = h[c];
            k[2 * i] = cb;
            k[2 * i + 1] = co;
            setHeapPos(h[i], i);
            i = c;
        }
        h[i] = t;
        k[2 * i] = kb;
        k[2 * i + 1] = ko;
        setHeapPos(t, i);
    }
}
