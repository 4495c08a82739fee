package org.tmigrlab.engine.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.tmigrlab.engine.replay.Disagreement.Cause;
import org.tmigrlab.engine.report.TextTable;

/**
 * Renders replays: a table for people, JSON for tools, and a side-by-side table when the same
 * capture was replayed under several configurations (what-if).
 */
public final class ReplayReport {

    private ReplayReport() {
    }

    /** {@code 3.064715} from ns. */
    public static String seconds(long ns) {
        return String.format(Locale.ROOT, "%d.%06d", Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L) / 1000);
    }

    /** A tmigr time value: {@code KTIME_MAX} spelt out, else seconds. */
    public static String tmigrTime(long v) {
        return v == Long.MAX_VALUE ? "KTIME_MAX" : v == -1 ? "U64_MAX" : seconds(v);
    }

    static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    // =====================================================================================
    // Table
    // =====================================================================================

    public static String table(ReplayResult r) {
        StringBuilder b = new StringBuilder();
        b.append(header(r));
        b.append('\n').append(outcome(List.of(r)));
        if (r.profile().hasDecisions()) b.append('\n').append(fidelity(r));
        return b.toString();
    }

    static String header(ReplayResult r) {
        StringBuilder b = new StringBuilder();
        TraceProfile p = r.profile();
        TraceReader.Stats s = p.stats();
        b.append("trace     ").append(r.file()).append('\n');
        b.append("          ").append(s.lines()).append(" lines, ").append(s.events()).append(" events");
        if (s.unparsed() > 0) b.append(", ").append(s.unparsed()).append(" not understood");
        if (p.malformedLines() + r.skippedLines() > 0) b.append(", ").append(p.malformedLines() + r.skippedLines()).append(" malformed");
        if (s.lostMarkers() > 0) b.append(", ").append(s.lostMarkers()).append(" lost-event markers (").append(s.lostEvents()).append(" events)");
        if (s.overwritten() > 0) b.append(", ").append(s.overwritten()).append(" overwritten by the ring buffer");
        b.append("; ").append(seconds(p.lastTs() - p.firstBehaviourTs())).append(" s of behaviour\n");
        for (String u : s.unparsedSamples()) b.append("          not understood: ").append(u).append('\n');
        for (String u : p.malformed()) b.append("          malformed: ").append(u).append('\n');
        for (String u : r.skippedFirst()) b.append("          malformed: ").append(u).append('\n');
        for (String u : s.lostSamples()) b.append("          lost: ").append(u).append('\n');
        if (s.truncatedInput() != null) b.append("          ").append(s.truncatedInput()).append('\n');
        b.append("machine   ").append(r.machine().possibleCpus()).append(" CPUs, ").append(r.machine().nodeCount())
                .append(r.machine().nodeCount() == 1 ? " node" : " nodes").append(" (").append(r.machineSource()).append("), HZ=").append(r.hz())
                .append(" (").append(r.options().hz() != null ? "--hz" : p.hzSource()).append(")\n");
        Replay.TreeCheck t = r.tree();
        b.append("tree      ");
        if (!t.present()) {
            b.append("not in the trace: the lab's kernel builder's\n");
        } else if (t.equal()) {
            b.append("equal to the lab's kernel builder").append(t.imbalanced() ? " with imbalanced-numa-trees (a kernel before the NUMA fix)" : "")
                    .append(": ").append(t.kernelSummary()).append(", groupmasks equal\n");
        } else {
            b.append("UNEQUAL to the lab's kernel builder: ").append(t.kernelSummary()).append('\n');
            for (String d : t.differences().subList(0, Math.min(10, t.differences().size()))) b.append("          ").append(d).append('\n');
        }
        b.append("replay    ").append(r.options().modelOrDefault()).append(", builder ").append(r.options().builderOrDefault())
                .append(", ").append(r.options().childrenPerGroupOrDefault())
                .append(" children per group, migrator ").append(r.options().migratorOrDefault()).append("; idle periods from ").append(r.idleSource().key())
                .append("; kernel jiffies J replayed as J-").append(r.jiffiesShift());
        if (r.laggingJiffyEvents() > 0) b.append("; ").append(r.laggingJiffyEvents()).append(" events in the jiffy the kernel was still in");
        b.append('\n');
        for (String w : r.warnings()) b.append("warning   ").append(w).append('\n');
        if (r.options().checkInvariants()) {
            b.append("invariants ").append(r.run().violations().size()).append(" violations\n");
            r.run().violations().stream().limit(5).forEach(v -> b.append("          ").append(v).append('\n'));
        }
        return b.toString();
    }

    /** Kernel and lab side by side, one lab column per replay (the first is normally the kernel's configuration). */
    public static String outcome(List<ReplayResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("outcome over the capture's timers", "kernel"));
        for (ReplayResult r : runs) head.add(runs.size() == 1 ? "lab" : "lab " + r.configuration());
        rows.add(head);
        List<Map<String, Number[]>> outcomes = new ArrayList<>();
        for (ReplayResult r : runs) outcomes.add(r.outcome());
        for (String key : outcomes.get(0).keySet()) {
            List<String> row = new ArrayList<>();
            row.add(key);
            row.add(num(outcomes.get(0).get(key)[0]));
            for (Map<String, Number[]> o : outcomes) row.add(num(o.get(key)[1]));
            rows.add(row);
        }
        if (runs.get(0).profile().hasDecisions()) {
            List<String> t = new ArrayList<>(List.of("same CPU as the kernel (timers)", "-"));
            List<String> w = new ArrayList<>(List.of("same wakeup as the kernel (tmigr_cpu_idle)", "-"));
            for (ReplayResult r : runs) {
                t.add(pct(r.fidelity().timers().percent()));
                w.add(pct(r.fidelity().idle().percent()));
            }
            rows.add(t);
            rows.add(w);
        }
        return TextTable.align(rows);
    }

    private static String num(Number n) {
        if (n == null) return "-";
        if (n instanceof Double d) return String.format(Locale.ROOT, "%.3f", d);
        return n.toString();
    }

    static String fidelity(ReplayResult r) {
        Fidelity f = r.fidelity();
        StringBuilder b = new StringBuilder("fidelity: the kernel's decisions in the trace, decided again by the lab\n");
        for (Fidelity.Measure m : List.of(f.timers(), f.idle())) {
            b.append(String.format(Locale.ROOT, "  %-42s %6s  (%d of %d; %s leaving out unknown inputs)%n", m.name(), pct(m.percent()),
                    m.agreements(), m.decisions(), pct(m.percentKnownInputs())));
            for (Cause c : Cause.values()) {
                long n = m.disagreements(c);
                if (n > 0) b.append(String.format(Locale.ROOT, "      %-40s %d%n", c.text(), n));
            }
        }
        b.append(String.format(Locale.ROOT, "  %-42s %d of %d in the same jiffy%n", "  expired in the same jiffy too",
                f.timers().exactAgreements(), f.timers().agreements()));
        b.append(String.format(Locale.ROOT, "  %-42s %d of %d lines (%d with clk=jiffies, %d with the lagging base clock the trace shows), %d mismatches%n",
                "bucket_expiry equal", f.bucketEqualJiffies() + f.bucketEqualLagging(), f.bucketChecked(), f.bucketEqualJiffies(),
                f.bucketEqualLagging(), f.bucketMismatches()));
        Fidelity.Measure pre = f.preCapture();
        if (pre.decisions() > 0 || f.preCaptureExpiries() > 0)
            b.append(String.format(Locale.ROOT, "  %-42s %d re-created (%d of them expired on the kernel's CPU), %d not (%d pulled)%n",
                    "timers armed before tracing began", pre.decisions(), pre.agreements(), f.preCaptureExpiries(), f.preCaptureRemoteExpiries()));
        if (f.labOnlyIdleDecisions() > 0)
            b.append(String.format(Locale.ROOT, "  %-42s %d%n", "lab tick stops the kernel did not make", f.labOnlyIdleDecisions()));
        for (Fidelity.Measure m : List.of(f.timers(), f.idle())) {
            if (m.listed().isEmpty()) continue;
            b.append("\n  disagreements: ").append(m.name()).append(" (first of each cause)\n");
            for (Disagreement d : m.listed()) {
                b.append("    ").append(seconds(d.timeNs())).append(" line ").append(d.line()).append(" CPU ").append(d.cpu())
                        .append(": ").append(d.what()).append('\n');
                b.append("        kernel: ").append(d.kernel()).append('\n');
                b.append("        lab:    ").append(d.lab()).append('\n');
                b.append("        cause:  ").append(d.cause().text()).append(" — ").append(d.reason()).append('\n');
            }
        }
        if (!f.bucketLaggingList().isEmpty()) {
            b.append("\n  bucket_expiry against a lagging base clock\n");
            for (String s : f.bucketLaggingList()) b.append("    ").append(s).append('\n');
        }
        if (!f.bucketMismatchList().isEmpty()) {
            b.append("\n  bucket_expiry mismatches\n");
            for (String s : f.bucketMismatchList()) b.append("    ").append(s).append('\n');
        }
        if (!f.preCaptureList().isEmpty()) {
            b.append("\n  timers armed before tracing began that could not be re-created (first few)\n");
            for (String s : f.preCaptureList()) b.append("    ").append(s).append('\n');
        }
        if (!f.anomalies().isEmpty()) {
            b.append("\n  trace anomalies\n");
            for (String s : f.anomalies()) b.append("    ").append(s).append('\n');
        }
        return b.toString();
    }

    /** The first replay's full report, then the outcome of every replay side by side. */
    public static String whatIf(List<ReplayResult> runs) {
        StringBuilder b = new StringBuilder(table(runs.get(0)));
        if (runs.size() > 1) {
            b.append("\nwhat-if: the same capture under other configurations\n");
            b.append(outcome(runs));
        }
        return b.toString();
    }

    // =====================================================================================
    // JSON
    // =====================================================================================

    public static Map<String, Object> toMap(ReplayResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        TraceProfile p = r.profile();
        TraceReader.Stats s = p.stats();
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("file", r.file());
        trace.put("lines", s.lines());
        trace.put("events", s.events());
        trace.put("notUnderstood", s.unparsed());
        trace.put("notUnderstoodFirst", s.unparsedSamples());
        trace.put("malformed", p.malformedLines() + r.skippedLines());
        List<String> malformed = new ArrayList<>(p.malformed());
        malformed.addAll(r.skippedFirst());
        trace.put("malformedFirst", malformed);
        trace.put("lostMarkers", s.lostMarkers());
        trace.put("lostEvents", s.lostEvents());
        trace.put("overwritten", s.overwritten());
        trace.put("truncated", s.truncatedInput());
        trace.put("firstTs", seconds(p.firstBehaviourTs()));
        trace.put("lastTs", seconds(p.lastTs()));
        trace.put("eventCounts", p.eventCounts());
        o.put("trace", trace);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", r.machine().possibleCpus());
        machine.put("nodes", r.machine().nodeCount());
        List<Integer> nodes = new ArrayList<>();
        for (int c = 0; c < r.machine().possibleCpus(); c++) nodes.add(r.machine().nodeOf(c));
        machine.put("cpuNodes", nodes);
        machine.put("source", r.machineSource());
        machine.put("hz", r.hz());
        machine.put("hzSource", r.options().hz() != null ? "--hz" : p.hzSource());
        o.put("machine", machine);
        Replay.TreeCheck t = r.tree();
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("inTrace", t.present());
        tree.put("equal", t.present() ? t.equal() : null);
        tree.put("imbalancedNumaTrees", t.imbalanced());
        tree.put("kernel", t.kernelSummary());
        tree.put("differences", t.differences());
        o.put("tree", tree);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("model", r.options().modelOrDefault());
        rep.put("builder", r.options().builderOrDefault());
        rep.put("childrenPerGroup", r.options().childrenPerGroupOrDefault());
        rep.put("migrator", r.options().migratorOrDefault());
        rep.put("idleSource", r.idleSource().key());
        rep.put("jiffiesShift", r.jiffiesShift());
        rep.put("timeAligned", r.timeAligned());
        rep.put("laggingJiffyEvents", r.laggingJiffyEvents());
        o.put("replay", rep);
        o.put("warnings", r.warnings());
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Number[]> e : r.outcome().entrySet()) {
            Map<String, Object> kv = new LinkedHashMap<>();
            kv.put("kernel", e.getValue()[0]);
            kv.put("lab", e.getValue()[1]);
            out.put(e.getKey().strip(), kv);
        }
        o.put("outcome", out);
        o.put("metrics", counters(r));
        if (r.options().checkInvariants()) o.put("invariantViolations", r.run().violations().stream().map(Object::toString).toList());
        if (p.hasDecisions()) o.put("fidelity", fidelityMap(r.fidelity()));
        return o;
    }

    static Map<String, Object> fidelityMap(Fidelity f) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("timerExpiries", measure(f.timers()));
        o.put("idleWakeups", measure(f.idle()));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("checked", f.bucketChecked());
        b.put("equalWithJiffies", f.bucketEqualJiffies());
        b.put("equalWithLaggingBaseClock", f.bucketEqualLagging());
        b.put("mismatches", f.bucketMismatches());
        b.put("lagging", f.bucketLaggingList());
        b.put("mismatchList", f.bucketMismatchList());
        o.put("bucketExpiry", b);
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("recreated", f.preCapture().decisions());
        u.put("recreatedSameCpu", f.preCapture().agreements());
        u.put("notRecreatedExpiries", f.preCaptureExpiries());
        u.put("notRecreatedPulled", f.preCaptureRemoteExpiries());
        u.put("notRecreatedFirst", f.preCaptureList());
        o.put("preCaptureTimers", u);
        o.put("labOnlyTickStops", f.labOnlyIdleDecisions());
        o.put("anomalies", f.anomalies());
        return o;
    }

    static Map<String, Object> measure(Fidelity.Measure m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", m.name());
        o.put("decisions", m.decisions());
        o.put("agreements", m.agreements());
        o.put("exactAgreements", m.exactAgreements());
        o.put("percent", Math.round(m.percent() * 100) / 100.0);
        o.put("percentKnownInputs", Math.round(m.percentKnownInputs() * 100) / 100.0);
        Map<String, Object> causes = new LinkedHashMap<>();
        for (Cause c : Cause.values()) causes.put(c.name().toLowerCase(Locale.ROOT), m.disagreements(c));
        o.put("disagreements", causes);
        o.put("reasons", new TreeMap<>(m.reasons()));
        List<Object> list = new ArrayList<>();
        for (Disagreement d : m.listed()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("time", seconds(d.timeNs()));
            x.put("line", d.line());
            x.put("cpu", d.cpu());
            x.put("what", d.what());
            x.put("kernel", d.kernel());
            x.put("lab", d.lab());
            x.put("cause", d.cause().name().toLowerCase(Locale.ROOT));
            x.put("reason", d.reason());
            list.add(x);
        }
        o.put("first", list);
        return o;
    }

    public static String json(ReplayResult r) {
        return write(toMap(r));
    }

    /** The first replay in full, the others' outcome and agreement figures under {@code whatIf}. */
    public static String json(List<ReplayResult> runs) {
        Map<String, Object> o = toMap(runs.get(0));
        if (runs.size() > 1) {
            List<Object> w = new ArrayList<>();
            for (ReplayResult r : runs.subList(1, runs.size())) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", r.options().modelOrDefault());
                x.put("builder", r.options().builderOrDefault());
                x.put("childrenPerGroup", r.options().childrenPerGroupOrDefault());
                x.put("migrator", r.options().migratorOrDefault());
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, Number[]> e : r.outcome().entrySet()) out.put(e.getKey().strip(), e.getValue()[1]);
                x.put("outcome", out);
                x.put("metrics", counters(r));
                if (r.profile().hasDecisions()) {
                    x.put("sameCpuAsKernelPercent", Math.round(r.fidelity().timers().percent() * 100) / 100.0);
                    x.put("sameWakeupAsKernelPercent", Math.round(r.fidelity().idle().percent() * 100) / 100.0);
                }
                w.add(x);
            }
            o.put("whatIf", w);
        }
        return write(o);
    }

    /**
     * The run's counters. Rates and idle times are left out: the simulator's clock starts at jiffy
     * {@code J0}, long before the capture, so per-second figures would be diluted by that gap.
     */
    static Map<String, Object> counters(ReplayResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("events", "wakeups", "timerWakeups", "dutyWakeups", "timersArmed", "timersFired", "timersCancelled",
                "remoteExpiries", "crossNodeRemoteExpiries", "walks", "walkSteps", "migratorHandOvers", "hierarchyTransitions",
                "ipiWakeups", "irqWakeups")) {
            Object v = r.run().metrics().get(k);
            if (v != null) m.put(k, v);
        }
        return m;
    }

    private static String write(Object o) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
