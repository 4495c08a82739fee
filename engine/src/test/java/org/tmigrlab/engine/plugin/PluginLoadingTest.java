package org.tmigrlab.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.Runs;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioException;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.trace.TraceSink;

/**
 * Issue 4, acceptance 4: a plugin jar built at test time, loaded from a temporary plugins
 * directory, runs a scenario by name; without the jar the name is unknown and the error lists what
 * is known. And everything that can go wrong with a jar stops the lab with the jar's name.
 */
class PluginLoadingTest {

    @TempDir
    Path dir;

    /**
     * CPU 0 is the migrator of the only group; when it idles, CPUs 1 and 2 are active. The kernel's
     * rule hands the duty to CPU 1, a highest-active rule to CPU 2: the one that then expires
     * idle CPU 3's timer.
     */
    private static final String HAND_OVER = """
            machine: {cpus: 4}
            hierarchy: {childrenPerGroup: 4}
            migrator: %s
            script:
              - {at: 1ms, cpu: 0, op: busy}
              - {at: 1ms, cpu: 1, op: busy}
              - {at: 1ms, cpu: 2, op: busy}
              - {at: 1ms, cpu: 3, op: busy}
              - {at: 2ms, cpu: 3, op: arm, timer: T, in: 5ms}
              - {at: 3ms, cpu: 3, op: idle}
              - {at: 4ms, cpu: 0, op: idle}
            """;

    private static ScenarioReader readerFor(Catalog c) {
        return new ScenarioReader().withBuilders(c.builders().keySet()).withMigrators(c.migrators().keySet())
                .withModels(c.models().keySet()).withSizings(c.sizings().keySet());
    }

    private Path plugins() throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    @Test
    void aJarInThePluginsDirectoryIsUsableByNameAndGoneWhenRemoved() throws IOException {
        Path jar = PluginJars.build(plugins().resolve("test-pack.jar"), PluginJars.highestActive("testpack", "test-pack", "highest-active"),
                List.of("# a comment, then the provider", "testpack.Pack"));

        Catalog withJar = Lab.catalog(plugins());
        assertThat(withJar.migrators()).containsKey("highest-active");
        assertThat(withJar.origin(Catalog.MIGRATOR, "highest-active")).isEqualTo("test-pack (" + jar + ")");
        assertThat(withJar.origin(Catalog.MIGRATOR, "lowest-active")).isEqualTo("built-in");
        assertThat(withJar.entries()).anySatisfy(e -> assertThat(e.name()).isEqualTo("highest-active"));

        Scenario s = readerFor(withJar).read(HAND_OVER.formatted("highest-active"), ScenarioReader.Format.YAML);
        RunResult r = Lab.run(s, TraceSink.NONE, withJar);
        assertThat(Runs.timer(r, "T").firedOn()).isEqualTo(2);
        assertThat(r.violations()).isEmpty();
        RunResult kernel = Lab.run(Runs.scenario(HAND_OVER.formatted("lowest-active")), TraceSink.NONE);
        assertThat(Runs.timer(kernel, "T").firedOn()).isEqualTo(1);

        Files.delete(jar);
        Catalog without = Lab.catalog(plugins());
        assertThat(without.migrators()).doesNotContainKey("highest-active");
        assertThatThrownBy(() -> readerFor(without).read(HAND_OVER.formatted("highest-active"), ScenarioReader.Format.YAML))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("migrator: unknown migrator 'highest-active'")
                .hasMessageContaining("allowed: llc-affine, lowest-active, numa-affine, random, round-robin, sticky");
        assertThatThrownBy(() -> without.migrator("highest-active")).hasMessageContaining("known: llc-affine, lowest-active");
    }

    @Test
    void aNameTakenByTheLabIsRefusedWithBothOrigins() throws IOException {
        Path jar = PluginJars.build(plugins().resolve("dup.jar"), PluginJars.highestActive("dup", "dup-pack", "sticky"), List.of("dup.Pack"));

        assertThatThrownBy(() -> Lab.catalog(plugins())).isInstanceOf(PluginException.class)
                .hasMessage("dup-pack (" + jar + "): migrator selector 'sticky' is already registered by built-in; names must be unique."
                        + " Known migrator selectors: llc-affine, lowest-active, numa-affine, random, round-robin, sticky");
    }

    @Test
    void twoJarsWithTheSameNameOrIdAreRefused() throws IOException {
        PluginJars.build(plugins().resolve("a.jar"), PluginJars.highestActive("a", "pack-a", "top"), List.of("a.Pack"));
        PluginJars.build(plugins().resolve("b.jar"), PluginJars.highestActive("b", "pack-b", "top"), List.of("b.Pack"));
        assertThatThrownBy(() -> Lab.catalog(plugins())).hasMessageContaining("'top' is already registered by pack-a (");

        Files.delete(plugins().resolve("b.jar"));
        PluginJars.build(plugins().resolve("c.jar"), PluginJars.highestActive("c", "pack-a", "other"), List.of("c.Pack"));
        assertThatThrownBy(() -> Lab.catalog(plugins())).hasMessageContaining("plugin id 'pack-a' is used by both");
    }

    @Test
    void brokenJarsNameTheJar() throws IOException {
        Map<String, String> src = PluginJars.highestActive("x", "x-pack", "x");
        Path noServices = PluginJars.build(plugins().resolve("no-services.jar"), src, null);
        assertThatThrownBy(() -> Lab.catalog(plugins())).hasMessage(noServices + ": no plugin of its own: META-INF/services/"
                + "org.tmigrlab.api.LabPlugin is missing or empty, or names classes the lab's classpath already has");
        Files.delete(noServices);

        Path missing = PluginJars.build(plugins().resolve("missing.jar"), src, List.of("x.NoSuchPack"));
        assertThatThrownBy(() -> Lab.catalog(plugins())).isInstanceOf(PluginException.class)
                .hasMessageStartingWith(missing + ": ").hasMessageContaining("x.NoSuchPack");
        Files.delete(missing);

        Files.writeString(plugins().resolve("not-a-zip.jar"), "hello");
        assertThatThrownBy(() -> Lab.catalog(plugins())).isInstanceOf(PluginException.class)
                .hasMessageContaining("not-a-zip.jar");
    }

    @Test
    void aMissingExplicitDirectoryIsAnErrorButOnlyJarsCount() throws IOException {
        assertThatThrownBy(() -> Lab.catalog(dir.resolve("nope"))).hasMessage(dir.resolve("nope") + ": no such plugins directory");
        Files.writeString(plugins().resolve("README.txt"), "not a jar");
        assertThat(Lab.catalog(plugins()).migrators()).containsOnlyKeys(Lab.defaultCatalog().migrators().keySet());
    }

    @Test
    void aPluginThatThrowsWhileRegisteringIsNamed() throws IOException {
        PluginJars.build(plugins().resolve("boom.jar"), Map.of("boom.Pack", """
                package boom;
                public final class Pack implements org.tmigrlab.api.LabPlugin {
                    @Override public String id() { return "boom"; }
                    @Override public void register(org.tmigrlab.api.Registrar r) { throw new IllegalStateException("no config"); }
                }
                """), List.of("boom.Pack"));
        assertThatThrownBy(() -> Lab.catalog(plugins())).hasMessageContaining("plugin boom (")
                .hasMessageContaining("register() failed: java.lang.IllegalStateException: no config");
    }
}
