package org.tmigrlab.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

/**
 * Pins the exact JSON report (and one kernel trace) of the example and named scenarios, as
 * SHA-256 digests captured before the performance work of issue 7. Any change to what a run
 * does — event order, a metric, a record, a name — changes a digest and fails here. When a
 * behaviour change is intended, re-capture with {@code ./tmigr run FILE --format json | sha256sum}
 * and say why in the commit.
 *
 * <p>{@code scenarios/host.yaml} reads this host's {@code /sys}, so it is not pinned.
 */
class ReportPinTest {

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of("", "6482d702e7321f7dac7da1630d3416d76134e54d2cb5e4324ef315f0a16f7405"),
                Arguments.of("biglittle-capacity.yaml", "a3cee0b0a8d3b44b41b54546afbb8b61f1f22d657eb56b1cf47db8e1d32b0b81"),
                Arguments.of("bug2-early-return-on.yaml", "4d0f0fc508462c67d4587659546bfa4ab40dd8b5becd5fae8d41c787f5e417b9"),
                Arguments.of("fix2-early-return.yaml", "75a24947d6774e95b737f5a59fb9af07e747cc32085f4affec22d27f8d4f68c6"),
                Arguments.of("fix3-stale-wakeup.yaml", "8194a6768d35aed97e2d8e098fe2399ebd007b8ee2326a5598760029c4cdc8a7"),
                Arguments.of("llc-hwloc.yaml", "c5269e393bff92ff3f6fedb494b5e6e34a261fa6fa4abf93319be06d2204cd1f"),
                Arguments.of("numa-partial-online.yaml", "345d929a36f1e5b870ec606b9a416e903af9c91551dea02e0fb0c289c382b8d2"),
                Arguments.of("quickstart.yaml", "97c9816021d0d5769d3099d2f7dc4ef2a5d581deda31125f2212451f760c4300"),
                Arguments.of("pinned-vs-global.json", "4bddc9f91fdcaa3bb354e7bb24d4eb73e72c21589e6ccd299d591c8b323a6bdd"),
                Arguments.of("named/batch-256c4n.yaml", "1e4b71f96ca1a5f0a8aabc56b12199affba02856adf0f51bf3fc3fd4d9e7f939"),
                Arguments.of("named/idle-laptop.yaml", "c89759b57125857e1ada04a15718c8f8adfd1ff578c4bb4194ba5eea4c9391bc"),
                Arguments.of("named/mostly-busy-16.yaml", "d43161caa307f34e124b4fcbb361e7eebe617ba6a048414eeab24d971ebe1b1d"),
                Arguments.of("named/quiet-numa-4n.yaml", "9f6b159718fbaa075f2828ec620458fb89bf83de00ffb569ef013f436d641e5f"),
                Arguments.of("named/web-server-2s64.yaml", "3e0b14544a81522ac2ba6d4ec2ef21767958170b56c9fc8f96e106c6291d59e5"));
    }

    /** Every model (mainline, rfc2017 and the baselines) on the same workload. */
    static Stream<Arguments> compares() {
        return Stream.of(
                Arguments.of("fix2-early-return.yaml", "ec4ef2113b58d2a45f034ff847ed25bd1941d55b41e9a1d96a770c580317bc71"),
                Arguments.of("named/idle-laptop.yaml", "df5e4387013202ab3973ff6605b4f2acbdac973383906d1f4aa3a39a6479dce4"),
                Arguments.of("named/quiet-numa-4n.yaml", "967c774813d0ed7714b5c01d506052e0b65b349e39bb88244bc347c6a8aca995"));
    }

    @ParameterizedTest(name = "run {0}")
    @MethodSource("runs")
    void runReportIsPinned(String file, String sha256) {
        Outcome r = file.isEmpty() ? tmigr("run", "--format", "json") : tmigr("run", scenario(file), "--format", "json");
        assertThat(sha256(asFromRepo(r.out(), file))).as("JSON report of " + (file.isEmpty() ? "the default scenario" : file)).isEqualTo(sha256);
    }

    @ParameterizedTest(name = "compare {0}")
    @MethodSource("compares")
    void compareReportIsPinned(String file, String sha256) {
        Outcome r = tmigr("compare", scenario(file), "--models", "mainline,rfc2017,push,local,oracle", "--format", "json",
                "--threads", "1", "--no-progress");
        assertThat(sha256(asFromRepo(r.out(), file))).as("compare JSON of " + file).isEqualTo(sha256);
    }

    @Test
    void kernelTraceIsPinned(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("idle.trace");
        tmigr("run", scenario("named/idle-laptop.yaml"), "--format", "json", "--trace", trace.toString());
        assertThat(sha256(Files.readString(trace))).isEqualTo("4da72064527b2a3b9834804065cbd2a35a84c39a4d5aec3c119f75d6aa534e6a");
    }

    private static String scenario(String name) {
        Path repo = Path.of(System.getProperty("tmigr.repo", ".."));
        Path dir = repo.resolve("scenarios");
        if (!Files.isDirectory(dir)) dir = Path.of("..", "scenarios");
        return dir.resolve(name).toString();
    }

    /** The report names the file as given; the digests were taken from the repository root. */
    private static String asFromRepo(String report, String file) {
        return file.isEmpty() ? report : report.replace(scenario(file), "scenarios/" + file);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
