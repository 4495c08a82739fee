package org.tmigrlab.engine.core;

import org.tmigrlab.api.Machine;

/**
 * What baselines may see of the CPUs beyond the timer-migration calls: the scheduler's view
 * ({@code idle_cpu()}, online, housekeeping) and the machine's topology for
 * {@code get_nohz_timer_target()}'s sched-domain scan, and — for the {@code oracle} only, which
 * is allowed to know everything — the wheels' next expiries. The pull models do not use it.
 *
 * <p>Threading: the simulator thread, inside a model call.
 */
public interface CpuView {

    /** The machine: nodes, packages, LLCs, cores of each CPU. */
    Machine machine();

    /** Running a task: not {@code idle_cpu()} (an idle CPU with its tick still running is idle). */
    boolean cpuBusy(int cpu);

    boolean cpuOnline(int cpu);

    /** One jiffy in ns. */
    long tickNsec();

    /** Excluded from the hierarchy and from housekeeping ({@code isolate}). */
    boolean cpuIsolated(int cpu);

    /** Bucket time (ns) of the CPU's first pending global timer, or {@link PullModel#KTIME_MAX}. */
    long nextGlobalTimer(int cpu);

    /** Bucket time (ns) of the CPU's first pending pinned timer, or {@link PullModel#KTIME_MAX}. */
    long nextPinnedTimer(int cpu);

    /** When the CPU takes its next interrupt (tick or programmed clock event), ns; KTIME_MAX if none. */
    long cpuNextInterrupt(int cpu);

    /** Changes whenever a global timer is queued or removed anywhere: lets a model cache a scan. */
    long globalTimersVersion();

    /** For contexts without a simulator (unit tests of a model): every query fails. */
    CpuView NONE = new CpuView() {
        @Override public Machine machine() { throw unsupported(); }
        @Override public boolean cpuBusy(int cpu) { throw unsupported(); }
        @Override public boolean cpuOnline(int cpu) { throw unsupported(); }
        @Override public boolean cpuIsolated(int cpu) { throw unsupported(); }
        @Override public long nextGlobalTimer(int cpu) { throw unsupported(); }
        @Override public long nextPinnedTimer(int cpu) { throw unsupported(); }
        @Override public long globalTimersVersion() { throw unsupported(); }
        @Override public long cpuNextInterrupt(int cpu) { throw unsupported(); }
        @Override public long tickNsec() { throw unsupported(); }

        private UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("no CPU view in this context");
        }
    };
}
