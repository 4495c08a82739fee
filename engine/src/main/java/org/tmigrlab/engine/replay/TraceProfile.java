package org.tmigrlab.engine.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.tmigrlab.engine.trace.FtraceLine;
import org.tmigrlab.engine.wheel.TimerWheel;

/**
 * What a first pass over a capture learns before anything is simulated: the CPU count, the tree
 * ({@link KernelTree}), HZ and how kernel jiffies line up with the trace clock, where each CPU
 * stood in the hierarchy when tracing began, which timers were already pending then, and which
 * idle signal the trace offers. One pass, memory bounded by the number of distinct timers.
 *
 * <h2>HZ and the jiffies ↔ time mapping</h2>
 * Lines that print jiffies ({@code timer_start}: {@code expires - timeout}; {@code
 * timer_expire_entry}: {@code now}) next to their CLOCK_MONOTONIC timestamp give HZ as the slope
 * {@code Δjiffies / Δt} between the first and last such line (snapped to 100, 250, 300 or 1000).
 * Jiffy {@code J} starts at {@code mono = J * TICK_NSEC - D}: the jiffies value is only ever seen
 * after its tick, so every line satisfies {@code J * TICK_NSEC - t <= D}, and the largest such
 * value is {@code D} minus the smallest tick latency. {@code D} is that maximum rounded up to the
 * tick grid the {@code tmigr_*} times ({@code nextevt}, {@code wakeup}: tick-aligned monotonic ns)
 * lie on. Without such lines, the spacing of those tick-aligned times (their GCD) gives HZ.
 */
public final class TraceProfile {

    /** How the replay knows when a CPU is active in the hierarchy. */
    public enum IdleSource {
        /** {@code tmigr_cpu_active} / {@code tmigr_cpu_idle}: the kernel's own hierarchy transitions. */
        TMIGR,
        /** {@code timer_base_idle}: the timer base goes idle exactly when the CPU leaves the hierarchy. */
        BASE_IDLE,
        /**
         * {@code power:cpu_idle}: entry = idle; an exit with need-resched set ({@code N} in the
         * context column) = a task to run; an exit without it = an interrupt handled inside idle.
         */
        CPU_IDLE;

        public String key() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    static final long KTIME_MAX = Long.MAX_VALUE;
    static final int[] HZ_CANDIDATES = {100, 250, 300, 1000};

    // ---- filled by scan() ----
    String file;
    TraceReader.Stats stats;
    final KernelTree tree = new KernelTree();
    int maxCpuSeen = -1;
    final Map<String, Long> eventCounts = new TreeMap<>();
    final Map<FtraceLine.Format, Long> formats = new LinkedHashMap<>();
    long firstTs = Long.MAX_VALUE;
    long lastTs = Long.MIN_VALUE;
    long firstBehaviourTs = Long.MAX_VALUE;
    long backwardsTimestamps;
    // jiffies lines
    long jiffyLines;
    long firstJ;
    long firstJTs;
    long lastJ;
    long lastJTs;
    long minJ = Long.MAX_VALUE;
    final long[] maxJtMinusT = new long[HZ_CANDIDATES.length];
    /** A bounded sample of (timestamp, jiffies) pairs for the tick-latency estimate. */
    static final int SAMPLE_LIMIT = 1 << 16;
    final long[] sampleT = new long[SAMPLE_LIMIT];
    final long[] sampleJ = new long[SAMPLE_LIMIT];
    int samples;
    // tick-aligned monotonic values (nextevt / wakeup)
    long tickValues;
    long tickGcd;
    final long[][] residues = new long[HZ_CANDIDATES.length][];
    // per CPU
    final Map<Integer, Boolean> initiallyActive = new HashMap<>();
    // timers
    final Set<String> timersSeen = new HashSet<>();
    final Map<String, PreCaptureTimer> preCapture = new LinkedHashMap<>();
    boolean bucketExpiryPrinted;
    boolean baseclkPrinted;
    final List<String> malformed = new ArrayList<>();
    /** One bit per line: lines the first pass found malformed (the replay does not count them twice). */
    private final java.util.BitSet malformedLineNumbers = new java.util.BitSet();
    long malformedLines;

    /**
     * A timer whose first line in the capture is a cancel or an expiry: armed before tracing began.
     * What the trace tells about it afterwards is collected so the replay can re-create it.
     */
    public static final class PreCaptureTimer {
        final String ptr;
        final long ts;
        String function;
        /** {@code expired}: first seen expiring; {@code cancelled}: deleted or re-armed while pending. */
        String fate;
        /** The bucket it expired in ({@code baseclk=}, else {@code now=}); -1 unless it expired. */
        long bucket = -1;
        /** The CPU whose base held it (the expiring CPU, or the one a {@code tmigr_handle_remote_cpu} named); -1 unknown. */
        int baseCpu = -1;
        int expiredOn = -1;
        /** Flags of its first {@code timer_start} in the capture (the same timer re-armed), null if never re-armed. */
        String flags;
        private boolean sawCancel;

        PreCaptureTimer(String ptr, long ts) {
            this.ptr = ptr;
            this.ts = ts;
        }

        public String ptr() { return ptr; }
        /** Timestamp of its first line. */
        public long ts() { return ts; }
        public String function() { return function; }
        public String fate() { return fate; }
        public long bucket() { return bucket; }
        public int baseCpu() { return baseCpu; }
        public int expiredOn() { return expiredOn; }
        public String flags() { return flags; }
    }

    private final Map<Integer, long[]> lastRemote = new HashMap<>();

    TraceProfile() {
        Arrays.fill(maxJtMinusT, Long.MIN_VALUE);
    }

    // ---- derived ----

    public String file() {
        return file;
    }

    public TraceReader.Stats stats() {
        return stats;
    }

    public KernelTree tree() {
        return tree;
    }

    /** CPUs: the largest of the headers' {@code #P:}, the CPUs seen, and the tree. */
    public int cpus() {
        return Math.max(Math.max(stats.headerCpus(), maxCpuSeen + 1), tree.cpuBound());
    }

    public Map<String, Long> eventCounts() {
        return eventCounts;
    }

    public long count(String event) {
        return eventCounts.getOrDefault(event, 0L);
    }

    public long firstTs() {
        return firstTs;
    }

    public long lastTs() {
        return lastTs;
    }

    /** Timestamp of the first event that is not hierarchy set-up (timer, idle, tmigr run-time events). */
    public long firstBehaviourTs() {
        return firstBehaviourTs == Long.MAX_VALUE ? firstTs : firstBehaviourTs;
    }

    public long backwardsTimestamps() {
        return backwardsTimestamps;
    }

    /** The best idle signal the trace holds. */
    public IdleSource idleSource() {
        if (count("tmigr_cpu_active") + count("tmigr_cpu_idle") > 0) return IdleSource.TMIGR;
        if (count("timer_base_idle") > 0) return IdleSource.BASE_IDLE;
        return IdleSource.CPU_IDLE;
    }

    /** Whether the trace holds the kernel's decisions (timer expiries, tmigr_cpu_idle lines). */
    public boolean hasDecisions() {
        return count("timer_expire_entry") > 0 || count("tmigr_cpu_idle") > 0;
    }

    /** Whether {@code cpu} was active in the hierarchy when tracing began; null when the trace never says. */
    public Boolean initiallyActive(int cpu) {
        return initiallyActive.get(cpu);
    }

    public Map<String, PreCaptureTimer> preCaptureTimers() {
        return preCapture;
    }

    public boolean bucketExpiryPrinted() {
        return bucketExpiryPrinted;
    }

    /** Malformed lines of known events: {@code "line N: event: problem"} (first few). */
    public List<String> malformed() {
        return List.copyOf(malformed);
    }

    public long malformedLines() {
        return malformedLines;
    }

    /** Whether the first pass already found line {@code number} malformed. */
    boolean malformedLine(long number) {
        return number <= Integer.MAX_VALUE && malformedLineNumbers.get((int) number);
    }

    /**
     * HZ as the trace shows it, or 0 when it cannot tell.
     *
     * @return one of 100, 250, 300, 1000, or 0
     */
    public int hz() {
        double est = hzEstimate();
        if (est > 0) {
            for (int h : HZ_CANDIDATES) if (Math.abs(est - h) <= h * 0.03) return h;
        }
        if (tickGcd > 0) {
            for (int h : HZ_CANDIDATES) if (TimerWheel.tickNsec(h) == tickGcd) return h;
        }
        return 0;
    }

    /** HZ from the jiffies lines' slope, or -1 if fewer than two lines 50 ms apart print jiffies. */
    public double hzEstimate() {
        if (jiffyLines < 2 || lastJTs - firstJTs < 50_000_000L) return -1;
        return (lastJ - firstJ) * 1e9 / (lastJTs - firstJTs);
    }

    /** How HZ was found, for the report. */
    public String hzSource() {
        double est = hzEstimate();
        if (est > 0) return String.format(java.util.Locale.ROOT, "jiffies vs timestamps over %d lines: %.1f", jiffyLines, est);
        if (tickGcd > 0) return "spacing of " + tickValues + " tick-aligned tmigr times: " + tickGcd + " ns";
        return "no jiffies or tick-aligned values in the trace";
    }

    /** The tick grid's offset in monotonic ns (0 when tmigr times are multiples of TICK_NSEC). */
    public long phase(int hz) {
        int i = index(hz);
        if (i < 0 || residues[i] == null) return 0;
        long best = 0;
        long bestCount = -1;
        for (int k = 0; k < residues[i].length; k += 2) {
            if (residues[i][k + 1] > bestCount) {
                bestCount = residues[i][k + 1];
                best = residues[i][k];
            }
        }
        return best;
    }

    /**
     * {@code D}: jiffy {@code J} starts at monotonic {@code J * TICK_NSEC - D}. Null when the trace
     * prints no jiffies.
     */
    public Long jiffyOffsetNs(int hz) {
        int i = index(hz);
        if (i < 0 || maxJtMinusT[i] == Long.MIN_VALUE) return null;
        long tick = TimerWheel.tickNsec(hz);
        long m = maxJtMinusT[i] + phase(hz);
        long jm = Math.floorDiv(m + tick - 1, tick);
        return jm * tick - phase(hz);
    }

    /**
     * How long after a tick boundary the kernel's {@code jiffies} typically still holds the old
     * value: the threshold on the offset into the jiffy that best separates the sampled lines that
     * print the previous jiffy from those that print the current one (0 on a well-behaved machine;
     * a few hundred microseconds under QEMU TCG, whose tick interrupts arrive late).
     */
    public long jiffiesLatencyNs(int hz) {
        Long d = jiffyOffsetNs(hz);
        if (d == null || samples == 0) return 0;
        long tick = TimerWheel.tickNsec(hz);
        int bins = 128;
        long[] lagged = new long[bins];
        long[] current = new long[bins];
        for (int i = 0; i < samples; i++) {
            long x = sampleT[i] + d;
            long ideal = Math.floorDiv(x, tick);
            int bin = (int) (Math.floorMod(x, tick) * bins / tick);
            long lag = ideal - sampleJ[i];
            if (lag == 0) current[bin]++;
            else if (lag == 1) lagged[bin]++;
        }
        // errors(k) = current lines predicted lagging (bins < k) + lagged lines predicted current (bins >= k)
        long errors = 0;
        for (int b = 0; b < bins; b++) errors += lagged[b];
        long best = errors;
        int bestK = 0;
        for (int k = 1; k <= bins; k++) {
            errors += current[k - 1] - lagged[k - 1];
            if (errors < best) {
                best = errors;
                bestK = k;
            }
        }
        return bestK * tick / bins;
    }

    /** Smallest jiffies value printed, or Long.MAX_VALUE. */
    public long minJiffies() {
        return minJ;
    }

    private static int index(int hz) {
        for (int i = 0; i < HZ_CANDIDATES.length; i++) if (HZ_CANDIDATES[i] == hz) return i;
        return -1;
    }

    // =====================================================================================
    // The pass
    // =====================================================================================

    /**
     * Reads the whole capture once.
     *
     * @throws TraceFormatException if it is not a trace
     */
    public static TraceProfile scan(Path file) {
        try (TraceReader r = TraceReader.open(file)) {
            return scan(r);
        }
    }

    static TraceProfile scan(TraceReader r) {
        TraceProfile p = new TraceProfile();
        p.file = r.name();
        for (TraceReader.Line line = r.next(); line != null; line = r.next()) {
            try {
                p.accept(line);
            } catch (RuntimeException e) {
                p.malformed(line, e.getMessage());
            }
        }
        p.stats = r.stats();
        return p;
    }

    void malformed(TraceReader.Line line, String why) {
        if (line.number() <= Integer.MAX_VALUE) malformedLineNumbers.set((int) line.number());
        malformedLines++;
        if (malformed.size() < TraceReader.MAX_LISTED)
            malformed.add("line " + line.number() + ": " + line.event().event() + ": " + why);
    }

    private void accept(TraceReader.Line line) {
        FtraceLine l = line.event();
        long ts = l.timestampNs();
        eventCounts.merge(l.event(), 1L, Long::sum);
        formats.merge(l.format(), 1L, Long::sum);
        maxCpuSeen = Math.max(maxCpuSeen, l.cpu());
        if (ts < lastTs) backwardsTimestamps++;
        firstTs = Math.min(firstTs, ts);
        lastTs = Math.max(lastTs, ts);
        if (tree.accept(l)) return;
        tree.acceptRuntime(l);
        String ev = l.event();
        if (!ev.equals("tmigr_cpu_online") && !ev.equals("tmigr_cpu_available") && !ev.equals("tmigr_group_set"))
            firstBehaviourTs = Math.min(firstBehaviourTs, ts);
        switch (ev) {
            case "timer_start" -> {
                String ptr = required(l, "timer");
                long expires = l.decimal("expires");
                if (l.field("timeout") != null) jiffies(expires - l.decimal("timeout"), ts);
                if (l.field("bucket_expiry") != null) bucketExpiryPrinted = true;
                if (l.field("cpu") != null) maxCpuSeen = Math.max(maxCpuSeen, (int) l.decimal("cpu"));
                timersSeen.add(ptr);
                PreCaptureTimer pre = preCapture.get(ptr);
                if (pre != null) {
                    if (pre.fate == null) pre.fate = "cancelled"; // re-armed while pending (mod_timer)
                    if (pre.flags == null) pre.flags = l.field("flags") == null ? "" : l.field("flags");
                    if (pre.function == null) pre.function = l.field("function");
                }
            }
            case "timer_cancel", "timer_expire_entry" -> {
                String ptr = required(l, "timer");
                if (ev.equals("timer_expire_entry")) {
                    if (l.field("now") != null) jiffies(l.decimal("now"), ts);
                    if (l.field("baseclk") != null) baseclkPrinted = true;
                }
                if (timersSeen.add(ptr)) preCapture.put(ptr, new PreCaptureTimer(ptr, ts));
                PreCaptureTimer pre = preCapture.get(ptr);
                if (pre != null && pre.fate == null) {
                    if (ev.equals("timer_cancel")) {
                        // Expiries and re-arms detach with a timer_cancel first; a second one decides.
                        if (pre.sawCancel) pre.fate = "cancelled";
                        pre.sawCancel = true;
                    } else {
                        pre.fate = "expired";
                        pre.function = l.field("function");
                        pre.expiredOn = l.cpu();
                        pre.bucket = l.field("baseclk") != null ? l.decimal("baseclk") : l.field("now") != null ? l.decimal("now") : -1;
                        long[] remote = lastRemote.get(l.cpu());
                        boolean pulled = remote != null && ts - remote[1] < 20_000_000L && remote[0] != l.cpu();
                        pre.baseCpu = pulled ? (int) remote[0] : l.cpu();
                    }
                }
            }
            case "tmigr_cpu_idle" -> {
                first((int) l.decimal("cpu"), true);
                tickValue(l.decimal("nextevt"));
                tickValue(l.decimal("wakeup"));
            }
            case "tmigr_cpu_new_timer_idle" -> {
                first((int) l.decimal("cpu"), false);
                tickValue(l.decimal("nextevt"));
                tickValue(l.decimal("wakeup"));
            }
            case "tmigr_cpu_active", "tmigr_cpu_new_timer" -> first((int) l.decimal("cpu"), false);
            case "tmigr_handle_remote_cpu" -> {
                tickValue(l.decimal("wakeup"));
                lastRemote.put(l.cpu(), new long[]{l.decimal("cpu"), ts});
            }
            case "tmigr_update_events" -> {
                tickValue(l.decimal("nextevt"));
                tickValue(l.decimal("next_expiry"));
            }
            case "timer_base_idle" -> first((int) l.decimal("cpu"), l.decimal("is_idle") != 0);
            case "cpu_idle" -> {
                // Weaker evidence than the two above: used only while nothing better was seen.
                int cpu = (int) l.decimal("cpu_id");
                maxCpuSeen = Math.max(maxCpuSeen, cpu);
                if (!hierarchyEvidence.contains(cpu)) initiallyActive.putIfAbsent(cpu, l.decimal("state") != 4294967295L);
            }
            default -> {
            }
        }
    }

    private final Set<Integer> hierarchyEvidence = new HashSet<>();

    /** The first hierarchy transition of a CPU says what it was before: leaving the hierarchy means it was in it. */
    private void first(int cpu, boolean wasActive) {
        maxCpuSeen = Math.max(maxCpuSeen, cpu);
        if (hierarchyEvidence.add(cpu)) initiallyActive.put(cpu, wasActive);
    }

    private static String required(FtraceLine l, String key) {
        String v = l.field(key);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("no " + key + "= field");
        return v;
    }

    private void jiffies(long j, long ts) {
        if (jiffyLines == 0) {
            firstJ = j;
            firstJTs = ts;
        }
        jiffyLines++;
        if (samples < SAMPLE_LIMIT) {
            sampleT[samples] = ts;
            sampleJ[samples] = j;
            samples++;
        }
        lastJ = j;
        lastJTs = ts;
        minJ = Math.min(minJ, j);
        for (int i = 0; i < HZ_CANDIDATES.length; i++) {
            long tick = TimerWheel.tickNsec(HZ_CANDIDATES[i]);
            long v = j * tick - ts;
            if (v > maxJtMinusT[i]) maxJtMinusT[i] = v;
        }
    }

    private void tickValue(long v) {
        if (v == KTIME_MAX || v <= 0 || v == -1) return;
        tickValues++;
        tickGcd = gcd(tickGcd, v);
        for (int i = 0; i < HZ_CANDIDATES.length; i++) {
            long r = v % TimerWheel.tickNsec(HZ_CANDIDATES[i]);
            long[] a = residues[i];
            if (a == null) a = residues[i] = new long[0];
            boolean found = false;
            for (int k = 0; k < a.length; k += 2) {
                if (a[k] == r) {
                    a[k + 1]++;
                    found = true;
                    break;
                }
            }
            if (!found && a.length < 64) {
                a = Arrays.copyOf(a, a.length + 2);
                a[a.length - 2] = r;
                a[a.length - 1] = 1;
                residues[i] = a;
            }
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
