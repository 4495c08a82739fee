package org.tmigrlab.console.cli;

import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** {@code tmigr replay}: reports on the real captures, what-if tables, and exit 2 on anything that is not a trace. */
class ReplayCommandTest {

    @TempDir
    Path dir;



    private static Path capture(String name) {
        Path repo = Path.of(System.getProperty("tmigr.repo", "..")).toAbsolutePath().normalize();
        Path dir = repo.resolveSibling("shared").resolve("data/kernel-traces");
        Path plain = dir.resolve(name + ".trace");
        return Files.exists(plain) ? plain : dir.resolve(name + ".trace.gz");
    }

    /** Never a Java stack trace or exception name on the terminal. */
    private static void noStackTrace(Outcome o) {
        assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at org.");
    }

    @Test
    void replaysACaptureAndReportsFidelity() {
        Outcome o = tmigr("replay", capture("cpus4-nodes1-net").toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("4 CPUs, 1 node (nodes from the tmigr_connect_* lines), HZ=250", "equal to the lab's kernel builder",
                "global timer expired on the same CPU", "tmigr_cpu_idle returned the same wakeup", "bucket_expiry equal");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void jsonCarriesTheFigures() throws IOException {
        Outcome o = tmigr("replay", capture("cpus16-nodes2-net").toString(), "--format", "json", "--list", "2");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.at("/machine/cpus").asInt()).isEqualTo(16);
        assertThat(j.at("/machine/nodes").asInt()).isEqualTo(2);
        assertThat(j.at("/tree/equal").asBoolean()).isTrue();
        assertThat(j.at("/fidelity/timerExpiries/percent").asDouble()).isGreaterThanOrEqualTo(95.0);
        assertThat(j.at("/fidelity/idleWakeups/percent").asDouble()).isGreaterThanOrEqualTo(95.0);
        assertThat(j.at("/fidelity/timerExpiries/disagreements/model").asLong()).isZero();
        assertThat(j.at("/fidelity/bucketExpiry/mismatches").asLong()).isZero();
        assertThat(j.at("/fidelity/timerExpiries/first").size()).isLessThanOrEqualTo(2 * 5);
    }

    @Test
    void anotherConfigurationGivesAWhatIfTable() throws IOException {
        Path out = dir.resolve("lab.trace");
        Outcome o = tmigr("replay", capture("cpus4-nodes1-net").toString(), "--children-per-group", "2", "--migrator", "sticky",
                "--trace", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("what-if", "lab mainline", "lab mainline cpg=2 migrator=sticky", "pulled by another CPU");
        // The lab's own replay, as kernel ftrace text, to diff against the capture.
        assertThat(Files.readString(out)).contains("tmigr_cpu_idle:", "timer_start:");
    }

    @Test
    void filesThatAreNoTraceExitTwoNamingFileAndLine() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.trace"), "");
        Path garbage = Files.writeString(dir.resolve("notes.txt"), "shopping list\nmilk\n");
        Path binary = Files.write(dir.resolve("blob.trace"), new byte[]{'a', '\n', 0, 1, 2, 3, (byte) 0xff});
        Path missing = dir.resolve("missing.trace");
        Object[][] cases = {
                {empty, empty + ": file is empty"},
                {garbage, garbage + ": line 1: not ftrace text"},
                {binary, binary + ": line 2: binary data"},
                {missing, missing + ": no such file"},
                {dir, dir + ": is a directory"},
        };
        for (Object[] c : cases) {
            Outcome o = tmigr("replay", c[0].toString());
            assertThat(o.code()).as(c[0].toString()).isEqualTo(2);
            assertThat(o.err()).startsWith("error: " + c[1]);
            assertThat(o.out()).isEmpty();
            noStackTrace(o);
        }
    }

    @Test
    void badOptionsExitTwo() throws IOException {
        String trace = capture("cpus4-nodes1-net").toString();
        for (String[] args : new String[][]{
                {"replay", trace, "--model", "nope"},
                {"replay", trace, "--migrator", "nope"},
                {"replay", trace, "--format", "xml"},
                {"replay", trace, "--children-per-group", "3"},
                {"replay", trace, "--hz", "123"},
                {"replay", trace, "--idle-source", "guess"},
                {"replay", trace, "--cpus", "2"},
                {"replay"},
        }) {
            Outcome o = tmigr(args);
            assertThat(o.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(o.err()).startsWith("error: ");
            noStackTrace(o);
        }
        Path noClock = Files.writeString(dir.resolve("idle.trace"),
                "  <idle>-0       [000] d..1.     1.000100: cpu_idle: state=1 cpu_id=0\n", StandardCharsets.UTF_8);
        Outcome o = tmigr("replay", noClock.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("cannot tell HZ from the trace", "pass --hz");
        assertThat(tmigr("replay", noClock.toString(), "--hz", "1000").code()).isZero();
    }
}
