package org.tmigrlab.console.experiments;

/**
 * Mean and 95% confidence interval of a few runs. The interval is the Student t interval
 * {@code mean ± t(0.975, n-1) · sd / √n}: with the handful of seeds a sweep uses (3, 5, 10) the
 * normal approximation's 1.96 would understate it badly (t is 4.30 for n = 3).
 *
 * <p>Everything uses {@link StrictMath} so results are bit-for-bit the same on every platform.
 */
public final class Stats {

    /**
     * @param n      number of runs
     * @param mean   arithmetic mean
     * @param sd     sample standard deviation (n-1); NaN for n &lt; 2
     * @param half   95% CI half-width; NaN for n &lt; 2 (one run says nothing about spread)
     * @param min    smallest run
     * @param max    largest run
     */
    public record Summary(int n, double mean, double sd, double half, double min, double max) {
        public double low() {
            return mean - half;
        }

        public double high() {
            return mean + half;
        }
    }

    private static final double[] T975 = new double[201];

    private Stats() {
    }

    public static Summary of(double[] xs) {
        int n = xs.length;
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / n;
        if (n < 2) return new Summary(n, mean, Double.NaN, Double.NaN, min, max);
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        double sd = StrictMath.sqrt(ss / (n - 1));
        // Identical runs: exactly zero, not a rounding residue that would print as 1e-17.
        double half = min == max ? 0 : t975(n - 1) * sd / StrictMath.sqrt(n);
        return new Summary(n, min == max ? min : mean, min == max ? 0 : sd, half, min, max);
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom (two-sided 95%). */
    public static synchronized double t975(int df) {
        if (df < 1) throw new IllegalArgumentException("df must be >= 1, got " + df);
        if (df < T975.length && T975[df] != 0) return T975[df];
        // Bisection on the CDF: slow but simple, exact to double precision, and cached.
        double lo = 0;
        double hi = 1e4;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (tCdf(mid, df) < 0.975) lo = mid;
            else hi = mid;
        }
        double t = (lo + hi) / 2;
        if (df < T975.length) T975[df] = t;
        return t;
    }

    /** P(T ≤ t) for t ≥ 0. */
    static double tCdf(double t, int df) {
        double x = df / (df + t * t);
        return 1 - 0.5 * regularizedIncompleteBeta(df / 2.0, 0.5, x);
    }

    /** I_x(a, b), by the continued fraction of Numerical Recipes (betai/betacf). */
    static double regularizedIncompleteBeta(double a, double b, double x) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = StrictMath.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b)
                + a * StrictMath.log(x) + b * StrictMath.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
        return 1 - front * betaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double betaContinuedFraction(double a, double b, double x) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) break;
        }
        return h;
    }

    /** ln Γ(x), Lanczos approximation (g = 7, 9 terms), good to ~1e-15 for x > 0. */
    static double lnGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) return StrictMath.log(Math.PI / StrictMath.sin(Math.PI * x)) - lnGamma(1 - x);
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * StrictMath.log(2 * Math.PI) + (x + 0.5) * StrictMath.log(t) - t + StrictMath.log(a);
    }
}
