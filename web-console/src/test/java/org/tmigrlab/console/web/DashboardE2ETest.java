package org.tmigrlab.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * What a person sees in the dashboard, with a real Vert.x server and a real headless Chromium:
 * the tree renders and moves, the migrator marker moves after an injected idle, an experiment
 * created from the form appears, and a bad form value shows the server's error.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardE2ETest {
    static ConsoleServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Browser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver (.ci/run installs them)");
        server = ConsoleServer.start(ConsoleConfig.forTests());
        browser = new Browser(1700, 1080);
        browser.driver.get(server.url());
        browser.await("the event bus connects", d -> "open".equals(browser.find("#status").getText()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void theDefaultExperimentsTreeRendersAndMoves() {
        browser.await("pane 0 shows the default experiment", d -> "e1".equals(browser.attr("#pane-0", "data-exp")));
        browser.await("the tree is drawn", d -> !browser.attr("#pane-0", "data-groups-drawn").isEmpty());
        // 64 CPUs on 2 nodes, 8 per group: 8 level-0 groups, one per node above them, one root
        assertThat(browser.attr("#pane-0", "data-groups")).isEqualTo("11");
        assertThat(browser.attr("#pane-0", "data-groups-drawn")).isEqualTo("11");
        assertThat(browser.find("#pane-0 .title").getText()).contains("64 CPUs").contains("2 nodes");
        long u0 = Long.parseLong(browser.attr("#pane-0", "data-updates"));
        browser.await("state updates keep arriving", d -> Long.parseLong(browser.attr("#pane-0", "data-updates")) > u0 + 5);
        String t0 = browser.find("#pane-0 .simtime").getText();
        browser.await("simulated time moves", d -> !browser.find("#pane-0 .simtime").getText().equals(t0));
        assertThat(browser.find("#pane-0 .run-status").getText()).isEqualTo("running");
    }

    @Test
    @Order(2)
    void theMigratorMarkerMovesAfterAnInjectedIdle() {
        JsonObject scenario = new JsonObject().put("machine", new JsonObject().put("cpus", 16).put("nodes", 2))
                .put("until", "10s").put("script", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("at", 0).put("cpu", 0).put("op", "busy"))
                        .add(new JsonObject().put("at", 0).put("cpu", 1).put("op", "busy")));
        String id = server.registry().create(new JsonObject().put("op", "create").put("name", "migrator-demo")
                .put("scenario", scenario).put("start", false)).await().getString("id");
        browser.await("the new experiment is listed", d -> !d.findElements(By.cssSelector("#experiments tr[data-id='" + id + "']")).isEmpty());
        browser.click("#experiments tr[data-id='" + id + "'] button[data-act='R']");
        browser.await("pane 1 shows it", d -> id.equals(browser.attr("#pane-1", "data-exp"))
                && !browser.attr("#pane-1", "data-groups-drawn").isEmpty());
        assertThat(browser.attr("#pane-1", "data-groups-drawn")).isEqualTo(browser.attr("#pane-1", "data-groups"));
        // CPUs 0 and 1 are busy; CPU 0 came up first and holds the migrator role all the way up
        browser.await("CPU 0 is the top migrator", d -> "0".equals(browser.attr("#pane-1", "data-migrator")));
        assertThat(browser.find("#pane-1 .migrator").getText()).isEqualTo("0");

        WebElement cpu = browser.find("#pane-1 .inj-cpu");
        cpu.clear();
        cpu.sendKeys("0");
        new Select(browser.find("#pane-1 .inj-op")).selectByVisibleText("idle");
        browser.find("#pane-1 .inject-go").click();
        browser.await("the injection is accepted", d -> browser.find("#pane-1 .msg").getText().contains("1 injected"));
        browser.find("#pane-1 .step-by").click(); // advance 1ms: the paused experiment runs the step
        browser.await("the marker moves to CPU 1", d -> "1".equals(browser.attr("#pane-1", "data-migrator")));
        assertThat(browser.find("#pane-1 .migrator").getText()).isEqualTo("1");
    }

    @Test
    @Order(3)
    void anExperimentCreatedFromTheFormAppears() {
        browser.await("the catalog filled the form", d -> "loaded".equals(browser.find("body").getDomAttribute("data-catalog")));
        WebElement name = browser.find("#create-form input[name='name']");
        name.clear();
        name.sendKeys("from-the-form");
        setCpus("256");
        browser.find("#create-button").click();
        String result = browser.await("the server answers", d -> {
            String t = browser.find("#create-result").getText();
            return t.startsWith("created ") ? t : null;
        });
        String id = result.split(" ")[1];
        browser.await("it is listed", d -> !d.findElements(By.cssSelector("#experiments tr[data-id='" + id + "']")).isEmpty());
        assertThat(browser.find("#experiments tr[data-id='" + id + "']").getText()).contains("from-the-form").contains("256");
        browser.await("and shown in the right pane", d -> id.equals(browser.attr("#pane-1", "data-exp"))
                && !browser.attr("#pane-1", "data-groups-drawn").isEmpty());
        assertThat(browser.find("#pane-1 .title").getText()).contains("256 CPUs");
        assertThat(browser.find("#create-error").getText()).isEmpty();
    }

    @Test
    @Order(4)
    void aBadFormValueShowsTheServersError() {
        setCpus("0");
        browser.find("#create-button").click();
        String err = browser.await("an error is shown", d -> {
            String t = browser.find("#create-error").getText();
            return t.isEmpty() ? null : t;
        });
        assertThat(err).startsWith("[400]").contains("scenario.machine.cpus").contains("1..");

        setCpus("20000");
        browser.find("#create-button").click();
        browser.await("the size limit is shown", d -> browser.find("#create-error").getText().startsWith("[413]"));
        assertThat(browser.find("#create-error").getText()).contains("more than this console allows (8192)");
        setCpus("256");
    }

    @Test
    @Order(5)
    void screenshot() throws Exception {
        browser.click("#experiments tr[data-id='e1'] button[data-act='L']");
        long u0 = Long.parseLong(browser.attr("#pane-1", "data-updates"));
        browser.await("charts have a few points", d -> Long.parseLong(browser.attr("#pane-1", "data-updates")) > u0 + 60);
        WebElement tree = browser.find("#pane-0 canvas.tree");
        // hover a level-0 group so the tooltip (next expiry) is in the picture
        new Actions(browser.driver).moveToElement(tree, -tree.getSize().getWidth() / 2 + 40, 0).perform();
        browser.await("the tooltip shows", d -> browser.find("#pane-0 .tip").isDisplayed());
        assertThat(browser.find("#pane-0 .tip").getText()).contains("next expiry").contains("migrator");
        Path shot = Path.of("target", "screenshots", "dashboard.png");
        browser.screenshot(shot);
        assertThat(Files.size(shot)).isPositive();
        if (Boolean.getBoolean("tmigr.docs.screenshots")) {
            Path docs = Path.of(System.getProperty("tmigr.repo", "..")).resolve("docs");
            Files.createDirectories(docs);
            Files.copy(shot, docs.resolve("console.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void setCpus(String v) {
        WebElement cpus = browser.find("#f-cpus");
        cpus.clear();
        cpus.sendKeys(v);
    }
}
