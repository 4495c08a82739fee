package org.tmigrlab.console.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.core.Bug;
import org.tmigrlab.engine.scenario.Durations;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioException;
import org.tmigrlab.engine.scenario.ScenarioReader;

/**
 * The {@code tmigr.catalog} and {@code tmigr.experiments} services, and the per-experiment
 * {@code control} consumers. Handlers run on the event loop and never run the engine: creating
 * an experiment boots it on a worker, and each experiment runs on its own thread.
 */
public final class ExperimentRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRegistry.class);
    static final List<String> CREATE_KEYS = List.of("op", "name", "scenario", "scenarioYaml", "named", "start",
            "speed", "publishHz", "log");
    /** Above this many CPUs the invariant checker (every group after every event) is off unless the scenario asks. */
    public static final int CHECK_INVARIANTS_UP_TO = 1024;
    /** {@code until} given to a live experiment with a workload whose scenario names none. */
    public static final String LIVE_UNTIL = "3600s";
    /** Classpath resource of the default experiment's scenario. */
    public static final String DEFAULT_SCENARIO = "/console/default.yaml";

    /** Limits and defaults of this console. */
    public record Limits(int maxExperiments, int maxCpus, long defaultSpeedNs, double defaultPublishHz, Path scenariosDir) {
    }

    private final Vertx vertx;
    private final Catalog catalog;
    private final ScenarioReader reader;
    private final Limits limits;
    private final Map<String, Entry> experiments = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger creating = new AtomicInteger();
    private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

    private record Entry(Experiment experiment, MessageConsumer<Object> control) {
    }

    public ExperimentRegistry(Vertx vertx, Catalog catalog, Limits limits) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.limits = limits;
        this.reader = new ScenarioReader().withBuilders(catalog.builders().keySet())
                .withMigrators(catalog.migrators().keySet()).withModels(catalog.models().keySet())
                .withSizings(catalog.sizings().keySet());
    }

    /** Registers {@code tmigr.catalog} and {@code tmigr.experiments}. */
    public Future<Void> start() {
        MessageConsumer<Object> cat = vertx.eventBus().consumer(Addresses.CATALOG, this::catalog);
        MessageConsumer<Object> exp = vertx.eventBus().consumer(Addresses.EXPERIMENTS, this::experiments);
        consumers.add(cat);
        consumers.add(exp);
        return Future.all(cat.completion(), exp.completion()).mapEmpty();
    }

    /** Stops every experiment (their threads), for shutdown. */
    public void stopAll() {
        for (Entry e : experiments.values()) e.experiment().close();
        experiments.clear();
    }

    public int size() {
        return experiments.size();
    }

    // =====================================================================================
    // tmigr.catalog
    // =====================================================================================

    private void catalog(Message<Object> msg) {
        msg.reply(catalogJson());
    }

    public JsonObject catalogJson() {
        JsonArray bugs = new JsonArray();
        for (Bug b : Bug.values()) bugs.add(b.key());
        JsonArray hz = new JsonArray();
        ScenarioReader.HZ_VALUES.stream().sorted().forEach(hz::add);
        JsonArray ops = new JsonArray();
        for (Op o : Op.values()) ops.add(o.key());
        return new JsonObject()
                .put("builders", new JsonArray(new ArrayList<>(catalog.builders().keySet())))
                .put("migrators", new JsonArray(new ArrayList<>(catalog.migrators().keySet())))
                .put("models", new JsonArray(new ArrayList<>(catalog.models().keySet())))
                .put("sizings", new JsonArray(new ArrayList<>(catalog.sizings().keySet())))
                .put("strategies", strategies())
                .put("childrenPerGroup", new JsonArray(List.of(2, 4, 8, 16, 32, 64)))
                .put("bugs", bugs).put("hz", hz).put("stepOps", ops)
                .put("controlOps", new JsonArray(Experiment.OPS))
                .put("workload", defaultWorkload())
                .put("scenarios", namedScenarios())
                .put("limits", new JsonObject().put("maxExperiments", limits.maxExperiments()).put("maxCpus", limits.maxCpus()))
                .put("defaults", new JsonObject().put("speed", Durations.format(limits.defaultSpeedNs()))
                        .put("publishHz", limits.defaultPublishHz()).put("checkInvariantsUpToCpus", CHECK_INVARIANTS_UP_TO)
                        .put("liveUntil", LIVE_UNTIL));
    }

    /** Every registered strategy with where it comes from (built in or a plugin jar) and its one-line description. */
    private JsonArray strategies() {
        JsonArray out = new JsonArray();
        for (Catalog.Entry e : catalog.entries())
            out.add(new JsonObject().put("kind", e.kind()).put("name", e.name()).put("origin", e.origin()).put("description", e.description()));
        return out;
    }

    /** Scenario files a create request can name: {@code scenarios/*.yaml|json} and {@code scenarios/named/...}. */
    private JsonArray namedScenarios() {
        JsonArray out = new JsonArray();
        for (Map.Entry<String, Path> e : scenarioFiles().entrySet()) out.add(new JsonObject().put("name", e.getKey()).put("file", e.getValue().toString()));
        return out;
    }

    private Map<String, Path> scenarioFiles() {
        Map<String, Path> files = new TreeMap<>();
        Path dir = limits.scenariosDir();
        if (dir == null) return files;
        for (Path d : List.of(dir, dir.resolve("named"))) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().forEach(p -> {
                    String n = p.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
                    files.putIfAbsent(n, p);
                });
            } catch (IOException e) {
                LOG.debug("cannot list {}", d, e);
            }
        }
        return files;
    }

    // =====================================================================================
    // tmigr.experiments
    // =====================================================================================

    private void experiments(Message<Object> msg) {
        try {
            JsonObject b = Req.object(msg.body(), Addresses.EXPERIMENTS, "{\"op\":\"list\"}");
            String op = Req.op(b, "", List.of("create", "list", "delete"));
            switch (op) {
                case "list" -> {
                    Req.allow(b, "", List.of("op"));
                    msg.reply(list());
                }
                case "delete" -> {
                    Req.allow(b, "", List.of("op", "id"));
                    String id = Req.string(b, "id", "", true);
                    delete(id).onComplete(ar -> reply(msg, ar.succeeded() ? Future.succeededFuture(new JsonObject().put("deleted", id))
                            : Future.failedFuture(ar.cause())));
                }
                case "create" -> create(b).onComplete(ar -> reply(msg, ar));
                default -> throw ApiException.bad("op: unknown op '" + op + "'");
            }
        } catch (ApiException e) {
            msg.fail(e.code(), e.getMessage());
        }
    }

    private static void reply(Message<Object> msg, io.vertx.core.AsyncResult<JsonObject> ar) {
        if (ar.succeeded()) {
            msg.reply(ar.result());
        } else if (ar.cause() instanceof ApiException e) {
            msg.fail(e.code(), e.getMessage());
        } else {
            LOG.warn("request failed", ar.cause());
            msg.fail(ApiException.INTERNAL, "internal error: " + ar.cause());
        }
    }

    public JsonObject list() {
        List<JsonObject> all = new ArrayList<>();
        for (Entry e : experiments.values()) all.add(e.experiment().summary());
        all.sort(Comparator.comparingInt(o -> Integer.parseInt(o.getString("id").substring(1))));
        return new JsonObject().put("experiments", new JsonArray(new ArrayList<>(all)));
    }

    public Future<Void> delete(String id) {
        Entry e = experiments.remove(id);
        if (e == null)
            return Future.failedFuture(new ApiException(ApiException.NOT_FOUND, "id: no experiment '" + id + "'; existing: "
                    + String.join(", ", new TreeMap<>(experiments).keySet())));
        return e.control().unregister().compose(v -> vertx.executeBlocking(() -> {
            e.experiment().close();
            return null;
        }));
    }

    /** Creates an experiment from a create request (the default experiment goes through here too). */
    public Future<JsonObject> create(JsonObject b) {
        Experiment.Settings settings;
        Scenario scenario;
        try {
            Req.allow(b, "", CREATE_KEYS);
            String name = Req.string(b, "name", "", false);
            if (name != null && name.length() > 80) throw ApiException.bad("name: at most 80 characters");
            if (name == null && b.getValue("named") instanceof String n) name = n;
            scenario = scenario(b);
            long speed = limits.defaultSpeedNs();
            if ("max".equals(b.getValue("speed"))) {
                speed = Experiment.SPEED_MAX;
            } else if (b.containsKey("speed")) {
                speed = Req.time(b, "speed", "", null);
                if (speed < 1_000 || speed > 3_600_000_000_000L)
                    throw ApiException.bad("speed: " + Durations.format(speed) + " per wall second is out of range; allowed: 1us..3600s or \"max\"");
            }
            double hz = Req.number(b, "publishHz", "", 1, 60, limits.defaultPublishHz());
            settings = new Experiment.Settings(name, Req.bool(b, "start", "", true), speed, hz, Req.bool(b, "log", "", true));
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        if (experiments.size() + creating.get() >= limits.maxExperiments())
            return Future.failedFuture(new ApiException(ApiException.TOO_MANY, "this console already runs " + limits.maxExperiments()
                    + " experiments, its limit; delete one ({\"op\":\"delete\",\"id\":...}) or start the console with a higher --max-experiments"));
        creating.incrementAndGet();
        String id = "e" + nextId.getAndIncrement();
        Scenario sc = scenario;
        return vertx.executeBlocking(() -> {
            try {
                return Experiment.start(id, sc, catalog, settings, vertx.eventBus());
            } catch (IllegalArgumentException e) {
                // builders and policies reject settings they cannot honour, naming the setting
                throw new ApiException(ApiException.BAD_REQUEST, "scenario." + e.getMessage(), e);
            }
        }, false).compose(exp -> {
            MessageConsumer<Object> c = vertx.eventBus().consumer(Addresses.control(id), exp::submit);
            experiments.put(id, new Entry(exp, c));
            return c.completion().map(v -> exp.summary());
        }).eventually(() -> {
            creating.decrementAndGet();
            return Future.succeededFuture();
        });
    }

    private Scenario scenario(JsonObject b) {
        int sources = (b.containsKey("scenario") ? 1 : 0) + (b.containsKey("scenarioYaml") ? 1 : 0) + (b.containsKey("named") ? 1 : 0);
        if (sources != 1)
            throw ApiException.bad("scenario: give exactly one of scenario (an object, as a scenario file in JSON), scenarioYaml (text) or named (a name from tmigr.catalog scenarios), got "
                    + (sources == 0 ? "none" : "several"));
        String text;
        ScenarioReader.Format format;
        String path;
        if (b.containsKey("scenario")) {
            if (!(b.getValue("scenario") instanceof JsonObject so))
                throw ApiException.bad("scenario: expected an object such as {\"machine\": {\"cpus\": 64, \"nodes\": 2}}, got " + Req.describe(b.getValue("scenario")));
            text = so.encode();
            format = ScenarioReader.Format.JSON;
            path = "scenario";
        } else if (b.containsKey("scenarioYaml")) {
            text = Req.string(b, "scenarioYaml", "", true);
            format = ScenarioReader.Format.YAML;
            path = "scenarioYaml";
        } else {
            String n = Req.string(b, "named", "", true);
            Path file = scenarioFiles().get(n);
            if (file == null) throw ApiException.bad("named: no scenario '" + n + "'; known: " + String.join(", ", scenarioFiles().keySet()));
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw ApiException.bad("named: cannot read " + file + ": " + e.getMessage());
            }
            format = ScenarioReader.Format.of(file);
            path = "named(" + n + ")";
        }
        if (text.length() > 4_000_000) throw new ApiException(ApiException.TOO_LARGE, path + ": more than 4 MB of scenario text");
        Scenario s = read(text, format, path);
        int cpus = s.machine().possibleCpus();
        if (cpus > limits.maxCpus())
            throw new ApiException(ApiException.TOO_LARGE, path + ".machine.cpus: " + cpus + " CPUs is more than this console allows ("
                    + limits.maxCpus() + "); use a smaller machine or start the console with --max-cpus " + cpus);
        // Console defaults for keys the scenario leaves out: a run with a generated workload goes on
        // for an hour, and big machines skip the per-event invariant checker.
        JsonObject tree = tree(text, format);
        boolean changed = false;
        if (!s.workload().isEmpty() && !tree.containsKey("until")) {
            tree.put("until", LIVE_UNTIL);
            changed = true;
        }
        if (cpus > CHECK_INVARIANTS_UP_TO && !tree.containsKey("checkInvariants")) {
            tree.put("checkInvariants", false);
            changed = true;
        }
        return changed ? read(tree.encode(), ScenarioReader.Format.JSON, path) : s;
    }

    private Scenario read(String text, ScenarioReader.Format format, String path) {
        try {
            return reader.read(text, format);
        } catch (ScenarioException e) {
            throw ApiException.bad(e.field().isEmpty() ? path + ": " + e.detail() : path + "." + e.getMessage());
        }
    }

    /** The workload of the embedded default scenario: what the dashboard's form offers to start from. */
    static JsonObject defaultWorkload() {
        try (java.io.InputStream in = ExperimentRegistry.class.getResourceAsStream(DEFAULT_SCENARIO)) {
            if (in == null) return new JsonObject();
            JsonObject t = tree(new String(in.readAllBytes(), StandardCharsets.UTF_8), ScenarioReader.Format.YAML);
            return t.getJsonObject("workload", new JsonObject());
        } catch (IOException e) {
            return new JsonObject();
        }
    }

    private static JsonObject tree(String text, ScenarioReader.Format format) {
        try {
            ObjectMapper m = format == ScenarioReader.Format.JSON ? new ObjectMapper() : new YAMLMapper();
            JsonNode n = m.readTree(text);
            return new JsonObject(new ObjectMapper().writeValueAsString(n));
        } catch (IOException e) {
            throw ApiException.bad("scenario: " + e.getMessage());
        }
    }
}
