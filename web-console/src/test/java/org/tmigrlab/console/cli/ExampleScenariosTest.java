package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

/**
 * Every scenario shipped in {@code scenarios/} is a claim about kernel behaviour: its expectations
 * must hold (exit 0), and running it twice must give byte-identical JSON.
 */
class ExampleScenariosTest {

    static List<Path> examples() throws IOException {
        Path repo = Path.of(System.getProperty("tmigr.repo", ".."));
        Path dir = repo.resolve("scenarios");
        if (!Files.isDirectory(dir)) dir = Path.of("..", "scenarios");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void expectationsHoldAndJsonIsReproducible(Path file) {
        Outcome first = tmigr("run", file.toString(), "--format", "json");
        assertThat(first.code()).as(file + "\n" + first.err() + first.out()).isZero();
        Outcome second = tmigr("run", file.toString(), "--format", "json");
        assertThat(second.out()).isEqualTo(first.out());
    }
}
