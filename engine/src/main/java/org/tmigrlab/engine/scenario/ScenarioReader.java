package org.tmigrlab.engine.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.Bug;

/**
 * Reads a scenario file (YAML or JSON, one schema) into a validated {@link Scenario}. Every
 * problem is a {@link ScenarioException} naming the entry; unknown keys are errors everywhere.
 *
 * <p>The names accepted for {@code hierarchy.builder}, {@code migrator}, {@code model} and
 * {@code hierarchy.sizing} are sets given to the reader, so plugins that add a builder or policy
 * extend a reader with {@link #withBuilders}, {@link #withMigrators}, {@link #withModels},
 * {@link #withSizings} instead of editing it. The {@code machine} section (counts or a source
 * such as hwloc XML) is {@code MachineReader}'s; its files are found relative to the scenario
 * ({@link #relativeTo}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ScenarioReader {
    /** The engine's built-in names ({@code EngineModule}); a test keeps them in step. */
    public static final Set<String> DEFAULT_BUILDERS = Set.of("kernel", "flat", "llc", "smt", "sized", "capacity");
    public static final Set<String> DEFAULT_MIGRATORS = Set.of("lowest-active", "sticky", "round-robin", "numa-affine",
            "llc-affine", "random");
    public static final Set<String> DEFAULT_SIZINGS = Set.of("uniform-2", "uniform-4", "uniform-8", "uniform-16",
            "uniform-32", "uniform-64");
    public static final Set<String> DEFAULT_MODELS = Set.of("mainline", "rfc2017", "push", "local", "oracle");
    public static final Set<Integer> HZ_VALUES = Set.of(100, 250, 300, 1000);
    /** Classpath location of the scenario {@code tmigr run} uses without a file. */
    public static final String DEFAULT_SCENARIO = "/scenarios/default.yaml";
    /** Guards against a typo allocating a machine the JVM cannot hold; far above the kernel's NR_CPUS. */
    public static final int MAX_CPUS = 65_536;
    /** {@code until} when the file has none: one second past the last step, so its timers can expire. */
    public static final long DEFAULT_TAIL_NS = 1_000_000_000L;

    private static final List<String> TOP_KEYS = List.of("machine", "hierarchy", "migrator", "model", "bugs", "hz",
            "seed", "until", "checkInvariants", "script", "expect", "workload", "metrics");

    /** File formats; YAML also reads JSON, but the JSON parser gives JSON-flavoured error messages. */
    public enum Format {
        YAML, JSON;

        /** By extension: {@code .json} is JSON, anything else YAML. */
        public static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    // Configured once, read-only afterwards, so sharing them across threads is safe.
    private static final ObjectMapper JSON = JsonMapper.builder()
            // A key given twice would otherwise silently keep the last value.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Trailing JSON would otherwise be ignored.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A second YAML document would otherwise be ignored.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Set<String> builders;
    private final Set<String> migrators;
    private final Set<String> models;
    private final Set<String> sizings;
    /** Where relative machine files ({@code machine.file}, {@code machine.path}) are found. */
    private final Path baseDir;

    public ScenarioReader() {
        this(DEFAULT_BUILDERS, DEFAULT_MIGRATORS, DEFAULT_MODELS);
    }

    public ScenarioReader(Set<String> builders, Set<String> migrators, Set<String> models) {
        this(builders, migrators, models, DEFAULT_SIZINGS, Path.of(""));
    }

    private ScenarioReader(Set<String> builders, Set<String> migrators, Set<String> models, Set<String> sizings, Path baseDir) {
        this.builders = Set.copyOf(builders);
        this.migrators = Set.copyOf(migrators);
        this.models = Set.copyOf(models);
        this.sizings = Set.copyOf(sizings);
        this.baseDir = baseDir;
    }

    public ScenarioReader withBuilders(Collection<String> more) {
        return new ScenarioReader(union(builders, more), migrators, models, sizings, baseDir);
    }

    public ScenarioReader withMigrators(Collection<String> more) {
        return new ScenarioReader(builders, union(migrators, more), models, sizings, baseDir);
    }

    public ScenarioReader withModels(Collection<String> more) {
        return new ScenarioReader(builders, migrators, union(models, more), sizings, baseDir);
    }

    /** Sizing names {@code hierarchy.sizing} may use besides a per-level list. */
    public ScenarioReader withSizings(Collection<String> more) {
        return new ScenarioReader(builders, migrators, models, union(sizings, more), baseDir);
    }

    /**
     * Resolves relative machine files against {@code dir} (the scenario file's directory;
     * {@link #read(Path)} does this itself). Default: the working directory.
     */
    public ScenarioReader relativeTo(Path dir) {
        return new ScenarioReader(builders, migrators, models, sizings, dir);
    }

    public Set<String> builders() {
        return builders;
    }

    public Set<String> migrators() {
        return migrators;
    }

    public Set<String> models() {
        return models;
    }

    public Set<String> sizings() {
        return sizings;
    }

    /** Reads {@code file}, choosing the format by extension; machine files are relative to its directory. */
    public Scenario read(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return relativeTo(dir == null ? Path.of("") : dir).read(Files.readString(file, StandardCharsets.UTF_8), Format.of(file));
    }

    /** The embedded default scenario. */
    public Scenario readDefault() {
        try (InputStream in = ScenarioReader.class.getResourceAsStream(DEFAULT_SCENARIO)) {
            if (in == null) throw new IllegalStateException(DEFAULT_SCENARIO + " missing from the classpath");
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), Format.YAML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Scenario read(String text, Format format) {
        return build(parse(text, format));
    }

    private static JsonNode parse(String text, Format format) {
        JsonNode root;
        try {
            root = (format == Format.JSON ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, format);
        }
        if (root == null || root.isMissingNode() || root.isNull())
            throw new ScenarioException("", "empty document; expected a mapping with at least machine.cpus");
        return root;
    }

    /** Line and column are what a person needs to find a syntax error; the parser's context adds the key path. */
    private static ScenarioException syntaxError(JsonProcessingException e, Format format) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        String field = "";
        if (e instanceof StreamReadException sre && sre.getProcessor() != null && sre.getProcessor().getParsingContext() != null) {
            field = dotted(sre.getProcessor().getParsingContext().pathAsPointer().toString());
        }
        return new ScenarioException(field, where + "malformed " + format.name() + ": " + problem(e.getOriginalMessage()), e);
    }

    /**
     * The parser's own words without its source excerpt: SnakeYAML repeats the offending line, a
     * caret and "in 'reader', line ..." (indented lines), which line/column already say better.
     */
    private static String problem(String original) {
        if (original.startsWith("Trailing token"))
            return "content after the end of the scenario (a second YAML document?); a file holds exactly one scenario";
        return original.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::trim).collect(Collectors.joining("; "));
    }

    /** {@code /script/3/op} → {@code script[3].op}. */
    private static String dotted(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) continue;
            if (part.chars().allMatch(Character::isDigit)) sb.append('[').append(part).append(']');
            else sb.append(sb.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
        }
        return sb.toString();
    }

    private Scenario build(JsonNode root) {
        Fields top = Fields.of(root, "", "a scenario with machine, script, expect ...").allow(TOP_KEYS);

        // Counts or a source (sysfs, hwloc, lscpu, synthetic): MachineReader.
        MachineReader.Section section = MachineReader.read(top.required("machine", "a mapping with cpus, or a source"),
                "machine", baseDir);
        Machine machine = section.machine();
        int cpus = machine.possibleCpus();
        int[] onlineOrder = section.onlineOrder();

        String builder = "kernel";
        int childrenPerGroup = 8;
        String sizing = null;
        if (top.has("hierarchy")) {
            Fields h = Fields.of(top.get("hierarchy"), "hierarchy", "builder, childrenPerGroup, sizing")
                    .allow("builder", "childrenPerGroup", "sizing");
            // Listed sorted so that "allowed: ..." reads the same on every run.
            if (h.has("builder")) builder = Fields.oneOf(h.get("builder"), h.path("builder"), "builder", sorted(builders));
            if (h.has("childrenPerGroup")) childrenPerGroup = childrenPerGroup(h.get("childrenPerGroup"), h.path("childrenPerGroup"));
            if (h.has("sizing")) {
                if (h.has("childrenPerGroup"))
                    throw new ScenarioException(h.path("sizing"), "give either childrenPerGroup (the same at every level) or sizing, not both");
                sizing = sizing(h.get("sizing"), h.path("sizing"));
            }
        }
        String migrator = top.has("migrator") ? Fields.oneOf(top.get("migrator"), "migrator", "migrator", sorted(migrators)) : "lowest-active";
        String model = top.has("model") ? Fields.oneOf(top.get("model"), "model", "model", sorted(models)) : "mainline";
        Set<Bug> bugs = bugs(top.get("bugs"));
        int hz = top.has("hz") ? hz(top.get("hz")) : 1000;
        long seed = top.has("seed") ? Fields.asLong(top.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1;
        boolean checkInvariants = top.bool("checkInvariants", true);

        List<Step> script = ScriptReader.read(top.get("script"), "script", cpus);
        long lastStep = script.isEmpty() ? 0 : script.get(script.size() - 1).at();
        long until;
        if (top.has("until")) {
            until = Fields.asTime(top.get("until"), "until");
            if (until < lastStep)
                throw new ScenarioException("until", Durations.format(until) + " ends the run before the last step (at "
                        + Durations.format(lastStep) + "); steps after until would never run");
        } else {
            until = lastStep > Long.MAX_VALUE - DEFAULT_TAIL_NS ? Long.MAX_VALUE : lastStep + DEFAULT_TAIL_NS;
        }
        List<Expectation> expect = ExpectReader.read(top.get("expect"), "expect", cpus, ScriptReader.armedNames(script));

        // Generated workload and metrics windows: their own reader (WorkloadReader), same error style.
        org.tmigrlab.engine.workload.Workload workload = WorkloadReader.read(top.get("workload"), "workload", machine);
        long metricsWindow = WorkloadReader.metricsWindow(top.get("metrics"), "metrics", until);

        return new Scenario(machine, onlineOrder, builder, childrenPerGroup, migrator, model, bugs, hz, seed, until,
                script, expect, checkInvariants, workload, metricsWindow, sizing);
    }

    /** A per-level list ({@code [2, 8, 8]}, kept as that text) or a sizing name from the catalog. */
    private String sizing(JsonNode v, String path) {
        if (v == null || !v.isArray()) return Fields.oneOf(v, path, "sizing", sorted(sizings));
        if (v.isEmpty()) throw new ScenarioException(path, "is empty; list the children per group of each level, e.g. [2, 8, 8]");
        List<Integer> levels = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) levels.add(childrenPerGroup(v.get(i), path + "[" + i + "]"));
        return levels.toString();
    }

    private static int childrenPerGroup(JsonNode v, String path) {
        int n = v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : -1;
        if (n < 2 || n > 64 || Integer.bitCount(n) != 1)
            throw new ScenarioException(path, Fields.show(v) + " is not allowed; expected a power of two in 2..64 (2, 4, 8, 16, 32, 64)");
        return n;
    }

    private static int hz(JsonNode v) {
        int n = v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : -1;
        if (!HZ_VALUES.contains(n))
            throw new ScenarioException("hz", Fields.show(v) + " is not allowed; expected one of 100, 250, 300, 1000");
        return n;
    }

    private static Set<Bug> bugs(JsonNode list) {
        if (list == null) return Set.of();
        if (!list.isArray()) throw new ScenarioException("bugs", "expected a list of bug names, got " + Fields.show(list));
        Set<Bug> bugs = EnumSet.noneOf(Bug.class);
        List<String> keys = Arrays.stream(Bug.values()).map(Bug::key).toList();
        for (int i = 0; i < list.size(); i++) {
            String key = Fields.oneOf(list.get(i), "bugs[" + i + "]", "bug", keys);
            if (!bugs.add(Bug.byKey(key).orElseThrow()))
                throw new ScenarioException("bugs[" + i + "]", "'" + key + "' is listed twice");
        }
        return bugs;
    }

    private static List<String> sorted(Set<String> names) {
        return List.copyOf(new TreeSet<>(names));
    }

    private static Set<String> union(Set<String> a, Collection<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
