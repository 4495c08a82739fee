package org.tmigrlab.engine.replay;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.tmigrlab.engine.trace.FtraceLine;

/**
 * Streams the event lines of an ftrace text capture (the {@code trace} file, {@code trace-cmd
 * report} output, or an {@code ftrace_dump()} / latency-format log), plain or gzip-compressed
 * (recognised by its magic bytes, whatever the file is called). One line is held at a time, so
 * memory does not depend on the length of the capture.
 *
 * <p>Everything that is not an event is accounted for in {@link #stats()}: comment and header
 * lines ({@code # tracer:}, {@code # entries-in-buffer/entries-written: A/B #P:N}, which gives the
 * CPU count and, when {@code B > A}, how many events the ring buffer overwrote), {@code trace-cmd}
 * metadata ({@code cpus=N}, {@code version = 6}, {@code CPU 3 is empty}), lost-event markers
 * ({@code CPU:1 [LOST 3 EVENTS]}), and lines it does not understand — counted, the first few
 * kept with their line numbers, never fatal.
 *
 * <p>What is fatal ({@link TraceFormatException}, naming the file and line) is a file that is not
 * a trace at all: missing or unreadable, empty, binary (a NUL byte or mostly control bytes at the
 * start, e.g. a {@code trace.dat}), corrupt gzip before any event, or text in which none of the
 * first {@value #PROBE_LINES} lines is an event and no ftrace header was seen.
 *
 * <p>Threading: one reader per thread.
 */
public final class TraceReader implements Closeable {

    /** Lines longer than this are cut (and counted as not understood); real event lines are &lt; 1 KiB. */
    public static final int MAX_LINE = 16 * 1024;
    /** How many not-understood lines / lost markers are listed with their numbers. */
    public static final int MAX_LISTED = 5;
    /** Non-blank lines without any event or ftrace header after which a file is "not a trace". */
    public static final int PROBE_LINES = 200;

    private static final int PROBE_BYTES = 8192;
    private static final Pattern ENTRIES = Pattern.compile("entries-in-buffer/entries-written:\\s*(\\d+)/(\\d+)\\s+#P:(\\d+)");
    private static final Pattern TRACE_CMD_META = Pattern.compile(
            "^\\s*(?:cpus=\\d+|version = \\d+|CPU \\d+ is empty|CPU\\d+ data recorded at offset=.*|\\s*\\d+ bytes in size.*)\\s*$");
    private static final Pattern LOST_ANY = Pattern.compile("^\\s*CPU:?\\s*(\\d+)\\s*\\[(?:LOST\\s+(\\d+)\\s+EVENTS|(\\d+)\\s+EVENTS DROPPED|LOST EVENTS)]\\s*$");

    /** One event line with its 1-based line number and the header section it belongs to. */
    public record Line(long number, int section, FtraceLine event) {
    }

    /** What was read besides the events. Live view: it grows while the reader advances. */
    public static final class Stats {
        long lines;
        long events;
        long comments;
        long metadata;
        long unparsed;
        final List<String> unparsedSamples = new ArrayList<>();
        long lostMarkers;
        long lostEvents;
        final List<String> lostSamples = new ArrayList<>();
        int sections;
        int headerCpus;
        long overwritten;
        long cutLines;
        String truncatedInput;

        public long lines() { return lines; }
        public long events() { return events; }
        /** Blank lines and {@code #} comments / headers. */
        public long comments() { return comments; }
        /** trace-cmd report metadata lines. */
        public long metadata() { return metadata; }
        /** Lines that are neither events, comments, metadata nor lost-event markers. */
        public long unparsed() { return unparsed; }
        /** {@code "line N: text"} of the first {@value #MAX_LISTED} not-understood lines. */
        public List<String> unparsedSamples() { return List.copyOf(unparsedSamples); }
        public long lostMarkers() { return lostMarkers; }
        /** Sum of the counts the lost markers give (a marker without a count adds 0). */
        public long lostEvents() { return lostEvents; }
        public List<String> lostSamples() { return List.copyOf(lostSamples); }
        /** {@code # tracer:} headers seen: one per buffer dumped into the file. */
        public int sections() { return sections; }
        /** Largest {@code #P:} (or trace-cmd {@code cpus=}) of the headers, 0 if none. */
        public int headerCpus() { return headerCpus; }
        /** Events the ring buffer overwrote before the dump (entries-written minus entries-in-buffer). */
        public long overwritten() { return overwritten; }
        /** Lines longer than {@link #MAX_LINE}. */
        public long cutLines() { return cutLines; }
        /** Non-null when the input ended early (truncated gzip stream): says after which line. */
        public String truncatedInput() { return truncatedInput; }
    }

    private final String name;
    private final InputStream in;
    private final Stats stats = new Stats();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private byte[] lineBuf = new byte[512];
    private boolean sawHeader;
    private boolean nonBlank;
    private boolean lastCut;
    private IOException readError;
    private long probeLines;
    private long firstTextLine;
    private String firstTextSnippet;

    private TraceReader(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /**
     * Opens a capture; a {@code .gz} (by content) is decompressed on the fly.
     *
     * @throws TraceFormatException missing, unreadable, empty, or binary file
     */
    public static TraceReader open(Path file) {
        String shown = file.toString();
        if (Files.isDirectory(file)) throw new TraceFormatException(shown, 0, "is a directory, not a trace file");
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(shown, 0, "no such file");
        } catch (AccessDeniedException e) {
            throw new TraceFormatException(shown, 0, "permission denied");
        } catch (IOException e) {
            throw new TraceFormatException(shown, 0, "cannot read: " + e.getMessage(), e);
        }
        return of(shown, raw);
    }

    /**
     * A reader over a stream (tests, stdin); {@code name} is used in messages. Takes ownership of
     * {@code raw}.
     *
     * @throws TraceFormatException empty, binary or corrupt-gzip input
     */
    public static TraceReader of(String name, InputStream raw) {
        try {
            BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
            b.mark(2);
            int m0 = b.read();
            int m1 = b.read();
            b.reset();
            InputStream in = b;
            if (m0 == 0x1f && m1 == 0x8b) {
                try {
                    in = new GZIPInputStream(b, 1 << 16);
                } catch (IOException e) {
                    b.close();
                    throw new TraceFormatException(name, 0, "corrupt gzip data: " + e.getMessage(), e);
                }
            }
            TraceReader r = new TraceReader(name, in);
            r.probe();
            return r;
        } catch (IOException e) {
            throw new TraceFormatException(name, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the first block and rejects empty and binary input before anything is parsed. */
    private void probe() {
        fill();
        if (lim == 0 && readError != null) throw fail(0, "corrupt or truncated gzip data: " + readError.getMessage());
        if (lim == 0) throw fail(0, "file is empty");
        int n = Math.min(lim, PROBE_BYTES);
        int control = 0;
        long line = 1;
        for (int i = 0; i < n; i++) {
            int c = buf[i] & 0xff;
            if (c == 0) {
                String hint = startsWith("\u0017\u0008\u0044tracing") ? " (a trace-cmd trace.dat? convert it with 'trace-cmd report -i FILE > FILE.txt')" : "";
                throw fail(line, "binary data (NUL byte at offset " + i + "), not ftrace text" + hint);
            }
            if (c == '\n') line++;
            else if (c < 0x20 && c != '\t' && c != '\r' && c != '\f') control++;
        }
        if (control * 20 > n) throw fail(1, "binary data (" + control + " control bytes in the first " + n + "), not ftrace text");
    }

    private boolean startsWith(String magic) {
        if (lim < magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if ((buf[i] & 0xff) != magic.charAt(i)) return false;
        return true;
    }

    private TraceFormatException fail(long line, String reason) {
        return new TraceFormatException(name, line, reason);
    }

    public String name() {
        return name;
    }

    public Stats stats() {
        return stats;
    }

    /**
     * The next event line, or null at the end of the input.
     *
     * @throws TraceFormatException when the input turns out not to be a trace (see class comment)
     */
    public Line next() {
        for (;;) {
            String text = readLine();
            if (text == null) {
                if (readError != null) {
                    String why = "corrupt or truncated gzip data: " + readError.getMessage();
                    if (stats.events == 0) throw fail(stats.lines + 1, why + " (before any trace event)");
                    if (stats.truncatedInput == null) stats.truncatedInput = "input ends early after line " + stats.lines + ": " + why;
                }
                if (stats.events == 0) {
                    if (firstTextLine > 0 && !sawHeader)
                        throw fail(firstTextLine, "not ftrace text: no line is a trace event (first line: '" + firstTextSnippet + "')");
                    if (!nonBlank) throw fail(0, "file is empty (blank lines only)");
                    if (firstTextLine > 0)
                        throw fail(firstTextLine, "no trace events: " + stats.unparsed + " lines not understood (this one: '" + firstTextSnippet + "')");
                    throw fail(0, "no trace events (" + stats.lines + " lines of headers and comments only)");
                }
                return null;
            }
            long no = stats.lines;
            if (FtraceLine.isComment(text)) {
                stats.comments++;
                if (!text.isBlank()) nonBlank = true;
                header(text);
                continue;
            }
            nonBlank = true;
            FtraceLine ev = lastCut || text.indexOf('\0') >= 0 ? null : FtraceLine.tryParse(text);
            if (ev != null) {
                stats.events++;
                return new Line(no, Math.max(stats.sections, 1), ev);
            }
            Matcher lost = LOST_ANY.matcher(text);
            if (!lastCut && lost.matches()) {
                stats.lostMarkers++;
                String count = lost.group(2) != null ? lost.group(2) : lost.group(3);
                if (count != null) stats.lostEvents += Long.parseLong(count);
                if (stats.lostSamples.size() < MAX_LISTED) stats.lostSamples.add("line " + no + ": " + text.strip());
                continue;
            }
            if (TRACE_CMD_META.matcher(text).matches()) {
                stats.metadata++;
                if (text.strip().startsWith("cpus=")) {
                    sawHeader = true;
                    stats.headerCpus = Math.max(stats.headerCpus, Integer.parseInt(text.strip().substring(5)));
                }
                continue;
            }
            stats.unparsed++;
            if (stats.unparsedSamples.size() < MAX_LISTED) stats.unparsedSamples.add("line " + no + ": " + snippet(text));
            if (firstTextLine == 0) {
                firstTextLine = no;
                firstTextSnippet = snippet(text);
            }
            if (stats.events == 0 && !sawHeader && ++probeLines >= PROBE_LINES)
                throw fail(firstTextLine, "not ftrace text: none of the first " + PROBE_LINES
                        + " lines is a trace event (first line: '" + firstTextSnippet + "')");
        }
    }

    private void header(String text) {
        if (text.contains("# tracer:")) {
            stats.sections++;
            sawHeader = true;
        }
        Matcher m = ENTRIES.matcher(text);
        if (m.find()) {
            sawHeader = true;
            if (stats.sections == 0) stats.sections = 1;
            long inBuffer = Long.parseLong(m.group(1));
            long written = Long.parseLong(m.group(2));
            if (written > inBuffer) stats.overwritten += written - inBuffer;
            stats.headerCpus = Math.max(stats.headerCpus, Integer.parseInt(m.group(3)));
        }
    }

    private static String snippet(String text) {
        String s = text.strip();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == '\ufffd' ? '?' : c);
        }
        if (s.length() > 80) b.append("...");
        return b.toString();
    }

    // ---- bytes to lines ---------------------------------------------------------------------

    private void fill() {
        if (eof) return;
        if (pos > 0 && pos < lim) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        } else if (pos >= lim) {
            pos = 0;
            lim = 0;
        }
        while (lim < buf.length) {
            int r;
            try {
                r = in.read(buf, lim, buf.length - lim);
            } catch (IOException e) {
                // A gzip stream cut short (a download interrupted): what came before is still read.
                readError = e;
                eof = true;
                break;
            }
            if (r < 0) {
                eof = true;
                break;
            }
            lim += r;
            if (r == 0) break;
        }
    }

    /** The next line without its end ({@code \n}, {@code \r\n}), cut at {@link #MAX_LINE}; null at the end. */
    private String readLine() {
        int len = 0;
        boolean cut = false;
        for (;;) {
            if (pos >= lim) {
                if (eof) break;
                fill();
                if (pos >= lim && eof) break;
                continue;
            }
            int start = pos;
            int nl = -1;
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int n = (nl >= 0 ? nl : lim) - start;
            if (len + n > MAX_LINE) {
                n = Math.max(0, MAX_LINE - len);
                cut = true;
            }
            if (len + n > lineBuf.length) lineBuf = Arrays.copyOf(lineBuf, Math.max(len + n, lineBuf.length * 2));
            System.arraycopy(buf, start, lineBuf, len, n);
            len += n;
            pos = nl >= 0 ? nl + 1 : lim;
            if (nl >= 0) return finishLine(len, cut);
        }
        if (len == 0 && eof) return null;
        return finishLine(len, cut);
    }

    private String finishLine(int len, boolean cut) {
        stats.lines++;
        lastCut = cut;
        if (cut) stats.cutLines++;
        if (len > 0 && lineBuf[len - 1] == '\r') len--;
        return new String(lineBuf, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
