package org.tmigrlab.engine.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.sim.Simulator;

/**
 * Checks the {@link Invariant}s while a run goes on. Structural invariants (1–4, 10) read the
 * mainline model's state and are skipped for other models; behavioural ones (5–9) watch the
 * simulator and hold for every model.
 *
 * <p>A broken structural invariant is reported once when it appears, not on every event while it
 * persists; it is reported again if it clears and comes back. Call {@link #checkNow(long)} from a
 * debugger or a test at any point.
 *
 * <p>Threading: the simulator's thread.
 */
public final class InvariantChecker {

    private static final long KTIME_MAX = PullModel.KTIME_MAX;

    private final Simulator sim;
    private final Machine machine;
    private final List<Violation> violations = new ArrayList<>();
    private Set<String> open = new HashSet<>();
    private Set<String> seen = new HashSet<>();
    private final Set<String> staleReported = new HashSet<>();

    public InvariantChecker(Simulator sim, Machine machine) {
        this.sim = sim;
        this.machine = machine;
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** After every simulator event. */
    public void afterEvent(long now) {
        checkNow(now);
    }

    /** Runs every state check now; returns the violations found by this call. */
    public List<Violation> checkNow(long now) {
        int before = violations.size();
        seen = new HashSet<>();
        if (sim.model() instanceof MainlineModel m) {
            checkGroups(now, m);
        }
        checkNoLostTimer(now);
        open = seen;
        return List.copyOf(violations.subList(before, violations.size()));
    }

    private void report(long now, Invariant inv, String key, String message, List<Integer> groups, List<Integer> cpus) {
        String k = inv.key() + ":" + key;
        seen.add(k);
        if (open.contains(k)) return;
        violations.add(new Violation(now, inv.key(), message, groups, cpus));
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }

    private void checkGroups(long now, MainlineModel m) {
        List<Integer> rootIds = new ArrayList<>();
        Hierarchy h = sim.hierarchy();
        for (int g = 0; g < m.groupCount(); g++) {
            long active = m.active(g);
            long migr = m.migrator(g);
            boolean none = migr == MainlineModel.TMIGR_NONE;
            if (none != (active == 0) || (!none && (Long.bitCount(migr) != 1 || (migr & active) == 0))) {
                report(now, Invariant.MIGRATOR_VALID, "g" + g,
                        m.group(g).label() + ": migrator=" + hex(migr) + " active=" + hex(active), List.of(g), List.of());
            }
            int p = m.parent(g);
            if (p < 0) {
                rootIds.add(g);
            } else if (((m.active(p) & m.groupmask(g)) != 0) != (active != 0)) {
                report(now, Invariant.PARENT_CHILD_ACTIVE, "g" + g,
                        m.group(g).label() + " active=" + hex(active) + " but its bit " + hex(m.groupmask(g)) + " in "
                                + m.group(p).label() + " active=" + hex(m.active(p)), List.of(g, p), List.of());
            }
            if (m.level(g) < h.crossnodeLevel()) {
                Group d = m.group(g);
                int node = -1;
                for (int c : d.cpus()) {
                    int n = machine.nodeOf(c);
                    if (node >= 0 && n != node) {
                        report(now, Invariant.NUMA_PURITY, "g" + g, d.label() + " below the crossnode level "
                                + h.crossnodeLevel() + " holds CPUs of nodes " + node + " and " + n, List.of(g), d.cpus());
                        break;
                    }
                    node = n;
                }
            }
        }
        String rootProblem = m.groupCount() > 0 ? rootsProblem(m, rootIds) : null;
        if (rootProblem != null) {
            report(now, Invariant.SINGLE_ROOT, "roots", rootProblem, rootIds, List.of());
        }
        for (int c = 0; c < m.possibleCpus(); c++) {
            int g = m.cpuGroup(c);
            if (g < 0 || !sim.model().isAvailable(c)) continue;
            boolean cpuActive = !m.cpuIdle(c);
            if (((m.active(g) & m.cpuGroupmask(c)) != 0) != cpuActive) {
                report(now, Invariant.PARENT_CHILD_ACTIVE, "c" + c, "CPU" + c + (cpuActive ? " active" : " idle")
                        + " but its bit " + hex(m.cpuGroupmask(c)) + " in " + m.group(g).label() + " active="
                        + hex(m.active(g)), List.of(g), List.of(c));
            }
        }
    }

    /**
     * Invariant 3, one root per hierarchy: a single parentless group, or several only when each
     * serves its own CPU capacity class (per-capacity hierarchies). Null when it holds.
     */
    private String rootsProblem(MainlineModel m, List<Integer> rootIds) {
        if (rootIds.size() == 1) return null;
        if (rootIds.isEmpty()) return "0 parentless groups";
        Map<Integer, Integer> rootOfCapacity = new HashMap<>();
        for (int r : rootIds) {
            Set<Integer> caps = new TreeSet<>();
            for (int c : m.group(r).cpus()) caps.add(machine.cpus().get(c).capacity());
            if (caps.size() != 1) return rootIds.size() + " parentless groups; " + m.group(r).label() + " serves capacities " + caps;
            Integer other = rootOfCapacity.put(caps.iterator().next(), r);
            if (other != null)
                return rootIds.size() + " parentless groups; " + m.group(other).label() + " and " + m.group(r).label()
                        + " both serve capacity " + caps.iterator().next();
        }
        return null;
    }

    /** Invariant 5: nobody busy, yet the earliest timer has no CPU programmed to wake for it. */
    private void checkNoLostTimer(long now) {
        int n = sim.possibleCpus();
        long earliest = KTIME_MAX;
        int owner = -1;
        long wake = KTIME_MAX;
        for (int c = 0; c < n; c++) {
            if (!sim.cpuOnline(c)) continue;
            if (!sim.cpuTickStopped(c)) return; // a ticking CPU: timeliness is checked when timers run
            long e = sim.cpuEarliestTimerNs(c, false);
            if (e < earliest) {
                earliest = e;
                owner = c;
            }
            wake = Math.min(wake, sim.cpuNextInterrupt(c));
        }
        // A clock event for something already due fires after the clockevent minimum delta.
        if (earliest != KTIME_MAX && wake > Math.max(earliest, now + Simulator.CLOCKEVENT_MIN_DELTA_NS)) {
            report(now, Invariant.NO_LOST_TIMER, "t" + earliest, "all CPUs idle; CPU" + owner + " has a timer due at "
                    + earliest + " ns but the first programmed wake-up is " + (wake == KTIME_MAX ? "none" : wake + " ns"),
                    List.of(), List.of(owner));
        }
    }

    /** Invariants 6, 8, 9 when a timer runs. */
    public void timerFired(long now, String timer, int baseCpu, int onCpu, boolean pinned, boolean deferrable,
                           long bucketNs, boolean baseUnavailable, boolean onUnavailable) {
        if (!deferrable && now > bucketNs + sim.tickNsec()) {
            violations.add(new Violation(bucketNs + sim.tickNsec(), Invariant.TIMELY_EXPIRY.key(), "timer " + timer
                    + " due at " + bucketNs + " ns ran at " + now + " ns on CPU" + onCpu, List.of(), List.of(baseCpu, onCpu)));
        }
        if ((pinned || deferrable) && onCpu != baseCpu) {
            violations.add(new Violation(now, Invariant.NO_PINNED_MIGRATION.key(), (pinned ? "pinned" : "deferrable")
                    + " timer " + timer + " of CPU" + baseCpu + " ran on CPU" + onCpu, List.of(), List.of(baseCpu, onCpu)));
        }
        if (onCpu != baseCpu && (baseUnavailable || onUnavailable)) {
            violations.add(new Violation(now, Invariant.ISOLATION.key(), "timer " + timer + " of CPU" + baseCpu
                    + (baseUnavailable ? " (isolated)" : "") + " ran on CPU" + onCpu + (onUnavailable ? " (isolated)" : ""),
                    List.of(), List.of(baseCpu, onCpu)));
        }
    }

    /** Invariant 6 for a timer still pending when the run ends. */
    public void timerPendingAtEnd(long end, String timer, int baseCpu, long bucketNs) {
        if (end > bucketNs + sim.tickNsec()) {
            violations.add(new Violation(bucketNs + sim.tickNsec(), Invariant.TIMELY_EXPIRY.key(), "timer " + timer
                    + " of CPU" + baseCpu + " due at " + bucketNs + " ns never ran (run ended at " + end + " ns)",
                    List.of(), List.of(baseCpu)));
        }
    }

    /** Invariant 7: an idle CPU re-armed a hierarchy wakeup that is already in the past. */
    public void staleWakeup(long now, int cpu, long wakeup) {
        if (staleReported.add(cpu + ":" + wakeup)) {
            violations.add(new Violation(now, Invariant.BOUNDED_WAKEUPS.key(), "CPU" + cpu
                    + " re-armed its hierarchy wakeup " + wakeup + " ns, already passed", List.of(), List.of(cpu)));
        }
    }

    /** Invariant 10: compare the model's forecast with the minimum over the levels. */
    public void quickChecked(long now, int cpu, long input, long result) {
        if (!(sim.model() instanceof MainlineModel m) || m.cpuGroup(cpu) < 0 || !m.isAvailable(cpu) || m.cpuIdle(cpu)) return;
        long expected = input;
        int g = m.cpuGroup(cpu);
        long mig = m.migrator(g);
        if (!(mig == m.cpuGroupmask(cpu) || mig == MainlineModel.TMIGR_NONE)) {
            expected = KTIME_MAX;
        } else {
            for (; g >= 0; g = m.parent(g)) {
                if (Long.bitCount(m.active(g)) > 1) {
                    expected = KTIME_MAX;
                    break;
                }
                expected = Math.min(expected, m.nextExpiry(g));
            }
        }
        if (expected != result) {
            violations.add(new Violation(now, Invariant.QUICK_CHECK.key(), "CPU" + cpu + " quick check returned "
                    + result + " ns, the minimum over its levels is " + expected + " ns", List.of(m.cpuGroup(cpu)), List.of(cpu)));
        }
    }
}
