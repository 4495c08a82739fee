package org.tmigrlab.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.CeilingLoop;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * The steady-state event loop, one operation = one simulated event: the simulator on the
 * default workload ({@code default-workload.yaml}, the console's default scenario: 3 ms busy /
 * 25 ms idle, 500 arms/s while busy, 20 irq/s), checks off, records aggregated; and the ceiling
 * ({@link CeilingLoop}: the same queue, a trivial handler). With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes allocated per simulated event.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EventLoopBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EventLoopBenchmark {

    static final int BATCH = 10_000;

    @Param({"64", "256", "8192"})
    int cpus;

    private Simulator sim;
    private CeilingLoop ceiling;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Scenario s = defaultWorkload().withNodes(1).withCpus(cpus).withNodes(cpus <= 64 ? 2 : cpus <= 1024 ? 4 : 8);
        sim = Lab.prepare(s, TraceSink.NONE, Lab.defaultCatalog());
        sim.aggregateRecords();
        ceiling = new CeilingLoop(cpus);
    }

    static Scenario defaultWorkload() throws IOException {
        try (InputStream in = EventLoopBenchmark.class.getResourceAsStream("/default-workload.yaml")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new ScenarioReader().read(text, ScenarioReader.Format.YAML).withCheckInvariants(false);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long simulator() {
        return sim.runUntil(Long.MAX_VALUE, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long ceiling() {
        return ceiling.run(BATCH);
    }
}
