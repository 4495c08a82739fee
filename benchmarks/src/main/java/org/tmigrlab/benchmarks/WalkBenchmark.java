package org.tmigrlab.benchmarks;

import java.util.Set;
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
import org.tmigrlab.api.BuildOptions;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.api.MigratorSelector;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.topologies.KernelHierarchyBuilder;

/**
 * Per-operation cost of the mainline hierarchy walks at 8 … 8192 CPUs: one CPU leaving and
 * re-entering idle while every other CPU is idle (the walk climbs to the top: the worst case),
 * a new first timer from idle, and the migrator's tick check. The timer side is a stub, so this
 * measures the hierarchy alone.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WalkBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WalkBenchmark {

    @Param({"8", "64", "256", "1024", "8192"})
    int cpus;

    private MainlineModel model;
    private int cpu;
    private long now;

    private static final TimerSide NO_TIMERS = new TimerSide() {
        @Override public void expireRemote(int c, int onCpu, long t) { }
        @Override public long nextGlobalEvent(int c, long t) { return PullModel.KTIME_MAX; }
        @Override public void triggerActive(int c, long t) { }
    };

    @Setup(Level.Trial)
    public void setUp() {
        Machine machine = Machine.contiguous(cpus, cpus >= 64 ? 2 : 1);
        int[] order = new int[cpus];
        for (int c = 0; c < cpus; c++) order[c] = c;
        Hierarchy h = new KernelHierarchyBuilder().build(machine, order, BuildOptions.kernelDefault());
        model = new MainlineModel(new ModelContext(cpus, MigratorSelector.LOWEST_ACTIVE, Set.of(), NO_TIMERS, TraceSink.NONE));
        model.prepare(h, 0, -1, 0);
        for (int c = 0; c < cpus; c++) model.setAvailable(c, true, 0);
        cpu = cpus - 1;
        model.cpuActivate(cpu, 0);
    }

    /** Idle entry then exit of the only active CPU: both walks reach the root. */
    @Benchmark
    public long deactivateThenActivate() {
        now += 1_000_000;
        long w = model.cpuDeactivate(cpu, now + 50_000_000, now);
        model.cpuActivate(cpu, now);
        return w;
    }

    /** The busy migrator's per-tick question. */
    @Benchmark
    public boolean tickCheck() {
        now += 1_000_000;
        return model.requiresHandleRemote(cpu, now);
    }
}
