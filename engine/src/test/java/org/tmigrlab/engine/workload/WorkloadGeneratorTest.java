package org.tmigrlab.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.Step;

class WorkloadGeneratorTest {

    private static final long MS = Runs.MS;

    static final String BUSY_LAPTOP = """
            machine: {cpus: 8, nodes: 2}
            until: 2s
            workload:
              activity: {busy: {dist: exponential, mean: 2ms}, load: 0.3}
              interrupts: {rate: 50, task: 100us, arm: 0.5}
              timers:
                rate: 300
                cancel: 0.4
                rearm: 0.3
                pinned: 0.1
                deferrable: 0.1
            """;

    private static List<Step> preview(Scenario s) {
        return WorkloadGenerator.preview(s.workload(), s.machine(), s.seed(), s.until());
    }

    @Test
    void sameSeedSameSteps() {
        Scenario s = Runs.scenario(BUSY_LAPTOP);
        List<Step> a = preview(s);
        assertThat(a).hasSizeGreaterThan(1000);
        assertThat(preview(s)).isEqualTo(a);
    }

    @Test
    void differentSeedsDifferentSteps() {
        Scenario s = Runs.scenario(BUSY_LAPTOP);
        assertThat(preview(s.withSeed(2))).isNotEqualTo(preview(s));
    }

    @Test
    void stepsComeInTimeOrderAndMixEveryKind() {
        List<Step> steps = preview(Runs.scenario(BUSY_LAPTOP));
        for (int i = 1; i < steps.size(); i++) assertThat(steps.get(i).at()).isGreaterThanOrEqualTo(steps.get(i - 1).at());
        assertThat(steps).extracting(Step::op).contains(Op.BUSY, Op.IDLE, Op.ARM, Op.CANCEL, Op.REARM, Op.IRQ);
        assertThat(steps).filteredOn(s -> s.op() == Op.ARM && s.pinned()).isNotEmpty();
        assertThat(steps).filteredOn(s -> s.op() == Op.ARM && s.deferrable()).isNotEmpty();
    }

    /** A CPU's streams are seeded by (seed, stream, CPU): more CPUs do not change what CPU 0..7 do. */
    @Test
    void aCpusActivityDoesNotDependOnOtherCpus() {
        Scenario eight = Runs.scenario(BUSY_LAPTOP.replace("nodes: 2", "nodes: 1"));
        Scenario sixteen = eight.withCpus(16);
        List<Step> small = preview(eight);
        List<Step> big = preview(sixteen).stream().filter(s -> s.cpu() < 8).toList();
        assertThat(strip(big)).isEqualTo(strip(small));
    }

    /** Steps without their position in the stream, which counts every CPU's steps. */
    private static List<String> strip(List<Step> steps) {
        return steps.stream().map(s -> s.at() + " " + s.cpu() + " " + s.op() + " " + s.timer() + " " + s.inNs() + " "
                + s.pinned() + " " + s.deferrable()).toList();
    }

    @Test
    void loadLevelsGiveTheirShareOfBusyTime() {
        Scenario s = Runs.scenario("""
                machine: {cpus: 4}
                until: 20s
                workload:
                  activity: {busy: {dist: exponential, mean: 5ms}, load: 0.25, loadPerCpu: {1: 0.75, 2: 0.0, 3: 1.0}}
                """);
        double[] busy = busyShare(preview(s), 4, s.until());
        assertThat(busy[0]).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.03));
        assertThat(busy[1]).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.03));
        assertThat(busy[2]).isZero();
        assertThat(busy[3]).isEqualTo(1.0);
    }

    private static double[] busyShare(List<Step> steps, int cpus, long until) {
        long[] since = new long[cpus];
        long[] total = new long[cpus];
        boolean[] on = new boolean[cpus];
        for (Step s : steps) {
            if (s.op() == Op.BUSY && !on[s.cpu()]) {
                on[s.cpu()] = true;
                since[s.cpu()] = s.at();
            } else if (s.op() == Op.IDLE && on[s.cpu()]) {
                on[s.cpu()] = false;
                total[s.cpu()] += s.at() - since[s.cpu()];
            }
        }
        double[] share = new double[cpus];
        for (int c = 0; c < cpus; c++) share[c] = (total[c] + (on[c] ? until - since[c] : 0)) / (double) until;
        return share;
    }

    @Test
    void timersAreArmedOnlyByBusyCpusOrByInterruptHandlers() {
        List<Step> steps = preview(Runs.scenario(BUSY_LAPTOP));
        boolean[] busy = new boolean[8];
        for (Step s : steps) {
            switch (s.op()) {
                case BUSY -> busy[s.cpu()] = true;
                case IDLE -> busy[s.cpu()] = false;
                case ARM -> assertThat(busy[s.cpu()] || s.timer().startsWith("i")).as(s.toString()).isTrue();
                default -> { }
            }
        }
    }

    @Test
    void cancelsAndRearmsComeBeforeTheTimerCanExpire() {
        List<Step> steps = preview(Runs.scenario(BUSY_LAPTOP));
        java.util.Map<String, Long> expiry = new java.util.HashMap<>();
        int cancels = 0;
        int arms = 0;
        for (Step s : steps) {
            if (s.op() == Op.ARM || s.op() == Op.REARM) {
                expiry.put(s.timer(), s.at() + s.inNs());
                if (s.op() == Op.ARM) arms++;
            } else if (s.op() == Op.CANCEL) {
                cancels++;
                assertThat(s.at()).isLessThan(Math.max(expiry.get(s.timer()), s.at() + 1));
            }
        }
        // 40% of armings are cancelled (re-arms draw a fate again, so cancels exceed 40% of first arms).
        assertThat((double) cancels / arms).isBetween(0.35, 0.75);
    }

    @Test
    void aTraceIsReplayedInOrder() {
        Distribution trace = Distribution.trace(List.of(1L, 2L, 3L));
        Distribution.Sampler s = trace.sampler(new java.util.SplittableRandom(1));
        long first = s.next();
        assertThat(List.of(s.next(), s.next(), s.next())).containsExactly(first % 3 + 1, (first + 1) % 3 + 1, first);
    }

    @Test
    void distributionsHaveTheirMean() {
        for (Distribution d : List.of(Distribution.exponential(1000), Distribution.lognormal(1000, 1.0),
                Distribution.uniform(500, 1500), Distribution.fixed(1000), Distribution.empirical(List.of(500L, 1500L)))) {
            Distribution.Sampler s = d.sampler(new java.util.SplittableRandom(7));
            double sum = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) sum += s.next();
            assertThat(sum / n).as(d.kind().key()).isCloseTo(1000, org.assertj.core.data.Offset.offset(30.0));
        }
        assertThat(Distribution.lognormal(1000, 1.0).withMean(4000)).isEqualTo(Distribution.lognormal(4000, 1.0));
    }

    @Test
    void streamSeedsDifferByNameCpuAndSeed() {
        long a = WorkloadGenerator.streamSeed(1, "activity", 0);
        assertThat(WorkloadGenerator.streamSeed(1, "activity", 0)).isEqualTo(a);
        assertThat(List.of(WorkloadGenerator.streamSeed(2, "activity", 0), WorkloadGenerator.streamSeed(1, "activity", 1),
                WorkloadGenerator.streamSeed(1, "timer-params", 0))).doesNotContain(a).doesNotHaveDuplicates();
    }

    @Test
    void machineOfOneCpuWorks() {
        Scenario s = Runs.scenario(BUSY_LAPTOP.replace("machine: {cpus: 8, nodes: 2}", "machine: {cpus: 1}"));
        assertThat(preview(s)).isNotEmpty().allMatch(st -> st.cpu() == 0);
        assertThat(s.machine()).isEqualTo(Machine.contiguous(1, 1));
    }
}
