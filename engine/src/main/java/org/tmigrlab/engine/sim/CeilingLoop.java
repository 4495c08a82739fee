package org.tmigrlab.engine.sim;

/**
 * The ceiling a simulator run is measured against ({@code tmigr bench}, {@code EventLoopBenchmark}):
 * the same event loop shape as {@link Simulator#runUntil(long, long)} — the per-CPU interrupt
 * queue ({@link IrqQueue}, the structure every simulated event goes through) peeked, the
 * earliest CPU taken, its handler run, its next interrupt set — but with a trivial handler: the
 * next interrupt is a pseudo-random 0.5–1.5 ticks later (xorshift, no allocation). What the
 * real simulator does beyond this is the cost of the model, the wheels and the workload.
 *
 * <p>Threading: one thread; one instance per measurement.
 */
public final class CeilingLoop {

    private static final long TICK = 1_000_000L;

    private final IrqQueue irqs;
    private long rng = 0x9E3779B97F4A7C15L;
    private long now;
    private long events;
    private long checksum;

    public CeilingLoop(int ncpus) {
        irqs = new IrqQueue(ncpus);
        for (int c = 0; c < ncpus; c++) irqs.set(c, next(0));
    }

    private long next(long t) {
        rng ^= rng << 13;
        rng ^= rng >>> 7;
        rng ^= rng << 17;
        return t + TICK / 2 + (rng >>> 1) % TICK;
    }

    /** Runs {@code n} events; returns a checksum so the work cannot be optimised away. */
    public long run(long n) {
        for (long i = 0; i < n; i++) {
            long t = irqs.peekTime();
            int cpu = irqs.peekCpu();
            now = t;
            events++;
            checksum += cpu;                 // the trivial handler
            irqs.set(cpu, next(t));
        }
        return checksum;
    }

    public long events() {
        return events;
    }

    /** Simulated time reached, ns. */
    public long now() {
        return now;
    }
}
