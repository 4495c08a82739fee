package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tmigr console} refuses bad options with exit 2 and a message naming the option, before starting anything. */
class ConsoleCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TmigrCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void badOptionsExit2WithTheOptionNamed() {
        String[] r = run("console", "--speed", "fast");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--speed").contains("'fast' is not a time");
        r = run("console", "--state-rate", "500");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--state-rate");
        r = run("console", "--scenario", "no/such/file.yaml");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("no/such/file.yaml: no such file");
        r = run("console", "--port", "70000");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--port");
    }

    @Test
    void helpListsTheOptions() {
        String[] r = run("console", "--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("--port").contains("--scenario").contains("--token").contains("--tcp-bridge").contains("--host");
    }
}
