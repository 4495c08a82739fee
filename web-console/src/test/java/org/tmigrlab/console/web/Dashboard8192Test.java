package org.tmigrlab.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An 8192-CPU experiment with live activity next to the default one: measures how many state
 * updates per second the page applies and how many frames it draws, over a fixed wall-clock
 * window. The numbers are written to {@code target/console-8192.txt} and printed, for
 * BENCHMARKS.md; the test itself only checks that updates arrive and the tree is complete
 * (a measurement, not a timing assertion).
 */
@Tag("e2e")
class Dashboard8192Test {
    static final long WINDOW_MS = 10_000;
    /** State rate of the big experiment; {@code -Dtmigr.bench.publishHz=60} measures the headroom. */
    static final double PUBLISH_HZ = Double.parseDouble(System.getProperty("tmigr.bench.publishHz", "20"));
    static ConsoleServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Browser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver (.ci/run installs them)");
        server = ConsoleServer.start(ConsoleConfig.forTests());
        browser = new Browser(1700, 1080);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void measuresStateUpdatesPerSecondWith8192Cpus() throws Exception {
        JsonObject created = server.registry().create(new JsonObject().put("op", "create").put("name", "big")
                .put("scenario", new JsonObject().put("machine", new JsonObject().put("cpus", 8192).put("nodes", 8))
                        .put("workload", server.registry().catalogJson().getJsonObject("workload")))
                .put("publishHz", PUBLISH_HZ)).await();
        String id = created.getString("id");
        browser.driver.get(server.url());
        browser.await("the event bus connects", d -> "open".equals(browser.find("#status").getText()));
        browser.await("the right pane shows the 8192-CPU experiment", d -> id.equals(browser.attr("#pane-1", "data-exp"))
                && !browser.attr("#pane-1", "data-groups-drawn").isEmpty());
        String groups = browser.attr("#pane-1", "data-groups");
        assertThat(browser.attr("#pane-1", "data-groups-drawn")).isEqualTo(groups);
        assertThat(Integer.parseInt(groups)).isGreaterThan(1024);
        Thread.sleep(2000); // let it settle

        long u0 = Long.parseLong(browser.attr("#pane-1", "data-updates"));
        long f0 = Long.parseLong(browser.attr("#pane-1", "data-frames"));
        long l0 = Long.parseLong(browser.attr("#pane-0", "data-updates"));
        JsonObject s0 = status(id);
        long w0 = System.nanoTime();
        Thread.sleep(WINDOW_MS);
        long w1 = System.nanoTime();
        long u1 = Long.parseLong(browser.attr("#pane-1", "data-updates"));
        long f1 = Long.parseLong(browser.attr("#pane-1", "data-frames"));
        long l1 = Long.parseLong(browser.attr("#pane-0", "data-updates"));
        JsonObject s1 = status(id);

        double sec = (w1 - w0) / 1e9;
        double updates = (u1 - u0) / sec;
        double frames = (f1 - f0) / sec;
        double small = (l1 - l0) / sec;
        double simPerSec = (s1.getLong("t") - s0.getLong("t")) / 1e6 / sec;
        double eventsPerSec = (s1.getLong("events") - s0.getLong("events")) / sec;
        String report = String.format(Locale.ROOT, """
                8192-CPU experiment (8 nodes, kernel builder, the default scenario's workload, speed %s/s, state rate %.0f Hz), %d groups, \
                next to the 64-CPU default experiment, headless Chromium %dx%d
                window: %.1f s wall
                state updates applied by the page, 8192-CPU pane: %.1f /s
                state updates applied by the page, 64-CPU pane:   %.1f /s
                frames drawn, 8192-CPU pane: %.1f /s
                simulated time: %.1f ms per wall second (requested %s)
                engine events: %.0f /s
                """, "50ms", PUBLISH_HZ, Integer.parseInt(groups), 1700, 1080, sec, updates, small, frames,
                simPerSec, "50ms", eventsPerSec);
        System.out.println(report);
        Files.writeString(Path.of("target", "console-8192.txt"), report, StandardCharsets.UTF_8);
        Path shot = Path.of("target", "screenshots", "dashboard-8192.png");
        browser.screenshot(shot);
        if (Boolean.getBoolean("tmigr.docs.screenshots")) {
            Path docs = Path.of(System.getProperty("tmigr.repo", "..")).resolve("docs");
            Files.createDirectories(docs);
            Files.copy(shot, docs.resolve("console-8192.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(u1).as("state updates arrive").isGreaterThan(u0);
        assertThat(f1).as("the page draws").isGreaterThan(f0);
    }

    private static JsonObject status(String id) {
        return server.registry().list().getJsonArray("experiments").stream().map(o -> (JsonObject) o)
                .filter(o -> id.equals(o.getString("id"))).findFirst().orElseThrow();
    }
}
