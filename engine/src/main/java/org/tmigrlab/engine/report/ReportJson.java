package org.tmigrlab.engine.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.scenario.ExpectationResult;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RuntimeStats;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.sim.WindowMetrics;

/**
 * The {@code --format json} report. Field order is fixed by this class, not by reflection or
 * hashing, and numbers are written as integers wherever the model holds integers, so the same
 * run gives the same bytes on every machine (line ends are {@code \n} regardless of platform).
 * Absent values ({@code firedAt} of a timer that never fired) are {@code null}, not omitted, so
 * every record has the same keys.
 */
public final class ReportJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ReportJson() {
    }

    public static String toJson(Report report) {
        StringWriter out = new StringWriter();
        write(report, out);
        return out.toString();
    }

    /** Writes the deterministic report (no {@code runtime} section) and a final newline; does not close {@code out}. */
    public static void write(Report report, Writer out) {
        write(report, out, false);
    }

    /**
     * Writes the report; with {@code withRuntime} a last section {@code runtime} holds the
     * simulator's wall-clock figures (events/s). That section differs from run to run: leave it
     * out wherever "same seed, same bytes" matters.
     */
    public static void write(Report report, Writer out, boolean withRuntime) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(prettyPrinter());
            g.writeStartObject();
            scenario(g, report);
            timers(g, report.result().timers());
            cpus(g, report.result().cpus());
            g.writeFieldName("metrics");
            value(g, report.result().metrics());
            violations(g, report.result().violations());
            expectations(g, report.expectations());
            windows(g, report.result().windows());
            if (withRuntime) runtime(g, report.result().runtime());
            g.writeEndObject();
            g.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static void scenario(JsonGenerator g, Report r) throws IOException {
        Scenario s = r.scenario();
        g.writeObjectFieldStart("scenario");
        g.writeStringField("name", r.name());
        g.writeStringField("file", r.file());
        g.writeStringField("model", s.model());
        g.writeNumberField("hz", s.hz());
        g.writeNumberField("seed", s.seed());
        g.writeNumberField("cpus", s.machine().possibleCpus());
        g.writeNumberField("nodes", s.machine().nodeCount());
        g.writeNumberField("childrenPerGroup", s.childrenPerGroup());
        g.writeFieldName("bugs");
        // Scenario keeps bugs in an unordered set; enum order makes the list stable.
        g.writeRawValue(stringList(s.bugs().stream().sorted().map(Bug::key).toList()));
        g.writeStringField("builder", s.builder());
        g.writeStringField("migrator", s.migrator());
        g.writeNumberField("untilNs", s.until());
        g.writeBooleanField("checkInvariants", s.checkInvariants());
        g.writeNumberField("metricsWindowNs", s.metricsWindow());
        g.writeFieldName("workload");
        if (s.workload().isEmpty()) g.writeNull();
        else value(g, s.workload());
        g.writeEndObject();
    }

    private static void timers(JsonGenerator g, List<TimerRecord> timers) throws IOException {
        g.writeArrayFieldStart("timers");
        for (TimerRecord t : timers) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeNumberField("armedAt", t.armedAt());
            g.writeNumberField("armedOn", t.armedOn());
            g.writeNumberField("cpu", t.cpu());
            g.writeBooleanField("pinned", t.pinned());
            g.writeBooleanField("deferrable", t.deferrable());
            g.writeNumberField("expires", t.expires());
            g.writeNumberField("bucketExpiry", t.bucketExpiry());
            g.writeNumberField("expiresNs", t.expiresNs());
            nullableNumber(g, "firedAt", t.firedAt());
            nullableNumber(g, "firedOn", t.firedOn() == null ? null : t.firedOn().longValue());
            g.writeBooleanField("remote", t.remote());
            nullableNumber(g, "latenessNs", t.latenessNs());
            nullableNumber(g, "cancelledAt", t.cancelledAt());
            g.writeBooleanField("wakesTask", t.wakesTask());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void cpus(JsonGenerator g, List<CpuRecord> cpus) throws IOException {
        g.writeArrayFieldStart("cpus");
        for (CpuRecord c : cpus) {
            g.writeStartObject();
            g.writeNumberField("cpu", c.cpu());
            g.writeNumberField("wakeups", c.wakeups());
            g.writeNumberField("timerWakeups", c.timerWakeups());
            g.writeNumberField("dutyWakeups", c.dutyWakeups());
            g.writeNumberField("idleNs", c.idleNs());
            g.writeNumberField("irqWakeups", c.irqWakeups());
            g.writeNumberField("ipiWakeups", c.ipiWakeups());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void violations(JsonGenerator g, List<Violation> violations) throws IOException {
        g.writeArrayFieldStart("violations");
        for (Violation v : violations) {
            g.writeStartObject();
            g.writeNumberField("time", v.time());
            g.writeStringField("invariant", v.invariant());
            g.writeStringField("message", v.message());
            g.writeFieldName("groups");
            g.writeRawValue(intList(v.groups()));
            g.writeFieldName("cpus");
            g.writeRawValue(intList(v.cpus()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void expectations(JsonGenerator g, List<ExpectationResult> results) throws IOException {
        g.writeArrayFieldStart("expectations");
        for (ExpectationResult r : results) {
            g.writeStartObject();
            g.writeStringField("expect", r.expect());
            g.writeBooleanField("ok", r.ok());
            g.writeStringField("actual", r.actual());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void windows(JsonGenerator g, List<WindowMetrics> windows) throws IOException {
        g.writeArrayFieldStart("windows");
        for (WindowMetrics w : windows) value(g, w);
        g.writeEndArray();
    }

    private static void runtime(JsonGenerator g, RuntimeStats r) throws IOException {
        g.writeObjectFieldStart("runtime");
        g.writeNumberField("wallNanos", r.wallNanos());
        g.writeNumberField("events", r.events());
        g.writeNumberField("eventsPerSecond", Math.round(r.eventsPerSecond()));
        g.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) g.writeNullField(name);
        else g.writeNumberField(name, v);
    }

    // Short lists of scalars stay on one line: one element per line would triple the report's length.
    private static String intList(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String stringList(List<String> values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (String v : values) j.add(quote(v));
        return j.toString();
    }

    private static String quote(String s) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Metric values are whatever the simulator put in the map. Hash-ordered maps and sets are
     * sorted by key text, so a HashMap somewhere inside cannot make two runs differ; other
     * containers keep their order; records become objects in component order; anything unknown
     * is written as its {@code toString()}.
     */
    static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else if (v instanceof BigDecimal bd) {
            g.writeNumber(bd);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            // AtomicLong, LongAdder...: integral counters in practice.
            g.writeNumber(n.longValue());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e instanceof Bug bug ? bug.key() : e.name());
        } else if (v instanceof Map<?, ?> m) {
            mapValue(g, m);
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : hashOrdered(c) ? sortedByText(c) : c) value(g, o);
            g.writeEndArray();
        } else if (v.getClass().isArray()) {
            g.writeStartArray();
            for (int i = 0; i < Array.getLength(v); i++) value(g, Array.get(v, i));
            g.writeEndArray();
        } else if (v instanceof Record rec) {
            g.writeStartObject();
            for (RecordComponent c : rec.getClass().getRecordComponents()) {
                g.writeFieldName(c.getName());
                try {
                    c.getAccessor().setAccessible(true);
                    value(g, c.getAccessor().invoke(rec));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    g.writeString("<unreadable: " + e.getClass().getSimpleName() + ">");
                }
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }

    private static void mapValue(JsonGenerator g, Map<?, ?> m) throws IOException {
        Map<?, ?> ordered = m;
        if (hashOrdered(m)) {
            LinkedHashMap<Object, Object> sorted = new LinkedHashMap<>();
            m.entrySet().stream()
                    .sorted(Comparator.comparing(e -> String.valueOf(e.getKey())))
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            ordered = sorted;
        }
        g.writeStartObject();
        for (Map.Entry<?, ?> e : ordered.entrySet()) {
            g.writeFieldName(String.valueOf(e.getKey()));
            value(g, e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Containers whose iteration order comes from hashing (and for {@code Map.of}/{@code Set.of}
     * from a per-JVM random salt). Anything else, including unmodifiable wrappers around a
     * LinkedHashMap, is taken to have a meaningful order and kept as is.
     */
    private static boolean hashOrdered(Object container) {
        if (container instanceof LinkedHashMap<?, ?> || container instanceof LinkedHashSet<?>) return false;
        return container instanceof HashMap<?, ?> || container instanceof HashSet<?>
                || container instanceof Hashtable<?, ?> || container instanceof ConcurrentHashMap<?, ?>
                || container instanceof IdentityHashMap<?, ?> || container instanceof WeakHashMap<?, ?>
                || container.getClass().getName().startsWith("java.util.ImmutableCollections$Set")
                || container.getClass().getName().startsWith("java.util.ImmutableCollections$Map");
    }

    private static List<Object> sortedByText(Collection<?> c) {
        List<Object> out = new ArrayList<>(c);
        out.sort(Comparator.comparing(String::valueOf));
        return out;
    }
}
