package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

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

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TmigrCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @ParameterizedTest
    @MethodSource("examples")
    void expectationsHoldAndJsonIsReproducible(Path file) {
        String[] first = run("run", file.toString(), "--format", "json");
        assertThat(first[0]).as(file + "\n" + first[2] + first[1]).isEqualTo("0");
        String[] second = run("run", file.toString(), "--format", "json");
        assertThat(second[1]).isEqualTo(first[1]);
    }
}
