package org.tmigrlab.console.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json}: what is needed to reproduce an output directory exactly (tool version, the
 * exact arguments, the scenario's path, SHA-256 and full text, seeds) and what only describes
 * this particular execution (start and end time, wall-clock seconds, JVM, OS, threads). The
 * second kind lives only here, so the data files stay byte-identical from run to run.
 */
public final class Manifest {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<Path> outputs = new ArrayList<>();

    public Manifest(String version, String command, List<String> arguments) {
        fields.put("tool", "tmigr-lab");
        fields.put("version", version);
        fields.put("command", command);
        fields.put("arguments", List.copyOf(arguments));
        fields.put("reproduce", reproduce(arguments));
        fields.put("workingDirectory", Path.of("").toAbsolutePath().toString());
    }

    /** Adds or replaces a field; insertion order is file order. */
    public Manifest put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Records an output file; its SHA-256 is taken when the manifest is written. */
    public void output(Path file) {
        outputs.add(file);
    }

    /** Writes {@code dir/run.json}. */
    public Path write(Path dir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(fields);
        List<Object> files = new ArrayList<>();
        for (Path p : outputs) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", dir.relativize(p).toString().replace('\\', '/'));
            f.put("sha256", sha256(Files.readAllBytes(p)));
            files.add(new JsonOut.Compact(f));
        }
        m.put("outputs", files);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.version"));
        env.put("javaVendor", System.getProperty("java.vendor"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("environment", env);
        m.put("startedAt", started.truncatedTo(ChronoUnit.MILLIS).toString());
        m.put("finishedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        m.put("wallSeconds", (System.nanoTime() - startNanos) / 1e9);
        Path file = dir.resolve("run.json");
        Files.writeString(file, JsonOut.write(m), StandardCharsets.UTF_8);
        return file;
    }

    /** The scenario block: where it came from, its hash and its full text (so a lost file is no obstacle). */
    public static Map<String, Object> scenario(String shown, Path file, String text) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("file", shown);
        s.put("absolutePath", file == null ? null : file.toAbsolutePath().normalize().toString());
        s.put("sha256", sha256(text.getBytes(StandardCharsets.UTF_8)));
        s.put("text", text);
        return s;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A shell command line that repeats the run: each argument single-quoted when it needs it. */
    static String reproduce(List<String> arguments) {
        StringBuilder b = new StringBuilder("tmigr");
        for (String a : arguments) {
            b.append(' ');
            if (a.matches("[A-Za-z0-9_./=,:+-]+")) b.append(a);
            else b.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }
}
