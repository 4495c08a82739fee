package org.tmigrlab.engine.core.baseline;

import java.util.List;

import org.tmigrlab.api.Cpu;
import org.tmigrlab.engine.core.CpuView;
import org.tmigrlab.engine.core.ModelContext;

/**
 * The timer wheel before v6.9: no hierarchy, but {@code __mod_timer()} asked
 * {@code get_nohz_timer_target()} where to queue a non-pinned timer (reference §4.2):
 * <ol>
 *   <li>a pinned timer, or one armed on a busy CPU, stays on the arming CPU;</li>
 *   <li>otherwise the first busy CPU found scanning the sched domains from the innermost:
 *       SMT siblings (same core), the LLC, the package within the node, the node, then every
 *       node — at each level in ascending CPU order, as {@code for_each_cpu_and()} walks a span;</li>
 *   <li>no busy CPU at all: the arming CPU.</li>
 * </ol>
 * The timer then stays on that CPU until it expires, even if that CPU is idle by then (the
 * heuristic that was "wrong by definition"). An idle target would get an IPI
 * ({@code trigger_dyntick_cpu()}); the simulator counts it, though a busy target never needs it.
 *
 * <p>Isolated CPUs are {@code isolcpus=domain} CPUs, as everywhere in the lab: they are in no
 * sched domain, so they keep their own timers (housekeeping for timers is unchanged by domain
 * isolation) and are never a target. Remote NUMA nodes are one level: the machine model has no
 * node distances.
 *
 * <p>Threading: the simulator's thread.
 */
public final class PushModel extends LocalModel {

    private final CpuView cpus;

    public PushModel(ModelContext ctx) {
        super(ctx);
        this.cpus = ctx.cpus();
    }

    @Override
    public String name() {
        return "push";
    }

    @Override
    public int placeTimer(int armingCpu, boolean pinned, long now) {
        if (pinned || cpus.cpuIsolated(armingCpu) || cpus.cpuBusy(armingCpu)) return armingCpu;
        List<Cpu> all = cpus.machine().cpus();
        Cpu self = all.get(armingCpu);
        int best = -1;
        int bestLevel = Integer.MAX_VALUE;
        // One pass: the lowest sched-domain level holding a busy CPU, lowest id within it.
        for (int c = 0; c < all.size(); c++) {
            if (c == armingCpu || !cpus.cpuOnline(c) || cpus.cpuIsolated(c) || !cpus.cpuBusy(c)) continue;
            int level = domainLevel(self, all.get(c));
            if (level < bestLevel) {
                best = c;
                bestLevel = level;
                if (level == 0) break;
            }
        }
        return best >= 0 ? best : armingCpu;
    }

    /** The innermost sched-domain level whose span holds both CPUs: SMT, MC (LLC), PKG, NODE, NUMA. */
    static int domainLevel(Cpu a, Cpu b) {
        if (a.core() == b.core()) return 0;
        if (a.llc() == b.llc()) return 1;
        if (a.pkg() == b.pkg() && a.node() == b.node()) return 2;
        if (a.node() == b.node() || a.pkg() == b.pkg()) return 3;
        return 4;
    }
}
