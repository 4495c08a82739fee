package org.tmigrlab.engine.wheel;

/**
 * The rounding rules of the kernel's timer wheel ({@code kernel/time/timer.c}: {@code calc_index()},
 * {@code calc_wheel_index()} and the {@code LVL_*} / {@code WHEEL_TIMEOUT_*} macros), plus the
 * jiffy/nanosecond conversions the simulator needs around them.
 *
 * <h2>Levels</h2>
 * A per-CPU wheel base has {@link #levelDepth(int) LVL_DEPTH} levels (9 when {@code HZ > 100},
 * else 8) of {@value #LVL_SIZE} buckets. Level {@code n} has a granularity of
 * {@code 8^n} jiffies ({@code LVL_GRAN(n) = 1 << n*LVL_CLK_SHIFT}): level 0 holds single jiffies,
 * level 1 buckets span 8 jiffies, level 2 64, and so on. A timer's level is picked once, when it is
 * armed, from its distance {@code delta = expires - base->clk}: level {@code n} takes
 * {@code LVL_START(n) <= delta < LVL_START(n+1)} with {@code LVL_START(n) = 63 << 3(n-1)}.
 * There is no cascading: a timer stays in the bucket it was put in until that bucket is run, so
 * the bucket, not {@code expires}, decides when it fires. Deltas beyond the wheel's capacity
 * ({@code WHEEL_TIMEOUT_CUTOFF = LVL_START(LVL_DEPTH)}) are clamped to
 * {@code WHEEL_TIMEOUT_MAX} and land in the last level; deltas that are already negative
 * (expires in the past) go to the level-0 bucket of {@code clk} and run on the next tick.
 *
 * <h2>Why {@code bucket_expiry > expires}</h2>
 * {@code calc_index()} rounds <em>up</em>: {@code bucket_expiry = ((expires >> shift) + 1) << shift},
 * the first multiple of the level's granularity strictly after {@code expires}. A timer must never
 * fire early, and two things would make it early: truncating {@code expires} to a coarser bucket,
 * and being armed just before a tick edge (a 1-jiffy timeout armed at the end of jiffy {@code j}
 * would otherwise run at the very next tick, almost immediately). The {@code +1} is applied even at
 * level 0, so every kernel timer runs at least one jiffy after {@code expires} — the real captures
 * show {@code bucket_expiry = expires + 1} for every level-0 timer, and the {@code baseclk} printed
 * by {@code timer_expire_entry} equals that {@code bucket_expiry}.
 *
 * <h2>Lateness this introduces</h2>
 * At level {@code n} the wheel adds between 1 and {@code 8^n} jiffies to {@code expires}. Because a
 * level is only used for deltas of at least {@code LVL_START(n) = 63/8 * 8^n}, the added slack is
 * at most about {@code 8/63 ≈ 12.7 %} of the requested timeout (plus the one jiffy at level 0).
 * That slack is what batches timers, and it is the lateness a simulator must reproduce before it can
 * attribute any remaining lateness to the hierarchy (an idle CPU's timer waiting for a migrator).
 *
 * <h2>Arithmetic</h2>
 * Jiffies are the kernel's {@code unsigned long}: all arithmetic here wraps modulo 2^64 and shifts
 * are unsigned, so values near 2^32 (32-bit {@code INITIAL_JIFFIES}) and near 2^64 behave as in the
 * kernel. All methods are static, allocation-free and safe to call on every timer arm.
 * Overloads without {@code hz} assume {@code HZ > 100} ({@code LVL_DEPTH = 9}), which covers
 * every common configuration (250, 300, 1000) but not {@code HZ = 100}.
 */
public final class TimerWheel {

    /** {@code LVL_CLK_SHIFT}: each level's clock runs 8 times slower than the one below. */
    public static final int LVL_CLK_SHIFT = 3;
    /** {@code LVL_CLK_DIV}: granularity factor between two levels. */
    public static final int LVL_CLK_DIV = 1 << LVL_CLK_SHIFT;
    /** {@code LVL_BITS}: log2 of the number of buckets per level. */
    public static final int LVL_BITS = 6;
    /** {@code LVL_SIZE}: buckets per level. */
    public static final int LVL_SIZE = 1 << LVL_BITS;
    /** {@code LVL_MASK}. */
    public static final int LVL_MASK = LVL_SIZE - 1;
    /** {@code NSEC_PER_SEC}. */
    public static final long NSEC_PER_SEC = 1_000_000_000L;

    /** HZ assumed by the overloads without an {@code hz} argument (any value above 100 gives the same wheel). */
    public static final int DEFAULT_HZ = 1000;

    private TimerWheel() {}

    // ---------------------------------------------------------------------------------------
    // Geometry (the LVL_* macros)

    /** {@code LVL_DEPTH}: 9 levels if {@code HZ > 100}, else 8. */
    public static int levelDepth(int hz) {
        checkHz(hz);
        return hz > 100 ? 9 : 8;
    }

    /** {@code LVL_SHIFT(lvl)}: bits dropped from {@code expires} at level {@code lvl}. */
    public static int levelShift(int lvl) {
        return lvl * LVL_CLK_SHIFT;
    }

    /** {@code LVL_GRAN(lvl)}: bucket width of level {@code lvl} in jiffies ({@code 8^lvl}). */
    public static long levelGranularity(int lvl) {
        return 1L << levelShift(lvl);
    }

    /** {@code LVL_OFFS(lvl)}: index of the first bucket of level {@code lvl}. */
    public static int levelOffset(int lvl) {
        return lvl * LVL_SIZE;
    }

    /**
     * {@code LVL_START(lvl)} for {@code lvl >= 1}: the smallest delta that is put on level {@code lvl}.
     * It is the last delta of the level below ({@code 63 * LVL_GRAN(lvl-1)}), not its end, so that the
     * extra granule {@code calc_index()} adds still fits into level {@code lvl-1}'s range.
     */
    public static long levelStart(int lvl) {
        if (lvl < 1) {
            throw new IllegalArgumentException("LVL_START is defined for levels >= 1, got " + lvl);
        }
        return (long) (LVL_SIZE - 1) << ((lvl - 1) * LVL_CLK_SHIFT);
    }

    /** {@code WHEEL_TIMEOUT_CUTOFF = LVL_START(LVL_DEPTH)}: deltas from here on are clamped. */
    public static long timeoutCutoff(int hz) {
        return levelStart(levelDepth(hz));
    }

    /** {@code WHEEL_TIMEOUT_MAX = CUTOFF - LVL_GRAN(LVL_DEPTH - 1)}: the delta a clamped timer gets. */
    public static long timeoutMax(int hz) {
        int depth = levelDepth(hz);
        return levelStart(depth) - levelGranularity(depth - 1);
    }

    // ---------------------------------------------------------------------------------------
    // calc_wheel_index()

    /** Level a timer armed now at {@code clk} goes to, assuming {@code HZ > 100}. See {@link #level(long, long, int)}. */
    public static int level(long expires, long clk) {
        return level(expires, clk, DEFAULT_HZ);
    }

    /**
     * The wheel level {@code calc_wheel_index()} picks for {@code expires} on a base whose clock is
     * {@code clk} (both jiffies, unsigned). Expired timers ({@code (long)(expires - clk) < 0}) report
     * level 0 because they are queued in the level-0 bucket of {@code clk}.
     */
    public static int level(long expires, long clk, int hz) {
        int depth = levelDepth(hz);
        long delta = expires - clk;
        int lvl = levelForDelta(delta, depth);
        return lvl < 0 ? 0 : lvl;
    }

    /** {@link #index(long, long, int)} assuming {@code HZ > 100}. */
    public static int index(long expires, long clk) {
        return index(expires, clk, DEFAULT_HZ);
    }

    /**
     * The wheel bucket ({@code idx} of the {@code timer_start} tracepoint) that
     * {@code calc_wheel_index(expires, clk)} returns: {@code LVL_OFFS(lvl) + (bucket & LVL_MASK)}, in
     * {@code [0, LVL_DEPTH * 64)}.
     *
     * @param expires the timer's {@code expires} in jiffies (unsigned)
     * @param clk     the base's {@code clk} in jiffies (unsigned); normally jiffies at arm time
     * @param hz      the kernel's HZ (only decides {@code LVL_DEPTH})
     */
    public static int index(long expires, long clk, int hz) {
        int depth = levelDepth(hz);
        long delta = expires - clk;
        int lvl = levelForDelta(delta, depth);
        if (lvl < 0) {
            // Already expired: the kernel queues it in clk's own level-0 bucket.
            return (int) (clk & LVL_MASK);
        }
        long e = effectiveExpires(expires, clk, delta, lvl, depth);
        int shift = levelShift(lvl);
        return levelOffset(lvl) + (int) (((e >>> shift) + 1) & LVL_MASK);
    }

    /** {@link #bucketExpiry(long, long, int)} assuming {@code HZ > 100}. */
    public static long bucketExpiry(long expires, long clk) {
        return bucketExpiry(expires, clk, DEFAULT_HZ);
    }

    /**
     * The jiffy at which the timer's bucket is run ({@code bucket_expiry} of the {@code timer_start}
     * tracepoint): {@code expires} rounded up to the next multiple of its level's granularity, always
     * strictly after {@code expires} unless the timer was already expired (then {@code clk}) or clamped
     * to the wheel's capacity.
     *
     * @param expires the timer's {@code expires} in jiffies (unsigned)
     * @param clk     the base's {@code clk} in jiffies (unsigned)
     * @param hz      the kernel's HZ (only decides {@code LVL_DEPTH})
     */
    public static long bucketExpiry(long expires, long clk, int hz) {
        int depth = levelDepth(hz);
        long delta = expires - clk;
        int lvl = levelForDelta(delta, depth);
        if (lvl < 0) {
            return clk;
        }
        long e = effectiveExpires(expires, clk, delta, lvl, depth);
        int shift = levelShift(lvl);
        return ((e >>> shift) + 1) << shift;
    }

    /**
     * The level for an unsigned {@code delta}, or -1 for the "already expired" branch. Mirrors the
     * if-chain of {@code calc_wheel_index()}: levels {@code 0..depth-2} by range, then the sign test,
     * then the last level (which also takes everything beyond the cutoff).
     */
    private static int levelForDelta(long delta, int depth) {
        // A negative long is a huge unsigned delta: it fails every range test, as in the kernel.
        if (delta >= 0) {
            for (int lvl = 0; lvl < depth - 1; lvl++) {
                if (delta < ((long) (LVL_SIZE - 1) << (lvl * LVL_CLK_SHIFT))) {
                    return lvl;
                }
            }
            return depth - 1;
        }
        return -1;
    }

    /** {@code expires}, clamped to {@code clk + WHEEL_TIMEOUT_MAX} for obscenely large timeouts. */
    private static long effectiveExpires(long expires, long clk, long delta, int lvl, int depth) {
        if (lvl == depth - 1) {
            long cutoff = (long) (LVL_SIZE - 1) << ((depth - 1) * LVL_CLK_SHIFT);
            if (delta >= cutoff) {
                return clk + (cutoff - (1L << ((depth - 1) * LVL_CLK_SHIFT)));
            }
        }
        return expires;
    }

    // ---------------------------------------------------------------------------------------
    // Time conversions

    /** {@code TICK_NSEC = (NSEC_PER_SEC + HZ/2) / HZ}: length of a jiffy in ns, rounded to nearest. */
    public static long tickNsec(int hz) {
        checkHz(hz);
        return (NSEC_PER_SEC + hz / 2) / hz;
    }

    /**
     * A relative timeout in ns as whole jiffies, rounded <em>up</em> like {@code msecs_to_jiffies()} /
     * {@code usecs_to_jiffies()} do ({@code ceil(ns * HZ / NSEC_PER_SEC)}), so that a timeout never
     * becomes shorter than asked. {@code 0} stays {@code 0}.
     *
     * @throws IllegalArgumentException for a negative timeout (the kernel would treat it as infinite)
     */
    public static long timeoutJiffies(long ns, int hz) {
        checkHz(hz);
        if (ns < 0) {
            throw new IllegalArgumentException("negative timeout " + ns + " ns");
        }
        // Split at whole seconds so that ns * hz cannot overflow.
        long secs = ns / NSEC_PER_SEC;
        long rem = ns - secs * NSEC_PER_SEC;
        return secs * hz + (rem * hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
    }

    /** The jiffy a simulated instant falls in: {@code floor(ns / TICK_NSEC)} (jiffy 0 starts at ns 0). */
    public static long jiffiesAt(long ns, int hz) {
        return Math.floorDiv(ns, tickNsec(hz));
    }

    /**
     * The start of jiffy {@code j} in ns: {@code j * TICK_NSEC}.
     *
     * @throws ArithmeticException if that is beyond the simulator's ~292 years of {@code long} ns
     */
    public static long nsOfJiffies(long j, int hz) {
        return Math.multiplyExact(j, tickNsec(hz));
    }

    private static void checkHz(int hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("HZ must be positive, got " + hz);
        }
    }
}
