package org.tmigrlab.engine.scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times in scenario files: a bare integer is nanoseconds, a string carries a unit
 * ({@code 250us}, {@code 10ms}, {@code 1.5ms}, {@code 2s}, {@code 40ns}). Everything is exact:
 * the simulator works in whole nanoseconds, so a decimal that does not land on one is rejected
 * rather than rounded (a silently rounded expiry would make {@code firesAt} checks lie).
 */
public final class Durations {
    /** Units in the order {@link #format} tries them, largest first. */
    private static final String[] UNITS = {"s", "ms", "us", "ns"};
    private static final long[] UNIT_NS = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final Pattern TIME = Pattern.compile("(-?)(\\d+)(?:\\.(\\d+))?\\s*(\\p{L}+)");

    public static final String UNITS_HELP = "an integer in ns or a string with unit ns, us, ms or s (e.g. 250us, 1.5ms)";

    private Durations() {
    }

    /**
     * Parses {@code text} ({@code "10ms"}) to ns. Negative values parse; range checks are the
     * caller's, because only the caller knows whether a negative value can make sense there.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static long parse(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a time; expected " + UNITS_HELP);
        long unitNs = unitNs(m.group(4));
        if (unitNs < 0)
            throw new IllegalArgumentException("'" + text + "' has unknown unit '" + m.group(4) + "'; allowed units: ns, us, ms, s");
        BigDecimal value = new BigDecimal(m.group(1) + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3)));
        BigDecimal ns = value.multiply(BigDecimal.valueOf(unitNs));
        if (ns.stripTrailingZeros().scale() > 0)
            throw new IllegalArgumentException("'" + text + "' is not a whole number of nanoseconds");
        try {
            return ns.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large (max " + Long.MAX_VALUE + "ns)");
        }
    }

    /**
     * Shortest exact spelling of {@code ns} that {@link #parse} reads back to the same value:
     * the largest unit that keeps at most 6 decimals ({@code 6ms}, {@code 1.5us}, {@code 1.000001ms}).
     */
    public static String format(long ns) {
        if (ns == 0) return "0ns";
        BigDecimal v = BigDecimal.valueOf(ns);
        for (int i = 0; i < UNITS.length; i++) {
            if (Math.abs(ns) < UNIT_NS[i] && UNIT_NS[i] != 1) continue;
            BigDecimal scaled = v.divide(BigDecimal.valueOf(UNIT_NS[i])).stripTrailingZeros();
            if (scaled.scale() <= 6) return scaled.toPlainString() + UNITS[i];
        }
        return ns + "ns";
    }

    /** {@code ns} in milliseconds with three decimals (µs resolution), for table columns. */
    public static String millis(long ns) {
        return BigDecimal.valueOf(ns).movePointLeft(6).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static long unitNs(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) return UNIT_NS[i];
        }
        return -1;
    }
}
