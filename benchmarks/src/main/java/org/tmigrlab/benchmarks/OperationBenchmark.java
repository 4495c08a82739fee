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
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.TimerSide;
import org.tmigrlab.engine.trace.TraceSink;
import org.tmigrlab.topologies.KernelHierarchyBuilder;

/**
 * Per-operation cost of a pull model ({@code mainline}, {@code rfc2017}) at 8 … 8192 CPUs, the
 * hierarchy alone (a stub timer side: one global timer per CPU, kept in an array). The machine is
 * the kernel's tree over 1, 2, 4 or 8 nodes; every CPU is idle except the migrator (CPU 0) unless
 * the operation says otherwise, so walks climb as far as they can.
 * <ul>
 *   <li>{@code walk}: the last active CPU of its subtree goes idle and comes back
 *       ({@code tmigr_cpu_deactivate} + {@code tmigr_cpu_activate}).</li>
 *   <li>{@code arm}: an idle CPU's first global timer moves earlier ({@code tmigr_cpu_new_timer}).</li>
 *   <li>{@code cancel}: that timer is cancelled (the new first event is none).</li>
 *   <li>{@code remoteExpiry}: an idle CPU's timer comes due and the busy migrator expires it
 *       ({@code tmigr_handle_remote}, including the re-walk from the expired CPU).</li>
 *   <li>{@code tick}: the busy migrator's per-tick check ({@code tmigr_requires_handle_remote}).</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar OperationBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OperationBenchmark {

    @Param({"8", "64", "256", "1024", "8192"})
    int cpus;

    @Param({"mainline", "rfc2017"})
    String model;

    private PullModel m;
    private long[] next;        // the stub's one global timer per CPU, ns (KTIME_MAX: none)
    private int idleCpu;
    private long now;

    private final TimerSide timers = new TimerSide() {
        @Override public void expireRemote(int c, int onCpu, long t) { if (next[c] <= t) next[c] = PullModel.KTIME_MAX; }
        @Override public long nextGlobalEvent(int c, long t) { return next[c]; }
        @Override public void triggerActive(int c, long t) { }
    };

    @Setup(Level.Trial)
    public void setUp() {
        int nodes = cpus < 64 ? 1 : cpus <= 256 ? 2 : cpus <= 1024 ? 4 : 8;
        Machine machine = Machine.contiguous(cpus, nodes);
        int[] order = new int[cpus];
        for (int c = 0; c < cpus; c++) order[c] = c;
        Hierarchy h = new KernelHierarchyBuilder().build(machine, order, BuildOptions.kernelDefault());
        next = new long[cpus];
        java.util.Arrays.fill(next, PullModel.KTIME_MAX);
        m = Lab.defaultCatalog().model(model).create(new ModelContext(cpus, MigratorSelector.LOWEST_ACTIVE, Set.of(), timers,
                TraceSink.NONE));
        m.prepare(h, 0, -1, 0);
        for (int c = 0; c < cpus; c++) m.setAvailable(c, true, 0);
        // everyone idle but CPU 0, the migrator
        for (int c = cpus - 1; c >= 1; c--) m.cpuDeactivate(c, PullModel.KTIME_MAX, 0);
        idleCpu = cpus - 1;
        now = 1_000_000;
    }

    @Benchmark
    public long walk() {
        now += 1_000_000;
        int c = idleCpu;
        m.cpuActivate(c, now);
        return m.cpuDeactivate(c, next[c], now);
    }

    @Benchmark
    public long arm() {
        now += 1_000_000;
        int c = idleCpu;
        next[c] = now + 50_000_000;
        return m.cpuNewTimer(c, next[c], now);
    }

    @Benchmark
    public long cancel() {
        now += 1_000_000;
        int c = idleCpu;
        next[c] = now + 50_000_000;
        m.cpuNewTimer(c, next[c], now);     // a timer to cancel (same cost as arm: subtract arm)
        next[c] = PullModel.KTIME_MAX;
        return m.cpuNewTimer(c, PullModel.KTIME_MAX, now);
    }

    @Benchmark
    public boolean remoteExpiry() {
        now += 1_000_000;
        int c = idleCpu;
        next[c] = now;                      // due now (arm cost included)
        m.cpuNewTimer(c, now, now - 1);
        m.handleRemote(0, now);
        return next[c] == PullModel.KTIME_MAX;
    }

    @Benchmark
    public boolean tick() {
        now += 1_000_000;
        return m.requiresHandleRemote(0, now);
    }
}
