package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.engine.trace.KernelCaptures;

/**
 * The 4-CPU capture rewritten in the other layouts real captures use (reference §3.4) replays to
 * the same figures: trace-cmd report with its {@code (tgid)} column and 4-character context,
 * {@code ftrace_dump()} latency format behind printk times, hashed pointers, no context column,
 * pre-6.8 lines without {@code bucket_expiry}/{@code baseclk}, CRLF, gzip; and lost events are
 * counted and taken as unknown input.
 */
class ReplayFormatsTest {

    private static final Pattern EVENT = Pattern.compile(
            "^(\\s*)(.+?)-(\\d+)(\\s+)\\[(\\d+)]\\s+(\\S+)\\s+(\\d+)\\.(\\d+):\\s+(\\w+):\\s?(.*)$");
    private static final Pattern POINTER = Pattern.compile("\\b(timer|group|parent|child)=([0-9a-f]{16})");

    @TempDir
    static Path dir;

    private static List<String> lines;
    private static ReplayResult original;

    @BeforeAll
    static void load() {
        Path trace = KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals("cpus4-nodes1-net")).findFirst().orElseThrow();
        lines = KernelCaptures.lines(trace);
        original = Replay.run(trace, ReplayOptions.defaults());
    }

    private static Path write(String name, UnaryOperator<String> eventLine) throws IOException {
        Path f = dir.resolve(name);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = EVENT.matcher(l);
            out.add(m.matches() ? eventLine.apply(l) : l);
        }
        Files.write(f, out, StandardCharsets.UTF_8);
        return f;
    }

    private static Matcher event(String l) {
        Matcher m = EVENT.matcher(l);
        if (!m.matches()) throw new IllegalStateException(l);
        return m;
    }

    private static void sameFigures(ReplayResult r) {
        assertThat(r.profile().stats().unparsed()).isZero();
        assertThat(r.machine().possibleCpus()).isEqualTo(4);
        assertThat(r.hz()).isEqualTo(250);
        assertThat(r.tree().equal()).isTrue();
        assertThat(r.fidelity().timers().agreements()).isEqualTo(original.fidelity().timers().agreements());
        assertThat(r.fidelity().timers().decisions()).isEqualTo(original.fidelity().timers().decisions());
        assertThat(r.fidelity().idle().agreements()).isEqualTo(original.fidelity().idle().agreements());
        assertThat(r.fidelity().idle().decisions()).isEqualTo(original.fidelity().idle().decisions());
    }

    @Test
    void traceCmdReport() throws IOException {
        Path f = write("tracecmd.txt", l -> {
            Matcher m = event(l);
            return m.group(2) + "-" + m.group(3) + " (" + m.group(3) + ") [" + m.group(5) + "] " + m.group(6).substring(0, 4) + " "
                    + m.group(7) + "." + m.group(8) + ": " + m.group(9) + ": " + m.group(10);
        });
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    @Test
    void latencyFormatBehindPrintkTimes() throws IOException {
        Path f = write("latency.txt", l -> {
            Matcher m = event(l);
            long us = Long.parseLong(m.group(7)) * 1_000_000 + Long.parseLong(m.group(8));
            return String.format("[%5d.%06d] %16s-%-6s %d%s %dus : %s: %s", us / 1_000_000 + 100, us % 1_000_000, m.group(2),
                    m.group(3), Integer.parseInt(m.group(5)), m.group(6), us, m.group(9), m.group(10));
        });
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    @Test
    void hashedPointers() throws IOException {
        Path f = write("hashed.txt", l -> {
            Matcher m = POINTER.matcher(l);
            StringBuilder b = new StringBuilder();
            while (m.find()) m.appendReplacement(b, m.group(1) + "=" + hash(m.group(2)));
            m.appendTail(b);
            return b.toString();
        });
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    private static String hash(String ptr) {
        if (ptr.equals("0000000000000000")) return ptr;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(ptr.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutContextColumn() throws IOException {
        Path f = write("noflags.txt", l -> l.replaceFirst("\\] \\S{5}\\s+", "]   "));
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    @Test
    void oldFormatsWithoutBucketExpiryAndBaseclk() throws IOException {
        Path f = write("old.txt", l -> l.replaceAll(" bucket_expiry=\\d+", "").replaceAll(" baseclk=\\d+", ""));
        ReplayResult r = Replay.run(f, ReplayOptions.defaults());
        sameFigures(r);
        assertThat(r.profile().bucketExpiryPrinted()).isFalse();
        assertThat(r.fidelity().bucketChecked()).isZero();
    }

    @Test
    void crlfAndGzip() throws IOException {
        Path f = dir.resolve("crlf.trace.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (String l : lines) out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        Path f = dir.resolve("capture.txt");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (String l : lines) out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        sameFigures(Replay.run(f, ReplayOptions.defaults()));
    }

    @Test
    void withoutTheBootBufferTheRunTimeLinesGiveNodesAndTree() throws IOException {
        // Users' own captures rarely hold the boot-time tmigr_connect_* lines.
        Path trace = KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals("cpus16-nodes2-net")).findFirst().orElseThrow();
        List<String> all = KernelCaptures.lines(trace);
        int start = 0;
        while (!all.get(start).contains("workload instance buffer")) start++;
        Path f = dir.resolve("workload-only.txt");
        Files.write(f, all.subList(start, all.size()), StandardCharsets.UTF_8);
        ReplayResult r = Replay.run(f, ReplayOptions.defaults());
        ReplayResult whole = Replay.run(trace, ReplayOptions.defaults());
        assertThat(r.machine()).isEqualTo(whole.machine());
        assertThat(r.machineSource()).isEqualTo("nodes from the run-time tmigr lines");
        assertThat(r.tree().present()).isTrue();
        assertThat(r.tree().equal()).isTrue();
        assertThat(r.tree().kernelSummary()).startsWith("16 CPUs in 2 level-0 groups seen in run-time lines");
        assertThat(r.fidelity().timers().agreements()).isEqualTo(whole.fidelity().timers().agreements());
        assertThat(r.fidelity().idle().agreements()).isEqualTo(whole.fidelity().idle().agreements());
    }

    @Test
    void lostEventsAreCountedAndTakenAsUnknownInput() throws IOException {
        // Drop 200 lines of CPU 2 from the middle and say so, as ftrace does.
        List<String> out = new ArrayList<>();
        int dropped = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (i == 6000) out.add("CPU:2 [LOST 200 EVENTS]");
            if (i >= 6000 && dropped < 200 && l.contains("[002]")) {
                dropped++;
                continue;
            }
            out.add(l);
        }
        Path f = dir.resolve("lost.txt");
        Files.write(f, out, StandardCharsets.UTF_8);
        ReplayResult r = Replay.run(f, ReplayOptions.defaults());
        assertThat(r.profile().stats().lostMarkers()).isEqualTo(1);
        assertThat(r.profile().stats().lostEvents()).isEqualTo(200);
        assertThat(r.profile().stats().lostSamples()).singleElement().asString().startsWith("line 6001:");
        assertThat(r.fidelity().timers().percentKnownInputs()).isGreaterThanOrEqualTo(95.0);
        assertThat(ReplayReport.table(r)).contains("1 lost-event markers (200 events)");
    }

    @Test
    void garbageAndTruncatedLinesInsideATraceAreCountedNotFatal() throws IOException {
        List<String> out = new ArrayList<>(lines);
        out.add(3000, "this line is not a trace event");
        out.add(5000, "          <idle>-0       [002] d..1.     4.0");
        out.add(7000, "          <idle>-0       [001] d..4.     6.000001: tmigr_cpu_idle: cpu=1 parent=ffff8ab6ddec7700");
        out.add(out.size(), "          <idle>-0       [000] d..1.    15.2");
        Path f = dir.resolve("garbage.txt");
        Files.write(f, out, StandardCharsets.UTF_8);
        ReplayResult r = Replay.run(f, ReplayOptions.defaults());
        TraceReader.Stats s = r.profile().stats();
        assertThat(s.unparsed()).isEqualTo(3);
        assertThat(s.unparsedSamples()).containsExactly("line 3001: this line is not a trace event",
                "line 5001: <idle>-0       [002] d..1.     4.0", "line " + out.size() + ": <idle>-0       [000] d..1.    15.2");
        // The tmigr_cpu_idle without nextevt/wakeup is an event with fields missing: skipped and listed.
        assertThat(r.profile().malformedLines() + r.skippedLines()).isEqualTo(1);
        assertThat(ReplayReport.table(r)).contains("line 7001: tmigr_cpu_idle");
        assertThat(r.fidelity().timers().percent()).isGreaterThanOrEqualTo(95.0);
    }
}
