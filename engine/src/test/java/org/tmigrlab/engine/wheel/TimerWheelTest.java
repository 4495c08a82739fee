package org.tmigrlab.engine.wheel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tmigrlab.engine.trace.KernelCaptures;

class TimerWheelTest {

    // ---------------------------------------------------------------------------------------
    // Hand-built cases

    @Test
    void levelZeroRoundsUpByOneJiffy() {
        long clk = 1000;
        // delta 1: level 0, the bucket is the jiffy after expires (never early, even at a tick edge)
        assertThat(TimerWheel.bucketExpiry(1001, clk)).isEqualTo(1002);
        assertThat(TimerWheel.index(1001, clk)).isEqualTo((int) (1002 & 63));
        assertThat(TimerWheel.level(1001, clk)).isZero();
        // delta 0 is still level 0, not "expired"
        assertThat(TimerWheel.bucketExpiry(clk, clk)).isEqualTo(clk + 1);
        // last level-0 delta: LVL_START(1) - 1 = 62
        assertThat(TimerWheel.level(clk + 62, clk)).isZero();
        assertThat(TimerWheel.bucketExpiry(clk + 62, clk)).isEqualTo(clk + 63);
    }

    @Test
    void levelOneUsesEightJiffyBuckets() {
        long clk = 0;
        // delta 63 = LVL_START(1): first level-1 delta, rounded up to the next multiple of 8
        assertThat(TimerWheel.level(63, clk)).isEqualTo(1);
        assertThat(TimerWheel.bucketExpiry(63, clk)).isEqualTo(64);
        assertThat(TimerWheel.index(63, clk)).isEqualTo(64 + 8);
        // a multiple of the granularity still moves one granule: bucket_expiry > expires
        assertThat(TimerWheel.bucketExpiry(64, clk)).isEqualTo(72);
        assertThat(TimerWheel.index(64, clk)).isEqualTo(64 + 9);
        // the example from the captures: expires=4294893241 [timeout=248] -> 4294893248 idx=88
        assertThat(TimerWheel.bucketExpiry(4294893241L, 4294893241L - 248)).isEqualTo(4294893248L);
        assertThat(TimerWheel.index(4294893241L, 4294893241L - 248, 250)).isEqualTo(88);
    }

    @Test
    void everyLevelBoundaryStartsTheNextLevel() {
        long clk = 123_456_789L;
        for (int lvl = 1; lvl < 9; lvl++) {
            long start = TimerWheel.levelStart(lvl);
            assertThat(start).isEqualTo(63L << (3 * (lvl - 1)));
            assertThat(TimerWheel.level(clk + start - 1, clk, 1000)).as("below LVL_START(%d)", lvl).isEqualTo(lvl - 1);
            assertThat(TimerWheel.level(clk + start, clk, 1000)).as("at LVL_START(%d)", lvl).isEqualTo(lvl);
            long gran = TimerWheel.levelGranularity(lvl);
            long expires = clk + start;
            long bucket = TimerWheel.bucketExpiry(expires, clk, 1000);
            assertThat(bucket % gran).isZero();
            assertThat(bucket - expires).isBetween(1L, gran);
            assertThat(TimerWheel.index(expires, clk, 1000))
                    .isEqualTo(lvl * 64 + (int) ((bucket >>> (3 * lvl)) & 63));
        }
    }

    @Test
    void largeTimeoutsAreClampedToTheWheelCapacity() {
        long clk = 5_000_000_000L;
        // HZ > 100: 9 levels, cutoff LVL_START(9) = 63 << 24, max = cutoff - LVL_GRAN(8) = 62 << 24
        assertThat(TimerWheel.levelDepth(250)).isEqualTo(9);
        assertThat(TimerWheel.timeoutCutoff(250)).isEqualTo(63L << 24);
        assertThat(TimerWheel.timeoutMax(250)).isEqualTo(62L << 24);
        long clamped = (((clk + (62L << 24)) >>> 24) + 1) << 24;
        for (long delta : new long[] {63L << 24, (63L << 24) + 12345, Long.MAX_VALUE / 2 - 1 /* MAX_JIFFY_OFFSET */}) {
            assertThat(TimerWheel.bucketExpiry(clk + delta, clk, 250)).as("delta %d", delta).isEqualTo(clamped);
            assertThat(TimerWheel.index(clk + delta, clk, 250)).isEqualTo(8 * 64 + (int) ((clamped >>> 24) & 63));
        }
        // just below the cutoff: level 8, not clamped
        long below = clk + (63L << 24) - 1;
        assertThat(TimerWheel.bucketExpiry(below, clk, 250)).isEqualTo(((below >>> 24) + 1) << 24);
        assertThat(TimerWheel.bucketExpiry(below, clk, 250)).isNotEqualTo(clamped);
    }

    @Test
    void hzOf100HasEightLevels() {
        long clk = 0;
        long delta = 63L << 21; // LVL_START(8): level 8 with HZ 250, beyond the cutoff with HZ 100
        assertThat(TimerWheel.levelDepth(100)).isEqualTo(8);
        assertThat(TimerWheel.level(delta, clk, 250)).isEqualTo(8);
        assertThat(TimerWheel.level(delta, clk, 100)).isEqualTo(7);
        assertThat(TimerWheel.timeoutMax(100)).isEqualTo(62L << 21);
        assertThat(TimerWheel.bucketExpiry(delta, clk, 100)).isEqualTo(63L << 21); // clamped to 62<<21, +1 granule
        assertThat(TimerWheel.index(delta, clk, 100)).isEqualTo(7 * 64 + 63);
        assertThat(TimerWheel.bucketExpiry(delta, clk, 250)).isEqualTo(((delta >>> 24) + 1) << 24);
    }

    @Test
    void expiredTimersGoToTheCurrentLevelZeroBucket() {
        long clk = 4294967290L;
        assertThat(TimerWheel.bucketExpiry(clk - 5, clk)).isEqualTo(clk);
        assertThat(TimerWheel.index(clk - 5, clk)).isEqualTo((int) (clk & 63));
        assertThat(TimerWheel.level(clk - 5, clk)).isZero();
    }

    @Test
    void jiffiesAreUnsigned() {
        // 32-bit INITIAL_JIFFIES territory, from the boot-delay report (reference §2 #2, HZ=1000):
        // expires=4294670230 [timeout=10] bucket_expiry=4294670231 idx=23
        assertThat(TimerWheel.bucketExpiry(4294670230L, 4294670220L, 1000)).isEqualTo(4294670231L);
        assertThat(TimerWheel.index(4294670230L, 4294670220L, 1000)).isEqualTo(23);
        // wrap of the 64-bit counter: clk = 2^64 - 3, expires = 5 is 8 jiffies ahead, not in the past
        long clk = -3L;
        assertThat(TimerWheel.level(5, clk)).isZero();
        assertThat(TimerWheel.bucketExpiry(5, clk)).isEqualTo(6);
        assertThat(TimerWheel.index(5, clk)).isEqualTo(6);
        // a level-2 timer whose expiry has the top bit set
        long top = 0x8000_0000_0000_0100L;
        assertThat(TimerWheel.bucketExpiry(top, top - 600)).isEqualTo(top + 64);
        assertThat(Long.compareUnsigned(TimerWheel.bucketExpiry(top, top - 600), top)).isPositive();
    }

    @Test
    void roundingPropertiesHoldForRandomTimers() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long clk = random.nextLong();
            int hz = random.nextBoolean() ? 100 : 1000;
            long delta = random.nextLong() & ((1L << (3 + random.nextInt(24))) - 1);
            if (delta >= TimerWheel.timeoutCutoff(hz)) {
                continue;
            }
            long expires = clk + delta;
            int lvl = TimerWheel.level(expires, clk, hz);
            long gran = TimerWheel.levelGranularity(lvl);
            long bucket = TimerWheel.bucketExpiry(expires, clk, hz);
            int idx = TimerWheel.index(expires, clk, hz);
            long late = bucket - expires;
            assertThat(late).as("expires=%d clk=%d", expires, clk).isBetween(1L, gran);
            assertThat(bucket & (gran - 1)).isZero();
            assertThat(idx / 64).isEqualTo(lvl);
            assertThat(idx % 64).isEqualTo((int) ((bucket >>> TimerWheel.levelShift(lvl)) & 63));
            if (lvl > 0) {
                // the slack is bounded by 8/63 of the timeout
                assertThat((double) late / delta).isLessThanOrEqualTo(8.0 / 63 + 1e-12);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Conversions

    @Test
    void tickNsecRoundsToNearest() {
        assertThat(TimerWheel.tickNsec(1000)).isEqualTo(1_000_000);
        assertThat(TimerWheel.tickNsec(250)).isEqualTo(4_000_000);
        assertThat(TimerWheel.tickNsec(300)).isEqualTo(3_333_333);
        assertThat(TimerWheel.tickNsec(100)).isEqualTo(10_000_000);
        assertThat(TimerWheel.tickNsec(1024)).isEqualTo(976_563); // 976562.5 rounds up
        assertThatThrownBy(() -> TimerWheel.tickNsec(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutJiffiesRoundsUp() {
        assertThat(TimerWheel.timeoutJiffies(0, 250)).isZero();
        assertThat(TimerWheel.timeoutJiffies(1, 250)).isEqualTo(1);
        assertThat(TimerWheel.timeoutJiffies(4_000_000, 250)).isEqualTo(1);
        assertThat(TimerWheel.timeoutJiffies(4_000_001, 250)).isEqualTo(2);
        assertThat(TimerWheel.timeoutJiffies(1_000_000_000, 250)).isEqualTo(250);
        assertThat(TimerWheel.timeoutJiffies(3_333_334, 300)).isEqualTo(2);
        assertThat(TimerWheel.timeoutJiffies(Long.MAX_VALUE, 1000)).isEqualTo(9_223_372_036_855L);
        assertThatThrownBy(() -> TimerWheel.timeoutJiffies(-1, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 250, 1000})
    void timeoutJiffiesMatchesMsecsToJiffies(int hz) {
        // msecs_to_jiffies() for HZ dividing 1000: (m + (MSEC_PER_SEC/HZ) - 1) / (MSEC_PER_SEC/HZ)
        int msPerJiffy = 1000 / hz;
        for (long m = 0; m <= 10_000; m++) {
            assertThat(TimerWheel.timeoutJiffies(m * 1_000_000, hz)).as("%d ms", m)
                    .isEqualTo((m + msPerJiffy - 1) / msPerJiffy);
        }
        // usecs_to_jiffies() likewise: (u + (USEC_PER_SEC/HZ) - 1) / (USEC_PER_SEC/HZ)
        int usPerJiffy = 1_000_000 / hz;
        for (long u = 0; u <= 50_000; u += 7) {
            assertThat(TimerWheel.timeoutJiffies(u * 1_000, hz)).as("%d us", u)
                    .isEqualTo((u + usPerJiffy - 1) / usPerJiffy);
        }
    }

    @Test
    void jiffiesAndNanosecondsRoundTrip() {
        for (int hz : new int[] {100, 250, 300, 1000}) {
            for (long j : new long[] {0, 1, 2, 4294892992L, 1L << 34}) {
                long ns = TimerWheel.nsOfJiffies(j, hz);
                assertThat(ns).isEqualTo(j * TimerWheel.tickNsec(hz));
                assertThat(TimerWheel.jiffiesAt(ns, hz)).isEqualTo(j);
                assertThat(TimerWheel.jiffiesAt(ns + TimerWheel.tickNsec(hz) - 1, hz)).isEqualTo(j);
                if (j > 0) {
                    assertThat(TimerWheel.jiffiesAt(ns - 1, hz)).isEqualTo(j - 1);
                }
            }
        }
        assertThat(TimerWheel.jiffiesAt(100_004_008_000L, 250)).isEqualTo(25_001);
        assertThatThrownBy(() -> TimerWheel.nsOfJiffies(1L << 40, 100)).isInstanceOf(ArithmeticException.class);
    }

    // ---------------------------------------------------------------------------------------
    // Real data: every timer_start line of the Linux 6.12.95 captures

    private static final Pattern TIMER_START = Pattern.compile(
            " timer_start: timer=(\\S+) function=\\S+ expires=(\\d+) \\[timeout=(-?\\d+)] "
                    + "bucket_expiry=(\\d+) cpu=(\\d+) idx=(\\d+) flags=(\\S*)$");
    private static final Pattern EXPIRE_ENTRY = Pattern.compile(
            " (\\d+)\\.(\\d{6}): timer_expire_entry: timer=(\\S+) .* now=(\\d+) baseclk=(\\d+)");
    private static final int[] KNOWN_HZ = {100, 250, 300, 1000};

    @Test
    void realCapturesMatchTheKernelsRounding() {
        List<String> report = new ArrayList<>();
        for (Path trace : KernelCaptures.traceFiles()) {
            List<String> lines = KernelCaptures.lines(trace);
            int hz = hzOf(trace, lines);
            assertThat(hz).as("HZ of %s (Debian cloud kernel)", trace.getFileName()).isEqualTo(250);

            int total = 0, bucketMatches = 0, idxMatches = 0, timerStartLines = 0, expiries = 0;
            List<String> mismatches = new ArrayList<>();
            Map<String, Long> pendingBucket = new HashMap<>();
            for (String line : lines) {
                if (line.contains(" timer_start: ")) {
                    timerStartLines++;
                }
                Matcher e = EXPIRE_ENTRY.matcher(line);
                if (e.find() && pendingBucket.containsKey(e.group(3))) {
                    // the wheel runs a timer exactly when the base clock reaches its bucket
                    assertThat(Long.parseUnsignedLong(e.group(5))).as(line).isEqualTo(pendingBucket.remove(e.group(3)));
                    expiries++;
                }
                Matcher m = TIMER_START.matcher(line);
                if (!m.find()) {
                    continue;
                }
                pendingBucket.put(m.group(1), Long.parseUnsignedLong(m.group(4)));
                total++;
                long expires = Long.parseUnsignedLong(m.group(2));
                long timeout = Long.parseLong(m.group(3));
                long bucket = Long.parseUnsignedLong(m.group(4));
                int idx = Integer.parseInt(m.group(6));
                long clk = expires - timeout; // jiffies at enqueue; the base clock is normally forwarded to it
                boolean bucketOk = TimerWheel.bucketExpiry(expires, clk, hz) == bucket;
                boolean idxOk = TimerWheel.index(expires, clk, hz) == idx;
                bucketMatches += bucketOk ? 1 : 0;
                idxMatches += idxOk ? 1 : 0;
                if (!bucketOk || !idxOk) {
                    mismatches.add(line.trim());
                    // A base clock behind jiffies (a base catching up after idle) must explain it.
                    assertThat(lagThatExplains(expires, clk, bucket, idx, hz))
                            .as("no lagging base clk explains %s", line.trim()).isPositive();
                }
            }
            String summary = String.format("%s: HZ=%d timer_start bucket_expiry matched %d/%d, idx matched %d/%d;"
                            + " baseclk == bucket_expiry for %d expiries",
                    trace.getFileName(), hz, bucketMatches, total, idxMatches, total, expiries);
            report.add(summary);
            System.out.println(summary);
            mismatches.forEach(l -> System.out.println("  lagging base clk: " + l));

            assertThat(total).as("every timer_start line parsed").isEqualTo(timerStartLines).isGreaterThan(500);
            assertThat(expiries).as("expiries of timers started in the capture").isGreaterThan(total / 2);
            assertThat((double) bucketMatches / total).as(summary).isGreaterThanOrEqualTo(0.99);
            assertThat((double) idxMatches / total).as(summary).isGreaterThanOrEqualTo(0.99);
        }
        assertThat(report).hasSizeGreaterThanOrEqualTo(2);
    }

    /** The smallest lag (1..8192 jiffies) of the base clock behind {@code clk} that reproduces the line, or -1. */
    private static long lagThatExplains(long expires, long clk, long bucket, int idx, int hz) {
        for (long lag = 1; lag <= 8192; lag++) {
            if (TimerWheel.bucketExpiry(expires, clk - lag, hz) == bucket && TimerWheel.index(expires, clk - lag, hz) == idx) {
                return lag;
            }
        }
        return -1;
    }

    /**
     * HZ of a capture: the {@code .meta} file's {@code hz}/{@code CONFIG_HZ} if present (the current
     * captures do not record it), else measured as the slope of {@code timer_expire_entry now=}
     * jiffies against the CLOCK_MONOTONIC timestamps, snapped to a known HZ within 1 %.
     */
    private static int hzOf(Path trace, List<String> lines) {
        Map<String, String> meta = KernelCaptures.meta(trace);
        for (String key : new String[] {"hz", "HZ", "CONFIG_HZ"}) {
            if (meta.containsKey(key)) {
                return Integer.parseInt(meta.get(key));
            }
        }
        long firstNs = -1, firstJ = 0, lastNs = -1, lastJ = 0;
        for (String line : lines) {
            Matcher m = EXPIRE_ENTRY.matcher(line);
            if (m.find()) {
                long ns = Long.parseLong(m.group(1)) * 1_000_000_000L + Long.parseLong(m.group(2)) * 1000;
                long j = Long.parseUnsignedLong(m.group(4));
                if (firstNs < 0) {
                    firstNs = ns;
                    firstJ = j;
                }
                lastNs = ns;
                lastJ = j;
            }
        }
        assertThat(lastNs - firstNs).as("timer_expire_entry span in %s", trace).isGreaterThan(1_000_000_000L);
        double measured = (lastJ - firstJ) * 1e9 / (lastNs - firstNs);
        for (int hz : KNOWN_HZ) {
            if (Math.abs(measured - hz) < hz * 0.01) {
                return hz;
            }
        }
        throw new AssertionError("measured " + measured + " jiffies/s in " + trace + ", not a known HZ");
    }
}
