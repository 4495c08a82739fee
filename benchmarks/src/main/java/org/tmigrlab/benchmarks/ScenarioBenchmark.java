package org.tmigrlab.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;

/**
 * Whole runs of the named scenarios ({@code scenarios/named/*.yaml}, read from the directory in
 * {@code -Dtmigr.scenarios}, default {@code scenarios/named}: run from the repository root),
 * checks off, full report kept, at their own size ({@code scale=1}) and with 4× the CPUs
 * ({@code scale=4}, same node count). Time per run; the events of a run are printed once at setup
 * so events/s follows.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ScenarioBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class ScenarioBenchmark {

    @Param({"batch-256c4n", "idle-laptop", "mostly-busy-16", "quiet-numa-4n", "web-server-2s64"})
    String scenario;

    @Param({"1", "4"})
    int scale;

    private Scenario s;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = Path.of(System.getProperty("tmigr.scenarios", "scenarios/named"));
        Scenario read = new ScenarioReader().read(dir.resolve(scenario + ".yaml")).withCheckInvariants(false);
        s = scale == 1 ? read : read.withCpus(read.machine().possibleCpus() * scale);
        RunResult r = Lab.run(s, org.tmigrlab.engine.trace.TraceSink.NONE);
        System.out.println("\n" + scenario + " x" + scale + ": " + s.machine().possibleCpus() + " CPUs, events per run: "
                + r.metrics().get("events"));
    }

    @Benchmark
    public void run(Blackhole bh) {
        bh.consume(Lab.run(s, org.tmigrlab.engine.trace.TraceSink.NONE));
    }
}
