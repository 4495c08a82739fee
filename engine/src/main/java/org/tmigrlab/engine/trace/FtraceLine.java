package org.tmigrlab.engine.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event line of ftrace text output, split into its columns and its {@code key=value} body.
 *
 * <p>Accepted layouts (reference §3.4):
 * <ul>
 *   <li>{@link Format#DEFAULT} — the {@code trace} / {@code trace_pipe} file:
 *       {@code "          <idle>-0       [001] ..s1.   100.004008: timer_expire_entry: timer=…"};
 *       the context column may have 4, 5 or 7 characters or be absent (irq-info off);</li>
 *   <li>{@link Format#TRACE_CMD} — {@code trace-cmd report}, which adds the thread-group id:
 *       {@code "kworker/3:2-27891 (27891) [003] d... 240338.934671: timer_start: …"};</li>
 *   <li>{@link Format#LATENCY} — {@code ftrace_dump()} / latency-format output, CPU and context glued
 *       together and microsecond timestamps, optionally behind a printk time:
 *       {@code "[  236.326526]   <idle>-0         3d.s.. 2928467us : tmigr_handle_remote_cpu: …"}.</li>
 * </ul>
 * The task name may contain dashes and spaces, so it ends at the <em>last</em> {@code -<digits>}
 * that is followed by the CPU column.
 *
 * <p>The body is split on spaces into {@code key=value} fields in order; {@code [timeout=N]} (from
 * {@code timer_start}) is stored as {@code timeout}; a field may be empty ({@code flags=}); tokens
 * without {@code =} are ignored. Values stay strings: the meaning of a number (decimal, {@code %x}
 * hex, unsigned) depends on the event, see {@link #decimal(String)} and {@link #hex(String)}.
 *
 * @param comm        task name ({@code <idle>}, {@code kworker/u16:2-events} …)
 * @param pid         task id
 * @param cpu         the {@code [CPU#]} column: the CPU the event was recorded on
 * @param flags       the context column ({@code d..1.}), empty if the line has none
 * @param timestampNs timestamp in ns (the clock is whatever the trace used; {@code us} in latency format)
 * @param event       event name without its system ({@code timer_start})
 * @param body        everything after {@code "event: "}
 * @param fields      the body's fields, in order, unmodifiable
 * @param format      the layout the line was written in
 */
public record FtraceLine(String comm, int pid, int cpu, String flags, long timestampNs, String event, String body,
                         Map<String, String> fields, Format format) {

    /** The text layouts {@link #parse(String)} understands. */
    public enum Format { DEFAULT, TRACE_CMD, LATENCY }

    // §3.4's suggested regex, with the context column made optional (irq-info off) and the
    // trace-cmd "(tgid)" column captured so the layout can be told apart.
    private static final Pattern DEFAULT_LINE = Pattern.compile(
            "^\\s*(?<comm>.+?)-(?<pid>\\d+)\\s+(?<tgid>\\(\\s*\\d+\\)\\s+)?\\[(?<cpu>\\d+)]\\s+"
                    + "(?:(?<flags>\\S+)\\s+)?(?<ts>\\d+\\.\\d+):\\s+(?<event>\\w+):\\s?(?<body>.*)$");
    // ftrace_dump(): "<comm>-<pid> <cpu><flags> <usecs>us<delay-mark> : event: body"
    private static final Pattern LATENCY_LINE = Pattern.compile(
            "^(?:\\[\\s*\\d+\\.\\d+]\\s*)?\\s*(?<comm>.+?)-(?<pid>\\d+)\\s+(?<cpu>\\d+)(?<flags>[^\\s\\d]\\S*)\\s+"
                    + "(?<ts>\\d+)us\\s*[+!#*@$]?\\s*:\\s+(?<event>\\w+):\\s?(?<body>.*)$");
    private static final Pattern LOST = Pattern.compile("^CPU:(\\d+) \\[LOST (\\d+) EVENTS]\\s*$");

    public FtraceLine {
        fields = Collections.unmodifiableMap(fields);
    }

    /** True for lines that carry no event: blank lines and {@code #} comments/headers. */
    public static boolean isComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '#';
            }
        }
        return true;
    }

    /** For {@code "CPU:1 [LOST 3 EVENTS]"} the number of lost events (3), else -1. */
    public static long lostEvents(String line) {
        Matcher m = LOST.matcher(line);
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** The parsed event line, or null for comments, blank lines, lost-event markers and anything else. */
    public static FtraceLine tryParse(String line) {
        if (isComment(line)) {
            return null;
        }
        Matcher m = DEFAULT_LINE.matcher(line);
        if (m.matches()) {
            Format format = m.group("tgid") != null ? Format.TRACE_CMD : Format.DEFAULT;
            String flags = m.group("flags");
            return build(m, flags == null ? "" : flags, secondsToNs(m.group("ts")), format);
        }
        m = LATENCY_LINE.matcher(line);
        if (m.matches()) {
            return build(m, m.group("flags"), Long.parseLong(m.group("ts")) * 1000, Format.LATENCY);
        }
        return null;
    }

    /**
     * The parsed event line.
     *
     * @throws IllegalArgumentException if {@code line} is not an event line
     */
    public static FtraceLine parse(String line) {
        FtraceLine parsed = tryParse(line);
        if (parsed == null) {
            throw new IllegalArgumentException("not an ftrace event line: " + line);
        }
        return parsed;
    }

    /** The value of field {@code key}, or null. */
    public String field(String key) {
        return fields.get(key);
    }

    /**
     * Whether the context column shows a reschedule pending: its second character (the
     * "need-resched" column of every layout: {@code N}, {@code n}, {@code p}, {@code L} ...) is not
     * {@code '.'}. On an idle CPU's {@code cpu_idle} exit it tells a real idle exit (a task is
     * about to run) from an interrupt handled inside idle. False when the line has no context column.
     */
    public boolean needResched() {
        return flags.length() >= 2 && flags.charAt(1) != '.';
    }

    /** Field {@code key} as a decimal number ({@code %d}, {@code %ld}, {@code %lu}, {@code %llu} — u64 wraps). */
    public long decimal(String key) {
        return decimalValue(required(key));
    }

    /** Field {@code key} as a {@code %x} / {@code %p} hex number (no {@code 0x}). */
    public long hex(String key) {
        return Long.parseUnsignedLong(required(key), 16);
    }

    private String required(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no field '" + key + "' in " + event + ": " + body);
        }
        return v;
    }

    private static long decimalValue(String v) {
        return v.startsWith("-") ? Long.parseLong(v) : Long.parseUnsignedLong(v);
    }

    private static FtraceLine build(Matcher m, String flags, long ts, Format format) {
        String body = m.group("body");
        return new FtraceLine(m.group("comm").strip(), Integer.parseInt(m.group("pid")),
                Integer.parseInt(m.group("cpu")), flags, ts, m.group("event"), body, parseBody(body), format);
    }

    /** "timer=… expires=5 [timeout=1] flags=" → {timer, expires, timeout, flags}. */
    static Map<String, String> parseBody(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        int n = body.length();
        int i = 0;
        while (i < n) {
            while (i < n && body.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && body.charAt(i) != ' ') {
                i++;
            }
            if (start == i) {
                break;
            }
            int from = start;
            int to = i;
            if (body.charAt(from) == '[' && body.charAt(to - 1) == ']') {
                from++;
                to--;
            }
            int eq = body.indexOf('=', from);
            if (eq > from && eq < to) {
                fields.put(body.substring(from, eq), body.substring(eq + 1, to));
            }
        }
        return fields;
    }

    /** "3.064715" → 3064715000; accepts 1–9 fractional digits. */
    private static long secondsToNs(String ts) {
        int dot = ts.indexOf('.');
        long secs = Long.parseLong(ts, 0, dot, 10);
        int digits = ts.length() - dot - 1;
        if (digits > 9) {
            throw new IllegalArgumentException("timestamp with more than ns resolution: " + ts);
        }
        long frac = Long.parseLong(ts, dot + 1, ts.length(), 10);
        for (int d = digits; d < 9; d++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }
}
