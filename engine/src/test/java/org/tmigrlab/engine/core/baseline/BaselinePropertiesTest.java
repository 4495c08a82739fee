package org.tmigrlab.engine.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * Random workloads on random machines, every model: the same timers are armed at the same times
 * on the same CPUs (common random numbers), the oracle is a lower bound on what global timers
 * cost, and no model trips the invariant checker.
 */
class BaselinePropertiesTest {

    static final List<String> MODELS = BaselineModelsTest.MODELS;

    /** A random workload scenario as a file would spell it (so a failure prints something to paste). */
    static String randomWorkload(long seed, boolean withScriptedHotplug) {
        Random rnd = new Random(seed);
        int cpus = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 12);
        int nodes = 1 + rnd.nextInt(Math.min(3, cpus));
        int k = new int[] {2, 4, 8, 8, 16}[rnd.nextInt(5)];
        int hz = new int[] {100, 250, 300, 1000, 1000}[rnd.nextInt(5)];
        StringBuilder y = new StringBuilder();
        y.append("machine: {cpus: ").append(cpus).append(", nodes: ").append(nodes).append("}\n");
        y.append("hierarchy: {childrenPerGroup: ").append(k).append("}\n");
        y.append("hz: ").append(hz).append("\nseed: ").append(rnd.nextInt(1000)).append("\nuntil: 400ms\n");
        y.append("workload:\n");
        y.append(String.format(Locale.ROOT, "  activity: {busy: {dist: exponential, mean: %dus}, load: %.2f}%n",
                100 + rnd.nextInt(5000), 0.02 + 0.9 * rnd.nextDouble()));
        if (rnd.nextBoolean())
            y.append(String.format(Locale.ROOT, "  interrupts: {rate: %d, task: {dist: exponential, mean: %dus}, arm: %.2f}%n",
                    rnd.nextInt(300), 10 + rnd.nextInt(500), rnd.nextDouble()));
        double cancel = rnd.nextDouble() * 0.6;
        y.append(String.format(Locale.ROOT, "  timers: {rate: %d, cancel: %.2f, rearm: %.2f, pinned: %.2f, deferrable: %.2f, "
                        + "timeouts: [{in: {dist: uniform, min: 0ms, max: 30ms}, weight: 3}, {in: %dms}]}%n",
                10 + rnd.nextInt(800), cancel, rnd.nextDouble() * (1 - cancel), rnd.nextDouble() * 0.3,
                rnd.nextDouble() * 0.2, 1 + rnd.nextInt(200)));
        if (withScriptedHotplug && cpus > 1) {
            y.append("script:\n");
            int victim = 1 + rnd.nextInt(cpus - 1);
            y.append("  - {at: ").append(50 + rnd.nextInt(100)).append("ms, cpu: ").append(victim).append(", op: ")
                    .append(rnd.nextBoolean() ? "offline" : "isolate").append("}\n");
            y.append("  - {at: ").append(200 + rnd.nextInt(100)).append("ms, cpu: ").append(victim).append(", op: ")
                    .append(rnd.nextBoolean() ? "online" : "unisolate").append("}\n");
        }
        return y.toString();
    }

    static List<String> armed(RunResult r) {
        List<String> out = new ArrayList<>(r.timers().size());
        for (TimerRecord t : r.timers())
            out.add(t.name() + "@" + t.armedAt() + " on " + t.armedOn() + " -> " + t.expiresNs() + (t.pinned() ? " P" : "")
                    + (t.deferrable() ? " D" : "") + (t.cancelledAt() == null ? "" : " x" + t.cancelledAt()));
        return out;
    }

    @Property(tries = 60)
    void everyModelSeesTheSameWorkloadAndTheOracleIsALowerBound(@ForAll long seed) {
        String yaml = randomWorkload(seed, false);
        Scenario s = Runs.scenario(yaml);
        List<String> reference = null;
        long oracle = -1;
        List<Long> others = new ArrayList<>();
        for (String m : MODELS) {
            RunResult r = Lab.run(s.withModel(m), TraceSink.NONE);
            assertThat(r.metrics()).as("%s\n%s", m, yaml).doesNotContainKey("aborted");
            assertThat(r.violations()).as("%s\n%s", m, yaml).isEmpty();
            List<String> a = armed(r);
            if (reference == null) reference = a;
            else assertThat(a).as("%s arms what mainline arms\n%s", m, yaml).isEqualTo(reference);
            long global = (Long) r.metrics().get("globalWakeups");
            if (m.equals("oracle")) oracle = global;
            else others.add(global);
        }
        for (long g : others) assertThat(oracle).as("oracle vs %s\n%s", others, yaml).isLessThanOrEqualTo(g);
    }

    /** Hot-unplug and isolation in the middle of a workload: the baselines stay within the invariants. */
    @Property(tries = 40)
    void baselinesKeepTheBehaviouralInvariantsThroughHotplugAndIsolation(@ForAll long seed) {
        String yaml = randomWorkload(seed, true);
        Scenario s = Runs.scenario(yaml);
        for (String m : List.of("push", "local", "oracle", "mainline")) {
            RunResult r = Lab.run(s.withModel(m), TraceSink.NONE);
            assertThat(r.violations()).as("%s\n%s", m, yaml).isEmpty();
            assertThat(r.metrics()).as("%s\n%s", m, yaml).doesNotContainKey("aborted");
        }
    }
}
