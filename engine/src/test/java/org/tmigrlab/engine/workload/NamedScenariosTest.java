package org.tmigrlab.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.trace.TraceSink;

/** The library in {@code scenarios/named}: each says what it is in its first line and runs under every model. */
class NamedScenariosTest {

    static List<Path> named() throws IOException {
        Path dir = Path.of(System.getProperty("tmigr.repo", ".."), "scenarios", "named");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("named")
    void describesItselfInOneLineAndRunsUnderEveryModel(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).as("one-line description").startsWith("# ").hasSizeGreaterThan(20);
        assertThat(lines.get(1)).as("only one line of description").doesNotStartWith("#");
        Scenario s = new ScenarioReader().read(file);
        assertThat(s.workload().isEmpty()).isFalse();
        long oracle = -1;
        for (String model : List.of("oracle", "mainline", "rfc2017", "push", "local")) {
            RunResult r = Lab.run(s.withModel(model), TraceSink.NONE);
            assertThat(r.metrics()).as(model).doesNotContainKey("aborted");
            assertThat(r.violations()).as(model).isEmpty();
            assertThat(r.timers()).as(model).isNotEmpty();
            long global = (Long) r.metrics().get("globalWakeups");
            if (oracle < 0) oracle = global;
            else assertThat(oracle).as("oracle vs " + model).isLessThanOrEqualTo(global);
        }
    }
}
