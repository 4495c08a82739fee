package org.tmigrlab.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KernelTraceWriterTest {

    /** The default-format line regex suggested in reference §3.4, verbatim. */
    private static final Pattern SUGGESTED = Pattern.compile(
            "^\\s*(?<comm>.+?)-(?<pid>\\d+)\\s+(?:\\(\\s*\\d+\\)\\s+)?\\[(?<cpu>\\d+)\\]\\s+(?<flags>[\\S]+)\\s+"
                    + "(?<ts>\\d+\\.\\d+):\\s+(?<event>\\w+):\\s?(?<body>.*)$");

    private static final long KTIME_MAX = Long.MAX_VALUE;
    private static final String NULL = "0000000000000000";

    // Pointers of the real captures and the ids the tests give them.
    private static final String C16_L0_NODE0 = "ffff8b9141892a80"; // group 0
    private static final String C16_L0_NODE1 = "ffff8b91614dd480"; // group 1
    private static final String C16_L1_ROOT = "ffff8b91614dd380";  // group 2
    private static final String C4_GROUP = "ffff8ab6ddec7700";     // group 0

    // ---------------------------------------------------------------------------------------
    // Whole lines of the 6.12.95 captures, reproduced byte for byte (pointers substituted)

    @Test
    void reproducesRealLinesExactly() {
        assertLine("          <idle>-0       [003] d..1.     3.064715: cpu_idle: state=4294967295 cpu_id=3",
                w -> w.cpuIdleState(3_064_715_000L, 3, KernelTraceWriter.PWR_EVENT_EXIT));
        assertLine("          <idle>-0       [003] d..1.     3.064750: cpu_idle: state=1 cpu_id=3",
                w -> w.cpuIdleState(3_064_750_000L, 3, 1));
        assertLine("          <idle>-0       [000] d..3.     3.068491: timer_base_idle: is_idle=1 cpu=0",
                w -> w.timerBaseIdle(3_068_491_000L, 0, true));
        assertLine("          <idle>-0       [002] dN.1.     3.065982: timer_base_idle: is_idle=0 cpu=2",
                w -> w.timerBaseIdle(3_065_982_000L, 2, false));
        assertLine("          <idle>-0       [000] d.s2.     3.064795: timer_cancel: timer=ffffce504009be08",
                w -> w.timerCancel(3_064_795_000L, 0, 7), "ffffce504009be08", KernelTraceWriter.timerPointer(7));
        assertLine("          <idle>-0       [001] ..s1.     4.432443: timer_expire_entry: timer=ffff8ab6c25e8448 "
                        + "function=tcp_write_timer now=4294893334 baseclk=4294893334",
                w -> w.timerExpireEntry(4_432_443_000L, 1, 3, "tcp_write_timer", 4294893334L, 4294893334L),
                "ffff8ab6c25e8448", KernelTraceWriter.timerPointer(3));
        assertLine("          <idle>-0       [003] ..s1.     3.131863: tmigr_handle_remote: group=ffff8ab6ddec7700 lvl=0",
                w -> w.handleRemote(3_131_863_000L, 3, 0, 0), C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [002] dN.2.     3.066048: tmigr_cpu_active: cpu=2 parent=ffff8ab6ddec7700 "
                        + "wakeup=9223372036854775807",
                w -> w.cpuGroup(3_066_048_000L, 2, "tmigr_cpu_active", 2, 0, KTIME_MAX),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [002] dN.2.     3.066117: tmigr_group_set_cpu_active: group=ffff8ab6ddec7700 "
                        + "lvl=0 numa=0 active=f migrator=8 parent=0000000000000000 childmask=4",
                w -> w.groupSetCpu(3_066_117_000L, 2, true, 0, 0, 0, 0xf, 0x8, -1, 0x4),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [001] d..4.     3.312619: tmigr_group_set_cpu_inactive: group=ffff8ab6ddec7700 "
                        + "lvl=0 numa=0 active=0 migrator=ff parent=0000000000000000 childmask=2",
                w -> w.groupSetCpu(3_312_619_000L, 1, false, 0, 0, 0, 0, 0xff, -1, 0x2),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [001] d..4.     3.312680: tmigr_cpu_idle: cpu=1 parent=ffff8ab6ddec7700 "
                        + "nextevt=64760000000 wakeup=3544000000",
                w -> w.cpuIdle(3_312_680_000L, 1, "tmigr_cpu_idle", 1, 0, 64_760_000_000L, 3_544_000_000L),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [002] d..4.     3.065155: tmigr_cpu_new_timer_idle: cpu=2 parent=ffff8ab6ddec7700 "
                        + "nextevt=9223372036854775807 wakeup=9223372036854775807",
                w -> w.cpuIdle(3_065_155_000L, 2, "tmigr_cpu_new_timer_idle", 2, 0, KTIME_MAX, KTIME_MAX),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [002] d..4.     4.828472: tmigr_cpu_new_timer: cpu=2 parent=ffff8ab6ddec7700 "
                        + "wakeup=9223372036854775807",
                w -> w.cpuGroup(4_828_472_000L, 2, "tmigr_cpu_new_timer", 2, 0, KTIME_MAX),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
        assertLine("          <idle>-0       [010] d.s2.     8.600380: tmigr_handle_remote_cpu: cpu=10 parent=ffff8b91614dd480 "
                        + "wakeup=8600000000",
                w -> w.cpuGroup(8_600_380_000L, 10, "tmigr_handle_remote_cpu", 10, 1, 8_600_000_000L),
                C16_L0_NODE1, KernelTraceWriter.groupPointer(1));
        assertLine("          <idle>-0       [000] d..5.     3.068427: tmigr_update_events: child=0000000000000000 "
                        + "group=ffff8ab6ddec7700 group_lvl=0 child_active=0 group_active=e nextevt=4152000000 "
                        + "next_expiry=4152000000 child_evt_expiry=0 child_evtcpu=0",
                w -> w.updateEvents(3_068_427_000L, 0, -1, 0, 0, 0, 0xe, 4_152_000_000L, 4_152_000_000L, 0, 0),
                C4_GROUP, KernelTraceWriter.groupPointer(0));
    }

    // ---------------------------------------------------------------------------------------
    // Event bodies of the captures (context column and task differ from the simulator's)

    @Test
    void reproducesRealBodies() {
        Map<String, String> ptr = new HashMap<>(Map.of(
                C16_L0_NODE0, KernelTraceWriter.groupPointer(0),
                C16_L0_NODE1, KernelTraceWriter.groupPointer(1),
                C16_L1_ROOT, KernelTraceWriter.groupPointer(2),
                C4_GROUP, KernelTraceWriter.groupPointer(0),
                "ffffce504009be08", KernelTraceWriter.timerPointer(0),
                "ffff8ab6eedb1220", KernelTraceWriter.timerPointer(1)));

        assertBody("            init-1       [000] .....     0.958535: tmigr_group_set: group=ffff8b91614dd380 lvl=1 numa=-1",
                w -> w.groupSet(958_535_000L, 0, 2, 1, -1), ptr);
        assertBody("            init-1       [000] .....     0.958535: tmigr_connect_child_parent: group=ffff8b91614dd480 "
                        + "groupmask=2 parent=ffff8b91614dd380 lvl=1 numa=-1 num_children=2",
                w -> w.connectChildParent(958_535_000L, 0, 1, 0x2, 2, 1, -1, 2), ptr);
        assertBody("            init-1       [000] .....     0.958535: tmigr_connect_child_parent: group=ffff8b9141892a80 "
                        + "groupmask=1 parent=ffff8b91614dd380 lvl=1 numa=-1 num_children=2",
                w -> w.connectChildParent(958_535_000L, 0, 0, 0x1, 2, 1, -1, 2), ptr);
        assertBody("            init-1       [000] .....     1.006535: tmigr_connect_cpu_parent: cpu=12 groupmask=10 "
                        + "parent=ffff8b91614dd480 lvl=0 numa=1 num_children=5",
                w -> w.connectCpuParent(1_006_535_000L, 0, 12, 0x10, 1, 0, 1, 5), ptr);
        assertBody("          <idle>-0       [015] dN.2.     5.779035: tmigr_group_set_cpu_active: group=ffff8b91614dd380 "
                        + "lvl=1 numa=-1 active=3 migrator=1 parent=0000000000000000 childmask=2",
                w -> w.groupSetCpu(5_779_035_000L, 15, true, 2, 1, -1, 0x3, 0x1, -1, 0x2), ptr);
        assertBody("          <idle>-0       [015] d..4.     5.804386: tmigr_group_set_cpu_inactive: group=ffff8b91614dd480 "
                        + "lvl=0 numa=1 active=2 migrator=2 parent=ffff8b91614dd380 childmask=80",
                w -> w.groupSetCpu(5_804_386_000L, 15, false, 1, 0, 1, 0x2, 0x2, 2, 0x80), ptr);
        assertBody("          <idle>-0       [011] d..6.     6.216956: tmigr_update_events: child=ffff8b91614dd480 "
                        + "group=ffff8b91614dd380 group_lvl=1 child_active=0 group_active=1 nextevt=6648000000 "
                        + "next_expiry=6648000000 child_evt_expiry=6648000000 child_evtcpu=15",
                w -> w.updateEvents(6_216_956_000L, 11, 1, 2, 1, 0, 0x1, 6_648_000_000L, 6_648_000_000L, 6_648_000_000L, 15),
                ptr);
        assertBody("          <idle>-0       [004] ..s1.     5.800363: tmigr_handle_remote: group=ffff8b91614dd380 lvl=1",
                w -> w.handleRemote(5_800_363_000L, 4, 2, 1), ptr);
        assertBody("     rcu_preempt-18      [000] d..1.     3.070791: timer_start: timer=ffffce504009be08 "
                        + "function=process_timeout expires=4294892994 [timeout=1] bucket_expiry=4294892995 cpu=0 idx=3 flags=",
                w -> w.timerStart(3_070_791_000L, 0, 0, "process_timeout", 4294892994L, 1, 4294892995L, 0, 3, ""), ptr);
        assertBody("     kworker/3:0-40      [003] d..1.     3.070596: timer_start: timer=ffff8ab6eedb1220 "
                        + "function=delayed_work_timer_fn expires=4294893241 [timeout=248] bucket_expiry=4294893248 cpu=3 "
                        + "idx=88 flags=D|P|I",
                w -> w.timerStart(3_070_596_000L, 3, 1, "delayed_work_timer_fn", 4294893241L, 248, 4294893248L, 3, 88, "D|P|I"),
                ptr);
        // 6.12 still calls it tmigr_cpu_online; the body is the tmigr_cpugroup class's, unchanged
        String online = render(w -> w.cpuGroup(721_968_000L, 0, "tmigr_cpu_available", 0, 0, KTIME_MAX));
        assertThat(online).endsWith(" tmigr_cpu_available: cpu=0 parent=" + KernelTraceWriter.groupPointer(0)
                + " wakeup=9223372036854775807\n");
        assertThat(render(w -> w.cpuGroup(0, 0, "tmigr_cpu_unavailable", 3, 0, KTIME_MAX)))
                .contains(" tmigr_cpu_unavailable: cpu=3 parent=");
    }

    /** The boot-delay excerpt of reference §2 #2 (latency format, 32-bit hashed pointers). */
    @Test
    void reproducesTheBootDelayExcerpt() {
        Map<String, String> ptr = Map.of("aecb05cb", KernelTraceWriter.groupPointer(0), "00000000", NULL,
                "ffd09a61", KernelTraceWriter.timerPointer(1), "2f09af03", KernelTraceWriter.timerPointer(2));
        assertBodyOf("tmigr_update_events: child=00000000 group=aecb05cb group_lvl=0 child_active=0 group_active=8 "
                        + "nextevt=3103000000 next_expiry=2934000000 child_evt_expiry=0 child_evtcpu=0",
                w -> w.updateEvents(2_928_469_000L, 3, -1, 0, 0, 0, 0x8, 3_103_000_000L, 2_934_000_000L, 0, 0), ptr);
        assertBodyOf("tmigr_group_set_cpu_active: group=aecb05cb lvl=0 numa=0 active=9 migrator=8 parent=00000000 childmask=1",
                w -> w.groupSetCpu(2_928_471_000L, 0, true, 0, 0, 0, 0x9, 0x8, -1, 0x1), ptr);
        assertBodyOf("tmigr_group_set_cpu_inactive: group=aecb05cb lvl=0 numa=0 active=0 migrator=ff parent=00000000 childmask=8",
                w -> w.groupSetCpu(2_929_469_000L, 3, false, 0, 0, 0, 0, 0xff, -1, 0x8), ptr);
        assertBodyOf("tmigr_cpu_idle: cpu=3 parent=aecb05cb nextevt=9223372036854775807 wakeup=9223372036854775807",
                w -> w.cpuIdle(2_929_470_000L, 3, "tmigr_cpu_idle", 3, 0, KTIME_MAX, KTIME_MAX), ptr);
        assertBodyOf("tmigr_handle_remote_cpu: cpu=0 parent=aecb05cb wakeup=9223372036854775807",
                w -> w.cpuGroup(2_928_467_000L, 3, "tmigr_handle_remote_cpu", 0, 0, KTIME_MAX), ptr);
        assertBodyOf("tmigr_handle_remote: group=aecb05cb lvl=0", w -> w.handleRemote(2_928_466_000L, 3, 0, 0), ptr);
        assertBodyOf("timer_start: timer=ffd09a61 function=process_timeout expires=4294670230 [timeout=10] "
                        + "bucket_expiry=4294670231 cpu=1 idx=23 flags=",
                w -> w.timerStart(2_923_481_000L, 1, 1, "process_timeout", 4294670230L, 10, 4294670231L, 1, 23, ""), ptr);
        assertBodyOf("timer_expire_entry: timer=2f09af03 function=process_timeout now=4294670225 baseclk=4294670225",
                w -> w.timerExpireEntry(2_928_468_000L, 3, 2, "process_timeout", 4294670225L, 4294670225L), ptr);
        assertBodyOf("timer_cancel: timer=ffd09a61", w -> w.timerCancel(162_001_359_000L, 0, 1), ptr);
    }

    // ---------------------------------------------------------------------------------------
    // Header, grammar, formatting edges

    @Test
    void headerIsTheKernelsDefaultTraceHeader() {
        List<String> real = KernelCaptures.lines(KernelCaptures.tracesDir().resolve("cpus4-nodes1-net.trace"));
        // lines 1..12: the boot buffer's header, "entries-in-buffer/entries-written: 9/9   #P:4"
        String expected = String.join("\n", real.subList(1, 13)) + "\n";
        StringBuilder out = new StringBuilder();
        KernelTraceWriter writer = new KernelTraceWriter(out).header(4, 9, 9);
        writer.flush();
        assertThat(out.toString()).isEqualTo(expected);

        writer.cpuIdleState(0, 0, 1);
        assertThatThrownBy(() -> writer.header(4, 1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyProducedLineParsesWithTheSuggestedRegex() {
        StringWriter out = new StringWriter();
        KernelTraceWriter writer = new KernelTraceWriter(out).header(128, 0, 0);
        long t = 0;
        int events = 0;
        for (int i = 0; i < 3000; i++) {
            int cpu = i % 128;
            t += 1_234_567L * (i % 7) + 999;
            emitAll(writer, t, cpu, i);
            events += 16;
        }
        writer.cpuIdleState(123_456_789_012_345_678L, 5, 0); // secs wider than the %5 column
        events++;
        writer.flush();

        String[] lines = out.toString().split("\n");
        assertThat(writer.lines()).isEqualTo(events);
        assertThat(lines).hasSize(events + 12);
        int parsed = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SUGGESTED.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(m.group("comm")).isEqualTo("<idle>");
            assertThat(m.group("pid")).isEqualTo("0");
            assertThat(m.group("flags")).hasSize(5);
            assertThat(m.group("ts")).matches("\\d+\\.\\d{6}");
            // and the project's own parser agrees with the regex
            FtraceLine f = FtraceLine.parse(line);
            assertThat(f.event()).isEqualTo(m.group("event"));
            assertThat(f.body()).isEqualTo(m.group("body"));
            assertThat(f.cpu()).isEqualTo(Integer.parseInt(m.group("cpu")));
            parsed++;
        }
        assertThat(parsed).isEqualTo(events);
        assertThat(lines[lines.length - 1]).startsWith("          <idle>-0       [005] d..1. 123456789.012346: cpu_idle:");
    }

    @Test
    void timestampsRoundToMicrosecondsLikeNs2usecs() {
        assertThat(render(w -> w.cpuIdleState(3_064_715_499L, 3, 1))).contains("     3.064715: ");
        assertThat(render(w -> w.cpuIdleState(3_064_715_500L, 3, 1))).contains("     3.064716: ");
        assertThat(render(w -> w.cpuIdleState(0, 0, 1))).isEqualTo("          <idle>-0       [000] d..1.     0.000000: cpu_idle: state=1 cpu_id=0\n");
        assertThat(render(w -> w.cpuIdleState(100_004_008_000L, 3, 1)))
                .isEqualTo("          <idle>-0       [003] d..1.   100.004008: cpu_idle: state=1 cpu_id=3\n");
        assertThat(render(w -> w.cpuIdleState(999_999_999_600L, 112, 1))).contains(" [112] d..1.  1000.000000: ");
    }

    @Test
    void valuesPrintAsTheKernelPrintsThem() {
        // u64 above 2^63 is printed unsigned (%llu), masks as bare lowercase hex
        assertThat(render(w -> w.updateEvents(0, 0, -1, 0, 0, 0xAB, 0, -1L, KTIME_MAX, 0, 3)))
                .contains(" child_active=ab group_active=0 nextevt=18446744073709551615 next_expiry=9223372036854775807 ");
        assertThat(render(w -> w.timerStart(0, 0, 0, "f", 4294967296L + 5, -3, 4294967296L + 5, 0, 575, "M")))
                .endsWith(" expires=4294967301 [timeout=-3] bucket_expiry=4294967301 cpu=0 idx=575 flags=M\n");
        assertThat(KernelTraceWriter.groupPointer(-1)).isEqualTo(NULL);
        assertThat(KernelTraceWriter.groupPointer(0)).isEqualTo("ffff888000100000");
        assertThat(KernelTraceWriter.groupPointer(3)).isEqualTo("ffff888000100180");
        assertThat(KernelTraceWriter.timerPointer(0)).hasSize(16).isNotEqualTo(KernelTraceWriter.groupPointer(0));
        assertThatThrownBy(() -> KernelTraceWriter.groupPointer(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> render(w -> w.cpuGroup(0, 0, "tmigr_cpu_online", 0, 0, KTIME_MAX)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> render(w -> w.cpuIdle(0, 0, "tmigr_cpu_active", 0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bufferedUntilFlushAndDeterministic() {
        StringWriter a = new StringWriter();
        KernelTraceWriter wa = new KernelTraceWriter(a);
        wa.cpuIdleState(1, 1, 1);
        assertThat(a.toString()).as("small output stays buffered until flush()").isEmpty();
        for (int i = 0; i < 20_000; i++) {
            emitAll(wa, i * 1000L, i % 16, i);
        }
        assertThat(a.getBuffer().length()).as("large output is handed on in chunks").isPositive();
        wa.flush();

        StringBuilder b = new StringBuilder();
        KernelTraceWriter wb = new KernelTraceWriter(b);
        wb.cpuIdleState(1, 1, 1);
        for (int i = 0; i < 20_000; i++) {
            emitAll(wb, i * 1000L, i % 16, i);
        }
        wb.flush();
        assertThat(b.toString()).isEqualTo(a.toString());
        assertThat(b.toString().lines().count()).isEqualTo(1 + 20_000 * 16L);
    }

    // ---------------------------------------------------------------------------------------

    /** One call of every TraceSink method (16 lines). */
    private static void emitAll(KernelTraceWriter w, long t, int cpu, int i) {
        int g = i % 40;
        w.groupSet(t, cpu, g, i % 3, i % 5 - 1);
        w.connectChildParent(t, cpu, g, 1L << (i % 8), g + 1, 1, -1, 1 + i % 8);
        w.connectCpuParent(t, cpu, cpu, 1L << (cpu % 8), g, 0, 0, 1 + cpu % 8);
        w.groupSetCpu(t, cpu, (i & 1) == 0, g, 0, 0, i & 0xff, (i & 2) == 0 ? 0xff : 1, i % 3 == 0 ? -1 : g + 1, 1L << (i % 8));
        w.cpuGroup(t, cpu, "tmigr_cpu_active", cpu, g, KTIME_MAX);
        w.cpuGroup(t, cpu, "tmigr_handle_remote_cpu", (cpu + 1) % 128, g, t);
        w.cpuIdle(t, cpu, (i & 1) == 0 ? "tmigr_cpu_idle" : "tmigr_cpu_new_timer_idle", cpu, g, t + 4_000_000, KTIME_MAX);
        w.updateEvents(t, cpu, i % 2 == 0 ? -1 : g, g + 1, 1, 0, 3, t, KTIME_MAX, i % 2 == 0 ? 0 : t, cpu);
        w.handleRemote(t, cpu, g, 0);
        w.timerStart(t, cpu, i, "process_timeout", 4294892994L + i, 1 + i % 300, 4294892995L + i, cpu, i % 576,
                i % 3 == 0 ? "" : "D|P|I");
        w.timerCancel(t, cpu, i);
        w.timerExpireEntry(t, cpu, i, "tcp_write_timer", 4294893334L + i, 4294893334L + i);
        w.timerExpireExit(t, cpu, i);
        w.timerBaseIdle(t, cpu, (i & 1) == 0);
        w.cpuIdleState(t, cpu, 1);
        w.cpuIdleState(t, cpu, KernelTraceWriter.PWR_EVENT_EXIT);
    }

    private static String render(Consumer<KernelTraceWriter> feed) {
        StringBuilder out = new StringBuilder();
        KernelTraceWriter writer = new KernelTraceWriter(out);
        feed.accept(writer);
        writer.flush();
        return out.toString();
    }

    /** The produced line equals {@code real} after substituting pointer pairs (real, ours). */
    private static void assertLine(String real, Consumer<KernelTraceWriter> feed, String... pointerPairs) {
        String expected = real;
        for (int i = 0; i < pointerPairs.length; i += 2) {
            expected = expected.replace(pointerPairs[i], pointerPairs[i + 1]);
        }
        assertThat(render(feed)).isEqualTo(expected + "\n");
    }

    /** The produced event and body equal those of the real default-format {@code line}. */
    private static void assertBody(String realLine, Consumer<KernelTraceWriter> feed, Map<String, String> pointers) {
        Matcher real = SUGGESTED.matcher(realLine);
        assertThat(real.matches()).as(realLine).isTrue();
        assertBodyOf(real.group("event") + ": " + real.group("body"), feed, pointers);
    }

    /** {@code eventAndBody} is {@code "event: body"} as printed by the kernel. */
    private static void assertBodyOf(String eventAndBody, Consumer<KernelTraceWriter> feed, Map<String, String> pointers) {
        String produced = render(feed);
        Matcher m = SUGGESTED.matcher(produced.stripTrailing());
        assertThat(m.matches()).as(produced).isTrue();
        assertThat(m.group("event") + ": " + m.group("body")).isEqualTo(substitutePointers(eventAndBody, pointers));
    }

    /** Replaces whole {@code key=value} values that are real pointers (so numbers are never touched). */
    private static String substitutePointers(String eventAndBody, Map<String, String> pointers) {
        StringBuilder sb = new StringBuilder();
        for (String token : eventAndBody.split(" ", -1)) {
            int eq = token.indexOf('=');
            if (eq > 0 && pointers.containsKey(token.substring(eq + 1))) {
                token = token.substring(0, eq + 1) + pointers.get(token.substring(eq + 1));
            }
            sb.append(sb.length() == 0 ? "" : " ").append(token);
        }
        return sb.toString();
    }
}
