package org.tmigrlab.console.live;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.check.InvariantChecker;
import org.tmigrlab.engine.scenario.Durations;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.Step;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.trace.KernelTraceWriter;
import org.tmigrlab.engine.wheel.TimerWheel;

/**
 * One live experiment: a {@link Simulator} driven on its own thread, in slices of simulated time,
 * so the event loop never waits for the engine whatever the machine size. Control requests are
 * queued to that thread and answered from it; state deltas and windowed metrics are published
 * from it at a throttled rate.
 *
 * <p>Pacing: while running, simulated time advances by {@code speed} per wall second. Each loop
 * iteration runs at most {@value #SLICE_BUDGET_MS} ms of engine work, in sub-slices of at most one
 * tick, then publishes and takes new commands; if the engine cannot keep up, the run falls behind
 * the requested speed instead of queueing work (the effective speed is in the metrics).
 */
public final class Experiment {
    private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

    /** Control operations ({@code op} of a control request). */
    public static final List<String> OPS = List.of("run", "pause", "step", "speed", "inject", "snapshot", "rate", "log", "status");
    static final long SLICE_BUDGET_MS = 20;
    static final long METRICS_PERIOD_MS = 500;
    static final long MAX_STEP_EVENTS = 1_000_000;
    /** {@code speed: max}: as fast as the engine goes. */
    static final long SPEED_MAX = Long.MAX_VALUE;

    public enum Status { RUNNING, PAUSED, FINISHED, FAILED;
        String key() {
            return name().toLowerCase();
        }
    }

    private final String id;
    private final String name;
    private final Scenario scenario;
    private final Simulator sim;
    private final LiveTraceSink sink;
    private final KernelTraceWriter writer;
    private final LogTap tap;
    private final StateTracker tracker;
    private final EventBus bus;
    private final String stateAddress;
    private final String metricsAddress;
    private final LinkedBlockingQueue<Message<Object>> commands = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile JsonObject summary;

    // ---- experiment thread only ----
    private Status status;
    private boolean runningTo;
    private long runToTarget;
    private Message<Object> runToReply;
    private String runToNote;
    private long speedNs;
    private double publishHz;
    private double debt;
    private long events;
    private final Set<String> timerNames = new HashSet<>();
    private String failure;
    private boolean dirty = true;
    private long lastPublishedT = -1;
    private long winT0;
    private long winWall0;
    private long winEvents0;
    private long winWake0;

    /** Everything a create request decided. */
    public record Settings(String name, boolean start, long speedNs, double publishHz, boolean log) {
    }

    /**
     * Builds and boots the simulator (on the calling thread, a worker: booting 8192 CPUs takes a
     * moment) and starts the experiment's thread.
     */
    static Experiment start(String id, Scenario scenario, Catalog catalog, Settings s, EventBus bus) {
        return new Experiment(id, scenario, catalog, s, bus);
    }

    private Experiment(String id, Scenario scenario, Catalog catalog, Settings s, EventBus bus) {
        this.id = id;
        this.name = s.name() == null ? id : s.name();
        this.scenario = scenario;
        this.bus = bus;
        this.stateAddress = Addresses.state(id);
        this.metricsAddress = Addresses.metrics(id);
        this.tap = new LogTap(400);
        this.writer = new KernelTraceWriter(tap);
        this.sink = new LiveTraceSink(writer, scenario.machine(), TimerWheel.tickNsec(scenario.hz()), s.log());
        this.sim = Lab.prepare(scenario, sink, catalog);
        this.tracker = new StateTracker(sim, scenario.machine());
        for (Step st : scenario.script()) if (st.op() == Op.ARM) timerNames.add(st.timer());
        this.speedNs = s.speedNs();
        this.publishHz = s.publishHz();
        runTo(0); // boots: the hierarchy exists from now on
        tracker.topology();
        this.status = s.start() ? Status.RUNNING : Status.PAUSED;
        this.summary = summarize();
        this.thread = new Thread(this::loop, "tmigr-experiment-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    public String id() {
        return id;
    }

    public String stateAddress() {
        return stateAddress;
    }

    /** Latest summary for {@code list}: id, name, machine, status, simulated time; safe from any thread. */
    public JsonObject summary() {
        return summary.copy();
    }

    /** Queues a control request; it is answered from the experiment's thread. */
    public void submit(Message<Object> msg) {
        if (closed) {
            msg.fail(ApiException.NOT_FOUND, "experiment " + id + " was deleted");
            return;
        }
        commands.add(msg);
    }

    private void process(Message<Object> msg) {
        try {
            handle(msg);
        } catch (ApiException e) {
            msg.fail(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("experiment {}: control request failed", id, e);
            msg.fail(ApiException.INTERNAL, "internal error: " + e);
        }
        dirty = true;
    }

    /** Stops the thread (waits for it); pending requests are answered with 404. */
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Message<Object> m;
        while ((m = commands.poll()) != null) m.fail(ApiException.NOT_FOUND, "experiment " + id + " was deleted");
        if (runToReply != null) runToReply.fail(ApiException.NOT_FOUND, "experiment " + id + " was deleted");
    }

    // =====================================================================================
    // The experiment's thread
    // =====================================================================================

    private void loop() {
        long lastWall = System.nanoTime();
        long nextPublish = lastWall;
        long nextMetrics = lastWall + TimeUnit.MILLISECONDS.toNanos(METRICS_PERIOD_MS);
        winWall0 = lastWall;
        winT0 = sim.now();
        winWake0 = totalWakeups();
        try {
            while (!closed) {
                Message<Object> c;
                while ((c = commands.poll()) != null) process(c);
                long wall = System.nanoTime();
                if (status == Status.RUNNING || runningTo) advance(wall - lastWall, wall);
                lastWall = wall;
                long after = System.nanoTime();
                if (after >= nextPublish) {
                    publishState();
                    nextPublish = after + (long) (1e9 / publishHz);
                }
                if (after >= nextMetrics) {
                    publishMetrics(after);
                    nextMetrics = after + TimeUnit.MILLISECONDS.toNanos(METRICS_PERIOD_MS);
                }
                boolean busy = status == Status.RUNNING || runningTo;
                long sleep = busy ? 1_000_000L : Math.max(0, Math.min(nextPublish, nextMetrics) - System.nanoTime());
                c = commands.poll(sleep, TimeUnit.NANOSECONDS);
                if (c != null) process(c);
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException | Error e) {
            LOG.error("experiment {} stopped", id, e);
        }
    }

    private void advance(long elapsedWall, long wallNow) {
        long budgetEnd = wallNow + TimeUnit.MILLISECONDS.toNanos(SLICE_BUDGET_MS);
        long until = scenario.until();
        long before = sim.now();
        long target;
        if (runningTo) {
            target = runToTarget;
        } else if (speedNs == SPEED_MAX) {
            target = until;
        } else {
            debt += speedNs * (elapsedWall / 1e9);
            // never more than a quarter second of wall time behind: a slow engine falls back, it does not queue
            debt = Math.min(debt, speedNs * 0.25);
            target = before + (long) debt;
        }
        target = Math.min(target, until);
        long sub = Math.max(1_000L, Math.min(sim.tickNsec(), speedNs == SPEED_MAX || runningTo ? sim.tickNsec() : speedNs / 100));
        try {
            while (sim.now() < target) {
                runTo(Math.min(target, sim.now() + sub));
                if (System.nanoTime() > budgetEnd) break;
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (!runningTo && speedNs != SPEED_MAX) debt = Math.max(0, debt - (sim.now() - before));
        if (sim.now() >= until) {
            status = Status.FINISHED;
            finishRunTo("the run reached until (" + Durations.format(until) + ")");
        } else if (runningTo && sim.now() >= runToTarget) {
            finishRunTo(null);
        }
    }

    private void runTo(long t) {
        events += sim.runUntil(t, Long.MAX_VALUE);
    }

    private void fail(RuntimeException e) {
        LOG.warn("experiment {} failed at t={}", id, sim.now(), e);
        status = Status.FAILED;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        finishRunTo("the experiment failed: " + failure);
        dirty = true;
    }

    private void finishRunTo(String note) {
        if (!runningTo) return;
        runningTo = false;
        if (status == Status.RUNNING) status = Status.PAUSED;
        if (runToReply != null) {
            JsonObject r = status().put("reached", sim.now() >= runToTarget);
            String n = runToNote == null ? note : note == null ? runToNote : runToNote + "; " + note;
            if (n != null) r.put("note", n);
            runToReply.reply(r);
            runToReply = null;
        }
        runToNote = null;
        dirty = true;
    }

    private void publishState() {
        long t = sim.now();
        boolean changedTopology = tracker.topologyChanged();
        if (!dirty && t == lastPublishedT && !changedTopology) return;
        JsonObject msg = changedTopology ? tracker.topology() : tracker.delta();
        decorate(msg);
        bus.publish(stateAddress, msg);
        lastPublishedT = t;
        dirty = false;
        summary = summarize();
    }

    private void decorate(JsonObject msg) {
        msg.put("id", id).put("status", status.key()).put("speedNs", speedNs == SPEED_MAX ? -1 : speedNs)
                .put("events", events).put("untilNs", scenario.until()).put("migratorCpu", tracker.topMigrator());
        if (failure != null) msg.put("error", failure);
        if (sink.logging()) {
            writer.flush();
            msg.put("log", new JsonArray(tap.drain())).put("logSkipped", tap.takeSkipped());
        }
    }

    private long totalWakeups() {
        long w = 0;
        for (int c = 0; c < sim.possibleCpus(); c++) w += sim.wakeups(c);
        return w;
    }

    private void publishMetrics(long wallNow) {
        long t1 = sim.now();
        if (t1 == winT0 && !dirty) {
            winWall0 = wallNow;
            return;
        }
        long wake = totalWakeups();
        double simSec = (t1 - winT0) / 1e9;
        double wallSec = (wallNow - winWall0) / 1e9;
        long wakeups = wake - winWake0;
        long ev = events - winEvents0;
        JsonObject m = new JsonObject().put("type", "metrics").put("id", id).put("t0", winT0).put("t1", t1)
                .put("simSeconds", simSec).put("wallSeconds", wallSec)
                .put("wakeups", wakeups).put("wakeupsPerSec", simSec > 0 ? wakeups / simSec : 0.0)
                .put("timersArmed", sink.armed).put("timersFired", sink.fired).put("timersCancelled", sink.cancelled)
                .put("remoteExpiries", sink.remote).put("crossNodeExpiries", sink.crossNode)
                .put("latenessP50Ns", sink.lateness.getTotalCount() == 0 ? null : sink.lateness.getValueAtPercentile(50))
                .put("latenessP99Ns", sink.lateness.getTotalCount() == 0 ? null : sink.lateness.getValueAtPercentile(99))
                .put("latenessMaxNs", sink.lateness.getTotalCount() == 0 ? null : sink.lateness.getMaxValue())
                .put("events", ev).put("eventsPerWallSec", wallSec > 0 ? ev / wallSec : 0.0)
                .put("speedActual", wallSec > 0 ? (long) ((t1 - winT0) / wallSec) : 0L);
        InvariantChecker checker = sim.checker();
        m.put("violations", checker == null ? null : checker.violations().size());
        m.put("totals", new JsonObject().put("wakeups", wake).put("timersFired", sink.totalFired)
                .put("remoteExpiries", sink.totalRemote).put("crossNodeExpiries", sink.totalCrossNode).put("events", events));
        bus.publish(metricsAddress, m);
        sink.resetWindow();
        winT0 = t1;
        winWall0 = wallNow;
        winEvents0 = events;
        winWake0 = wake;
    }

    private JsonObject summarize() {
        return new JsonObject().put("id", id).put("name", name).put("cpus", scenario.machine().possibleCpus())
                .put("nodes", scenario.machine().nodeCount()).put("model", scenario.model()).put("builder", scenario.builder())
                .put("childrenPerGroup", scenario.childrenPerGroup()).put("status", status.key()).put("t", sim.now())
                .put("untilNs", scenario.until()).put("speedNs", speedNs == SPEED_MAX ? -1 : speedNs).put("events", events)
                .put("workload", !scenario.workload().isEmpty()).put("checkInvariants", scenario.checkInvariants())
                .put("stateAddress", stateAddress).put("metricsAddress", metricsAddress).put("controlAddress", Addresses.control(id));
    }

    private JsonObject status() {
        summary = summarize();
        JsonObject s = summarize();
        if (failure != null) s.put("error", failure);
        return s;
    }

    // =====================================================================================
    // Control requests (experiment thread)
    // =====================================================================================

    private void handle(Message<Object> msg) {
        String addr = Addresses.control(id);
        JsonObject b = Req.object(msg.body(), addr, "{\"op\":\"run\"}");
        String op = Req.op(b, "", OPS);
        switch (op) {
            case "run" -> {
                Req.allow(b, "", List.of("op", "speed"));
                if (b.containsKey("speed")) speedNs = speed(b, "speed");
                requireLive("run");
                if (runningTo) finishRunTo("replaced by run");
                status = Status.RUNNING;
                debt = 0;
                msg.reply(status());
            }
            case "pause" -> {
                Req.allow(b, "", List.of("op"));
                if (runningTo) finishRunTo("paused");
                if (status == Status.RUNNING) status = Status.PAUSED;
                msg.reply(status());
            }
            case "step" -> step(b, msg);
            case "speed" -> {
                Req.allow(b, "", List.of("op", "value"));
                if (!b.containsKey("value")) throw ApiException.bad("value: required: simulated time per wall second, e.g. \"50ms\", or \"max\"");
                speedNs = speed(b, "value");
                debt = 0;
                msg.reply(status());
            }
            case "rate" -> {
                Req.allow(b, "", List.of("op", "hz"));
                publishHz = Req.number(b, "hz", "", 1, 60, Double.NaN);
                if (Double.isNaN(publishHz)) throw ApiException.bad("hz: required, state messages per second in 1..60");
                msg.reply(status().put("publishHz", publishHz));
            }
            case "log" -> {
                Req.allow(b, "", List.of("op", "enabled"));
                if (!b.containsKey("enabled")) throw ApiException.bad("enabled: required, true or false");
                sink.setLogging(Req.bool(b, "enabled", "", true));
                msg.reply(status().put("log", sink.logging()));
            }
            case "inject" -> inject(b, msg);
            case "snapshot" -> {
                Req.allow(b, "", List.of("op"));
                JsonObject topo = tracker.topology();
                decorate(topo);
                dirty = false;
                lastPublishedT = sim.now();
                bus.publish(stateAddress, topo);
                msg.reply(topo);
            }
            case "status" -> {
                Req.allow(b, "", List.of("op"));
                msg.reply(status().put("publishHz", publishHz).put("log", sink.logging()));
            }
            default -> throw ApiException.bad("op: unknown op '" + op + "'");
        }
    }

    private void requireLive(String what) {
        if (status == Status.FINISHED)
            throw new ApiException(ApiException.CONFLICT, "op: cannot " + what + ": experiment " + id + " finished at until ("
                    + Durations.format(scenario.until()) + "); create a new experiment with a later until");
        if (status == Status.FAILED)
            throw new ApiException(ApiException.CONFLICT, "op: cannot " + what + ": experiment " + id + " failed (" + failure
                    + "); delete it and create a new one");
    }

    private long speed(JsonObject b, String key) {
        if ("max".equals(b.getValue(key))) return SPEED_MAX;
        long ns = Req.time(b, key, "", null);
        if (ns < 1_000 || ns > 3_600_000_000_000L)
            throw ApiException.bad(key + ": " + Durations.format(ns) + " of simulated time per wall second is out of range; allowed: 1us..3600s, or \"max\"");
        return ns;
    }

    private void step(JsonObject b, Message<Object> msg) {
        Req.allow(b, "", List.of("op", "events", "until", "by"));
        requireLive("step");
        int given = (b.containsKey("events") ? 1 : 0) + (b.containsKey("until") ? 1 : 0) + (b.containsKey("by") ? 1 : 0);
        if (given != 1)
            throw ApiException.bad("step takes exactly one of events (a count), until (absolute simulated time) or by (relative), got "
                    + (given == 0 ? "none" : "several"));
        if (runningTo) finishRunTo("replaced by another step");
        status = Status.PAUSED;
        if (b.containsKey("events")) {
            long n = Req.integer(b, "events", "", 1, MAX_STEP_EVENTS, null);
            long done = 0;
            long until = scenario.until();
            try {
                done = sim.runUntil(until, n);
            } catch (RuntimeException e) {
                fail(e);
            }
            events += done;
            if (sim.now() >= until) status = Status.FINISHED;
            msg.reply(status().put("stepped", done));
            return;
        }
        long target = b.containsKey("until") ? Req.time(b, "until", "", null) : sim.now() + Req.time(b, "by", "", null);
        String note = null;
        if (target > scenario.until()) {
            note = "clamped to until (" + Durations.format(scenario.until()) + ")";
            target = scenario.until();
        }
        if (target <= sim.now()) {
            JsonObject r = status().put("reached", true);
            if (target < sim.now()) r.put("note", "already past " + Durations.format(target) + "; simulated time never goes back");
            msg.reply(r);
            return;
        }
        // Runs in slices on this thread (publishing as it goes) and answers when the target is reached.
        runningTo = true;
        runToTarget = target;
        runToReply = msg;
        runToNote = note;
    }

    private void inject(JsonObject b, Message<Object> msg) {
        Req.allow(b, "", List.of("op", "step", "steps"));
        requireLive("inject");
        JsonArray list;
        if (b.getValue("step") instanceof JsonObject one) list = new JsonArray().add(one);
        else if (b.getValue("steps") instanceof JsonArray many && !many.isEmpty()) list = many;
        else throw ApiException.bad("step: required: a script step such as {\"cpu\": 3, \"op\": \"idle\"} (or steps: [...])");
        if (list.size() > 10_000) throw new ApiException(ApiException.TOO_LARGE, "steps: at most 10000 per request, got " + list.size());
        // validate all first, so a bad entry injects nothing
        List<Step> steps = new java.util.ArrayList<>();
        Set<String> names = new HashSet<>(timerNames);
        for (int i = 0; i < list.size(); i++) {
            String path = list.size() == 1 && b.containsKey("step") ? "step" : "steps[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject so)) throw ApiException.bad(path + ": expected a step object, got " + Req.describe(list.getValue(i)));
            Step s = StepReader.read(so, path, sim.possibleCpus(), sim.now(), names);
            if (s.op() == Op.ARM) names.add(s.timer());
            steps.add(s);
        }
        JsonArray at = new JsonArray();
        for (Step s : steps) {
            sim.inject(s);
            at.add(s.at());
        }
        timerNames.addAll(names);
        msg.reply(status().put("injected", steps.size()).put("at", at));
    }
}
