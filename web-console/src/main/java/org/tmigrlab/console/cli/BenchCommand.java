package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.sim.CeilingLoop;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.engine.workload.StepCursor;
import org.tmigrlab.engine.workload.WorkAhead;
import org.tmigrlab.engine.workload.Workload;
import org.tmigrlab.engine.workload.WorkloadGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr bench}: how fast the simulator runs on this machine, against the ceiling measured
 * in the same process.
 *
 * <p>For every machine size it runs the console's default workload (the scenario
 * {@code tmigr console} starts with, {@code /console/default.yaml}: 3 ms busy / 25 ms idle,
 * 500 arms/s while busy, 20 interrupts/s per CPU) with the machine resized, the invariant checker
 * off and per-timer records aggregated ({@link Simulator#aggregateRecords()}, what sweeps use), for
 * {@code --seconds} of wall time after a warm-up. Then the ceiling: {@link CeilingLoop}, the same
 * event loop over the same per-CPU interrupt queue with a trivial handler, for as long. The ratio
 * is simulator events/s over ceiling events/s.
 *
 * <p>Last, memory per pending timer: the heap a simulator holds for {@value #PENDING} armed,
 * pending timers (256 CPUs, timeouts far beyond the run), divided by their number; the script's
 * own steps and names are allocated before the first measurement and so not counted. Twice: with
 * the names the workload generator gives (a primitive key per timer) and with free-form script
 * names (a {@code HashMap} entry per timer).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure simulated events per wall second, simulated seconds per wall second and heap, per machine size,",
                "on the console's default workload, against the same-run ceiling (a trivial-handler loop on the same queue).",
                "Invariant checks off, timer records aggregated. Memory per pending timer last."})
public final class BenchCommand implements Callable<Integer> {

    static final int PENDING = 200_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--cpus", split = ",", defaultValue = "64,256,8192", paramLabel = "N[,N...]",
            description = "Machine sizes (default ${DEFAULT-VALUE}).")
    List<Integer> cpus;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S",
            description = "Wall seconds measured per size, after a warm-up of half as long (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--no-memory", description = "Skip the memory-per-pending-timer measurement.")
    boolean noMemory;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Measure this scenario's workload instead of the console"
            + " default (its machine is resized to each --cpus; model, hierarchy and workload as in the file).")
    java.nio.file.Path scenarioFile;

    @Option(names = "--work-ahead", description = "With --simulate: generate the workload on a second thread ahead of the"
            + " simulator (same steps, same result; Simulator.workAhead()).")
    boolean workAhead;

    @Option(names = "--simulate", paramLabel = "DURATION",
            description = "Instead: one whole run per size from boot to DURATION of simulated time (e.g. 3600s), cold JVM"
                    + " included; prints the wall time it took. No ceiling.")
    String simulate;

    /** One size's result. */
    record Row(int cpus, int nodes, long events, double wallS, double simS, long heapBytes, double ceilingPerS, double aheadPerS,
               double generatorSimPerWall) {
        double eventsPerS() {
            return events / wallS;
        }

        double ratio() {
            return eventsPerS() / ceilingPerS;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (seconds <= 0) throw new BadInputException("--seconds: expected a positive number, got " + seconds);
        for (int n : cpus)
            if (n < 1 || n > ScenarioReader.MAX_CPUS) throw new BadInputException("--cpus: " + n + " is not in 1.." + ScenarioReader.MAX_CPUS);
        PrintWriter out = spec.commandLine().getOut();
        Scenario base = scenarioFile == null ? defaultScenario() : scenarioFrom(scenarioFile);
        String what = scenarioFile == null ? "console default workload" : scenarioFile + "'s workload";
        if (simulate != null) return wholeRuns(out, base, what);
        out.printf("tmigr bench: %s, %s, checks off, records aggregated; %.1f s per size; %s, %d cores%n", what, base.model(),
                seconds, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        out.printf("%6s %5s %14s %14s %12s %10s %14s %7s %16s %14s%n", "cpus", "nodes", "events", "events/s", "sim s/wall s", "heap MiB",
                "ceiling ev/s", "ratio", "work-ahead ev/s", "gen sim s/s");
        out.flush();
        List<Row> rows = new ArrayList<>();
        for (int n : cpus) {
            Row r = measure(sizedFor(base, n), seconds);
            rows.add(r);
            out.printf("%6d %5d %14d %14.0f %12.4f %10.1f %14.0f %7.3f %16s %14.4f%n", r.cpus(), r.nodes(), r.events(), r.eventsPerS(),
                    r.simS() / r.wallS(), r.heapBytes() / 1048576.0, r.ceilingPerS(), r.ratio(),
                    Double.isNaN(r.aheadPerS()) ? "-" : String.format("%.0f", r.aheadPerS()), r.generatorSimPerWall());
            out.flush();
        }
        out.println("events/s: one thread. work-ahead: the workload generated on a second thread ahead of the simulator"
                + " (Simulator.workAhead(); same steps, same result). gen: the workload generator alone, no simulator.");
        if (!noMemory) {
            double g = bytesPerPendingTimer(256, PENDING, true);
            double n = bytesPerPendingTimer(256, PENDING, false);
            out.printf("memory per pending timer: %.1f bytes as the workload generator arms them, %.1f bytes named by a script"
                    + " (%d pending timers, 256 CPUs, records aggregated)%n", g, n, PENDING);
        }
        out.flush();
        return 0;
    }

    /** A scenario file for {@code --scenario}: it must have a generated workload, the thing measured. */
    private static Scenario scenarioFrom(java.nio.file.Path f) {
        Scenario s;
        try {
            s = new ScenarioReader().read(f);
        } catch (org.tmigrlab.engine.scenario.ScenarioException e) {
            throw new BadInputException("--scenario: " + f + ": " + e.getMessage(), e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException("--scenario: " + f + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException("--scenario: " + f + ": cannot read: " + e.getMessage(), e);
        }
        if (s.workload().isEmpty()) throw new BadInputException("--scenario: " + f + ": no workload to measure; add a 'workload:' section");
        return s.withCheckInvariants(false);
    }

    private int wholeRuns(PrintWriter out, Scenario base, String what) {
        long until;
        try {
            until = org.tmigrlab.engine.scenario.Durations.parse(simulate);
        } catch (RuntimeException e) {
            throw new BadInputException("--simulate: " + e.getMessage());
        }
        if (until <= 0) throw new BadInputException("--simulate: expected a positive duration, got " + simulate);
        out.printf("tmigr bench --simulate %s: %s, %s, checks off, records aggregated%s%n", simulate, what, base.model(),
                workAhead ? ", workload generated ahead on a second thread" : "");
        out.printf("%6s %5s %14s %10s %14s %12s %10s%n", "cpus", "nodes", "events", "wall s", "events/s", "sim s/wall s", "heap MiB");
        for (int n : cpus) {
            Scenario s = sizedFor(base, n).withUntil(until);
            long w0 = System.nanoTime();
            Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
            sim.aggregateRecords();
            if (workAhead) sim.workAhead();
            sim.runUntil(until);
            org.tmigrlab.engine.sim.RunResult r = sim.finish();
            double wall = (System.nanoTime() - w0) / 1e9;
            long events = sim.events();
            out.printf("%6d %5d %14d %10.2f %14.0f %12.2f %10.1f%n", n, s.machine().nodeCount(), events, wall, events / wall,
                    until / 1e9 / wall, heapUsedAfterGc() / 1048576.0);
            out.printf("        wakeups %s, timers armed %s, fired %s%n", r.metrics().get("wakeups"), r.metrics().get("timersArmed"),
                    r.metrics().get("timersFired"));
            out.flush();
        }
        return 0;
    }

    static int nodesFor(int cpus) {
        return cpus < 2 ? 1 : cpus <= 64 ? 2 : cpus <= 1024 ? 4 : 8;
    }

    /** The console's default scenario: the workload {@code tmigr bench} and the targets refer to. */
    static Scenario defaultScenario() throws IOException {
        try (InputStream in = BenchCommand.class.getResourceAsStream("/console/default.yaml")) {
            if (in == null) throw new IllegalStateException("/console/default.yaml missing from the classpath");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new ScenarioReader().read(text, ScenarioReader.Format.YAML).withCheckInvariants(false);
        }
    }

    /** The default scenario resized to {@code n} CPUs on 2, 4 or 8 nodes ({@link #nodesFor}). */
    static Scenario sized(Scenario base, int n) {
        return base.withNodes(1).withCpus(n).withNodes(nodesFor(n));
    }

    /**
     * The measured scenario with {@code n} CPUs: the default one on {@link #nodesFor} nodes, a
     * {@code --scenario} file on its own number of nodes (its workload may name them).
     */
    private Scenario sizedFor(Scenario base, int n) {
        if (scenarioFile == null) return sized(base, n);
        int nodes = base.machine().nodeCount();
        if (n < nodes) throw new BadInputException("--cpus: " + n + " is fewer than the " + nodes + " nodes of " + scenarioFile);
        try {
            return base.withCpus(n); // keeps the node count
        } catch (org.tmigrlab.engine.scenario.ScenarioException e) {
            throw new BadInputException("--cpus " + n + ": " + scenarioFile + ": " + e.getMessage(), e);
        }
    }

    static Row measure(Scenario s, double seconds) {
        Row one = measure(s, seconds, false);
        // A ping-pong reacts to expiries: such a workload cannot be generated ahead (NaN, printed "-").
        double ahead = WorkAhead.possible(s.workload()) ? measure(s, seconds, true).eventsPerS() : Double.NaN;
        return new Row(one.cpus(), one.nodes(), one.events(), one.wallS(), one.simS(), one.heapBytes(), one.ceilingPerS(),
                ahead, generatorAlone(s, seconds));
    }

    /**
     * Simulated seconds per wall second of the workload generator alone (its steps taken and
     * dropped, no simulator): the part of a run's cost that is producing the workload.
     */
    static double generatorAlone(Scenario s, double seconds) {
        double best = 0;
        for (int pass = 0; pass < 2; pass++) { // the better of two passes: the first also warms the JIT up
            WorkloadGenerator g = new WorkloadGenerator(s.workload(), s.machine(), s.seed());
            StepCursor c = new StepCursor();
            long w0 = System.nanoTime();
            long deadline = w0 + (long) (seconds / 2 * 1e9);
            long t = 0;
            long sink = 0;
            while (g.peekTime() < s.until()) {
                if (g.nextInto(c)) sink += c.cpu;
                if ((++t & 0xFFFF) == 0 && System.nanoTime() > deadline) break;
            }
            double wall = (System.nanoTime() - w0) / 1e9;
            if (sink == 42) System.out.print(""); // keep the steps' use alive
            best = Math.max(best, Math.min(g.peekTime(), s.until()) / 1e9 / wall);
        }
        return best;
    }

    static Row measure(Scenario s, double seconds, boolean workAhead) {
        int n = s.machine().possibleCpus();
        int nodes = s.machine().nodeCount();
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        sim.aggregateRecords();
        if (workAhead && !sim.workAhead()) throw new IllegalStateException("this workload cannot be generated ahead");
        long chunk = 20_000;
        // warm-up: JIT and the run's steady state (arrays grown to their peak)
        runFor(sim, seconds / 2, chunk);
        long e0 = sim.events();
        long t0 = sim.now();
        long w0 = System.nanoTime();
        long deadline = w0 + (long) (seconds * 1e9);
        long w1;
        do {
            sim.runUntil(Long.MAX_VALUE, chunk);
            w1 = System.nanoTime();
        } while (w1 < deadline && sim.now() < s.until());
        long events = sim.events() - e0;
        double simS = (sim.now() - t0) / 1e9;
        double wallS = (w1 - w0) / 1e9;
        sim.close();
        if (workAhead) return new Row(n, nodes, events, wallS, simS, 0, 0, 0, 0);
        long heap = heapUsedAfterGc();
        sim = null;
        double ceiling = ceiling(n, seconds);
        return new Row(n, nodes, events, wallS, simS, heap, ceiling, 0, 0);
    }

    private static void runFor(Simulator sim, double seconds, long chunk) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) sim.runUntil(Long.MAX_VALUE, chunk);
    }

    /** Ceiling events per wall second on the same queue, same size. */
    static double ceiling(int n, double seconds) {
        CeilingLoop warm = new CeilingLoop(n);
        long deadline = System.nanoTime() + (long) (seconds / 2 * 1e9);
        while (System.nanoTime() < deadline) warm.run(100_000);
        CeilingLoop loop = new CeilingLoop(n);
        long w0 = System.nanoTime();
        long end = w0 + (long) (seconds * 1e9);
        long sink = 0;
        long w1;
        do {
            sink += loop.run(100_000);
            w1 = System.nanoTime();
        } while (w1 < end);
        if (sink == 42) System.out.print(""); // keep the result alive
        return loop.events() / ((w1 - w0) / 1e9);
    }

    /**
     * Heap held per pending timer: {@code count} global timers armed on 256 CPUs with timeouts far
     * past the end, measured as the heap difference after full GCs before and after they are armed.
     */
    static double bytesPerPendingTimer(int n, int count, boolean generatedNames) {
        List<Step> script = new ArrayList<>(count + n);
        for (int c = 0; c < n; c++) script.add(new Step(0, c, Op.BUSY, null, -1, -1, false, false, c));
        for (int i = 0; i < count; i++)
            script.add(new Step(1_000_000 + i * 10L, i % n, Op.ARM, generatedNames ? "w" + (i % n) + "." + (i / n) : "t" + i, 3_000_000_000L, -1, false, false, n + i));
        Scenario s = new Scenario(org.tmigrlab.api.Machine.contiguous(n, 1), ids(n), "kernel", 8, "lowest-active", "mainline",
                java.util.Set.of(), 1000, 1, 10_000_000_000L, script, List.of(), false, Workload.NONE, 0);
        Simulator sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        sim.aggregateRecords();
        sim.runUntil(500_000);
        long before = heapUsedAfterGc();
        sim.runUntil(1_000_000 + count * 10L);
        long after = heapUsedAfterGc();
        if (sim.pendingTimers() != count) throw new IllegalStateException("expected " + count + " pending, got " + sim.pendingTimers());
        return (after - before) / (double) count;
    }

    private static int[] ids(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    static long heapUsedAfterGc() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return m.getHeapMemoryUsage().getUsed();
    }
}
