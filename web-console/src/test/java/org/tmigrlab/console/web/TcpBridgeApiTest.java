package org.tmigrlab.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.console.live.Addresses;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.CpuRecord;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * A client that is not a browser drives the console over the TCP event-bus bridge: it creates an
 * experiment, injects steps, steps it, and rebuilds the state from the published snapshot and
 * deltas, which must agree with running the same scenario (with the injected steps written into
 * its script) through {@code Lab}, as {@code tmigr run} does. Bad requests are refused with a code
 * and a message, and the server and the default experiment keep going.
 */
class TcpBridgeApiTest {
    static ConsoleServer server;
    static TcpBridgeClient client;

    static final String SCENARIO_YAML = """
            machine: {cpus: 16, nodes: 2}
            until: 200ms
            script:
              - {at: 0, cpu: 0, op: busy}
              - {at: 0, cpu: 9, op: busy}
              - {at: 1ms, cpu: 9, op: arm, timer: net-rx, in: 5ms}
              - {at: 2ms, cpu: 9, op: idle}
              - {at: 3ms, cpu: 12, op: busy}
              - {at: 4ms, cpu: 12, op: arm, timer: pinned-wd, in: 3ms, pinned: true}
              - {at: 4ms, cpu: 12, op: idle}
            """;
    /** What the client injects, in the script's own terms. */
    static final String INJECTED_YAML = """
              - {at: 10ms, cpu: 3, op: busy}
              - {at: 11ms, cpu: 3, op: arm, timer: late, in: 20ms}
              - {at: 12ms, cpu: 3, op: idle}
              - {at: 15ms, cpu: 0, op: idle}
              - {at: 16ms, cpu: 9, op: busy}
              - {at: 17ms, cpu: 9, op: arm, timer: net-tx, in: 7ms}
              - {at: 18ms, cpu: 9, op: idle}
              - {at: 30ms, cpu: 5, op: offline}
            """;
    static final long END = 40_000_000L;
    static final JsonObject WORKLOAD = new JsonObject()
            .put("activity", new JsonObject().put("busy", "2ms").put("idle", "20ms"))
            .put("timers", new JsonObject().put("rate", 300));

    @BeforeAll
    static void start() throws Exception {
        server = ConsoleServer.start(ConsoleConfig.forTests().withTcpBridge(0).withLimits(6, 4096));
        client = new TcpBridgeClient(server.tcpPort(), server.token());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    void createInjectAndStepGiveTheStateOfTheSameRunInLab() throws Exception {
        Scenario base = new ScenarioReader().read(SCENARIO_YAML, ScenarioReader.Format.YAML);
        JsonObject scenarioJson = new JsonObject(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(SCENARIO_YAML)));
        JsonObject created = client.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "create").put("name", "tcp")
                .put("scenario", scenarioJson).put("start", false));
        String id = created.getString("id");
        assertThat(created.getString("status")).isEqualTo("paused");
        assertThat(base.machine().possibleCpus()).isEqualTo(created.getInteger("cpus"));

        BlockingQueue<JsonObject> state = client.subscribe(Addresses.state(id));
        BlockingQueue<JsonObject> metrics = client.subscribe(Addresses.metrics(id));
        client.ok(Addresses.control(id), new JsonObject().put("op", "status")); // the registrations are in place
        JsonObject topo = client.ok(Addresses.control(id), new JsonObject().put("op", "snapshot"));
        assertThat(topo.getString("type")).isEqualTo("topology");
        assertThat(topo.getInteger("cpus")).isEqualTo(16);
        LiveState live = new LiveState(topo);

        JsonArray steps = new JsonArray();
        for (String line : INJECTED_YAML.strip().split("\n")) {
            steps.add(new JsonObject(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(line.strip().substring(2)))));
        }
        JsonObject inj = client.ok(Addresses.control(id), new JsonObject().put("op", "inject").put("steps", steps));
        assertThat(inj.getInteger("injected")).isEqualTo(steps.size());

        JsonObject reached = client.ok(Addresses.control(id), new JsonObject().put("op", "step").put("until", "40ms"));
        assertThat(reached.getBoolean("reached")).isTrue();
        assertThat(reached.getLong("t")).isEqualTo(END);

        // deltas until the one that shows t = 40ms
        while (live.t < END) {
            JsonObject m = state.poll(30, TimeUnit.SECONDS);
            assertThat(m).as("a state message by t=40ms").isNotNull();
            live.apply(m.getJsonObject("body"));
        }

        // the same scenario with the injected steps in its script, run by the engine alone
        Scenario full = new ScenarioReader().read(SCENARIO_YAML.replace("until: 200ms", "until: 40ms") + INJECTED_YAML,
                ScenarioReader.Format.YAML);
        Simulator sim = Lab.prepare(full, TraceSink.NONE, Lab.defaultCatalog());
        sim.runUntil(END);
        MainlineModel mm = (MainlineModel) sim.model();
        Hierarchy h = sim.hierarchy();
        for (int c = 0; c < 16; c++) {
            int expected = !sim.cpuOnline(c) ? 0 : sim.cpuBusy(c) ? 1 : sim.cpuTickStopped(c) ? 3 : 2;
            assertThat(live.cpu[c]).as("state of CPU %d", c).isEqualTo(expected);
            assertThat(live.wake[c]).as("wake-ups of CPU %d", c).isEqualTo(sim.wakeups(c));
        }
        assertThat(live.mask).hasSize(mm.groupCount());
        for (int g = 0; g < mm.groupCount(); g++) {
            assertThat(live.mask.get(g)).as("active mask of group %d", g).isEqualTo(Long.toHexString(mm.active(g)));
            long exp = mm.nextExpiry(g);
            assertThat(live.exp.get(g)).as("next expiry of group %d", g).isEqualTo(exp == Long.MAX_VALUE ? -1 : exp);
            int child = live.migr.get(g);
            long bit = child < 0 ? MainlineModel.TMIGR_NONE
                    : h.group(g).level() == 0 ? h.cpuGroupmask().get(child) : h.group(child).groupmask();
            assertThat(bit).as("migrator of group %d", g).isEqualTo(mm.migrator(g));
        }
        assertThat(live.cpu[5]).as("CPU 5 went offline").isZero();

        // and the run's totals (what `tmigr run` reports) agree with the live metrics
        RunResult run = Lab.run(full, TraceSink.NONE);
        for (CpuRecord r : run.cpus()) assertThat(live.wake[r.cpu()]).as("wakeups of CPU %d", r.cpu()).isEqualTo(r.wakeups());
        long fired = run.timers().stream().map(TimerRecord::firedAt).filter(java.util.Objects::nonNull).count();
        JsonObject totals = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonObject m = metrics.poll(1, TimeUnit.SECONDS);
            if (m != null && m.getJsonObject("body").getLong("t1") == END) {
                totals = m.getJsonObject("body").getJsonObject("totals");
                break;
            }
        }
        assertThat(totals).as("a metrics window ending at 40ms").isNotNull();
        assertThat(totals.getLong("timersFired")).isEqualTo(fired);
        assertThat(totals.getLong("wakeups")).isEqualTo(run.cpus().stream().mapToLong(CpuRecord::wakeups).sum());

        client.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "delete").put("id", id));
    }

    @Test
    void stepNEventsAndSpeedAndRunPause() throws Exception {
        JsonObject created = client.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "create")
                .put("scenario", new JsonObject().put("machine", new JsonObject().put("cpus", 32).put("nodes", 2))
                        .put("workload", WORKLOAD))
                .put("start", false));
        assertThat(created.getLong("untilNs")).as("a workload without until runs for an hour").isEqualTo(3_600_000_000_000L);
        String id = created.getString("id");
        String ctl = Addresses.control(id);
        JsonObject stepped = client.ok(ctl, new JsonObject().put("op", "step").put("events", 50));
        assertThat(stepped.getLong("stepped")).isEqualTo(50);
        assertThat(stepped.getLong("events")).isEqualTo(50 + created.getLong("events"));
        assertThat(client.ok(ctl, new JsonObject().put("op", "speed").put("value", "200ms")).getLong("speedNs")).isEqualTo(200_000_000L);
        assertThat(client.ok(ctl, new JsonObject().put("op", "run")).getString("status")).isEqualTo("running");
        long t0 = client.ok(ctl, new JsonObject().put("op", "status")).getLong("t");
        Thread.sleep(400);
        long t1 = client.ok(ctl, new JsonObject().put("op", "pause")).getLong("t");
        assertThat(t1).isGreaterThan(t0);
        Thread.sleep(200);
        assertThat(client.ok(ctl, new JsonObject().put("op", "status")).getLong("t")).isEqualTo(t1);
        client.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "delete").put("id", id));
    }

    @Test
    void badRequestsAreRefusedWithACodeAndTheServerAndOtherExperimentsGoOn() throws Exception {
        long before = defaultExperimentTime();

        // not a tmigr. address
        JsonObject r = client.request("some.other.address", new JsonObject());
        assertErr(r, 403, "does not take requests");
        // the control address of an experiment is not something to subscribe to
        JsonObject refused = client.subscribe(Addresses.control("e1")).poll(30, TimeUnit.SECONDS);
        assertErr(refused, 403, "cannot be subscribed to");
        // no token, wrong token
        assertErr(client.request(Addresses.CATALOG, new JsonObject(), null), 401, "missing token");
        assertErr(client.request(Addresses.CATALOG, new JsonObject(), "nope"), 401, "wrong token");
        // a body that is not a JSON object, an unknown op, an unknown key
        assertErr(client.request(Addresses.EXPERIMENTS, "create please"), 400, "must be a JSON object");
        assertErr(client.request(Addresses.EXPERIMENTS, new JsonObject().put("op", "explode")), 400, "unknown op 'explode'");
        assertErr(client.request(Addresses.control("e1"), new JsonObject().put("op", "step").put("events", -3)), 400, "events");
        assertErr(client.request(Addresses.control("e1"), new JsonObject().put("op", "inject")
                .put("step", new JsonObject().put("cpu", 999).put("op", "idle"))), 400, "step.cpu: 999 is not in 0..63");
        assertErr(client.request(Addresses.control("e1"), new JsonObject().put("op", "inject")
                .put("step", new JsonObject().put("cpu", 1).put("op", "sleep"))), 400, "unknown op");
        assertErr(client.request(Addresses.control("e1"), new JsonObject().put("op", "inject")
                .put("step", new JsonObject().put("cpu", 1).put("op", "cancel").put("timer", "never-armed"))), 400, "never armed");
        // invalid scenario values name the field
        assertErr(client.request(Addresses.EXPERIMENTS, create(new JsonObject().put("machine", new JsonObject().put("cpus", 0)))),
                400, "scenario.machine.cpus");
        assertErr(client.request(Addresses.EXPERIMENTS, create(new JsonObject().put("machine", new JsonObject().put("cpus", 8))
                .put("model", "quantum"))), 400, "unknown model 'quantum'");
        // an oversized machine
        assertErr(client.request(Addresses.EXPERIMENTS, create(new JsonObject().put("machine", new JsonObject().put("cpus", 60000)))),
                413, "more than this console allows (4096)");
        // unknown experiment
        assertErr(client.request(Addresses.EXPERIMENTS, new JsonObject().put("op", "delete").put("id", "e999")), 404, "no experiment 'e999'");

        // malformed JSON on the wire: the bridge skips the frame and the connection goes on
        try (TcpBridgeClient broken = new TcpBridgeClient(server.tcpPort(), server.token())) {
            broken.writeRaw("{\"type\": \"send\", \"address\": ".getBytes(StandardCharsets.UTF_8));
            assertThat(broken.ok(Addresses.CATALOG, new JsonObject()).getJsonArray("models")).contains("mainline");
        }

        // still serving, and the default experiment kept running all along
        assertThat(client.ok(Addresses.CATALOG, new JsonObject()).getJsonArray("models")).contains("mainline");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long after = before;
        while (after <= before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = defaultExperimentTime();
        }
        assertThat(after).as("the default experiment's simulated time moves on").isGreaterThan(before);
        try (TcpBridgeClient fresh = new TcpBridgeClient(server.tcpPort(), server.token())) {
            assertThat(fresh.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "list")).getJsonArray("experiments")).isNotEmpty();
        }
    }

    @Test
    void theExperimentCountIsLimited() throws Exception {
        try (ConsoleServer small = ConsoleServer.start(ConsoleConfig.forTests().withTcpBridge(0).withLimits(1, 64));
             TcpBridgeClient c = new TcpBridgeClient(small.tcpPort(), small.token())) {
            JsonObject r = c.request(Addresses.EXPERIMENTS, create(new JsonObject().put("machine", new JsonObject().put("cpus", 4))));
            assertErr(r, 429, "already runs 1 experiments");
            assertThat(c.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "list")).getJsonArray("experiments")).hasSize(1);
        }
    }

    private static JsonObject create(JsonObject scenario) {
        return new JsonObject().put("op", "create").put("scenario", scenario).put("start", false);
    }

    private static long defaultExperimentTime() throws Exception {
        JsonArray list = client.ok(Addresses.EXPERIMENTS, new JsonObject().put("op", "list")).getJsonArray("experiments");
        return list.getJsonObject(0).getLong("t");
    }

    private static void assertErr(JsonObject frame, int code, String text) {
        assertThat(frame.getString("type")).as("frame %s", frame.encode()).isEqualTo("err");
        assertThat(frame.getInteger("failureCode")).as("code in %s", frame.encode()).isEqualTo(code);
        assertThat(frame.getString("message")).contains(text);
    }

    /** The dashboard's view of an experiment, rebuilt from the topology and the deltas. */
    static final class LiveState {
        final int[] cpu;
        final long[] wake;
        final Map<Integer, String> mask = new HashMap<>();
        final Map<Integer, Integer> migr = new HashMap<>();
        final Map<Integer, Long> exp = new HashMap<>();
        long seq;
        long t;

        LiveState(JsonObject topo) {
            int n = topo.getInteger("cpus");
            cpu = new int[n];
            wake = new long[n];
            JsonObject s = topo.getJsonObject("state");
            JsonArray totals = s.getJsonArray("wakeTotal");
            for (int c = 0; c < n; c++) wake[c] = totals.getLong(c);
            changes(s);
            seq = topo.getLong("seq");
            t = topo.getLong("t");
        }

        void apply(JsonObject m) {
            if (m.getLong("seq") <= seq) return;
            assertThat(m.getLong("seq")).as("no delta lost").isEqualTo(seq + 1);
            assertThat(m.getString("type")).isEqualTo("delta");
            changes(m);
            JsonArray w = m.getJsonArray("wake");
            for (int i = 0; i < w.size(); i += 2) wake[w.getInteger(i)] += w.getLong(i + 1);
            seq = m.getLong("seq");
            t = m.getLong("t");
        }

        private void changes(JsonObject s) {
            JsonArray c = s.getJsonArray("cpu");
            for (int i = 0; i < c.size(); i += 2) cpu[c.getInteger(i)] = c.getInteger(i + 1);
            JsonArray g = s.getJsonArray("grp");
            JsonArray mk = s.getJsonArray("mask");
            for (int i = 0, j = 0; i < g.size(); i += 3, j++) {
                mask.put(g.getInteger(i), mk.getString(j));
                migr.put(g.getInteger(i), g.getInteger(i + 2));
            }
            JsonArray e = s.getJsonArray("exp");
            for (int i = 0; i < e.size(); i += 2) exp.put(e.getInteger(i), e.getLong(i + 1));
        }
    }
}
