package org.tmigrlab.engine.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Test access to the real ftrace captures in {@code ../shared/data/kernel-traces} (Linux 6.12.95,
 * see that directory's README). The shared tree is located through the {@code tmigr.repo} system
 * property (set by surefire to the repository root) or, failing that, by walking up from
 * {@code user.dir}. A missing tree fails the test: these tests exist to check against real data.
 */
public final class KernelCaptures {

    private KernelCaptures() {}

    /** The {@code shared} directory that holds {@code data/kernel-traces}. */
    public static Path sharedDir() {
        String repo = System.getProperty("tmigr.repo");
        if (repo != null && !repo.isBlank()) {
            Path candidate = Paths.get(repo).toAbsolutePath().normalize().resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data/kernel-traces"))) {
                return candidate;
            }
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("data/kernel-traces"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find ../shared/data/kernel-traces (tmigr.repo="
                + repo + ", user.dir=" + System.getProperty("user.dir") + ")");
    }

    public static Path tracesDir() {
        return sharedDir().resolve("data/kernel-traces");
    }

    /** Every {@code *.trace} and {@code *.trace.gz} capture, sorted by name. */
    public static List<Path> traceFiles() {
        try (Stream<Path> files = Files.list(tracesDir())) {
            List<Path> traces = files
                    .filter(p -> p.getFileName().toString().endsWith(".trace")
                            || p.getFileName().toString().endsWith(".trace.gz"))
                    .sorted()
                    .toList();
            if (traces.isEmpty()) {
                throw new IllegalStateException("no *.trace / *.trace.gz in " + tracesDir());
            }
            return traces;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cpus4-nodes1-net} for {@code cpus4-nodes1-net.trace.gz}. */
    public static String baseName(Path trace) {
        String name = trace.getFileName().toString();
        return name.replaceFirst("\\.trace(\\.gz)?$", "");
    }

    /** All lines of a capture, gunzipped if needed. */
    public static List<String> lines(Path trace) {
        try (InputStream raw = Files.newInputStream(trace);
             InputStream in = trace.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code key=value} lines of the capture's {@code .meta} file (empty if there is none). */
    public static Map<String, String> meta(Path trace) {
        Path meta = trace.resolveSibling(baseName(trace) + ".meta");
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(meta)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** The capture's {@code .summary.json}, or null. */
    public static Path summaryJson(Path trace) {
        Path json = trace.resolveSibling(baseName(trace) + ".summary.json");
        return Files.exists(json) ? json : null;
    }
}
