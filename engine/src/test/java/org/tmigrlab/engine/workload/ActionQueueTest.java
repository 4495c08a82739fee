package org.tmigrlab.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The action queue pops exactly what a plain ordered map of live actions keyed by
 * (time, scheduling sequence) pops, with a slot's action replaced when the slot is set again.
 */
class ActionQueueTest {

    /** One live action as the reference holds it. */
    private record Act(long time, long seq, byte kind, int cpu, int aux, long key) {
    }

    /** The reference: every live action in (time, seq) order; the slots point at their current action. */
    private static final class Model {
        final TreeMap<long[], Act> live = new TreeMap<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final Act[] slot;
        long seq;

        Model(int ncpus) {
            slot = new Act[ncpus * 4];
        }

        void set(byte kind, int cpu, long t) {
            clear(kind, cpu);
            Act a = new Act(t, seq++, kind, cpu, 0, -1);
            slot[cpu * 4 + kind] = a;
            live.put(new long[] {a.time(), a.seq()}, a);
        }

        void clear(byte kind, int cpu) {
            Act old = slot[cpu * 4 + kind];
            if (old == null) return;
            live.remove(new long[] {old.time(), old.seq()});
            slot[cpu * 4 + kind] = null;
        }

        void addFate(long t, byte kind, int cpu, int aux, long key) {
            Act a = new Act(t, seq++, kind, cpu, aux, key);
            live.put(new long[] {a.time(), a.seq()}, a);
        }

        Act pop() {
            Act a = live.pollFirstEntry().getValue();
            if (a.kind() < ActionQueue.CANCEL) slot[a.cpu() * 4 + a.kind()] = null;
            return a;
        }

        long peekTime() {
            return live.isEmpty() ? Long.MAX_VALUE : live.firstKey()[0];
        }
    }

    private static void assertTop(ActionQueue q, Act a, String at) {
        assertThat(q.topTime).as("time, " + at).isEqualTo(a.time());
        assertThat(q.topKind).as("kind, " + at).isEqualTo(a.kind());
        assertThat(q.topCpu).as("cpu, " + at).isEqualTo(a.cpu());
        assertThat(q.topAux).as("aux, " + at).isEqualTo(a.aux());
        assertThat(q.topKey).as("key, " + at).isEqualTo(a.key());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64, 1000})
    void agreesWithAnOrderedMapOnRandomOperations(int ncpus) {
        for (long seed = 0; seed < 4; seed++) {
            SplittableRandom rng = new SplittableRandom(ncpus * 1009L + seed);
            ActionQueue q = new ActionQueue(ncpus);
            Model m = new Model(ncpus);
            long now = 1_000_000;
            int pops = 0;
            int steps = ncpus >= 64 ? 120_000 : 60_000;
            for (int step = 0; step < steps; step++) {
                String at = "ncpus " + ncpus + " seed " + seed + " step " + step;
                int op = rng.nextInt(100);
                // a few hot CPUs (always including the last one) so that slots are replaced often
                int cpu = switch (rng.nextInt(4)) {
                    case 0 -> ncpus - 1;
                    case 1 -> rng.nextInt(Math.min(ncpus, 3));
                    default -> rng.nextInt(ncpus);
                };
                if (op < 35) {
                    byte kind = (byte) rng.nextInt(4);
                    long t = time(rng, now, m);
                    q.set(kind, cpu, t);
                    m.set(kind, cpu, t);
                } else if (op < 45) {
                    byte kind = (byte) rng.nextInt(4);
                    q.clear(kind, cpu);
                    m.clear(kind, cpu);
                } else if (op < 65) {
                    byte kind = rng.nextBoolean() ? ActionQueue.CANCEL : ActionQueue.REARM;
                    long t = time(rng, now, m);
                    int aux = rng.nextInt(4) == 0 ? -1 - rng.nextInt(1000) : rng.nextInt();
                    long key = rng.nextInt(3) == 0 ? -1 : rng.nextLong();
                    q.addFate(t, kind, cpu, aux, key);
                    m.addFate(t, kind, cpu, aux, key);
                } else if (op < 68) {
                    // several slots of one CPU at once, as handling one action does
                    long t = time(rng, now, m);
                    for (byte kind = 0; kind < 4; kind++) {
                        if (rng.nextBoolean()) {
                            long tk = t + rng.nextInt(2);
                            q.set(kind, cpu, tk);
                            m.set(kind, cpu, tk);
                        }
                    }
                } else {
                    // pop (sometimes without peeking first, so pop itself must flush)
                    if (rng.nextInt(3) == 0) assertThat(q.isEmpty()).as(at).isEqualTo(m.live.isEmpty());
                    if (m.live.isEmpty()) {
                        assertThatThrownBy(q::pop).as(at).isInstanceOf(IllegalStateException.class);
                    } else {
                        q.pop();
                        Act a = m.pop();
                        assertTop(q, a, at);
                        now = a.time();
                        pops++;
                    }
                }
                assertThat(q.peekTime()).as(at).isEqualTo(m.peekTime());
                assertThat(q.isEmpty()).as(at).isEqualTo(m.live.isEmpty());
                if (step % 97 == 0) q.check();
            }
            // drain, checking the complete remaining order
            while (!m.live.isEmpty()) {
                assertThat(q.peekTime()).isEqualTo(m.peekTime());
                q.pop();
                assertTop(q, m.pop(), "drain ncpus " + ncpus + " seed " + seed);
                pops++;
            }
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(q::pop).isInstanceOf(IllegalStateException.class);
            assertThat(pops).as("the run popped a fair share").isGreaterThan(steps / 5);
        }
    }

    /**
     * Times from small sets (ties are the rule): around now, some far ahead, and some before the
     * current minimum. Never negative.
     */
    private static long time(SplittableRandom rng, long now, Model m) {
        return switch (rng.nextInt(10)) {
            case 0 -> {
                long min = m.peekTime();
                yield Math.max(0, (min == Long.MAX_VALUE ? now : min) - 1 - rng.nextInt(2));
            }
            case 1 -> now;
            case 2 -> now + 1000 * (1 + rng.nextInt(3));
            case 3, 4 -> now + ((1L + rng.nextInt(64)) << 20); // milliseconds ahead
            case 5 -> now + ((1L + rng.nextInt(8)) << 36);     // a minute or more ahead
            default -> now + rng.nextInt(4);
        };
    }

    // ---- hand-built cases ----

    @Test
    void aFateAndASlotAtTheSameTimePopInSchedulingOrder() {
        ActionQueue q = new ActionQueue(2);
        q.set(ActionQueue.SWITCH, 1, 100);
        q.addFate(100, ActionQueue.CANCEL, 0, 7, 42);
        q.set(ActionQueue.IRQ, 0, 100);
        q.addFate(100, ActionQueue.REARM, 1, -3, 9);
        q.set(ActionQueue.ARRIVAL, 1, 100);
        assertThat(q.peekTime()).isEqualTo(100);

        q.pop();
        assertThat(new Object[] {q.topTime, q.topKind, q.topCpu, q.topAux, q.topKey})
                .containsExactly(100L, ActionQueue.SWITCH, 1, 0, -1L);
        q.pop();
        assertThat(new Object[] {q.topTime, q.topKind, q.topCpu, q.topAux, q.topKey})
                .containsExactly(100L, ActionQueue.CANCEL, 0, 7, 42L);
        q.pop();
        assertThat(new Object[] {q.topTime, q.topKind, q.topCpu, q.topAux, q.topKey})
                .containsExactly(100L, ActionQueue.IRQ, 0, 0, -1L);
        q.pop();
        assertThat(new Object[] {q.topTime, q.topKind, q.topCpu, q.topAux, q.topKey})
                .containsExactly(100L, ActionQueue.REARM, 1, -3, 9L);
        q.pop();
        assertThat(new Object[] {q.topTime, q.topKind, q.topCpu, q.topAux, q.topKey})
                .containsExactly(100L, ActionQueue.ARRIVAL, 1, 0, -1L);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aFateScheduledFirstPopsBeforeASlotAtTheSameTime() {
        ActionQueue q = new ActionQueue(1);
        q.addFate(5, ActionQueue.REARM, 0, 1, 2);
        q.set(ActionQueue.BURST_END, 0, 5);
        q.pop();
        assertThat(q.topKind).isEqualTo(ActionQueue.REARM);
        q.pop();
        assertThat(q.topKind).isEqualTo(ActionQueue.BURST_END);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void settingASlotTwiceKeepsOnlyTheSecond() {
        ActionQueue q = new ActionQueue(3);
        q.set(ActionQueue.ARRIVAL, 2, 50);
        q.set(ActionQueue.ARRIVAL, 2, 80);
        assertThat(q.peekTime()).isEqualTo(80);
        q.pop();
        assertThat(q.topTime).isEqualTo(80);
        assertThat(q.topKind).isEqualTo(ActionQueue.ARRIVAL);
        assertThat(q.topCpu).isEqualTo(2);
        assertThat(q.isEmpty()).isTrue();

        // earlier the second time
        q.set(ActionQueue.ARRIVAL, 2, 80);
        q.set(ActionQueue.ARRIVAL, 2, 50);
        q.pop();
        assertThat(q.topTime).isEqualTo(50);
        assertThat(q.isEmpty()).isTrue();

        // the same time again: the action is rescheduled, so it now comes after a later-scheduled one
        q.set(ActionQueue.SWITCH, 0, 10);
        q.set(ActionQueue.BURST_END, 0, 10);
        q.set(ActionQueue.SWITCH, 0, 10);
        q.pop();
        assertThat(q.topKind).isEqualTo(ActionQueue.BURST_END);
        q.pop();
        assertThat(q.topKind).isEqualTo(ActionQueue.SWITCH);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void clearingASlotLeavesTheCpusOtherSlots() {
        ActionQueue q = new ActionQueue(3);
        q.set(ActionQueue.SWITCH, 1, 40);
        q.set(ActionQueue.BURST_END, 1, 10);
        q.set(ActionQueue.ARRIVAL, 1, 30);
        q.set(ActionQueue.IRQ, 1, 20);
        q.set(ActionQueue.SWITCH, 0, 25);
        assertThat(q.peekTime()).isEqualTo(10);
        q.clear(ActionQueue.BURST_END, 1);
        q.clear(ActionQueue.BURST_END, 1); // twice: nothing left to drop
        q.clear(ActionQueue.IRQ, 2);       // a CPU with no actions
        assertThat(q.peekTime()).isEqualTo(20);
        List<String> got = new ArrayList<>();
        while (!q.isEmpty() && got.size() < 10) {
            q.pop();
            got.add(q.topCpu + ":" + q.topKind + "@" + q.topTime);
        }
        assertThat(got).containsExactly("1:3@20", "0:0@25", "1:2@30", "1:0@40");
    }

    @Test
    void aPoppedSlotCanBeSetAgain() {
        ActionQueue q = new ActionQueue(1);
        q.set(ActionQueue.IRQ, 0, 7);
        q.pop();
        assertThat(q.isEmpty()).isTrue();
        q.clear(ActionQueue.IRQ, 0); // already gone
        q.set(ActionQueue.IRQ, 0, 9);
        q.pop();
        assertThat(q.topTime).isEqualTo(9);
        assertThat(q.topKind).isEqualTo(ActionQueue.IRQ);
    }

    @Test
    void popOnAnEmptyQueueThrows() {
        ActionQueue q = new ActionQueue(5);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(q::pop).isInstanceOf(IllegalStateException.class);
        q.set(ActionQueue.SWITCH, 4, 3);
        q.clear(ActionQueue.SWITCH, 4);
        assertThat(q.isEmpty()).isTrue();
        assertThatThrownBy(q::pop).isInstanceOf(IllegalStateException.class);
        q.addFate(1, ActionQueue.CANCEL, 3, 0, 0);
        assertThat(q.isEmpty()).isFalse();
        q.pop();
        assertThat(q.topKind).isEqualTo(ActionQueue.CANCEL);
        assertThat(q.topKey).isZero();
        assertThatThrownBy(q::pop).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void checkNamesATreeNodeThatNoLongerHoldsTheEarlierChild() throws Exception {
        ActionQueue q = new ActionQueue(5);
        q.set(ActionQueue.SWITCH, 0, 300);
        q.set(ActionQueue.IRQ, 3, 100);
        q.set(ActionQueue.ARRIVAL, 4, 200);
        q.check();
        // corrupt the root as a missed replay would leave it: it still names CPU 4's key
        java.lang.reflect.Field time = ActionQueue.class.getDeclaredField("nodeTime");
        java.lang.reflect.Field seq = ActionQueue.class.getDeclaredField("nodeSeq");
        time.setAccessible(true);
        seq.setAccessible(true);
        long[] nt = (long[]) time.get(q);
        long[] nq = (long[]) seq.get(q);
        nt[1] = 200;
        nq[1] = 2L << 16 | 4;
        assertThatThrownBy(q::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("tree node 1");
        // and a leaf that does not hold its CPU's earliest slot
        ActionQueue r = new ActionQueue(5);
        r.set(ActionQueue.SWITCH, 2, 50);
        r.check();
        long[] rt = (long[]) time.get(r);
        rt[8 + 2] = 60;
        assertThatThrownBy(r::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("leaf of CPU 2");
    }
}
