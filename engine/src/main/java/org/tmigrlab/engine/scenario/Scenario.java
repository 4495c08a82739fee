package org.tmigrlab.engine.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.workload.Workload;

/**
 * A validated scenario: everything a run needs. Built by {@code ScenarioReader} from YAML/JSON
 * or directly by tests.
 *
 * <p>The {@code with...} methods return a copy with one setting changed, for commands that run
 * one scenario many ways ({@code compare}, {@code sweep}); a value the file could not hold either
 * fails with a {@link ScenarioException} naming the scenario key.
 *
 * @param machine          possible CPUs and nodes
 * @param onlineOrder      CPUs brought up at boot, in order; others are possible but offline
 * @param builder          hierarchy builder name ({@code kernel})
 * @param childrenPerGroup power of two 2..64
 * @param migrator         migrator selector name ({@code lowest-active})
 * @param model            {@code mainline}, {@code rfc2017}, or a baseline ({@code push}, {@code local}, {@code oracle})
 * @param bugs             historical bug switches
 * @param hz               100, 250, 300 or 1000
 * @param seed             random seed (for generated workloads)
 * @param until            end of the run, ns
 * @param script           timed steps, sorted by (at, order)
 * @param expect           expectations checked after the run
 * @param checkInvariants  run the invariant checker on every step
 * @param workload         generated activity, interrupts and timers ({@link Workload#NONE}: script only)
 * @param metricsWindow    length of a metrics window in ns; 0 = no per-window metrics
 * @param sizing           {@code hierarchy.sizing}: a catalog sizing name or a per-level list written
 *                         {@code [2, 8, 8]}; null = {@code childrenPerGroup} at every level
 */
public record Scenario(Machine machine, int[] onlineOrder, String builder, int childrenPerGroup,
                       String migrator, String model, Set<Bug> bugs, int hz, long seed, long until,
                       List<Step> script, List<Expectation> expect, boolean checkInvariants,
                       Workload workload, long metricsWindow, String sizing) {

    public Scenario {
        bugs = Set.copyOf(bugs);
        script = List.copyOf(script);
        expect = List.copyOf(expect);
        onlineOrder = onlineOrder.clone();
        if (workload == null) workload = Workload.NONE;
        if (metricsWindow < 0) throw new IllegalArgumentException("metricsWindow must be >= 0, got " + metricsWindow);
    }

    /** A scenario without a generated workload or metrics windows (scripted scenarios, tests). */
    public Scenario(Machine machine, int[] onlineOrder, String builder, int childrenPerGroup,
                    String migrator, String model, Set<Bug> bugs, int hz, long seed, long until,
                    List<Step> script, List<Expectation> expect, boolean checkInvariants) {
        this(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until, script, expect,
                checkInvariants, Workload.NONE, 0, null);
    }

    /** A scenario whose hierarchy is sized by {@code childrenPerGroup} alone. */
    public Scenario(Machine machine, int[] onlineOrder, String builder, int childrenPerGroup,
                    String migrator, String model, Set<Bug> bugs, int hz, long seed, long until,
                    List<Step> script, List<Expectation> expect, boolean checkInvariants,
                    Workload workload, long metricsWindow) {
        this(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until, script, expect,
                checkInvariants, workload, metricsWindow, null);
    }

    @Override
    public int[] onlineOrder() {
        return onlineOrder.clone();
    }

    // ---- copies with one setting changed -------------------------------------------------

    /** Another model on the same machine, script and workload. The name is checked when the run starts. */
    public Scenario withModel(String newModel) {
        if (newModel == null || newModel.isBlank()) throw new ScenarioException("model", "expected a model name");
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, newModel, bugs, hz, seed, until,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, newSeed, until,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    public Scenario withHz(int newHz) {
        if (!ScenarioReader.HZ_VALUES.contains(newHz))
            throw new ScenarioException("hz", newHz + " is not allowed; expected one of 100, 250, 300, 1000");
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, newHz, seed, until,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    public Scenario withChildrenPerGroup(int n) {
        if (n < 2 || n > 64 || Integer.bitCount(n) != 1)
            throw new ScenarioException("hierarchy.childrenPerGroup", n
                    + " is not allowed; expected a power of two in 2..64 (2, 4, 8, 16, 32, 64)");
        // An explicit uniform size replaces a per-level sizing.
        return new Scenario(machine, onlineOrder, builder, n, migrator, model, bugs, hz, seed, until,
                script, expect, checkInvariants, workload, metricsWindow, null);
    }

    public Scenario withCheckInvariants(boolean on) {
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until,
                script, expect, on, workload, metricsWindow, sizing);
    }

    public Scenario withUntil(long newUntil) {
        long last = script.isEmpty() ? 0 : script.get(script.size() - 1).at();
        if (newUntil < last)
            throw new ScenarioException("until", Durations.format(newUntil) + " ends the run before the last step (at "
                    + Durations.format(last) + ")");
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, newUntil,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    public Scenario withWorkload(Workload w) {
        Workload checked = w == null ? Workload.NONE : w;
        WorkloadReader.checkFits(checked, machine);
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until,
                script, expect, checkInvariants, checked, metricsWindow, sizing);
    }

    public Scenario withMetricsWindow(long windowNs) {
        WorkloadReader.checkWindow(windowNs, until, "metrics.window");
        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until,
                script, expect, checkInvariants, workload, windowNs, sizing);
    }

    /** {@code machine.cpus}: the same node count, CPUs split contiguously (see {@link #withMachine}). */
    public Scenario withCpus(int cpus) {
        if (cpus < 1 || cpus > ScenarioReader.MAX_CPUS)
            throw new ScenarioException("machine.cpus", "expected an integer in 1.." + ScenarioReader.MAX_CPUS + ", got " + cpus);
        if (machine.nodeCount() > cpus)
            throw new ScenarioException("machine.cpus", cpus + " CPUs cannot fill machine.nodes (" + machine.nodeCount() + ")");
        requireContiguous("machine.cpus");
        return withMachine(Machine.contiguous(cpus, machine.nodeCount()), "machine.cpus");
    }

    /** {@code machine.nodes}: the same CPUs split contiguously over {@code nodes} nodes. */
    public Scenario withNodes(int nodes) {
        if (nodes < 1 || nodes > machine.possibleCpus())
            throw new ScenarioException("machine.nodes", "expected an integer in 1.." + machine.possibleCpus() + ", got " + nodes);
        requireContiguous("machine.nodes");
        return withMachine(Machine.contiguous(machine.possibleCpus(), nodes), "machine.nodes");
    }

    /**
     * Another machine. An online order that listed every CPU ascending (the default) becomes the
     * new machine's; CPUs named by the online order, the script, the expectations or the workload
     * must exist on it, else the error names {@code key}.
     */
    public Scenario withMachine(Machine m, String key) {
        int n = m.possibleCpus();
        int[] order = onlineOrder;
        if (isAllAscending(onlineOrder, machine.possibleCpus())) {
            order = new int[n];
            for (int c = 0; c < n; c++) order[c] = c;
        } else {
            for (int c : order) if (c >= n) throw tooSmall(key, n, "machine.onlineOrder", c);
        }
        for (Step s : script) if (s.cpu() >= n) throw tooSmall(key, n, "script[" + s.order() + "]", s.cpu());
        for (Expectation e : expect) {
            if (e.cpu() >= n) throw tooSmall(key, n, "expect", e.cpu());
            if (e.on() >= n) throw tooSmall(key, n, "expect", e.on());
        }
        try {
            WorkloadReader.checkFits(workload, m);
        } catch (ScenarioException e) {
            throw new ScenarioException(key, e.getMessage());
        }
        return new Scenario(m, order, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    private void requireContiguous(String key) {
        if (!machine.equals(Machine.contiguous(machine.possibleCpus(), machine.nodeCount())))
            throw new ScenarioException(key, "the scenario places CPUs on nodes with machine.cpuNodes; change the file instead");
    }

    private static boolean isAllAscending(int[] order, int cpus) {
        if (order.length != cpus) return false;
        for (int c = 0; c < cpus; c++) if (order[c] != c) return false;
        return true;
    }

    private static ScenarioException tooSmall(String key, int cpus, String user, int cpu) {
        return new ScenarioException(key, cpus + " CPUs are too few: " + user + " uses CPU " + cpu);
    }

    @Override
    public String toString() {
        return "Scenario[machine=" + machine + ", onlineOrder=" + Arrays.toString(onlineOrder) + ", builder=" + builder
                + ", childrenPerGroup=" + childrenPerGroup + ", migrator=" + migrator + ", model=" + model + ", bugs=" + bugs
                + ", hz=" + hz + ", seed=" + seed + ", until=" + until + ", script=" + script + ", expect=" + expect
                + ", checkInvariants=" + checkInvariants + ", workload=" + workload + ", metricsWindow=" + metricsWindow
                + ", sizing=" + sizing + "]";
    }
}
