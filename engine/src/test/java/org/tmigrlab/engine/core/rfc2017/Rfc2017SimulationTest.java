package org.tmigrlab.engine.core.rfc2017;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.PullModelFactory;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.wheel.TimerWheel;

/** The RFC model inside the real simulator, with the invariant checker on. */
class Rfc2017SimulationTest {

    static final long MS = 1_000_000L;

    /** The default catalog plus this model (until the engine module registers it). */
    static Catalog catalog() {
        Catalog def = Lab.defaultCatalog();
        Map<String, PullModelFactory> models = new HashMap<>(def.models());
        models.putIfAbsent("rfc2017", new Rfc2017ModelFactory());
        return new Catalog(def.builders(), def.migrators(), models);
    }

    static Scenario withModel(Scenario s, String model) {
        return new Scenario(s.machine(), s.onlineOrder(), s.builder(), s.childrenPerGroup(), s.migrator(), model,
                s.bugs(), s.hz(), s.seed(), s.until(), s.script(), s.expect(), true);
    }

    @Test
    void repositoryScenariosRunWithoutViolations() throws IOException {
        Path dir = Path.of(System.getProperty("tmigr.repo", "."), "scenarios");
        List<Path> files;
        try (Stream<Path> st = Files.list(dir)) {
            files = st.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Scenario s = withModel(new ScenarioReader().read(f), "rfc2017");
            RunResult r = Lab.run(s, TraceSink.NONE, catalog());
            // Expectations are written for mainline; today the RFC meets them all, but only the
            // model-independent invariants are required here.
            assertThat(r.violations()).as(f.getFileName().toString()).isEmpty();
            assertThat(r.metrics()).as(f.getFileName().toString()).doesNotContainKey("aborted");
        }
    }

    /**
     * The RFC hands the top group's first event to any CPU that leaves the top migrator role, not
     * only to the last one: CPU0 goes idle while CPU1 stays busy and takes over, yet wakes for
     * CPU2's timer. Mainline stops the walk at level 0 and leaves CPU0 asleep.
     */
    @Test
    void formerTopMigratorWakesUnderTheRfcButNotUnderMainline() {
        String yaml = """
                machine: {cpus: 4}
                hierarchy: {builder: kernel, childrenPerGroup: 2}
                until: 60ms
                script:
                  - {at: 0, cpu: 0, op: busy}
                  - {at: 0, cpu: 1, op: busy}
                  - {at: 0, cpu: 2, op: busy}
                  - {at: 0, cpu: 2, op: arm, timer: t2, in: 20ms}
                  - {at: 0, cpu: 2, op: idle}
                  - {at: 1ms, cpu: 0, op: idle}
                """;
        Scenario s = new ScenarioReader().read(yaml, ScenarioReader.Format.YAML);
        RunResult rfc = Lab.run(withModel(s, "rfc2017"), TraceSink.NONE, catalog());
        RunResult mainline = Lab.run(withModel(s, "mainline"), TraceSink.NONE, catalog());
        for (RunResult r : List.of(rfc, mainline)) {
            assertThat(r.violations()).isEmpty();
            TimerRecord t2 = r.timers().get(0);
            assertThat(t2.firedOn()).isEqualTo(1);
            assertThat(t2.remote()).isTrue();
        }
        assertThat(rfc.cpus().get(0).dutyWakeups()).isEqualTo(1);
        assertThat(mainline.cpus().get(0).wakeups()).isZero();
    }

    private static final Op[] OPS = {Op.BUSY, Op.BUSY, Op.IDLE, Op.IDLE, Op.IDLE, Op.ARM, Op.ARM, Op.ARM, Op.ARM,
            Op.CANCEL, Op.REARM, Op.OFFLINE, Op.ONLINE, Op.ISOLATE, Op.UNISOLATE};

    /** Random busy/idle/arm/cancel/hotplug scripts on random machines and tree shapes. */
    static Scenario randomScenario(long seed, String model) {
        Random rnd = new Random(seed);
        int cpus = 2 + rnd.nextInt(rnd.nextInt(4) == 0 ? 70 : 18);
        int nodes = 1 + rnd.nextInt(Math.min(3, cpus));
        int k = new int[] {2, 4, 8, 8}[rnd.nextInt(4)];
        int hz = new int[] {100, 250, 1000, 1000}[rnd.nextInt(4)];
        int steps = 1 + rnd.nextInt(80);
        List<Step> script = new ArrayList<>();
        Set<String> armed = new HashSet<>();
        long t = 0;
        for (int i = 0; i < steps; i++) {
            t += rnd.nextInt(4) == 0 ? 0 : (long) rnd.nextInt(8_000_000);
            Op op = OPS[rnd.nextInt(OPS.length)];
            int cpu = rnd.nextInt(cpus);
            String name = "T" + rnd.nextInt(8);
            if ((op == Op.CANCEL || op == Op.REARM) && !armed.contains(name)) continue;
            if (op == Op.ARM) armed.add(name);
            long in = (long) rnd.nextInt(300) * MS + rnd.nextInt(1_000_000);
            boolean timed = op == Op.ARM || op == Op.REARM;
            script.add(new Step(t, cpu, op, op == Op.CANCEL || timed ? name : null, timed ? in : -1, -1,
                    op == Op.ARM && rnd.nextInt(5) == 0, op == Op.ARM && rnd.nextInt(10) == 0, i));
        }
        int[] online = new int[cpus];
        for (int c = 0; c < cpus; c++) online[c] = c;
        return new Scenario(Machine.contiguous(cpus, nodes), online, "kernel", k, "lowest-active", model, Set.of(),
                hz, seed, t + 600 * MS, script, List.of(), true);
    }

    @Test
    void randomScriptsKeepTimersOnTimeAndRunsAreDeterministic() {
        Catalog cat = catalog();
        for (long seed = 1; seed <= 300; seed++) {
            Scenario s = randomScenario(seed, "rfc2017");
            RunResult r = Lab.run(s, TraceSink.NONE, cat);
            assertThat(r.violations()).as("seed %d: %s", seed, s).isEmpty();
            assertThat(r.metrics()).as("seed %d", seed).doesNotContainKey("aborted");
            long tick = TimerWheel.tickNsec(s.hz());
            for (TimerRecord tr : r.timers()) {
                if (tr.cancelledAt() != null || tr.deferrable()) continue;
                assertThat(tr.firedAt()).as("seed %d timer %s", seed, tr).isNotNull();
                assertThat(tr.firedAt()).as("seed %d timer %s", seed, tr).isLessThanOrEqualTo((tr.bucketExpiry() + 1) * tick);
            }
            if (seed % 30 == 0) {
                RunResult again = Lab.run(s, TraceSink.NONE, cat);
                assertThat(again.timers()).isEqualTo(r.timers());
                assertThat(again.metrics()).isEqualTo(r.metrics());
            }
        }
    }

    /** The RFC model with the migrator duty cut off: remote expiry never runs. */
    static final class NeverPulls implements PullModel {
        final Rfc2017Model m;

        NeverPulls(ModelContext c) {
            m = new Rfc2017Model(c);
        }

        @Override public String name() { return "rfc2017-never-pulls"; }
        @Override public void prepare(Hierarchy h, int cpu, int control, long now) { m.prepare(h, cpu, control, now); }
        @Override public void setAvailable(int cpu, boolean baseIdle, long now) { m.setAvailable(cpu, baseIdle, now); }
        @Override public void clearAvailable(int cpu, long now) { m.clearAvailable(cpu, now); }
        @Override public void cpuActivate(int cpu, long now) { m.cpuActivate(cpu, now); }
        @Override public long cpuDeactivate(int cpu, long next, long now) { return m.cpuDeactivate(cpu, next, now); }
        @Override public long cpuNewTimer(int cpu, long next, long now) { return m.cpuNewTimer(cpu, next, now); }
        @Override public long quickCheck(int cpu, long next, long now) { return m.quickCheck(cpu, next, now); }
        @Override public boolean requiresHandleRemote(int cpu, long now) { return m.requiresHandleRemote(cpu, now); }
        @Override public void handleRemote(int cpu, long now) { }
        @Override public boolean isAvailable(int cpu) { return m.isAvailable(cpu); }
    }

    /** The random check above has teeth: the same scripts catch a model that never pulls. */
    @Test
    void randomScriptsCatchAModelThatNeverPulls() {
        Catalog def = catalog();
        Map<String, PullModelFactory> models = new HashMap<>(def.models());
        models.put("never-pulls", new PullModelFactory() {
            @Override public String name() { return "never-pulls"; }
            @Override public PullModel create(ModelContext c) { return new NeverPulls(c); }
        });
        Catalog cat = new Catalog(def.builders(), def.migrators(), models);
        int caught = 0;
        for (long seed = 1; seed <= 300; seed++) {
            RunResult r = Lab.run(randomScenario(seed, "never-pulls"), TraceSink.NONE, cat);
            if (!r.violations().isEmpty()) caught++;
        }
        assertThat(caught).isGreaterThan(10);
    }
}
