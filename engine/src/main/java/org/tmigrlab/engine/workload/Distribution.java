package org.tmigrlab.engine.workload;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A distribution of durations in ns, as written under a {@code workload:} key
 * ({@code {dist: exponential, mean: 5ms}}). Immutable; sampling state (a trace's cursor) lives in
 * the {@link Sampler} each stream gets, so one spec can feed many CPUs.
 *
 * @param kind   the family
 * @param mean   mean in ns ({@code fixed}: the value; {@code lognormal}: the mean, not the median)
 * @param sigma  {@code lognormal}: standard deviation of the underlying normal; else 0
 * @param min    {@code uniform}: lower bound, ns; else 0
 * @param max    {@code uniform}: upper bound, ns; else 0
 * @param values {@code trace}/{@code empirical}: the durations, ns; else empty
 */
public record Distribution(Kind kind, double mean, double sigma, long min, long max, List<Long> values) {

    /** The families; {@link #key()} is the spelling in scenario files. */
    public enum Kind {
        FIXED, EXPONENTIAL, LOGNORMAL, UNIFORM,
        /** The listed durations in order, cycling; each stream starts at its own random position. */
        TRACE,
        /** A uniformly random pick among the listed durations (bootstrap of a measured sample). */
        EMPIRICAL;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Distribution {
        values = List.copyOf(values);
    }

    public static Distribution fixed(long ns) {
        return new Distribution(Kind.FIXED, ns, 0, 0, 0, List.of());
    }

    public static Distribution exponential(long meanNs) {
        return new Distribution(Kind.EXPONENTIAL, meanNs, 0, 0, 0, List.of());
    }

    public static Distribution lognormal(long meanNs, double sigma) {
        return new Distribution(Kind.LOGNORMAL, meanNs, sigma, 0, 0, List.of());
    }

    public static Distribution uniform(long minNs, long maxNs) {
        return new Distribution(Kind.UNIFORM, (minNs + (double) maxNs) / 2, 0, minNs, maxNs, List.of());
    }

    public static Distribution trace(List<Long> ns) {
        return new Distribution(Kind.TRACE, average(ns), 0, 0, 0, ns);
    }

    public static Distribution empirical(List<Long> ns) {
        return new Distribution(Kind.EMPIRICAL, average(ns), 0, 0, 0, ns);
    }

    private static double average(List<Long> ns) {
        double s = 0;
        for (long v : ns) s += v;
        return ns.isEmpty() ? 0 : s / ns.size();
    }

    /**
     * The same shape with another mean: how a {@code load} level turns the idle shape into the
     * idle-period distribution of one CPU. Every value is scaled by {@code newMean / mean}.
     */
    public Distribution withMean(double newMean) {
        if (mean <= 0) return fixed(Math.round(newMean));
        double f = newMean / mean;
        return switch (kind) {
            case FIXED, EXPONENTIAL, LOGNORMAL -> new Distribution(kind, newMean, sigma, 0, 0, List.of());
            case UNIFORM -> new Distribution(kind, newMean, 0, Math.round(min * f), Math.round(max * f), List.of());
            case TRACE, EMPIRICAL -> new Distribution(kind, newMean, 0, 0, 0,
                    values.stream().map(v -> Math.round(v * f)).toList());
        };
    }

    /** A sampler drawing from {@code rng}; a trace starts at a position drawn from it. */
    public Sampler sampler(SplittableRandom rng) {
        return new Sampler(this, rng);
    }

    /**
     * Draws durations for one stream. Every draw consumes the same number of random values
     * whatever the outcome, so streams stay aligned between runs (common random numbers).
     * Allocation-free per draw.
     */
    public static final class Sampler {
        private final Kind kind;
        private final double mean;
        private final double mu;
        private final double sigma;
        private final long min;
        private final long span;
        private final long[] values;
        private final SplittableRandom rng;
        private int cursor;

        Sampler(Distribution d, SplittableRandom rng) {
            this.kind = d.kind;
            this.mean = d.mean;
            this.sigma = d.sigma;
            // E[X] = exp(mu + sigma^2/2) for a lognormal: mu from the mean the file gives.
            this.mu = d.kind == Kind.LOGNORMAL && d.mean > 0 ? Math.log(d.mean) - d.sigma * d.sigma / 2 : 0;
            this.min = d.min;
            this.span = d.max - d.min;
            this.values = d.values.stream().mapToLong(Long::longValue).toArray();
            this.rng = rng;
            this.cursor = values.length == 0 ? 0 : rng.nextInt(values.length);
        }

        /** Next duration in ns, never negative. */
        public long next() {
            double u = rng.nextDouble();
            double v = switch (kind) {
                case FIXED -> mean;
                // 1 - u is in (0, 1]: the log never sees 0.
                case EXPONENTIAL -> -mean * Math.log(1 - u);
                case LOGNORMAL -> Math.exp(mu + sigma * gaussian(u, rng.nextDouble()));
                case UNIFORM -> min + u * span;
                case EMPIRICAL -> values[(int) (u * values.length)];
                case TRACE -> values[cursor = (cursor + 1) % values.length];
            };
            return v <= 0 ? 0 : v >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : Math.round(v);
        }

        /** Box-Muller on two uniforms; one normal per call keeps the draw count fixed. */
        private static double gaussian(double u1, double u2) {
            return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}
