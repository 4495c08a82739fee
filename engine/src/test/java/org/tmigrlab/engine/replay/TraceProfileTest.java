package org.tmigrlab.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.engine.trace.KernelCaptures;

/** HZ, the jiffies/time alignment and the starting state, as the first pass derives them. */
class TraceProfileTest {

    @TempDir
    Path dir;

    @Test
    void capturesGiveHz250AndATickAlignedClock() {
        for (Path trace : KernelCaptures.traceFiles()) {
            TraceProfile p = TraceProfile.scan(trace);
            assertThat(p.hz()).as(trace.toString()).isEqualTo(250);
            assertThat(p.hzEstimate()).isBetween(249.0, 251.0);
            assertThat(p.phase(250)).as("nextevt is a multiple of 4 ms").isZero();
            // Jiffy J starts at J * 4 ms - D: every printed jiffies value lies at or after its start.
            long d = p.jiffyOffsetNs(250);
            assertThat(Math.floorMod(d, 4_000_000L)).isZero();
            assertThat(p.idleSource()).isEqualTo(TraceProfile.IdleSource.TMIGR);
            assertThat(p.cpus()).isEqualTo(Integer.parseInt(KernelCaptures.meta(trace).get("nproc")));
        }
    }

    @Test
    void hzFromTickAlignedTmigrTimesAlone() throws IOException {
        Path f = Files.writeString(dir.resolve("t.trace"), """
                  <idle>-0       [000] d..4.     1.000100: tmigr_cpu_idle: cpu=0 parent=ffff8ab6ddec7700 nextevt=1004000000 wakeup=9223372036854775807
                  <idle>-0       [001] d..4.     1.000200: tmigr_cpu_idle: cpu=1 parent=ffff8ab6ddec7700 nextevt=1012000000 wakeup=1016000000
                  <idle>-0       [000] dN.2.     1.000300: tmigr_cpu_active: cpu=0 parent=ffff8ab6ddec7700 wakeup=9223372036854775807
                """);
        TraceProfile p = TraceProfile.scan(f);
        assertThat(p.hzEstimate()).isNegative();
        assertThat(p.hz()).isEqualTo(250);
        assertThat(p.hzSource()).contains("tick-aligned");
        // CPU 0 and 1 leave the hierarchy first: they were in it when tracing began.
        assertThat(p.initiallyActive(0)).isTrue();
        assertThat(p.initiallyActive(1)).isTrue();
        assertThat(p.initiallyActive(2)).isNull();
    }

    @Test
    void withoutAnyClockHintHzMustBeGiven() throws IOException {
        Path f = Files.writeString(dir.resolve("t.trace"),
                "  <idle>-0       [000] d..1.     1.000100: cpu_idle: state=1 cpu_id=0\n");
        assertThat(TraceProfile.scan(f).hz()).isZero();
        assertThatThrownBy(() -> Replay.run(f, ReplayOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot tell HZ from the trace").hasMessageContaining("pass --hz");
        ReplayResult r = Replay.run(f, ReplayOptions.defaults().withHz(1000));
        assertThat(r.hz()).isEqualTo(1000);
        assertThat(r.idleSource()).isEqualTo(TraceProfile.IdleSource.CPU_IDLE);
        assertThat(r.profile().hasDecisions()).isFalse();
    }

    @Test
    void timersArmedBeforeTracingAreFound() {
        Path trace = KernelCaptures.traceFiles().stream()
                .filter(p -> KernelCaptures.baseName(p).equals("cpus4-nodes1-net")).findFirst().orElseThrow();
        TraceProfile p = TraceProfile.scan(trace);
        TraceProfile.PreCaptureTimer rcu = p.preCaptureTimers().get("ffffce504009be08");
        assertThat(rcu.fate()).isEqualTo("expired");
        assertThat(rcu.function()).isEqualTo("process_timeout");
        assertThat(rcu.bucket()).isEqualTo(4294892991L);
        assertThat(rcu.baseCpu()).isZero();
        assertThat(rcu.flags()).as("its next timer_start: a global timer").isEmpty();
        // The one CPU 2 pulled from CPU 3 at 3.545 (tmigr_handle_remote_cpu: cpu=3 just before).
        TraceProfile.PreCaptureTimer kcompactd = p.preCaptureTimers().get("ffffce50401b7e30");
        assertThat(kcompactd.expiredOn()).isEqualTo(2);
        assertThat(kcompactd.baseCpu()).isEqualTo(3);
    }
}
