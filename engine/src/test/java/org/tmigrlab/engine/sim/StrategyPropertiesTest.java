package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.tmigrlab.api.Cpu;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.wheel.TimerWheel;
import org.tmigrlab.engine.workload.Workload;

/**
 * The random scripts of {@link SimulatorPropertiesTest}, on machines with caches, SMT and
 * capacity classes, under every built-in builder, sizing and migrator selector: the mainline
 * model must keep every invariant whatever tree and hand-over rule it is given, and runs stay
 * pure functions of their scenario (random selector included).
 */
class StrategyPropertiesTest {

    private static final List<String> BUILDERS = List.of("kernel", "flat", "llc", "smt", "sized", "capacity");
    private static final List<String> MIGRATORS = List.of("lowest-active", "sticky", "round-robin", "numa-affine",
            "llc-affine", "random");

    static Scenario randomScenario(long seed) {
        Scenario base = SimulatorPropertiesTest.randomScenario(seed, "mainline");
        Random rnd = new Random(seed ^ 0x5eedL);
        Machine plain = base.machine();
        int n = plain.possibleCpus();
        int llcSize = 1 + rnd.nextInt(8);
        int smt = 1 + rnd.nextInt(2);
        boolean classes = rnd.nextBoolean();
        List<Cpu> cpus = new ArrayList<>();
        for (Cpu c : plain.cpus())
            cpus.add(new Cpu(c.id(), c.node(), c.node(), c.id() / llcSize, c.id() / smt,
                    classes && c.id() % 3 == 0 ? 512 : Cpu.CAPACITY_SCALE));
        Machine m = new Machine(plain.nodeCount(), cpus);
        // flat holds at most 64 CPUs
        String builder = n > 64 ? BUILDERS.get(2 + rnd.nextInt(4)) : BUILDERS.get(rnd.nextInt(BUILDERS.size()));
        String migrator = MIGRATORS.get(rnd.nextInt(MIGRATORS.size()));
        String sizing = builder.equals("kernel") || rnd.nextBoolean() ? null
                : List.of(new int[] {2, 4, 8}[rnd.nextInt(3)], new int[] {2, 8}[rnd.nextInt(2)]).toString();
        return new Scenario(m, base.onlineOrder(), builder, base.childrenPerGroup(), migrator, "mainline", Set.of(),
                base.hz(), seed, base.until(), base.script(), List.of(), true, Workload.NONE, 0, sizing);
    }

    @Property(tries = 300)
    void everyBuilderAndSelectorKeepsEveryInvariant(@ForAll long seed) {
        Scenario s = randomScenario(seed);
        RunResult r = Lab.run(s, TraceSink.NONE);
        assertThat(r.violations()).as("seed %d: %s", seed, s).isEmpty();
        assertThat(r.metrics()).doesNotContainKey("aborted");
        long tick = TimerWheel.tickNsec(s.hz());
        for (TimerRecord t : r.timers())
            if (t.cancelledAt() == null && !t.deferrable())
                assertThat(t.firedAt()).as("seed %d timer %s", seed, t).isNotNull().isLessThanOrEqualTo((t.bucketExpiry() + 1) * tick);
    }

    @Property(tries = 30)
    void sameScenarioSameResult(@ForAll long seed) {
        Scenario s = randomScenario(seed);
        RunResult a = Lab.run(s, TraceSink.NONE);
        RunResult b = Lab.run(s, TraceSink.NONE);
        assertThat(a.timers()).isEqualTo(b.timers());
        assertThat(a.metrics()).isEqualTo(b.metrics());
    }
}
