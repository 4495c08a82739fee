package org.tmigrlab.engine.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.tmigrlab.api.LabPlugin;

/**
 * Builds real plugin jars at test time: compiles Java sources against the api alone (as a plugin
 * author's build would), writes the classes and a services file into a jar. Nothing of the
 * plugin is on the test classpath, so the only way to reach it is the plugins directory.
 */
public final class PluginJars {
    public static final String SERVICES = "META-INF/services/" + LabPlugin.class.getName();

    private PluginJars() {
    }

    /**
     * @param sources  class name → source text
     * @param services lines of the services file (null: no services file)
     */
    public static Path build(Path jar, Map<String, String> sources, List<String> services) throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-classpath", apiLocation(), "-d", classes.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path src = work.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, e.getValue());
            args.add(src.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        int rc = javac.run(null, null, new java.io.PrintStream(OutputStream.nullOutputStream()) {
            @Override public void write(byte[] b, int off, int len) { errors.write(new String(b, off, len, StandardCharsets.UTF_8)); }
        }, args.toArray(String[]::new));
        if (rc != 0) throw new IllegalStateException("plugin did not compile:\n" + errors);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            if (services != null) {
                out.putNextEntry(new JarEntry(SERVICES));
                out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Where the api's classes are (a directory in the reactor, a jar otherwise). */
    private static String apiLocation() {
        try {
            return Path.of(LabPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plugin {@code id} whose selector {@code name} hands the duty to the highest active child. */
    public static Map<String, String> highestActive(String pkg, String id, String name) {
        return Map.of(pkg + ".Pack", """
                package %s;

                import org.tmigrlab.api.Group;
                import org.tmigrlab.api.LabPlugin;
                import org.tmigrlab.api.MigratorSelector;
                import org.tmigrlab.api.Registrar;

                public final class Pack implements LabPlugin {
                    @Override public String id() { return "%s"; }

                    @Override public void register(Registrar r) {
                        r.migratorSelector(new MigratorSelector() {
                            @Override public String name() { return "%s"; }
                            @Override public long handOver(Group g, long active, long leaving) { return Long.highestOneBit(active); }
                        });
                    }
                }
                """.formatted(pkg, id, name));
    }
}
