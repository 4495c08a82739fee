package org.tmigrlab.engine.report;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.scenario.Durations;
import org.tmigrlab.engine.scenario.ExpectationResult;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.TimerRecord;

/**
 * The {@code --format table} report: what a person reads in a terminal. Times are in ms with
 * µs resolution and lateness in µs, since ticks are ms-sized at HZ=1000; the JSON report keeps
 * the exact ns. Output is plain text with {@code \n} line ends and no locale-dependent digits.
 */
public final class ReportTable {
    static final String PASS = "✓";
    static final String FAIL = "✗";
    /** A storm of violations (a bug switch left on) would bury everything else; JSON has them all. */
    static final int VIOLATIONS_SHOWN = 20;

    private ReportTable() {
    }

    public static String toTable(Report report) {
        StringWriter out = new StringWriter();
        write(report, out);
        return out.toString();
    }

    /** Writes the tables; does not close {@code out}. */
    public static void write(Report report, Writer out) {
        StringBuilder sb = new StringBuilder();
        header(sb, report);
        sb.append('\n').append("timers\n");
        sb.append(timers(report.result().timers()));
        sb.append('\n').append("cpus\n");
        sb.append(cpus(report.result().cpus()));
        sb.append('\n');
        summary(sb, report.result().metrics());
        sb.append('\n');
        violations(sb, report.result().violations());
        sb.append('\n').append("expectations\n");
        expectations(sb, report.expectations());
        PrintWriter pw = new PrintWriter(out);
        pw.print(sb);
        pw.flush();
    }

    private static void header(StringBuilder sb, Report r) {
        Scenario s = r.scenario();
        String bugs = s.bugs().isEmpty() ? "none" : s.bugs().stream().sorted().map(Bug::key).collect(Collectors.joining(", "));
        sb.append("scenario ").append(r.name()).append(" (").append(r.file()).append(")\n");
        sb.append("  ").append(s.machine().possibleCpus()).append(" CPUs, ").append(s.machine().nodeCount())
                .append(s.machine().nodeCount() == 1 ? " node" : " nodes")
                .append(", ").append(s.childrenPerGroup()).append(" children per group, model ").append(s.model())
                .append(", HZ=").append(s.hz()).append(", seed ").append(s.seed())
                .append(", until ").append(Durations.format(s.until())).append('\n');
        sb.append("  bugs: ").append(bugs).append(s.checkInvariants() ? "" : "; invariant checks off").append('\n');
    }

    private static String timers(List<TimerRecord> timers) {
        Table t = new Table(true, "name", "armed on", "expires (ms)", "fired at (ms)", "on", "late (us)", "remote", "note");
        // TimerRecord.cancelledAt also marks a re-arming; the next record of the name armed at that instant tells them apart.
        Set<String> armings = new HashSet<>();
        for (TimerRecord r : timers) armings.add(r.name() + "@" + r.armedAt());
        for (TimerRecord r : timers) {
            boolean fired = r.firedAt() != null;
            t.row(r.name(), String.valueOf(r.armedOn()), Durations.millis(r.expiresNs()),
                    fired ? Durations.millis(r.firedAt()) : "-",
                    fired ? String.valueOf(r.firedOn()) : "-",
                    r.latenessNs() == null ? "-" : micros(r.latenessNs()),
                    fired ? (r.remote() ? "yes" : "no") : "-",
                    note(r, armings));
        }
        return t.render("(no timers armed)");
    }

    private static String note(TimerRecord r, Set<String> armings) {
        List<String> parts = new ArrayList<>();
        if (r.pinned()) parts.add("pinned");
        if (r.deferrable()) parts.add("deferrable");
        if (r.cancelledAt() != null) {
            boolean rearmed = r.cancelledAt() != r.armedAt() && armings.contains(r.name() + "@" + r.cancelledAt());
            parts.add((rearmed ? "re-armed at " : "cancelled at ") + Durations.millis(r.cancelledAt()) + "ms");
        }
        return String.join(", ", parts);
    }

    private static String cpus(List<CpuRecord> cpus) {
        Table t = new Table(false, "cpu", "wakeups", "timer", "duty", "idle (ms)", "irq", "ipi");
        for (CpuRecord c : cpus) {
            t.row(String.valueOf(c.cpu()), String.valueOf(c.wakeups()), String.valueOf(c.timerWakeups()),
                    String.valueOf(c.dutyWakeups()), Durations.millis(c.idleNs()), String.valueOf(c.irqWakeups()),
                    String.valueOf(c.ipiWakeups()));
        }
        return t.render("(no CPUs)");
    }

    /** The headline numbers of the run (JSON {@code metrics} has them all); nothing wall-clock. */
    private static void summary(StringBuilder sb, Map<String, Object> m) {
        if (!m.containsKey("globalWakeups")) return; // a hand-built result without the run's metrics
        sb.append("metrics\n");
        sb.append("  wake-ups ").append(m.get("wakeups")).append(" (timer ").append(m.get("timerWakeups"))
                .append(", duty ").append(m.get("dutyWakeups")).append("; for global timers ").append(m.get("globalWakeups"))
                .append("), irq ").append(m.get("irqWakeups")).append(", ipi ").append(m.get("ipiWakeups"))
                .append(", per second ").append(m.get("wakeupsPerSecond")).append('\n');
        sb.append("  timers armed ").append(m.get("timersArmed")).append(", fired ").append(m.get("timersFired"))
                .append(", cancelled or re-armed before expiry ").append(m.get("cancelledBeforeExpiryFraction"))
                .append(", remote ").append(m.get("remoteExpiries")).append(" (cross-node ").append(m.get("crossNodeRemoteExpiries"))
                .append(", cross-LLC ").append(m.get("crossLlcRemoteExpiries")).append("), pushed ").append(m.get("timersPushed")).append('\n');
        sb.append("  lateness global (us) p50 ").append(us(m.get("latenessGlobalP50Ns"))).append(" p99 ")
                .append(us(m.get("latenessGlobalP99Ns"))).append(" max ").append(us(m.get("latenessGlobalMaxNs")))
                .append("; pinned p50 ").append(us(m.get("latenessPinnedP50Ns"))).append(" p99 ")
                .append(us(m.get("latenessPinnedP99Ns"))).append(" max ").append(us(m.get("latenessPinnedMaxNs"))).append('\n');
    }

    private static String us(Object ns) {
        return ns instanceof Number n ? micros(n.longValue()) : "-";
    }

    private static void violations(StringBuilder sb, List<Violation> violations) {
        sb.append("invariant violations: ").append(violations.size()).append('\n');
        for (Violation v : violations.subList(0, Math.min(violations.size(), VIOLATIONS_SHOWN))) {
            sb.append("  ").append(Durations.millis(v.time())).append("ms ").append(v.invariant()).append(": ")
                    .append(v.message()).append('\n');
        }
        if (violations.size() > VIOLATIONS_SHOWN)
            sb.append("  ... ").append(violations.size() - VIOLATIONS_SHOWN).append(" more (--format json lists them all)\n");
    }

    private static void expectations(StringBuilder sb, List<ExpectationResult> results) {
        if (results.isEmpty()) {
            sb.append("  (none)\n");
            return;
        }
        int width = results.stream().mapToInt(r -> r.expect().length()).max().orElse(0);
        for (ExpectationResult r : results) {
            sb.append(r.ok() ? PASS : FAIL).append(' ').append(pad(r.expect(), width)).append("  ").append(r.actual()).append('\n');
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        sb.append(failed == 0 ? "all " + results.size() + " hold\n" : failed + " of " + results.size() + " failed\n");
    }

    /** ns → µs, exact (three decimals at most, trailing zeros dropped). */
    private static String micros(long ns) {
        return BigDecimal.valueOf(ns).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** Column-aligned text: numbers right-aligned; a name column first and a note column last left-aligned. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;
        private final boolean named;

        /** {@code named}: the first column holds names and the last free text (the timer table). */
        Table(boolean named, String... header) {
            rows.add(header);
            columns = header.length;
            this.named = named;
        }

        void row(String... cells) {
            rows.add(cells);
        }

        String render(String empty) {
            if (rows.size() == 1) return "  " + empty + "\n";
            int[] width = new int[columns];
            for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < columns; i++) {
                    if (i > 0) line.append("  ");
                    boolean last = i == columns - 1;
                    if (named && last) line.append(r[i]);
                    else if (named && i == 0) line.append(pad(r[i], width[i]));
                    else line.append(" ".repeat(width[i] - r[i].length())).append(r[i]);
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            return sb.toString();
        }
    }
}
