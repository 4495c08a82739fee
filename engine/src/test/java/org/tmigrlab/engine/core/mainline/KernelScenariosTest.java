package org.tmigrlab.engine.core.mainline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.engine.Runs.MS;
import static org.tmigrlab.engine.Runs.invariants;
import static org.tmigrlab.engine.Runs.run;
import static org.tmigrlab.engine.Runs.simulator;
import static org.tmigrlab.engine.Runs.timer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.sim.TimerRecord;

/**
 * The scenarios of the kernel's own documentation and bug-fix history (reference notes §1.15 and
 * §2), with the CPU counts given there. Each asserts which CPU ran which timer and when, or how
 * many wake-ups it cost; with the matching bug switch on, the documented failure must show.
 *
 * <p>HZ is 1000 throughout, so a jiffy is 1 ms. A timer armed {@code in: 10ms} at t = 1 ms has
 * {@code expires} = 11 and, like every level-0 timer, {@code bucket_expiry} = expires + 1 = 12
 * ({@code calc_index()} rounds up so a timer never fires early): it runs at 12 ms.
 */
class KernelScenariosTest {

    /** Doc diagrams: 4 CPUs, 2 per group: GRP1:0 { GRP0:0 {0,1}, GRP0:1 {2,3} }. */
    private static final String DOC_TREE = """
            machine: {cpus: 4}
            hierarchy: {childrenPerGroup: 2}
            """;

    @Nested
    @DisplayName("doc B: new event vs. last CPU going inactive")
    class DocB {
        private static final String SCRIPT = DOC_TREE + """
                until: 50ms
                script:
                  - {at: 1ms, cpu: 2, op: busy}
                  - {at: 2ms, cpu: 2, op: idle}     # steps 1-3: CPU2, the last active CPU, goes idle without a timer
                  - {at: 3ms, cpu: 0, op: arm, timer: TIMER0, in: 10ms}   # step 4: idle CPU0 queues TIMER0 from an interrupt
                """;

        @Test
        void idleCpuQueuingTheOnlyTimerGetsItBackAsWakeup() {
            Simulator sim = simulator(SCRIPT);
            sim.runUntil(3 * MS);
            MainlineModel m = (MainlineModel) sim.model();
            // The top group is idle, so CPU0 itself must wake for TIMER0 (expires 13, bucket 14).
            assertThat(m.cpuWakeup(0)).isEqualTo(14 * MS);
            assertThat(sim.cpuNextInterrupt(0)).isEqualTo(14 * MS);
            RunResult r = sim.run();
            TimerRecord t = timer(r, "TIMER0");
            assertThat(t.firedAt()).isEqualTo(14 * MS);
            assertThat(t.firedOn()).isEqualTo(0);
            assertThat(r.cpus().get(0).wakeups()).isEqualTo(1);
            assertThat(r.violations()).isEmpty();
        }
    }

    @Nested
    @DisplayName("doc C: event and timerqueue update after a remote expiry")
    class DocC {
        private static final String SCRIPT = DOC_TREE + """
                until: 50ms
                script:
                  - {at: 1ms, cpu: 2, op: busy}     # CPU2 is the only active CPU: migrator of GRP0:1 and GRP1:0
                  - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                  - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 10ms}   # same expiry as T0
                """;

        @Test
        void bothTimersExpireInTheSamePassOnTheMigrator() {
            RunResult r = run(SCRIPT);
            for (String name : new String[] {"T0", "T1"}) {
                TimerRecord t = timer(r, name);
                assertThat(t.firedAt()).as(name).isEqualTo(12 * MS);
                assertThat(t.firedOn()).as(name).isEqualTo(2);
                assertThat(t.remote()).as(name).isTrue();
            }
            // Nobody idle had to wake: the busy CPU did all the work.
            assertThat(r.cpus()).allSatisfy(c -> assertThat(c.wakeups()).isZero());
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void afterTheRemoteExpiryGroupEventPointsAtCpu1() {
            Simulator sim = simulator(DOC_TREE + """
                    until: 50ms
                    script:
                      - {at: 1ms, cpu: 2, op: busy}
                      - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                      - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 20ms}
                    """);
            sim.runUntil(12 * MS);
            MainlineModel m = (MainlineModel) sim.model();
            // Re-walk from CPU0's view: GRP0:0's first event is now CPU1's, and GRP1:0 knows it.
            int grp00 = m.cpuGroup(0);
            int evt = m.possibleCpus() + grp00;
            assertThat(m.eventCpu(evt)).isEqualTo(1);
            assertThat(m.eventExpires(evt)).isEqualTo(22 * MS);
            assertThat(m.nextExpiry(m.parent(grp00))).isEqualTo(22 * MS);
            RunResult r = sim.run();
            assertThat(timer(r, "T1").firedAt()).isEqualTo(22 * MS);
            assertThat(timer(r, "T1").firedOn()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("#1 quick check reporting late expiry")
    class QuickCheck {
        private static String script(String bugs) {
            return DOC_TREE + bugs + """
                    until: 60ms
                    script:
                      - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 20ms}
                      - {at: 1ms, cpu: 2, op: arm, timer: T2, in: 30ms}
                      - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                      - {at: 2ms, cpu: 0, op: busy}    # its events become ignored
                      - {at: 13ms, cpu: 0, op: idle}   # T0 ran at 12 ms; no global timer left on CPU0
                    """;
        }

        @Test
        void forecastIsTheMinimumOverLevels() {
            Simulator sim = simulator(script(""));
            sim.runUntil(13 * MS);
            assertThat(sim.lastForecast(0)).isEqualTo(22 * MS); // T1, not T2
            RunResult r = sim.run();
            assertThat(r.violations()).isEmpty();
            assertThat(timer(r, "T1").firedAt()).isEqualTo(22 * MS);
            assertThat(timer(r, "T2").firedAt()).isEqualTo(32 * MS);
        }

        @Test
        void withTheBugTheForecastIsTheTopLevelsOnly() {
            Simulator sim = simulator(script("bugs: [quick-check-top-only]\n"));
            sim.runUntil(13 * MS);
            assertThat(sim.lastForecast(0)).isEqualTo(32 * MS); // T2: too late, deeper C-state
            RunResult r = sim.run();
            assertThat(invariants(r)).containsExactly("quick-check");
            // A forecast only: the timers themselves are still on time.
            assertThat(timer(r, "T1").firedAt()).isEqualTo(22 * MS);
        }
    }

    @Nested
    @DisplayName("#2 buggy early return on deactivation")
    class EarlyReturn {
        /** Florian's board had one level: 2 CPUs with 8 per group are enough. */
        private static String single(String bugs) {
            return """
                    machine: {cpus: 2}
                    until: 200ms
                    """ + bugs + """
                    script:
                      - {at: 0, cpu: 0, op: busy}
                      - {at: 0, cpu: 1, op: arm, timer: T1, expiresAt: 10ms}
                      - {at: 1ms, cpu: 0, op: idle}    # the last active CPU goes idle without a global timer
                    """;
        }

        @Test
        void singleLevelLastCpuWakesForTheOtherCpusTimer() {
            Simulator sim = simulator(single(""));
            sim.runUntil(1 * MS);
            assertThat(((MainlineModel) sim.model()).cpuWakeup(0)).isEqualTo(11 * MS);
            RunResult r = sim.run();
            assertThat(timer(r, "T1").firedAt()).isEqualTo(11 * MS);
            assertThat(timer(r, "T1").firedOn()).isEqualTo(0);
            assertThat(r.cpus().get(0).dutyWakeups()).isEqualTo(1);
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void singleLevelWithTheBugTheTimerIsLost() {
            RunResult r = run(single("bugs: [early-return-on-deactivation]\n"));
            assertThat(timer(r, "T1").firedAt()).isNull(); // "~160 s late" on the real board
            // As in tglx's trace of the bug: the governor's quick check still saw GRP0:0's
            // next_expiry, so CPU0 wakes once at T1's time, finds its own wakeup KTIME_MAX
            // (tmigr_cpu_new_timer_idle ... wakeup=9223372036854775807) and sleeps again.
            assertThat(r.cpus().get(0).wakeups()).isEqualTo(1);
            assertThat(r.cpus().get(0).dutyWakeups()).isEqualTo(1);
            assertThat(invariants(r)).containsExactly("no-lost-timer", "timely-expiry");
        }

        /** GRP1:0 { GRP0:0 {CPU0 active, CPU1 idle with T1}, GRP0:1 {CPU2 idle with T2, CPU3} }. */
        private static String multi(String bugs) {
            return DOC_TREE + bugs + """
                    until: 100ms
                    script:
                      - {at: 0, cpu: 0, op: busy}
                      - {at: 0, cpu: 1, op: arm, timer: T1, expiresAt: 20ms}
                      - {at: 0, cpu: 2, op: arm, timer: T2, expiresAt: 30ms}
                      - {at: 1ms, cpu: 0, op: idle}
                    """;
        }

        @Test
        void multiLevelLastCpuGetsT1NotT2() {
            Simulator sim = simulator(multi(""));
            sim.runUntil(1 * MS);
            assertThat(((MainlineModel) sim.model()).cpuWakeup(0)).isEqualTo(21 * MS);
            RunResult r = sim.run();
            assertThat(timer(r, "T1").firedAt()).isEqualTo(21 * MS);
            assertThat(timer(r, "T1").firedOn()).isEqualTo(0);
            assertThat(timer(r, "T2").firedAt()).isEqualTo(31 * MS);
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void multiLevelIsSafeWithTheShortcutBecauseTheParentCleansUp() {
            // With a parent the level-0 shortcut is what mainline still does (#5): the next level's
            // tmigr_next_groupevt() drops the ignored CPU event and finds T1. The same run.
            RunResult r = run(multi("bugs: [early-return-on-deactivation]\n"));
            assertThat(timer(r, "T1").firedAt()).isEqualTo(21 * MS);
            assertThat(r.violations()).isEmpty();
        }
    }

    @Nested
    @DisplayName("#3 endless timer requeue after idle interrupts")
    class StaleWakeup {
        private static String script(String bugs) {
            return """
                    machine: {cpus: 2}
                    until: 100ms
                    """ + bugs + """
                    script:
                      - {at: 0, cpu: 0, op: busy}
                      - {at: 0, cpu: 1, op: arm, timer: T1, expiresAt: 10ms}
                      - {at: 1ms, cpu: 0, op: idle}    # CPU0: idle migrator, wakeup = 11 ms (bucket of jiffy 10)
                      - {at: 9ms, cpu: 1, op: busy}    # CPU1 takes over and runs T1 itself
                    """;
        }

        @Test
        void formerIdleMigratorWakesOnceThenSleeps() {
            RunResult r = run(script(""));
            assertThat(timer(r, "T1").firedOn()).isEqualTo(1);
            assertThat(timer(r, "T1").firedAt()).isEqualTo(11 * MS);
            assertThat(r.cpus().get(0).wakeups()).isEqualTo(1);
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void withTheBugTheStaleWakeupStorms() {
            RunResult r = run(script("bugs: [stale-wakeup-requeue]\n"));
            // Every re-arm lands in the past: one interrupt per clockevent minimum delta until the end.
            assertThat(r.cpus().get(0).wakeups()).isGreaterThan(10_000);
            assertThat(r.cpus().get(0).dutyWakeups()).isEqualTo(r.cpus().get(0).wakeups());
            assertThat(invariants(r)).containsExactly("bounded-wakeups");
        }
    }

    @Nested
    @DisplayName("#4 ignored event due to missing CPU update")
    class MissingCpuUpdate {
        /** Three levels with 2 per group: GRP2:0 { GRP1:0 {0-3}, GRP1:1 {4-7} }. */
        private static String script(String bugs) {
            return """
                    machine: {cpus: 8}
                    hierarchy: {childrenPerGroup: 2}
                    until: 100ms
                    """ + bugs + """
                    script:
                      - {at: 0, cpu: 4, op: busy}      # the only active CPU, under GRP1:1
                      - {at: 1ms, cpu: 0, op: arm, timer: T0, in: 10ms}
                      - {at: 1ms, cpu: 1, op: arm, timer: T1, in: 10ms}
                    """;
        }

        @Test
        void bothTimersExpireOnTheActiveCpuInOnePass() {
            RunResult r = run(script(""));
            assertThat(r.hierarchy().levels()).isEqualTo(3);
            for (String name : new String[] {"T0", "T1"}) {
                assertThat(timer(r, name).firedAt()).as(name).isEqualTo(12 * MS);
                assertThat(timer(r, name).firedOn()).as(name).isEqualTo(4);
            }
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void withTheBugT1IsLeftBehind() {
            RunResult r = run(script("bugs: [missing-cpu-update]\n"));
            assertThat(timer(r, "T0").firedAt()).isEqualTo(12 * MS);
            assertThat(timer(r, "T1").firedAt()).isNull();
            assertThat(invariants(r)).contains("timely-expiry");
        }
    }

    @Nested
    @DisplayName("#13 off-by-one root mis-connection")
    class SingleRoot {
        @Test
        void nineCpusBuildOneRootAndItsLastCpuTimerIsPulled() {
            RunResult r = run("""
                    machine: {cpus: 9}
                    until: 50ms
                    script:
                      - {at: 0, cpu: 0, op: busy}
                      - {at: 1ms, cpu: 8, op: arm, timer: T8, in: 5ms}
                    """);
            assertThat(r.hierarchy().roots()).hasSize(1);
            assertThat(r.hierarchy().roots().get(0).label()).isEqualTo("GRP1:0");
            assertThat(r.hierarchy().group(r.hierarchy().cpuGroup().get(0)).groupmask()).isEqualTo(1);
            assertThat(r.hierarchy().group(r.hierarchy().cpuGroup().get(8)).groupmask()).isEqualTo(2);
            // CPU8 alone in GRP0:1: its timer reaches the root and CPU0 pulls it across GRP0 groups.
            assertThat(timer(r, "T8").firedOn()).isEqualTo(0);
            assertThat(timer(r, "T8").firedAt()).isEqualTo(7 * MS);
            assertThat(r.violations()).isEmpty();
        }
    }

    @Nested
    @DisplayName("#15 imbalanced NUMA trees")
    class NumaTrees {
        private static String script(String bugs) {
            return """
                    machine: {cpus: 128, nodes: 2, onlineOrder: [0, 64]}
                    until: 50ms
                    """ + bugs + """
                    script:
                      - {at: 0, cpu: 0, op: busy}
                      - {at: 1ms, cpu: 1, op: online}
                      - {at: 1ms, cpu: 65, op: online}
                      - {at: 2ms, cpu: 64, op: arm, timer: T64, in: 5ms}
                    """;
        }

        @Test
        void balancedTreeKeepsNodesApartBelowTheCrossnodeLevel() {
            RunResult r = run(script(""));
            assertThat(r.hierarchy().levels()).isEqualTo(3);
            assertThat(r.hierarchy().crossnodeLevel()).isEqualTo(2);
            assertThat(r.hierarchy().roots()).singleElement().satisfies(g -> assertThat(g.node()).isEqualTo(-1));
            assertThat(r.violations()).isEmpty();
            // Node 1 is idle, so node 0's CPU pulls the timer, at the crossnode level.
            assertThat(timer(r, "T64").firedOn()).isEqualTo(0);
            assertThat(timer(r, "T64").firedAt()).isEqualTo(8 * MS);
        }

        @Test
        void withTheBugAGroupBelowTheCrossnodeLevelMixesNodes() {
            RunResult r = run(script("bugs: [imbalanced-numa-trees]\n"));
            assertThat(invariants(r)).containsExactly("numa-purity");
            assertThat(timer(r, "T64").firedOn()).isEqualTo(0);
        }
    }

    @Nested
    @DisplayName("#16 isolated CPUs excluded from the hierarchy")
    class Isolation {
        private static String script(String isolate) {
            return """
                    machine: {cpus: 4}
                    until: 50ms
                    script:
                    """ + isolate + """
                      - {at: 1ms, cpu: 1, op: busy}    # oslat: 100% busy, lowest active bit, so migrator
                      - {at: 2ms, cpu: 0, op: arm, timer: HK, in: 10ms}   # housekeeping CPU's delayed work
                      - {at: 2ms, cpu: 2, op: arm, timer: ISO, in: 10ms}
                    """;
        }

        @Test
        void isolatedBusyCpuNeverPullsHousekeepingTimers() {
            RunResult r = run(script("""
                      - {at: 0, cpu: 1, op: isolate}
                      - {at: 0, cpu: 2, op: isolate}
                    """));
            assertThat(timer(r, "HK").firedOn()).isEqualTo(0);   // not CPU1
            assertThat(timer(r, "HK").firedAt()).isEqualTo(13 * MS);
            assertThat(timer(r, "ISO").firedOn()).isEqualTo(2);  // isolated CPU keeps its own
            assertThat(timer(r, "ISO").firedAt()).isEqualTo(13 * MS);
            assertThat(r.violations()).isEmpty();
        }

        @Test
        void withoutIsolationTheBusyCpuPullsThem() {
            RunResult r = run(script(""));
            assertThat(timer(r, "HK").firedOn()).isEqualTo(1);
            assertThat(timer(r, "ISO").firedOn()).isEqualTo(1);
            assertThat(r.cpus().get(0).wakeups()).isZero();
        }
    }
}
