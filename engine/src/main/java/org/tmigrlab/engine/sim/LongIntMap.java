package org.tmigrlab.engine.sim;

/**
 * An open-addressing {@code long -> int} map (linear probing, backward-shift deletion): the
 * simulator's generated-timer keys to timer ids. Nothing is allocated per put or remove once
 * the table has grown to the run's peak. Keys are {@code >= 0}.
 */
final class LongIntMap {
    private static final long EMPTY = -1;
    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;

    LongIntMap() {
        java.util.Arrays.fill(keys, EMPTY);
    }

    private static int hash(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return (int) (k ^ (k >>> 32));
    }

    /** The value of {@code k}, or -1. */
    int get(long k) {
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long x = keys[i];
            if (x == k) return values[i];
            if (x == EMPTY) return -1;
        }
    }

    void put(long k, int v) {
        if (2 * (size + 1) > keys.length) rehash(keys.length * 2);
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long x = keys[i];
            if (x == k) {
                values[i] = v;
                return;
            }
            if (x == EMPTY) {
                keys[i] = k;
                values[i] = v;
                size++;
                return;
            }
        }
    }

    void remove(long k) {
        int mask = keys.length - 1;
        int i = hash(k) & mask;
        while (true) {
            long x = keys[i];
            if (x == EMPTY) return;
            if (x == k) break;
            i = (i + 1) & mask;
        }
        size--;
        // backward-shift: move later entries of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            long x = keys[j];
            if (x == EMPTY) break;
            int home = hash(x) & mask;
            // j's entry may move to hole iff home is not cyclically in (hole, j]
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = x;
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
    }

    int size() {
        return size;
    }

    private void rehash(int n) {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[n];
        values = new int[n];
        java.util.Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < ok.length; i++) if (ok[i] != EMPTY) put(ok[i], ov[i]);
    }
}
