package org.tmigrlab.engine.workload;

import java.lang.ref.WeakReference;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Step;

/**
 * A {@link WorkloadGenerator} run on a thread of its own, ahead of the simulator: the steps come
 * out exactly as the generator alone gives them, in the same order, only computed on another core
 * while the simulator handles the previous ones (issue 7: the generator is about a third of a
 * run's work). Only for workloads the simulator cannot influence — no ping-pong, so
 * {@link #timerFired} has nothing to tell — which {@link #possible(Workload)} says.
 *
 * <p>Hand-off: the producer fills batches of {@value #BATCH} steps (primitive columns) and passes
 * them to the consumer, which hands emptied ones back: {@value #AHEAD} + 2 batches circulate, so
 * the producer is at most that far ahead and nothing is allocated per batch. The producer stops at the
 * run's end time, when {@link #close()} is called, or when this object becomes unreachable (a
 * simulator dropped without finishing, noticed after a garbage collection), whichever comes first;
 * it never blocks for longer than {@value #POLL_MS} ms without looking. A failure of the generator
 * reaches the simulator's thread after the steps made before it; after a failure or
 * {@link #close()} every call throws rather than waits.
 *
 * <p>Threading: {@link #peekTime()}, {@link #nextInto} and {@link #close()} on the simulator's
 * thread only; the generator only on the producer thread after construction.
 */
public final class WorkAhead implements StepSource, AutoCloseable {

    static final int BATCH = 4096;
    static final int AHEAD = 4;
    static final long POLL_MS = 100;
    private static final Op[] OPS = Op.values();

    static {
        if (OPS.length > 16) throw new ExceptionInInitializerError("a step's op is packed in 4 bits");
    }

    /**
     * Up to {@link #BATCH} steps, four {@code long}s each, interleaved so that the consumer reads
     * one sequential stream: time, key, timeout, and (order, CPU, op, flags) packed.
     */
    private static final class Batch {
        static final int W = 4;
        final long[] s = new long[BATCH * W];
        int n;
        boolean last;
        Throwable failure;
    }

    /** What both threads share; the producer holds no reference to the {@link WorkAhead} itself. */
    private static final class Channel {
        final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(AHEAD + 3);
        final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(AHEAD + 2);
        volatile boolean closed;
    }

    private final Channel channel = new Channel();
    private final Thread producer;
    private Batch current;
    private int pos;

    /** True when {@code w} can be generated ahead: nothing in it reacts to the simulation. */
    public static boolean possible(Workload w) {
        return w.timers() == null || w.timers().pingPong() == null;
    }

    /**
     * Starts generating {@code generator}'s steps up to {@code until} (inclusive) on a daemon
     * thread. The generator must be new (no step taken) and must not be touched afterwards.
     */
    public WorkAhead(WorkloadGenerator generator, long until) {
        for (int i = 0; i < AHEAD + 2; i++) channel.empty.add(new Batch());
        WeakReference<WorkAhead> owner = new WeakReference<>(this);
        Channel ch = channel;
        producer = new Thread(() -> produce(generator, until, ch, owner), "tmigr-workload-ahead");
        producer.setDaemon(true);
        producer.start();
    }

    private static void produce(WorkloadGenerator g, long until, Channel ch, WeakReference<WorkAhead> owner) {
        StepCursor c = new StepCursor();
        Batch b = null; // the batch being filled, not yet handed over
        try {
            while ((b = take(ch.empty, ch, owner)) != null) {
                b.n = 0;
                b.last = false;
                while (b.n < BATCH) {
                    long t = g.peekTime();
                    if (t == Long.MAX_VALUE || t > until) {
                        b.last = true;
                        break;
                    }
                    if (!g.nextInto(c)) continue;
                    int i = b.n++ * Batch.W;
                    int flags = c.generatedFlags();
                    b.s[i] = c.at;
                    b.s[i + 1] = c.key;
                    b.s[i + 2] = c.inNs;
                    b.s[i + 3] = (long) c.order << 32 | (long) (c.cpu & 0xFFFFFF) << 8 | c.op.ordinal() << 4 | flags;
                }
                Batch done = b;
                b = null;
                if (!put(ch.full, done, ch, owner) || done.last) return;
            }
        } catch (InterruptedException e) {
            // close(): the consumer wants nothing more
        } catch (Throwable e) {
            // Hand the failure over after the steps made before it, in the batch being filled (no
            // allocation: an OutOfMemoryError must get through too); the consumer takes those steps,
            // then rethrows on the simulator's thread. The queue has room for every batch.
            Batch f = b != null ? b : new Batch();
            f.last = true;
            f.failure = e;
            ch.full.offer(f);
        }
    }

    private static boolean live(Channel ch, WeakReference<WorkAhead> owner) {
        return !ch.closed && owner.get() != null;
    }

    private static Batch take(BlockingQueue<Batch> q, Channel ch, WeakReference<WorkAhead> owner) throws InterruptedException {
        while (live(ch, owner)) {
            Batch b = q.poll(POLL_MS, TimeUnit.MILLISECONDS);
            if (b != null) return b;
        }
        return null;
    }

    private static boolean put(BlockingQueue<Batch> q, Batch b, Channel ch, WeakReference<WorkAhead> owner) throws InterruptedException {
        while (live(ch, owner)) {
            if (q.offer(b, POLL_MS, TimeUnit.MILLISECONDS)) return true;
        }
        return false;
    }

    /**
     * Makes {@code current[pos]} the next step, waiting for the producer if needed; false when
     * the workload has ended. Throws, every time, once the producer failed or was closed.
     */
    private boolean ready() {
        Batch b = current;
        while (b == null || pos == b.n) {
            if (b != null) {
                if (b.failure != null) failure = b.failure;
                if (failure != null) throw new IllegalStateException("workload generator failed: " + failure, failure);
                if (b.last) return false;
                channel.empty.offer(b);
                current = null;
            }
            b = current = nextBatch();
            pos = 0;
        }
        return true;
    }

    private Throwable failure;

    /** The next full batch; never waits on a producer that was closed or is gone. */
    private Batch nextBatch() {
        try {
            while (true) {
                if (channel.closed) throw new IllegalStateException("the workload thread was stopped (close()): the run cannot go on");
                Batch b = channel.full.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (b != null) return b;
                if (!producer.isAlive()) {
                    b = channel.full.poll(); // handed over just before it ended
                    if (b != null) return b;
                    throw new IllegalStateException("the workload thread ended without handing over its steps");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workload", e);
        }
    }

    @Override
    public long peekTime() {
        Batch b = current;
        if (b != null && pos < b.n) return b.s[pos * Batch.W]; // the common case, called before every event
        return ready() ? current.s[pos * Batch.W] : Long.MAX_VALUE;
    }

    @Override
    public Step next() {
        StepCursor c = new StepCursor();
        return nextInto(c) ? c.toStep() : null;
    }

    @Override
    public boolean nextInto(StepCursor into) {
        Batch b = current;
        if ((b == null || pos == b.n) && !ready()) throw new IllegalStateException("no steps");
        b = current;
        int i = pos++ * Batch.W;
        long[] a = b.s;
        long packed = a[i + 3];
        into.setGenerated(a[i], (int) (packed >>> 8) & 0xFFFFFF, OPS[(int) (packed >>> 4) & 15], a[i + 1], a[i + 2],
                (int) packed & 15, (int) (packed >>> 32));
        return true;
    }

    /** Nothing to do: only workloads without a ping-pong are generated ahead. */
    @Override
    public void timerFired(String timer, int armedOn, int firedOn, long now) {
    }

    /** Stops the producer (it notices within {@value #POLL_MS} ms). Idempotent. */
    @Override
    public void close() {
        channel.closed = true;
        producer.interrupt();
    }
}
