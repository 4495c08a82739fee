package org.tmigrlab.console.experiments;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as text for CSV and JSON, identical on every JVM. {@code Double.toString} changed its
 * shortest-digits algorithm in JDK 19, so doubles are rounded through {@link BigDecimal} (exact
 * binary expansion, then 12 significant digits) instead: the same double always prints the same.
 */
public final class Num {
    private static final MathContext DIGITS = new MathContext(12, RoundingMode.HALF_EVEN);

    private Num() {
    }

    /** Integers as integers, other finite values to 12 significant digits, NaN and infinities as {@code null}. */
    public static String format(Number n) {
        if (n == null) return null;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return n.toString();
        if (n instanceof java.math.BigInteger) return n.toString();
        if (n instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        return format(n.doubleValue());
    }

    public static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        // Whole numbers (counts, and means of counts that happen to be whole) print without ".0".
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}
