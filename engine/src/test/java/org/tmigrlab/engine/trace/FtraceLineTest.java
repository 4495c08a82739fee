package org.tmigrlab.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.trace.FtraceLine.Format;

class FtraceLineTest {

    private static final Pattern ENTRIES = Pattern.compile("^# entries-in-buffer/entries-written: (\\d+)/(\\d+)\\s+#P:(\\d+)");

    @Test
    void everyLineOfTheRealCapturesParses() throws IOException {
        for (Path trace : KernelCaptures.traceFiles()) {
            List<String> lines = KernelCaptures.lines(trace);
            List<Map<String, Integer>> sections = new ArrayList<>();
            List<Long> declared = new ArrayList<>();
            int nrCpus = 0;
            Map<String, Integer> counts = null;
            int events = 0;
            for (String line : lines) {
                Matcher header = ENTRIES.matcher(line);
                if (header.find()) {
                    // each buffer dump starts its own header; count its events separately
                    counts = new TreeMap<>();
                    sections.add(counts);
                    declared.add(Long.parseLong(header.group(1)));
                    assertThat(header.group(1)).as("no events lost").isEqualTo(header.group(2));
                    nrCpus = Integer.parseInt(header.group(3));
                    continue;
                }
                if (FtraceLine.isComment(line)) {
                    continue;
                }
                assertThat(FtraceLine.lostEvents(line)).as(line).isEqualTo(-1);
                FtraceLine parsed = FtraceLine.tryParse(line);
                assertThat(parsed).as("unparsed line in %s: %s", trace.getFileName(), line).isNotNull();
                assertThat(parsed.format()).isEqualTo(Format.DEFAULT);
                assertThat(parsed.cpu()).isBetween(0, nrCpus - 1);
                assertThat(parsed.flags()).hasSize(5);
                assertThat(parsed.fields()).isNotEmpty();
                if (parsed.event().equals("timer_start")) {
                    assertThat(parsed.fields()).containsKeys("timer", "function", "expires", "timeout", "bucket_expiry",
                            "cpu", "idx", "flags");
                    assertThat(parsed.decimal("expires") - parsed.decimal("timeout")).isPositive();
                }
                assertThat(counts).as("event before any header").isNotNull();
                counts.merge(parsed.event(), 1, Integer::sum);
                events++;
            }
            System.out.printf("%s: %d event lines%n", trace.getFileName(), events);
            for (int s = 0; s < sections.size(); s++) {
                Map<String, Integer> section = sections.get(s);
                System.out.printf("  buffer %d (%d entries): %s%n", s, declared.get(s), section);
                assertThat(section.values().stream().mapToLong(Integer::longValue).sum())
                        .as("entries-in-buffer of buffer %d", s).isEqualTo(declared.get(s));
            }
            // the workload buffer (the last one) is what the .summary.json counted
            Path summary = KernelCaptures.summaryJson(trace);
            assertThat(summary).isNotNull();
            JsonNode expected = new ObjectMapper().readTree(summary.toFile()).get("events");
            Map<String, Integer> workload = sections.get(sections.size() - 1);
            Map<String, Integer> expectedCounts = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                expectedCounts.put(e.getKey(), e.getValue().asInt());
            }
            assertThat(workload).isEqualTo(expectedCounts);
        }
    }

    @Test
    void defaultFormat() {
        FtraceLine line = FtraceLine.parse("          <idle>-0       [001] ..s1.   100.004008: timer_expire_entry: "
                + "timer=0000000049d1e620 function=tcp_write_timer now=4311720608 baseclk=4311720608");
        assertThat(line.comm()).isEqualTo("<idle>");
        assertThat(line.pid()).isZero();
        assertThat(line.cpu()).isEqualTo(1);
        assertThat(line.flags()).isEqualTo("..s1.");
        assertThat(line.timestampNs()).isEqualTo(100_004_008_000L);
        assertThat(line.event()).isEqualTo("timer_expire_entry");
        assertThat(line.fields()).containsExactly(Map.entry("timer", "0000000049d1e620"),
                Map.entry("function", "tcp_write_timer"), Map.entry("now", "4311720608"), Map.entry("baseclk", "4311720608"));
        assertThat(line.hex("timer")).isEqualTo(0x49d1e620L);
        assertThat(line.decimal("now")).isEqualTo(4311720608L);
        assertThat(line.format()).isEqualTo(Format.DEFAULT);
    }

    @Test
    void timerStartFields() {
        FtraceLine line = FtraceLine.parse("     kworker/3:0-40      [003] d..1.     3.070596: timer_start: "
                + "timer=ffff8ab6eedb1220 function=delayed_work_timer_fn expires=4294893241 [timeout=248] "
                + "bucket_expiry=4294893248 cpu=3 idx=88 flags=D|P|I");
        assertThat(line.comm()).isEqualTo("kworker/3:0");
        assertThat(line.pid()).isEqualTo(40);
        assertThat(line.decimal("timeout")).isEqualTo(248);
        assertThat(line.field("flags")).isEqualTo("D|P|I");
        assertThat(line.hex("timer")).isEqualTo(0xffff8ab6eedb1220L);

        FtraceLine noFlags = FtraceLine.parse("     rcu_preempt-18      [000] d..1.     3.070791: timer_start: "
                + "timer=ffffce504009be08 function=process_timeout expires=4294892994 [timeout=-2] bucket_expiry=4294892995 "
                + "cpu=0 idx=3 flags=");
        assertThat(noFlags.field("flags")).isEmpty();
        assertThat(noFlags.decimal("timeout")).isEqualTo(-2);
    }

    @Test
    void tmigrValues() {
        FtraceLine line = FtraceLine.parse("          <idle>-0       [011] d..4.     6.216947: tmigr_group_set_cpu_inactive: "
                + "group=ffff8b91614dd380 lvl=1 numa=-1 active=1 migrator=ff parent=0000000000000000 childmask=2");
        assertThat(line.decimal("numa")).isEqualTo(-1);
        assertThat(line.hex("migrator")).isEqualTo(0xff);
        assertThat(line.hex("parent")).isZero();
        FtraceLine idle = FtraceLine.parse("          <idle>-0       [001] d..4.     3.312680: tmigr_cpu_idle: cpu=1 "
                + "parent=ffff8ab6ddec7700 nextevt=18446744073709551615 wakeup=9223372036854775807");
        assertThat(idle.decimal("wakeup")).isEqualTo(Long.MAX_VALUE);
        assertThat(idle.decimal("nextevt")).isEqualTo(-1L); // u64 max wraps like the kernel's u64
        assertThatThrownBy(() -> idle.decimal("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contextColumnVariants() {
        assertThat(FtraceLine.parse("  bash-1977  [001] d...   123.456789: timer_cancel: timer=ffff0001").flags()).isEqualTo("d...");
        assertThat(FtraceLine.parse("  bash-1977  [001] d...2..   123.456789: timer_cancel: timer=ffff0001").flags())
                .isEqualTo("d...2..");
        FtraceLine none = FtraceLine.parse("  bash-1977  [001]   123.456789: timer_cancel: timer=ffff0001");
        assertThat(none.flags()).isEmpty();
        assertThat(none.timestampNs()).isEqualTo(123_456_789_000L);
        assertThat(FtraceLine.parse("  bash-1977  [001] ....   5.123456789: timer_cancel: timer=ffff0001").timestampNs())
                .isEqualTo(5_123_456_789L);
    }

    @Test
    void traceCmdFormat() {
        FtraceLine line = FtraceLine.parse("kworker/3:2-27891 (27891) [003] d... 240338.934671: timer_start: "
                + "timer=00000000d643debd function=delayed_work_timer_fn expires=4535008893 [timeout=1981] cpu=3 idx=186 flags=I");
        assertThat(line.format()).isEqualTo(Format.TRACE_CMD);
        assertThat(line.comm()).isEqualTo("kworker/3:2");
        assertThat(line.pid()).isEqualTo(27891);
        assertThat(line.cpu()).isEqualTo(3);
        assertThat(line.timestampNs()).isEqualTo(240_338_934_671_000L);
        assertThat(line.field("bucket_expiry")).as("pre-6.8 timer_start").isNull();
        assertThat(line.decimal("idx")).isEqualTo(186);
    }

    @Test
    void latencyFormatOfTheBootDelayExcerpt() {
        FtraceLine line = FtraceLine.parse("[  236.326526]   <idle>-0         3d.s.. 2928467us : tmigr_handle_remote_cpu: "
                + "cpu=0 parent=aecb05cb wakeup=9223372036854775807");
        assertThat(line.format()).isEqualTo(Format.LATENCY);
        assertThat(line.comm()).isEqualTo("<idle>");
        assertThat(line.cpu()).isEqualTo(3);
        assertThat(line.flags()).isEqualTo("d.s..");
        assertThat(line.timestampNs()).isEqualTo(2_928_467_000L);
        assertThat(line.decimal("cpu")).isZero();

        FtraceLine truncated = FtraceLine.parse("[  236.112089] kworker/-1198      1d.... 2923481us : timer_start: "
                + "timer=ffd09a61 function=process_timeout expires=4294670230 [timeout=10] bucket_expiry=4294670231 cpu=1 idx=23 flags=");
        assertThat(truncated.comm()).isEqualTo("kworker/");
        assertThat(truncated.pid()).isEqualTo(1198);
        assertThat(truncated.cpu()).isEqualTo(1);
        assertThat(truncated.flags()).isEqualTo("d....");
        assertThat(truncated.decimal("timeout")).isEqualTo(10);

        FtraceLine bare = FtraceLine.parse("  <idle>-0         0d.s.. 162001359us : timer_cancel: timer=8c725d84");
        assertThat(bare.cpu()).isZero();
        assertThat(bare.timestampNs()).isEqualTo(162_001_359_000L);
        assertThat(FtraceLine.parse("  <idle>-0         0d.s.. 162001359us+: timer_cancel: timer=8c725d84").event())
                .isEqualTo("timer_cancel");
    }

    @Test
    void commWithDashesAndSpaces() {
        FtraceLine dashes = FtraceLine.parse("  kworker/u16:2-events-1234    [001] d..1.     5.000001: timer_cancel: timer=ffff0001");
        assertThat(dashes.comm()).isEqualTo("kworker/u16:2-events");
        assertThat(dashes.pid()).isEqualTo(1234);
        FtraceLine spaces = FtraceLine.parse("     Web Content-4242    [002] d..1.     5.000001: timer_cancel: timer=ffff0001");
        assertThat(spaces.comm()).isEqualTo("Web Content");
        assertThat(spaces.pid()).isEqualTo(4242);
    }

    @Test
    void nonEventLines() {
        assertThat(FtraceLine.tryParse("# tracer: nop")).isNull();
        assertThat(FtraceLine.tryParse("   ")).isNull();
        assertThat(FtraceLine.isComment("#              | |         |   |||||     |         |")).isTrue();
        assertThat(FtraceLine.isComment("          <idle>-0       [001] ..s1.")).isFalse();
        assertThat(FtraceLine.lostEvents("CPU:1 [LOST 3 EVENTS]")).isEqualTo(3);
        assertThat(FtraceLine.tryParse("CPU:1 [LOST 3 EVENTS]")).isNull();
        assertThatThrownBy(() -> FtraceLine.parse("garbage")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage");
    }
}
