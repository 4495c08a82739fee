package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is and is not a trace; what is counted instead of failing. */
class TraceReaderTest {

    private static final String HEADER = """
            # tracer: nop
            #
            # entries-in-buffer/entries-written: 3/5   #P:4
            #
            """;
    private static final String EV1 = "          <idle>-0       [001] d..1.     3.068669: cpu_idle: state=4294967295 cpu_id=1";
    private static final String EV2 = "     rcu_preempt-18      [000] d..1.     3.070791: timer_start: timer=ffffce504009be08 "
            + "function=process_timeout expires=4294892994 [timeout=1] bucket_expiry=4294892995 cpu=0 idx=3 flags=";
    private static final String EV3 = "          <idle>-0       [000] d.s2.     3.064795: timer_cancel: timer=ffffce504009be08";

    @TempDir
    Path dir;

    private static List<TraceReader.Line> readAll(TraceReader r) {
        List<TraceReader.Line> out = new ArrayList<>();
        for (TraceReader.Line l = r.next(); l != null; l = r.next()) out.add(l);
        return out;
    }

    private static TraceReader of(String text) {
        return TraceReader.of("t.trace", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static TraceReader of(byte[] bytes) {
        return TraceReader.of("t.trace", new ByteArrayInputStream(bytes));
    }

    @Test
    void headerGivesCpusAndOverwrittenEvents() {
        TraceReader r = of(HEADER + EV1 + "\n" + EV2 + "\n" + EV3 + "\n");
        List<TraceReader.Line> lines = readAll(r);
        assertThat(lines).extracting(TraceReader.Line::number).containsExactly(5L, 6L, 7L);
        assertThat(r.stats().headerCpus()).isEqualTo(4);
        assertThat(r.stats().overwritten()).isEqualTo(2);
        assertThat(r.stats().sections()).isEqualTo(1);
        assertThat(r.stats().comments()).isEqualTo(4);
    }

    @Test
    void emptyFileIsAnError() {
        assertThatThrownBy(() -> of(""))
                .isInstanceOf(TraceFormatException.class).hasMessage("t.trace: file is empty");
        assertThatThrownBy(() -> readAll(of("\n  \n\n")))
                .isInstanceOf(TraceFormatException.class).hasMessage("t.trace: file is empty (blank lines only)");
    }

    @Test
    void binaryFileIsAnErrorWithItsLine() {
        byte[] bytes = "# tracer: nop\nabc\n\0\1\2\3".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> of(bytes)).isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("t.trace: line 3: binary data (NUL byte at offset 18)");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        assertThatThrownBy(() -> of(noise)).isInstanceOf(TraceFormatException.class).hasMessageContaining("binary data");
        byte[] traceDat = Arrays.copyOf("\u0017\u0008\u0044tracing6\0\0\0".getBytes(StandardCharsets.ISO_8859_1), 64);
        assertThatThrownBy(() -> of(traceDat)).isInstanceOf(TraceFormatException.class).hasMessageContaining("trace-cmd report");
    }

    @Test
    void textThatIsNoTraceIsAnErrorNamingItsFirstLine() {
        assertThatThrownBy(() -> readAll(of("Dear reader,\nthis is a letter.\n")))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("t.trace: line 1: not ftrace text: no line is a trace event (first line: 'Dear reader,')");
        StringBuilder prose = new StringBuilder("\n");
        for (int i = 0; i < 1000; i++) prose.append("word ").append(i).append('\n');
        // A long file of prose is given up on after PROBE_LINES lines, not read to the end.
        TraceReader r = of(prose.toString());
        assertThatThrownBy(() -> readAll(r)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("line 2: not ftrace text: none of the first 200 lines");
        assertThat(r.stats().lines()).isEqualTo(201);
    }

    @Test
    void headerWithoutEventsIsAnError() {
        assertThatThrownBy(() -> readAll(of(HEADER))).isInstanceOf(TraceFormatException.class)
                .hasMessage("t.trace: no trace events (4 lines of headers and comments only)");
        assertThatThrownBy(() -> readAll(of(HEADER + "garbage\n"))).isInstanceOf(TraceFormatException.class)
                .hasMessage("t.trace: line 5: no trace events: 1 lines not understood (this one: 'garbage')");
    }

    @Test
    void garbageAndTruncatedLinesAreCountedWithTheirNumbers() {
        TraceReader r = of(HEADER + EV1 + "\nnoise here\n" + EV2 + "\n" + EV3.substring(0, 40) + "\n" + EV3 + "\n"
                + "x".repeat(TraceReader.MAX_LINE + 10) + "\n" + EV1.substring(0, 50));
        List<TraceReader.Line> lines = readAll(r);
        assertThat(lines).hasSize(3);
        assertThat(r.stats().unparsed()).isEqualTo(4);
        assertThat(r.stats().cutLines()).isEqualTo(1);
        assertThat(r.stats().unparsedSamples()).hasSize(4);
        assertThat(r.stats().unparsedSamples().get(0)).isEqualTo("line 6: noise here");
        assertThat(r.stats().unparsedSamples().get(1)).startsWith("line 8: <idle>-0");
        assertThat(r.stats().unparsedSamples().get(2)).startsWith("line 10: xxxx").endsWith("...");
        assertThat(r.stats().unparsedSamples().get(3)).startsWith("line 11: <idle>-0");
    }

    @Test
    void lostEventMarkersAndTraceCmdMetadata() {
        TraceReader r = of("version = 6\ncpus=8\nCPU 3 is empty\n" + EV1 + "\nCPU:1 [LOST 3 EVENTS]\n" + EV2
                + "\nCPU:2 [LOST EVENTS]\n" + EV3 + "\n");
        assertThat(readAll(r)).hasSize(3);
        assertThat(r.stats().metadata()).isEqualTo(3);
        assertThat(r.stats().headerCpus()).isEqualTo(8);
        assertThat(r.stats().lostMarkers()).isEqualTo(2);
        assertThat(r.stats().lostEvents()).isEqualTo(3);
        assertThat(r.stats().lostSamples()).containsExactly("line 5: CPU:1 [LOST 3 EVENTS]", "line 7: CPU:2 [LOST EVENTS]");
        assertThat(r.stats().unparsed()).isZero();
    }

    @Test
    void gzipTruncatedMidwayKeepsWhatWasRead() throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (int i = 0; i < 20_000; i++) text.append(EV1).append('\n');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        TraceReader r = of(Arrays.copyOf(whole, whole.length * 2 / 3));
        List<TraceReader.Line> lines = readAll(r);
        assertThat(lines.size()).isBetween(1_000, 19_999);
        assertThat(r.stats().truncatedInput()).startsWith("input ends early after line ").contains("gzip");
        // Cut so early that nothing can be read: an error.
        assertThatThrownBy(() -> readAll(of(Arrays.copyOf(whole, 12)))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("gzip");
    }

    @Test
    void needReschedReadsTheContextColumnOfEveryLayout() {
        assertThat(org.tmigrlab.engine.trace.FtraceLine.parse("  <idle>-0  [000] dN.1.  3.0: cpu_idle: state=4294967295 cpu_id=0")
                .needResched()).isTrue();
        assertThat(org.tmigrlab.engine.trace.FtraceLine.parse("  <idle>-0  [000] d..1.  3.0: cpu_idle: state=4294967295 cpu_id=0")
                .needResched()).isFalse();
        assertThat(org.tmigrlab.engine.trace.FtraceLine.parse("  <idle>-0  [000] .n..  3.0: cpu_idle: state=4294967295 cpu_id=0")
                .needResched()).as("TIF_NEED_RESCHED only, 4-character column").isTrue();
        assertThat(org.tmigrlab.engine.trace.FtraceLine.parse("  <idle>-0         0dN.1. 3000us : cpu_idle: state=4294967295 cpu_id=0")
                .needResched()).as("latency format").isTrue();
        assertThat(org.tmigrlab.engine.trace.FtraceLine.parse("  <idle>-0  [000]  3.0: cpu_idle: state=4294967295 cpu_id=0")
                .needResched()).as("no context column").isFalse();
    }

    @Test
    void filesThatCannotBeReadAreNamed() throws IOException {
        assertThatThrownBy(() -> TraceReader.open(dir.resolve("nope.trace"))).isInstanceOf(TraceFormatException.class)
                .hasMessage(dir.resolve("nope.trace") + ": no such file");
        assertThatThrownBy(() -> TraceReader.open(dir)).isInstanceOf(TraceFormatException.class)
                .hasMessage(dir + ": is a directory, not a trace file");
        Path f = Files.writeString(dir.resolve("one.trace"), EV1 + "\n");
        try (TraceReader r = TraceReader.open(f)) {
            assertThat(readAll(r)).hasSize(1);
        }
    }
}
