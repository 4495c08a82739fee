package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The timer store: records in pages, per-base heaps in wheel expiry order, and the generated-key
 * index (linear probing with backward-shift deletion).
 */
class TimerStoreTest {

    private static final int[] KINDS = {TimerStore.LOCAL, TimerStore.GLOBAL, TimerStore.DEF};

    // ---- records ----

    @Test
    void everyFieldReadsBackAcrossPageBoundaries() {
        int ncpus = 5;
        int n = 2 * TimerStore.PAGE + 777;
        SplittableRandom rng = new SplittableRandom(7);
        TimerStore s = new TimerStore(ncpus);

        long[] expires = new long[n];
        long[] bucket = new long[n];
        long[] armBucket = new long[n];
        int[] armedOn = new int[n];
        int[] record = new int[n];
        byte[] flags = new byte[n];
        int[] idx = new int[n];
        int[] cpu = new int[n];
        String[] name = new String[n];
        long[] key = new long[n];

        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                name[i] = null;
                key[i] = (long) i * 1_000_003L + (i % 2 == 0 ? Long.MAX_VALUE / 2 : 0);
            } else {
                name[i] = "t" + i;
                key[i] = -1;
            }
            int id = key[i] >= 0 ? s.newTimer(name[i], key[i]) : s.newTimer(name[i]);
            assertThat(id).as("ids are handed out densely").isEqualTo(i);
            assertThat(s.pending(id)).isFalse();
            assertThat(s.baseCpu(id)).isEqualTo(-1);
            assertThat(s.record(id)).as("a new timer has no arming record").isEqualTo(-1);
        }
        assertThat(s.live()).isEqualTo(n);

        for (int i = 0; i < n; i++) {
            // extremes first, then random values over the whole range
            switch (i % 7) {
                case 0 -> {
                    record[i] = -1;
                    armedOn[i] = 65535;
                    expires[i] = Long.MIN_VALUE + i;
                    armBucket[i] = -1;
                }
                case 1 -> {
                    record[i] = Integer.MAX_VALUE - i;
                    armedOn[i] = 0;
                    expires[i] = Long.MAX_VALUE - 1 - i;
                    armBucket[i] = Long.MAX_VALUE - i;
                }
                case 2 -> {
                    record[i] = Integer.MIN_VALUE + i;
                    armedOn[i] = -1;
                    expires[i] = -i;
                    armBucket[i] = Long.MIN_VALUE + i;
                }
                default -> {
                    record[i] = rng.nextInt();
                    armedOn[i] = rng.nextInt(65536);
                    expires[i] = rng.nextLong();
                    armBucket[i] = rng.nextLong();
                }
            }
            flags[i] = (byte) rng.nextInt(256);
            idx[i] = i % 5 == 0 ? 0xFFFF - (i % 3) : rng.nextInt(9 * 64);
            bucket[i] = rng.nextLong();
            cpu[i] = i % 4 == 3 ? -1 : rng.nextInt(ncpus); // every 4th timer stays idle
        }

        // interleave the writes so that each record is written in a different order
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                s.setRecord(i, record[i]);
                s.setArmedOn(i, armedOn[i]);
                s.setFlags(i, flags[i]);
            } else {
                s.setFlags(i, flags[i]);
                s.setArmedOn(i, armedOn[i]);
                s.setRecord(i, record[i]);
            }
            s.setArmBucket(i, armBucket[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            if (cpu[i] >= 0) s.enqueue(i, cpu[i], KINDS[i % 3], expires[i], bucket[i], idx[i]);
            else s.setExpires(i, expires[i]);
        }
        // overwrite a few fields after the enqueue: they must not disturb the packed neighbours
        for (int i = 0; i < n; i += 11) {
            flags[i] = (byte) ~flags[i];
            s.setFlags(i, flags[i]);
            armedOn[i] = 65535 - (i & 0xFF);
            s.setArmedOn(i, armedOn[i]);
            record[i] = i % 2 == 0 ? -1 : i * 1000;
            s.setRecord(i, record[i]);
        }

        int[] perBase = new int[ncpus * 3];
        for (int i = 0; i < n; i++) {
            String at = "timer " + i;
            assertThat(s.expires(i)).as(at).isEqualTo(expires[i]);
            assertThat(s.armBucket(i)).as(at).isEqualTo(armBucket[i]);
            assertThat(s.armedOn(i)).as(at).isEqualTo(armedOn[i]);
            assertThat(s.record(i)).as(at).isEqualTo(record[i]);
            assertThat(s.flags(i)).as(at).isEqualTo(flags[i]);
            assertThat(s.name(i)).as(at).isEqualTo(name[i]);
            assertThat(s.key(i)).as(at).isEqualTo(key[i]);
            assertThat(s.baseCpu(i)).as(at).isEqualTo(cpu[i]);
            assertThat(s.pending(i)).as(at).isEqualTo(cpu[i] >= 0);
            if (cpu[i] >= 0) {
                assertThat(s.bucket(i)).as(at).isEqualTo(bucket[i]);
                assertThat(s.wheelIdx(i)).as(at).isEqualTo(idx[i]);
                perBase[cpu[i] * 3 + KINDS[i % 3]]++;
            }
            if (key[i] >= 0) assertThat(s.byKey(key[i])).as(at).isEqualTo(i);
        }
        for (int c = 0; c < ncpus; c++) {
            for (int k : KINDS) {
                assertThat(s.size(c, k)).isEqualTo(perBase[c * 3 + k]);
                int[] snap = s.snapshot(c, k);
                assertThat(snap).hasSize(perBase[c * 3 + k]);
                for (int t : snap) {
                    assertThat(s.baseCpu(t)).isEqualTo(c);
                    assertThat(t % 3).as("kind of timer " + t).isEqualTo(k);
                }
            }
        }
    }

    // ---- expiry order ----

    @Test
    void bucketThenHigherLevelThenNewestFirst() {
        TimerStore s = new TimerStore(1);
        int g = TimerStore.GLOBAL;
        int a = s.newTimer("a");
        int b = s.newTimer("b");
        int c = s.newTimer("c");
        int d = s.newTimer("d");
        int e = s.newTimer("e");
        int f = s.newTimer("f");
        int h = s.newTimer("h");
        int i = s.newTimer("i");
        // expires deliberately disagree with the buckets: only the bucket orders
        s.enqueue(a, 0, g, 1, 100, 5);    // level 0
        s.enqueue(b, 0, g, 2, 100, 70);   // level 1
        s.enqueue(c, 0, g, 3, 100, 130);  // level 2
        s.enqueue(d, 0, g, 4, 100, 10);   // level 0, newer than a
        s.enqueue(e, 0, g, 5, 100, 64);   // level 1 (first index of it), newer than b
        s.enqueue(f, 0, g, 500, 99, 0);   // earlier bucket, lowest level
        s.enqueue(h, 0, g, 0, 101, 520);  // later bucket, level 8
        s.enqueue(i, 0, g, 6, 100, 63);   // level 0 (last index of it), newest of all
        assertThat(s.size(0, g)).isEqualTo(8);
        assertThat(s.size(0, TimerStore.LOCAL)).isZero();
        assertThat(s.first(0, TimerStore.LOCAL)).isEqualTo(-1);
        assertThat(s.nextExpiry(0, TimerStore.DEF)).isEqualTo(TimerStore.NONE);

        List<String> order = new ArrayList<>();
        List<Long> next = new ArrayList<>();
        while (s.size(0, g) > 0 && order.size() < 20) {
            int t = s.first(0, g);
            next.add(s.nextExpiry(0, g));
            order.add(s.name(t));
            s.remove(t);
            assertThat(s.pending(t)).isFalse();
        }
        assertThat(order).containsExactly("f", "c", "e", "b", "i", "d", "a", "h");
        assertThat(next).containsExactly(99L, 100L, 100L, 100L, 100L, 100L, 100L, 101L);
        assertThat(s.first(0, g)).isEqualTo(-1);
        assertThat(s.nextExpiry(0, g)).isEqualTo(TimerStore.NONE);
    }

    @Test
    void reEnqueueMakesATimerTheNewestOfItsBucketAndLevel() {
        TimerStore s = new TimerStore(1);
        int x = s.newTimer("x");
        int y = s.newTimer("y");
        s.enqueue(x, 0, TimerStore.LOCAL, 10, 10, 3);
        s.enqueue(y, 0, TimerStore.LOCAL, 10, 10, 4);
        assertThat(s.first(0, TimerStore.LOCAL)).isEqualTo(y);
        s.remove(x);
        s.enqueue(x, 0, TimerStore.LOCAL, 10, 10, 3);
        assertThat(s.first(0, TimerStore.LOCAL)).isEqualTo(x);
    }

    /** One enqueued timer as the reference sees it. */
    private record Ref(int id, long bucket, int level, long seq) {
    }

    private static final Comparator<Ref> EXPIRY_ORDER = Comparator.comparingLong(Ref::bucket)
            .thenComparing(Comparator.comparingInt(Ref::level).reversed())
            .thenComparing(Comparator.comparingLong(Ref::seq).reversed());

    @Test
    void heapsAgreeWithAReferenceSortUnderEnqueueRemoveAndExpiry() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int ncpus = 3;
            int ntimers = 400;
            TimerStore s = new TimerStore(ncpus);
            int[] ids = new int[ntimers];
            for (int i = 0; i < ntimers; i++) ids[i] = s.newTimer("t" + i);
            Map<Integer, Ref> where = new HashMap<>();     // pending timer -> its entry
            Map<Integer, Integer> baseOf = new HashMap<>(); // pending timer -> base
            List<List<Ref>> ref = new ArrayList<>();
            for (int b = 0; b < ncpus * 3; b++) ref.add(new ArrayList<>());
            long seq = 0;
            long changes = s.changes();
            for (int step = 0; step < 6000; step++) {
                int op = rng.nextInt(10);
                if (op < 5) {
                    // enqueue an idle timer; few buckets and levels so that ties are the rule
                    int t = ids[rng.nextInt(ntimers)];
                    if (where.containsKey(t)) continue;
                    int c = rng.nextInt(ncpus);
                    int k = KINDS[rng.nextInt(3)];
                    long bucket = 1000 + rng.nextInt(4);
                    int idx = rng.nextInt(3) * 64 + (rng.nextBoolean() ? 0 : 63) - (rng.nextInt(4) == 0 ? 1 : 0);
                    idx = Math.max(idx, 0);
                    s.enqueue(t, c, k, rng.nextLong(), bucket, idx);
                    Ref r = new Ref(t, bucket, idx / 64, ++seq);
                    where.put(t, r);
                    baseOf.put(t, c * 3 + k);
                    ref.get(c * 3 + k).add(r);
                } else if (op < 8) {
                    // remove a pending timer wherever it sits in its heap
                    if (where.isEmpty()) continue;
                    int t = ids[rng.nextInt(ntimers)];
                    if (!where.containsKey(t)) continue;
                    s.remove(t);
                    ref.get(baseOf.remove(t)).remove(where.remove(t));
                } else {
                    // expire the first timer of a base
                    int b = rng.nextInt(ncpus * 3);
                    List<Ref> base = ref.get(b);
                    if (base.isEmpty()) continue;
                    Ref min = base.stream().min(EXPIRY_ORDER).orElseThrow();
                    int t = s.first(b / 3, b % 3);
                    assertThat(t).as("seed %d step %d", seed, step).isEqualTo(min.id());
                    s.remove(t);
                    base.remove(min);
                    where.remove(t);
                    baseOf.remove(t);
                }
                long ch = s.changes();
                assertThat(ch).as("changes() moves with every enqueue and removal").isGreaterThan(changes);
                changes = ch;
                for (int b = 0; b < ncpus * 3; b++) {
                    List<Ref> base = ref.get(b);
                    String at = "seed " + seed + " step " + step + " base " + b;
                    assertThat(s.size(b / 3, b % 3)).as(at).isEqualTo(base.size());
                    if (base.isEmpty()) {
                        assertThat(s.first(b / 3, b % 3)).as(at).isEqualTo(-1);
                        assertThat(s.nextExpiry(b / 3, b % 3)).as(at).isEqualTo(TimerStore.NONE);
                    } else {
                        Ref min = base.stream().min(EXPIRY_ORDER).orElseThrow();
                        assertThat(s.first(b / 3, b % 3)).as(at).isEqualTo(min.id());
                        assertThat(s.nextExpiry(b / 3, b % 3)).as(at).isEqualTo(min.bucket());
                    }
                }
            }
            for (int t : ids) {
                assertThat(s.pending(t)).isEqualTo(where.containsKey(t));
                if (where.containsKey(t)) assertThat(s.baseCpu(t)).isEqualTo(baseOf.get(t) / 3);
            }
            // drain every base: the whole order, not just each head
            for (int b = 0; b < ncpus * 3; b++) {
                List<Ref> expected = new ArrayList<>(ref.get(b));
                expected.sort(EXPIRY_ORDER);
                int[] snap = s.snapshot(b / 3, b % 3);
                assertThat(snap).containsExactlyInAnyOrder(expected.stream().mapToInt(Ref::id).toArray());
                List<Integer> got = new ArrayList<>();
                for (int t; (t = s.first(b / 3, b % 3)) >= 0 && got.size() <= expected.size(); ) {
                    got.add(t);
                    s.remove(t);
                }
                assertThat(got).as("seed %d base %d", seed, b).containsExactlyElementsOf(expected.stream().map(Ref::id).toList());
            }
        }
    }

    @Test
    void changesCountsEnqueuesAndRemovals() {
        TimerStore s = new TimerStore(1);
        int t = s.newTimer("t");
        long c0 = s.changes();
        s.enqueue(t, 0, TimerStore.LOCAL, 1, 1, 0);
        long c1 = s.changes();
        s.remove(t);
        long c2 = s.changes();
        assertThat(c1).isGreaterThan(c0);
        assertThat(c2).isGreaterThan(c1);
    }

    // ---- generated keys ----

    /** The store's key hash, copied only to pick keys that collide; the test stays valid if it changes. */
    private static int hash(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return (int) (k ^ (k >>> 32));
    }

    @Test
    void keyIndexSurvivesLongProbeRunsRehashesAndBackwardShiftDeletion() {
        SplittableRandom rng = new SplittableRandom(42);
        TimerStore s = new TimerStore(2);
        List<Long> fresh = new ArrayList<>();
        // family A: multiples of 2^48, all of whose hashes end in 16 zero bits: one home slot, slot 0
        for (long m = 0; m < 2500; m++) fresh.add(m << 48);
        // family B: multiples of 2^40 that are not of family A: homes at multiples of 256 (merging runs)
        for (long m = 1; m < 3000; m += 2) fresh.add(m << 40);
        // family C: keys whose home is the last slot of any table up to 2^14: runs wrap around to slot 0
        for (int found = 0; found < 800; ) {
            long k = rng.nextLong() & Long.MAX_VALUE;
            if ((hash(k) & 0x3FFF) == 0x3FFF) {
                fresh.add(k);
                found++;
            }
        }
        // family D: ordinary keys
        for (int j = 0; j < 700; j++) fresh.add(rng.nextLong() & Long.MAX_VALUE);
        assertThat(new HashSet<>(fresh)).hasSameSizeAs(fresh);
        shuffle(fresh, rng);

        Map<Long, Integer> live = new HashMap<>();
        List<Long> released = new ArrayList<>();
        int unkeyed = 0;
        int next = 0;
        int nextCheck = 1;
        // several thousand insertions, checking everything after each table growth point
        for (; next < 4500; next++) {
            long k = fresh.get(next);
            int id = s.newTimer(null, k);
            assertThat(id).isEqualTo(next + unkeyed);
            live.put(k, id);
            if (next % 97 == 0) {
                assertThat(s.newTimer("plain" + next)).isEqualTo(next + unkeyed + 1);
                unkeyed++;
            }
            if (next + 1 == nextCheck) {
                checkKeys(s, live, released, fresh.subList(4500, fresh.size()));
                nextCheck *= 2;
            }
        }
        checkKeys(s, live, released, fresh.subList(next, fresh.size()));
        assertThat(s.live()).isEqualTo(live.size() + unkeyed);
        assertThat(s.byKey(-1)).as("no key names a script-named timer").isEqualTo(-1);

        for (int round = 0; round < 6; round++) {
            // release a random subset, in random order
            List<Long> keys = new ArrayList<>(live.keySet());
            keys.sort(null);
            shuffle(keys, rng);
            int nrel = keys.size() * (20 + rng.nextInt(40)) / 100;
            Set<Integer> freed = new HashSet<>();
            for (int j = 0; j < nrel; j++) {
                long k = keys.get(j);
                int id = live.remove(k);
                s.release(id);
                assertThat(s.byKey(k)).as("released key %d", k).isEqualTo(-1);
                assertThat(s.name(id)).isNull();
                freed.add(id);
                released.add(k);
            }
            assertThat(s.live()).isEqualTo(live.size() + unkeyed);
            checkKeys(s, live, released, fresh.subList(next, fresh.size()));

            // new timers take the released ids; some take back a released key, some a fresh one
            int nnew = nrel / 2 + rng.nextInt(nrel / 2 + 1);
            for (int j = 0; j < nnew; j++) {
                long k;
                if (rng.nextBoolean() || next >= fresh.size() - 200) {
                    k = released.remove(rng.nextInt(released.size()));
                } else {
                    k = fresh.get(next++);
                }
                int id = s.newTimer(null, k);
                assertThat(freed.remove(id)).as("id %d reuses a released one", id).isTrue();
                assertThat(s.key(id)).isEqualTo(k);
                assertThat(s.pending(id)).isFalse();
                assertThat(s.flags(id)).isZero();
                live.put(k, id);
            }
            assertThat(s.live()).isEqualTo(live.size() + unkeyed);
            checkKeys(s, live, released, fresh.subList(next, fresh.size()));
        }

        // release everything: the table must come back empty, every key unfindable
        for (Map.Entry<Long, Integer> en : new ArrayList<>(live.entrySet())) {
            s.release(en.getValue());
            released.add(en.getKey());
            live.remove(en.getKey());
        }
        checkKeys(s, live, released, fresh.subList(next, fresh.size()));
        assertThat(s.live()).isEqualTo(unkeyed);
    }

    private static void checkKeys(TimerStore s, Map<Long, Integer> live, List<Long> released, List<Long> neverUsed) {
        for (Map.Entry<Long, Integer> en : live.entrySet()) {
            assertThat(s.byKey(en.getKey())).as("live key %d", en.getKey()).isEqualTo(en.getValue());
            assertThat(s.key(en.getValue())).isEqualTo(en.getKey());
        }
        for (long k : released) assertThat(s.byKey(k)).as("released key %d", k).isEqualTo(-1);
        for (int j = 0; j < Math.min(200, neverUsed.size()); j++)
            assertThat(s.byKey(neverUsed.get(j))).as("unused key %d", neverUsed.get(j)).isEqualTo(-1);
    }

    @Test
    void smallTableBackwardShiftKeepsAWrappedRunFindable() {
        // homes: 0 for multiples of 2^48, the last slot (of a 64-slot table) for the searched keys
        SplittableRandom rng = new SplittableRandom(3);
        List<Long> last = new ArrayList<>();
        while (last.size() < 6) {
            long k = rng.nextLong() & Long.MAX_VALUE;
            if ((hash(k) & 63) == 63) last.add(k);
        }
        long[] zero = {1L << 48, 2L << 48, 3L << 48, 4L << 48};
        for (int victim = 0; victim < 10; victim++) {
            TimerStore s = new TimerStore(1);
            Map<Long, Integer> ids = new HashMap<>();
            // interleave so that the run starting at the last slot wraps into the slot-0 run
            for (int j = 0; j < 6; j++) {
                ids.put(last.get(j), s.newTimer(null, last.get(j)));
                if (j < 4) ids.put(zero[j], s.newTimer(null, zero[j]));
            }
            List<Long> order = new ArrayList<>(ids.keySet());
            order.sort(null);
            long gone = order.get(victim);
            s.release(ids.remove(gone));
            assertThat(s.byKey(gone)).isEqualTo(-1);
            for (Map.Entry<Long, Integer> en : ids.entrySet())
                assertThat(s.byKey(en.getKey())).as("victim %d key %d", victim, en.getKey()).isEqualTo(en.getValue());
            // and the freed slot is usable again
            int again = s.newTimer(null, gone);
            assertThat(s.byKey(gone)).isEqualTo(again);
        }
    }

    @Test
    void releasingAPendingTimerThrowsAndChangesNothing() {
        TimerStore s = new TimerStore(2);
        int t = s.newTimer(null, 5L << 50);
        s.enqueue(t, 1, TimerStore.DEF, 10, 12, 1);
        assertThatThrownBy(() -> s.release(t)).isInstanceOf(IllegalStateException.class);
        assertThat(s.live()).isEqualTo(1);
        assertThat(s.byKey(5L << 50)).isEqualTo(t);
        assertThat(s.pending(t)).isTrue();
        assertThat(s.size(1, TimerStore.DEF)).isEqualTo(1);
        int other = s.newTimer("other");
        assertThat(other).as("the pending id was not given back").isNotEqualTo(t);
        s.remove(t);
        s.release(t);
        assertThat(s.byKey(5L << 50)).isEqualTo(-1);
        assertThat(s.newTimer("reuse")).isEqualTo(t);
    }

    // ---- bookkeeping ----

    @Test
    void liveAndPendingAndPerBaseSizes() {
        TimerStore s = new TimerStore(3);
        assertThat(s.live()).isZero();
        int a = s.newTimer("a");
        int b = s.newTimer(null, 17);
        int c = s.newTimer("c");
        assertThat(s.live()).isEqualTo(3);
        for (int t : new int[] {a, b, c}) assertThat(s.pending(t)).isFalse();
        for (int cpu = 0; cpu < 3; cpu++)
            for (int k : KINDS) {
                assertThat(s.size(cpu, k)).isZero();
                assertThat(s.nextExpiry(cpu, k)).isEqualTo(TimerStore.NONE);
            }

        s.enqueue(a, 2, TimerStore.GLOBAL, 1000, 1024, 70);
        s.enqueue(b, 2, TimerStore.GLOBAL, 900, 960, 12);
        s.enqueue(c, 0, TimerStore.LOCAL, 5, 8, 1);
        assertThat(s.pending(a)).isTrue();
        assertThat(s.baseCpu(a)).isEqualTo(2);
        assertThat(s.baseCpu(c)).isZero();
        assertThat(s.size(2, TimerStore.GLOBAL)).isEqualTo(2);
        assertThat(s.size(2, TimerStore.LOCAL)).isZero();
        assertThat(s.size(2, TimerStore.DEF)).isZero();
        assertThat(s.size(0, TimerStore.GLOBAL)).isZero();
        assertThat(s.size(0, TimerStore.LOCAL)).isEqualTo(1);
        assertThat(s.nextExpiry(2, TimerStore.GLOBAL)).as("the bucket, not the expiry").isEqualTo(960);
        assertThat(s.first(2, TimerStore.GLOBAL)).isEqualTo(b);
        assertThat(s.nextExpiry(0, TimerStore.LOCAL)).isEqualTo(8);
        assertThat(s.nextExpiry(1, TimerStore.LOCAL)).isEqualTo(TimerStore.NONE);
        assertThat(s.live()).as("pending or not, all are live").isEqualTo(3);

        s.remove(b);
        assertThat(s.pending(b)).isFalse();
        assertThat(s.baseCpu(b)).isEqualTo(-1);
        assertThat(s.size(2, TimerStore.GLOBAL)).isEqualTo(1);
        assertThat(s.nextExpiry(2, TimerStore.GLOBAL)).isEqualTo(1024);

        // move a to another CPU's deferrable base
        s.remove(a);
        s.enqueue(a, 1, TimerStore.DEF, 2000, 2048, 80);
        assertThat(s.size(2, TimerStore.GLOBAL)).isZero();
        assertThat(s.nextExpiry(2, TimerStore.GLOBAL)).isEqualTo(TimerStore.NONE);
        assertThat(s.size(1, TimerStore.DEF)).isEqualTo(1);
        assertThat(s.nextExpiry(1, TimerStore.DEF)).isEqualTo(2048);
        assertThat(s.baseCpu(a)).isEqualTo(1);
        assertThat(s.expires(a)).isEqualTo(2000);
        assertThat(s.wheelIdx(a)).isEqualTo(80);

        s.release(b);
        assertThat(s.live()).isEqualTo(2);
        assertThat(s.byKey(17)).isEqualTo(-1);
        int d = s.newTimer("d");
        assertThat(d).isEqualTo(b);
        assertThat(s.live()).isEqualTo(3);
        assertThat(s.name(d)).isEqualTo("d");
        assertThat(s.key(d)).isEqualTo(-1);
        int e = s.newTimer("e");
        assertThat(e).isEqualTo(3);
        assertThat(s.live()).isEqualTo(4);
    }

    @Test
    void aReusedIdStartsClean() {
        TimerStore s = new TimerStore(1);
        int t = s.newTimer("old", 99);
        s.setFlags(t, (byte) (TimerStore.F_PINNED | TimerStore.F_ARMED));
        s.setRecord(t, 1234);
        s.enqueue(t, 0, TimerStore.LOCAL, 1, 2, 300);
        s.remove(t);
        s.release(t);
        int u = s.newTimer("new");
        assertThat(u).isEqualTo(t);
        assertThat(s.flags(u)).isZero();
        assertThat(s.wheelIdx(u)).isZero();
        assertThat(s.record(u)).isEqualTo(-1);
        assertThat(s.pending(u)).isFalse();
        assertThat(s.key(u)).isEqualTo(-1);
        assertThat(s.byKey(99)).isEqualTo(-1);
        assertThat(s.name(u)).isEqualTo("new");
    }

    private static <T> void shuffle(List<T> l, SplittableRandom rng) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T x = l.get(i);
            l.set(i, l.get(j));
            l.set(j, x);
        }
    }

    @Test
    void scriptNamedTimersAreFoundByNameBesideKeyedOnes() {
        TimerStore s = new TimerStore(2);
        java.util.Map<String, Integer> named = new java.util.HashMap<>();
        java.util.Map<Long, Integer> keyed = new java.util.HashMap<>();
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 3000; i++) {
            if (rng.nextBoolean()) {
                String n = "t" + rng.nextInt(1_000_000);
                if (named.containsKey(n)) {
                    assertThatThrownBy(() -> s.newTimer(n)).isInstanceOf(IllegalStateException.class).hasMessageContaining(n);
                    continue;
                }
                named.put(n, s.newTimer(n));
            } else {
                long k = rng.nextLong(1L << 40);
                if (!keyed.containsKey(k)) keyed.put(k, s.newTimer(null, k));
            }
            if (i % 5 == 4 && !named.isEmpty()) {
                // release one named timer: its name is free again, every other timer still found
                String gone = named.keySet().iterator().next();
                s.release(named.remove(gone));
                assertThat(s.byName(gone)).isEqualTo(-1);
            }
        }
        named.forEach((n, t) -> assertThat(s.byName(n)).as(n).isEqualTo(t));
        keyed.forEach((k, t) -> assertThat(s.byKey(k)).as("key " + k).isEqualTo(t));
        assertThat(s.byName("never")).isEqualTo(-1);
        assertThat(s.live()).isEqualTo(named.size() + keyed.size());
    }
}
