package org.tmigrlab.engine.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.workload.Distribution;
import org.tmigrlab.engine.workload.Workload;

/**
 * Reads the {@code workload} and {@code metrics} sections of a scenario. Like the rest of the
 * reader, unknown keys and bad values are {@link ScenarioException}s naming the entry
 * ({@code workload.timers.cancel}), the value seen and what is allowed.
 */
final class WorkloadReader {
    /** Rates above this are typos (a million events per CPU-second leaves no room for anything else). */
    static final double MAX_RATE = 100_000;
    /** More windows than this would make the report the size of the trace. */
    static final long MAX_WINDOWS = 1_000_000;

    private static final List<String> DIST_KINDS = Arrays.stream(Distribution.Kind.values()).map(Distribution.Kind::key).toList();
    private static final String DIST_HELP = "a time (a fixed duration) or a mapping {dist: fixed|exponential|lognormal|uniform|trace|empirical, ...}";

    private WorkloadReader() {
    }

    static Workload read(JsonNode node, String path, Machine machine) {
        if (node == null || node.isNull()) return Workload.NONE;
        Fields w = Fields.of(node, path, "activity, interrupts, timers").allow("activity", "interrupts", "timers");
        Workload.Activity activity = w.has("activity") ? activity(w.get("activity"), w.path("activity")) : null;
        Workload.Interrupts irqs = w.has("interrupts") ? interrupts(w.get("interrupts"), w.path("interrupts")) : null;
        Workload.Timers timers = w.has("timers") ? timers(w.get("timers"), w.path("timers")) : null;
        Workload workload = new Workload(activity, irqs, timers);
        checkFits(workload, machine, path);
        return workload;
    }

    /** {@code metrics.window}, 0 when absent. */
    static long metricsWindow(JsonNode node, String path, long until) {
        if (node == null || node.isNull()) return 0;
        Fields m = Fields.of(node, path, "window").allow("window");
        if (!m.has("window")) return 0;
        long window = Fields.asTime(m.get("window"), m.path("window"));
        checkWindow(window, until, m.path("window"));
        return window;
    }

    static void checkWindow(long window, long until, String key) {
        if (window <= 0) throw new ScenarioException(key, "a window must be longer than 0ns");
        if (until / window >= MAX_WINDOWS)
            throw new ScenarioException(key, Durations.format(window) + " cuts the run (" + Durations.format(until) + ") into more than "
                    + MAX_WINDOWS + " windows; choose a longer window");
    }

    // ---- activity --------------------------------------------------------------------------

    private static Workload.Activity activity(JsonNode node, String path) {
        Fields a = Fields.of(node, path, "busy, idle, load, loadPerNode, loadPerCpu, cpus")
                .allow("busy", "idle", "load", "loadPerNode", "loadPerCpu", "cpus");
        Distribution busy = distribution(a.required("busy", "busy-period lengths, " + DIST_HELP), a.path("busy"));
        if (busy.mean() <= 0) throw new ScenarioException(a.path("busy"), "busy periods must have a mean above 0ns");
        Distribution idle = a.has("idle") ? distribution(a.get("idle"), a.path("idle")) : null;
        Double load = a.has("load") ? probability(a.get("load"), a.path("load")) : null;
        List<Double> perNode = new ArrayList<>();
        if (a.has("loadPerNode")) {
            JsonNode list = a.get("loadPerNode");
            if (!list.isArray()) throw new ScenarioException(a.path("loadPerNode"), "expected a list with one load level per node, got " + Fields.show(list));
            for (int i = 0; i < list.size(); i++) perNode.add(probability(list.get(i), a.path("loadPerNode") + "[" + i + "]"));
        }
        Map<Integer, Double> perCpu = new LinkedHashMap<>();
        if (a.has("loadPerCpu")) {
            Fields m = Fields.of(a.get("loadPerCpu"), a.path("loadPerCpu"), "CPU: load level, e.g. {0: 1.0, 3: 0.5}");
            for (String key : m.keys()) {
                int cpu;
                try {
                    cpu = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    throw new ScenarioException(m.path(key), "'" + key + "' is not a CPU number");
                }
                perCpu.put(cpu, probability(m.get(key), m.path(key)));
            }
        }
        if (idle == null && load == null && perNode.isEmpty() && perCpu.isEmpty())
            throw new ScenarioException(path, "give idle-period lengths (idle) or a load level (load, loadPerNode, loadPerCpu)");
        List<Integer> cpus = a.has("cpus") ? intList(a.get("cpus"), a.path("cpus")) : List.of();
        return new Workload.Activity(busy, idle, load, perNode, perCpu, cpus);
    }

    // ---- interrupts ------------------------------------------------------------------------

    private static Workload.Interrupts interrupts(JsonNode node, String path) {
        Fields i = Fields.of(node, path, "rate, cpus, task, arm").allow("rate", "cpus", "task", "arm");
        double rate = rate(i.required("rate", "interrupts per CPU per second"), i.path("rate"));
        List<Integer> cpus = i.has("cpus") ? intList(i.get("cpus"), i.path("cpus")) : List.of();
        Distribution task = i.has("task") ? distribution(i.get("task"), i.path("task")) : null;
        double arm = i.has("arm") ? probability(i.get("arm"), i.path("arm")) : 0;
        return new Workload.Interrupts(rate, cpus, task, arm);
    }

    // ---- timers ----------------------------------------------------------------------------

    private static Workload.Timers timers(JsonNode node, String path) {
        Fields t = Fields.of(node, path, "rate, timeouts, cancel, rearm, pinned, deferrable, pingPong, cpus")
                .allow("rate", "timeouts", "cancel", "rearm", "pinned", "deferrable", "pingPong", "cpus");
        double rate = rate(t.required("rate", "arms per busy CPU per second"), t.path("rate"));
        List<Workload.Timeout> timeouts = t.has("timeouts") ? timeouts(t.get("timeouts"), t.path("timeouts"))
                : Workload.Timers.DEFAULT_TIMEOUTS;
        double cancel = t.has("cancel") ? probability(t.get("cancel"), t.path("cancel")) : 0;
        double rearm = t.has("rearm") ? probability(t.get("rearm"), t.path("rearm")) : 0;
        if (cancel + rearm > 1 + 1e-12)
            throw new ScenarioException(t.path("rearm"), "cancel (" + cancel + ") + rearm (" + rearm
                    + ") exceed 1; they are the probabilities of one arming's two fates");
        double pinned = t.has("pinned") ? probability(t.get("pinned"), t.path("pinned")) : 0;
        double deferrable = t.has("deferrable") ? probability(t.get("deferrable"), t.path("deferrable")) : 0;
        Workload.PingPong pp = null;
        if (t.has("pingPong")) {
            Fields p = Fields.of(t.get("pingPong"), t.path("pingPong"), "probability, burst, repeat").allow("probability", "burst", "repeat");
            double prob = probability(p.required("probability", "the fraction of global timers whose callback wakes a task"), p.path("probability"));
            Distribution burst = p.has("burst") ? distribution(p.get("burst"), p.path("burst")) : Distribution.fixed(50_000);
            double repeat = p.has("repeat") ? probability(p.get("repeat"), p.path("repeat")) : 0;
            pp = new Workload.PingPong(prob, burst, repeat);
        }
        List<Integer> cpus = t.has("cpus") ? intList(t.get("cpus"), t.path("cpus")) : List.of();
        return new Workload.Timers(rate, timeouts, cancel, rearm, pinned, deferrable, pp, cpus);
    }

    /** A list of {@code {in: DIST, weight: W}}, or one DIST for a single-entry mix. */
    private static List<Workload.Timeout> timeouts(JsonNode node, String path) {
        if (!node.isArray()) return List.of(new Workload.Timeout(distribution(node, path), 1));
        if (node.isEmpty()) throw new ScenarioException(path, "is empty; give at least one timeout");
        List<Workload.Timeout> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            Fields e = Fields.of(node.get(i), p, "{in: TIME or distribution, weight: NUMBER}").allow("in", "weight");
            Distribution in = distribution(e.required("in", "the timeout, " + DIST_HELP), e.path("in"));
            double weight = e.has("weight") ? number(e.get("weight"), e.path("weight"), 0, 1e12) : 1;
            if (weight <= 0) throw new ScenarioException(e.path("weight"), "expected a weight above 0, got " + Fields.show(e.get("weight")));
            out.add(new Workload.Timeout(in, weight));
        }
        return out;
    }

    // ---- values ----------------------------------------------------------------------------

    static Distribution distribution(JsonNode node, String path) {
        if (node != null && (node.isIntegralNumber() || node.isTextual())) return Distribution.fixed(Fields.asTime(node, path));
        Fields d = Fields.of(node, path, DIST_HELP);
        String kind = Fields.oneOf(d.required("dist", "one of " + String.join(", ", DIST_KINDS)), d.path("dist"), "distribution", DIST_KINDS);
        switch (Distribution.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT))) {
            case FIXED -> {
                d.allow("dist", "value");
                return Distribution.fixed(Fields.asTime(d.required("value", "the duration"), d.path("value")));
            }
            case EXPONENTIAL -> {
                d.allow("dist", "mean");
                return Distribution.exponential(Fields.asTime(d.required("mean", "the mean duration"), d.path("mean")));
            }
            case LOGNORMAL -> {
                d.allow("dist", "mean", "sigma");
                long mean = Fields.asTime(d.required("mean", "the mean duration"), d.path("mean"));
                double sigma = number(d.required("sigma", "the spread (standard deviation of log duration), e.g. 1.0"), d.path("sigma"), 0, 10);
                return Distribution.lognormal(mean, sigma);
            }
            case UNIFORM -> {
                d.allow("dist", "min", "max");
                long min = Fields.asTime(d.required("min", "the shortest duration"), d.path("min"));
                long max = Fields.asTime(d.required("max", "the longest duration"), d.path("max"));
                if (max < min) throw new ScenarioException(d.path("max"), Durations.format(max) + " is below min " + Durations.format(min));
                return Distribution.uniform(min, max);
            }
            default -> {
                d.allow("dist", "values");
                JsonNode list = d.required("values", "a non-empty list of durations");
                if (!list.isArray() || list.isEmpty())
                    throw new ScenarioException(d.path("values"), "expected a non-empty list of durations, got " + Fields.show(list));
                List<Long> values = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) values.add(Fields.asTime(list.get(i), d.path("values") + "[" + i + "]"));
                return kind.equals("trace") ? Distribution.trace(values) : Distribution.empirical(values);
            }
        }
    }

    private static double probability(JsonNode v, String path) {
        return number(v, path, 0, 1);
    }

    private static double rate(JsonNode v, String path) {
        return number(v, path, 0, MAX_RATE);
    }

    /** A plain number (integer or decimal) in [min, max]; strings are refused so "0.5" typos show. */
    static double number(JsonNode v, String path, double min, double max) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max)
            throw new ScenarioException(path, "expected a number in " + plain(min) + ".." + plain(max) + ", got " + Fields.show(v));
        return v.asDouble();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static List<Integer> intList(JsonNode list, String path) {
        if (!list.isArray()) throw new ScenarioException(path, "expected a list of CPU numbers, got " + Fields.show(list));
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) out.add(Fields.asInt(list.get(i), path + "[" + i + "]", 0, Integer.MAX_VALUE));
        return out;
    }

    // ---- consistency with the machine --------------------------------------------------------

    static void checkFits(Workload w, Machine machine) {
        checkFits(w, machine, "workload");
    }

    /** Every CPU and node the workload names must exist on {@code machine}. */
    static void checkFits(Workload w, Machine machine, String path) {
        int cpus = machine.possibleCpus();
        Workload.Activity a = w.activity();
        if (a != null) {
            String ap = path + ".activity";
            checkCpus(a.cpus(), cpus, ap + ".cpus");
            if (!a.loadPerNode().isEmpty() && a.loadPerNode().size() != machine.nodeCount())
                throw new ScenarioException(ap + ".loadPerNode", "lists " + a.loadPerNode().size() + " levels but the machine has "
                        + machine.nodeCount() + " nodes; give one per node");
            for (int c : a.loadPerCpu().keySet()) {
                if (c < 0 || c >= cpus)
                    throw new ScenarioException(ap + ".loadPerCpu." + c, "CPU " + c + " does not exist; allowed: 0.." + (cpus - 1));
            }
            if (a.idle() == null && a.load() == null && a.loadPerNode().isEmpty()) {
                List<Integer> members = a.cpus().isEmpty() ? allCpus(cpus) : a.cpus();
                for (int c : members) {
                    if (!a.loadPerCpu().containsKey(c))
                        throw new ScenarioException(ap + ".idle", "missing; CPU " + c + " has no load level, so its idle periods need a distribution");
                }
            }
        }
        if (w.interrupts() != null) checkCpus(w.interrupts().cpus(), cpus, path + ".interrupts.cpus");
        if (w.timers() != null) checkCpus(w.timers().cpus(), cpus, path + ".timers.cpus");
    }

    private static void checkCpus(List<Integer> list, int cpus, String path) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) >= cpus)
                throw new ScenarioException(path + "[" + i + "]", "CPU " + list.get(i) + " does not exist; allowed: 0.." + (cpus - 1));
        }
    }

    private static List<Integer> allCpus(int cpus) {
        List<Integer> all = new ArrayList<>(cpus);
        for (int c = 0; c < cpus; c++) all.add(c);
        return all;
    }
}
