package org.tmigrlab.engine.trace;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

/**
 * Writes the simulator's events as ftrace text, in the kernel's own {@code TP_printk} formats
 * (reference §3; current mainline spelling: {@code groupmask=} in the connect events, no
 * {@code capacity=}, {@code tmigr_cpu_available}/{@code tmigr_cpu_unavailable}), so that a
 * simulated run can be diffed against a real capture line by line.
 *
 * <p>Line layout is the default {@code trace} file's: {@code "%16s-%-7d [%03d] %s %5lu.%06lu: "}
 * followed by {@code event: body}. Every line is attributed to {@code <idle>-0} (the simulator has
 * no tasks). The five-character context column is the one the real 6.12 captures show most often for
 * that event (e.g. {@code ..s1.} for softirq-side {@code timer_expire_entry}, {@code d..4.} for the
 * idle-entry walk) so that both files line up; it carries no simulated meaning. Timestamps are
 * {@code ns} rounded to microseconds as the kernel's {@code ns2usecs()} does.
 *
 * <p>Pointers: the kernel prints {@code %p} values, which are meaningless outside the traced
 * machine. Groups and timers are dense ints here, printed as deterministic 16-hex-digit identifiers
 * in two disjoint ranges ({@link #groupPointer(int)}, {@link #timerPointer(int)}); {@code -1} is NULL,
 * printed {@code 0000000000000000}.
 *
 * <p>Buffering and ownership: lines are assembled in one reused {@link StringBuilder} and handed to
 * the target in chunks of about {@value #CHUNK} characters (through a reused {@code char[]} when the
 * target is a {@link Writer}), so nothing is allocated per event in the common case. Call
 * {@link #flush()} before reading the target; the caller owns the target and closes it.
 *
 * <p>Threading: not thread-safe; driven by the simulator thread like every {@link TraceSink}.
 */
public final class KernelTraceWriter implements TraceSink, Flushable {

    /** First group identifier; group {@code g} prints as {@code GROUP_BASE + g * GROUP_STRIDE}. */
    public static final long GROUP_BASE = 0xffff_8880_0010_0000L;
    public static final long GROUP_STRIDE = 0x80;
    /** First timer identifier (a vmalloc/stack-like range, disjoint from the groups'). */
    public static final long TIMER_BASE = 0xffff_c900_0040_0000L;
    public static final long TIMER_STRIDE = 0x40;
    /** {@code PWR_EVENT_EXIT}, the {@code state} printed by {@code cpu_idle} on idle exit. */
    public static final long PWR_EVENT_EXIT = 4294967295L;

    private static final int CHUNK = 8192;
    private static final String TASK = "          <idle>-0      "; // "%16s-%-7d" of comm <idle>, pid 0
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    // Context columns as seen most often in the 6.12.95 captures (see class comment).
    private static final String CTX_SETUP = ".....";
    private static final String CTX_IDLE_WALK = "d..4.";
    private static final String CTX_ACTIVE_WALK = "dN.2.";
    private static final String CTX_SOFTIRQ = "..s1.";
    private static final String CTX_SOFTIRQ_LOCKED = "d.s2.";
    private static final String CTX_IRQS_OFF = "d..1.";

    private final Appendable out;
    private final Writer writer;
    private final StringBuilder buf = new StringBuilder(CHUNK + 512);
    private char[] chunk = new char[CHUNK + 512];
    private long lines;
    private boolean headerAllowed = true;

    /** Writes event lines only (like {@code trace_pipe}); see {@link #header(int, long, long)} for the file header. */
    public KernelTraceWriter(Appendable out) {
        this.out = Objects.requireNonNull(out, "out");
        this.writer = out instanceof Writer w ? w : null;
    }

    /**
     * Writes the default {@code trace} file header ({@code # tracer: nop}, the
     * {@code entries-in-buffer/entries-written} line and the column legend). Must come before the
     * first event. The simulator loses no events, so normally {@code entries == written}; the number
     * is the caller's to know (a deterministic run can be counted in a first pass, or use
     * {@link #lines()} of a previous writer).
     */
    public KernelTraceWriter header(int nrCpus, long entries, long written) {
        if (!headerAllowed) {
            throw new IllegalStateException("header must precede the first event");
        }
        headerAllowed = false;
        buf.append("# tracer: nop\n#\n# entries-in-buffer/entries-written: ")
                .append(entries).append('/').append(written).append("   #P:").append(nrCpus).append('\n')
                .append("#\n")
                .append("#                                _-----=> irqs-off/BH-disabled\n")
                .append("#                               / _----=> need-resched\n")
                .append("#                              | / _---=> hardirq/softirq\n")
                .append("#                              || / _--=> preempt-depth\n")
                .append("#                              ||| / _-=> migrate-disable\n")
                .append("#                              |||| /     delay\n")
                .append("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n")
                .append("#              | |         |   |||||     |         |\n");
        return this;
    }

    /** Event lines written so far. */
    public long lines() {
        return lines;
    }

    /** Hands everything buffered to the target and flushes it if it is {@link Flushable}. */
    @Override
    public void flush() {
        drain();
        if (out instanceof Flushable f) {
            try {
                f.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The identifier printed for group {@code id} ({@code -1} = NULL). */
    public static String groupPointer(int id) {
        return pointerString(GROUP_BASE, GROUP_STRIDE, id);
    }

    /** The identifier printed for timer {@code id} ({@code -1} = NULL). */
    public static String timerPointer(int id) {
        return pointerString(TIMER_BASE, TIMER_STRIDE, id);
    }

    // ---------------------------------------------------------------------------------------
    // timer_migration

    @Override
    public void groupSet(long t, int cpu, int group, int lvl, int numa) {
        begin(t, cpu, CTX_SETUP, "tmigr_group_set");
        buf.append("group=");
        group(group);
        buf.append(" lvl=").append(lvl).append(" numa=").append(numa);
        end();
    }

    @Override
    public void connectChildParent(long t, int cpu, int child, long groupmask, int parent, int lvl, int numa, int numChildren) {
        begin(t, cpu, CTX_SETUP, "tmigr_connect_child_parent");
        buf.append("group=");
        group(child);
        buf.append(" groupmask=");
        hex(groupmask);
        buf.append(" parent=");
        group(parent);
        buf.append(" lvl=").append(lvl).append(" numa=").append(numa).append(" num_children=").append(numChildren);
        end();
    }

    @Override
    public void connectCpuParent(long t, int cpu, int childCpu, long groupmask, int parent, int lvl, int numa, int numChildren) {
        begin(t, cpu, CTX_SETUP, "tmigr_connect_cpu_parent");
        buf.append("cpu=").append(childCpu).append(" groupmask=");
        hex(groupmask);
        buf.append(" parent=");
        group(parent);
        buf.append(" lvl=").append(lvl).append(" numa=").append(numa).append(" num_children=").append(numChildren);
        end();
    }

    @Override
    public void groupSetCpu(long t, int cpu, boolean active, int group, int lvl, int numa, long activeMask,
                            long migrator, int parent, long childmask) {
        begin(t, cpu, active ? CTX_ACTIVE_WALK : CTX_IDLE_WALK,
                active ? "tmigr_group_set_cpu_active" : "tmigr_group_set_cpu_inactive");
        buf.append("group=");
        group(group);
        buf.append(" lvl=").append(lvl).append(" numa=").append(numa).append(" active=");
        hex(activeMask);
        buf.append(" migrator=");
        hex(migrator);
        buf.append(" parent=");
        group(parent);
        buf.append(" childmask=");
        hex(childmask);
        end();
    }

    @Override
    public void cpuGroup(long t, int cpu, String event, int subjectCpu, int parent, long wakeup) {
        String ctx = switch (Objects.requireNonNull(event, "event")) {
            case "tmigr_cpu_active" -> CTX_ACTIVE_WALK;
            case "tmigr_cpu_new_timer" -> CTX_IDLE_WALK;
            case "tmigr_handle_remote_cpu" -> CTX_SOFTIRQ_LOCKED;
            case "tmigr_cpu_available", "tmigr_cpu_unavailable" -> CTX_IRQS_OFF;
            default -> throw new IllegalArgumentException("not a tmigr_cpugroup event: " + event);
        };
        begin(t, cpu, ctx, event);
        buf.append("cpu=").append(subjectCpu).append(" parent=");
        group(parent);
        buf.append(" wakeup=");
        unsigned(wakeup);
        end();
    }

    @Override
    public void cpuIdle(long t, int cpu, String event, int subjectCpu, int parent, long nextevt, long wakeup) {
        if (!"tmigr_cpu_idle".equals(event) && !"tmigr_cpu_new_timer_idle".equals(event)) {
            throw new IllegalArgumentException("not a tmigr_idle event: " + event);
        }
        begin(t, cpu, CTX_IDLE_WALK, event);
        buf.append("cpu=").append(subjectCpu).append(" parent=");
        group(parent);
        buf.append(" nextevt=");
        unsigned(nextevt);
        buf.append(" wakeup=");
        unsigned(wakeup);
        end();
    }

    @Override
    public void updateEvents(long t, int cpu, int child, int group, int groupLvl, long childActive, long groupActive,
                             long nextevt, long nextExpiry, long childEvtExpiry, int childEvtCpu) {
        begin(t, cpu, "d..5.", "tmigr_update_events");
        buf.append("child=");
        group(child);
        buf.append(" group=");
        group(group);
        buf.append(" group_lvl=").append(groupLvl).append(" child_active=");
        hex(childActive);
        buf.append(" group_active=");
        hex(groupActive);
        buf.append(" nextevt=");
        unsigned(nextevt);
        buf.append(" next_expiry=");
        unsigned(nextExpiry);
        buf.append(" child_evt_expiry=");
        unsigned(childEvtExpiry);
        buf.append(" child_evtcpu=").append(childEvtCpu);
        end();
    }

    @Override
    public void handleRemote(long t, int cpu, int group, int lvl) {
        begin(t, cpu, CTX_SOFTIRQ, "tmigr_handle_remote");
        buf.append("group=");
        group(group);
        buf.append(" lvl=").append(lvl);
        end();
    }

    // ---------------------------------------------------------------------------------------
    // timer, power

    @Override
    public void timerStart(long t, int cpu, int timer, String function, long expires, long timeout, long bucketExpiry,
                           int baseCpu, int idx, String flags) {
        begin(t, cpu, CTX_IRQS_OFF, "timer_start");
        buf.append("timer=");
        timer(timer);
        buf.append(" function=").append(function).append(" expires=");
        unsigned(expires);
        buf.append(" [timeout=").append(timeout).append("] bucket_expiry=");
        unsigned(bucketExpiry);
        // %u of an unsigned int
        buf.append(" cpu=").append(Integer.toUnsignedLong(baseCpu)).append(" idx=").append(Integer.toUnsignedLong(idx))
                .append(" flags=");
        if (flags != null) {
            buf.append(flags);
        }
        end();
    }

    @Override
    public void timerCancel(long t, int cpu, int timer) {
        begin(t, cpu, CTX_SOFTIRQ_LOCKED, "timer_cancel");
        buf.append("timer=");
        timer(timer);
        end();
    }

    @Override
    public void timerExpireEntry(long t, int cpu, int timer, String function, long now, long baseclk) {
        begin(t, cpu, CTX_SOFTIRQ, "timer_expire_entry");
        buf.append("timer=");
        timer(timer);
        buf.append(" function=").append(function).append(" now=");
        unsigned(now);
        buf.append(" baseclk=");
        unsigned(baseclk);
        end();
    }

    @Override
    public void timerExpireExit(long t, int cpu, int timer) {
        begin(t, cpu, CTX_SOFTIRQ, "timer_expire_exit");
        buf.append("timer=");
        timer(timer);
        end();
    }

    @Override
    public void timerBaseIdle(long t, int cpu, boolean idle) {
        // set on the tick-stop path (irqs off, nested locks), cleared on idle exit with need-resched
        begin(t, cpu, idle ? "d..3." : "dN.1.", "timer_base_idle");
        buf.append("is_idle=").append(idle ? 1 : 0).append(" cpu=").append(cpu);
        end();
    }

    @Override
    public void cpuIdleState(long t, int cpu, long state) {
        begin(t, cpu, CTX_IRQS_OFF, "cpu_idle");
        buf.append("state=");
        unsigned(state);
        buf.append(" cpu_id=").append(cpu);
        end();
    }

    // ---------------------------------------------------------------------------------------
    // formatting

    /** {@code "          <idle>-0       [003] d..1.   100.004008: event: "}. */
    private void begin(long t, int cpu, String ctx, String event) {
        headerAllowed = false;
        buf.append(TASK).append(" [");
        if (cpu >= 0 && cpu < 100) {
            buf.append('0');
            if (cpu < 10) {
                buf.append('0');
            }
        }
        buf.append(cpu).append("] ").append(ctx).append(' ');
        // ns2usecs() rounds to the nearest microsecond, then "%5llu.%06lu"
        long usecs = (t + 500) / 1000;
        long secs = usecs / 1_000_000;
        int rem = (int) (usecs - secs * 1_000_000);
        for (long p = 10_000; p > 1 && secs < p; p /= 10) {
            buf.append(' ');
        }
        buf.append(secs).append('.');
        for (int p = 100_000; p > 1 && rem < p; p /= 10) {
            buf.append('0');
        }
        buf.append(rem).append(": ").append(event).append(": ");
    }

    private void end() {
        buf.append('\n');
        lines++;
        if (buf.length() >= CHUNK) {
            drain();
        }
    }

    private void group(int id) {
        pointer(GROUP_BASE, GROUP_STRIDE, id);
    }

    private void timer(int id) {
        pointer(TIMER_BASE, TIMER_STRIDE, id);
    }

    private void pointer(long base, long stride, int id) {
        long p = pointerValue(base, stride, id);
        for (int shift = 60; shift >= 0; shift -= 4) {
            buf.append(HEX[(int) (p >>> shift) & 0xf]);
        }
    }

    private static long pointerValue(long base, long stride, int id) {
        if (id == -1) {
            return 0;
        }
        if (id < 0) {
            throw new IllegalArgumentException("negative id " + id + " (only -1 means NULL)");
        }
        return base + id * stride;
    }

    private static String pointerString(long base, long stride, int id) {
        String hex = Long.toHexString(pointerValue(base, stride, id));
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** {@code %x}: lowercase hex, no prefix, no padding; the value taken as unsigned. */
    private void hex(long v) {
        if (v == 0) {
            buf.append('0');
            return;
        }
        int shift = (63 - Long.numberOfLeadingZeros(v)) & ~3;
        for (; shift >= 0; shift -= 4) {
            buf.append(HEX[(int) (v >>> shift) & 0xf]);
        }
    }

    /** {@code %llu} / {@code %lu}: kernel u64 values; KTIME_MAX prints 9223372036854775807. */
    private void unsigned(long v) {
        if (v >= 0) {
            buf.append(v);
        } else {
            buf.append(Long.toUnsignedString(v));
        }
    }

    private void drain() {
        int len = buf.length();
        if (len == 0) {
            return;
        }
        try {
            if (writer != null) {
                if (chunk.length < len) {
                    chunk = new char[len];
                }
                buf.getChars(0, len, chunk, 0);
                writer.write(chunk, 0, len);
            } else {
                out.append(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.setLength(0);
    }
}
