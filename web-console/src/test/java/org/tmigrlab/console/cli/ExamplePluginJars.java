package org.tmigrlab.console.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars Maven builds for {@code plugins/<module>} (a test-scoped dependency makes the reactor
 * build them first; surefire keeps them off the classpath). When only {@code target/classes}
 * exists ({@code mvn test} stops before {@code package}), they are jarred here the same way.
 */
final class ExamplePluginJars {
    private ExamplePluginJars() {
    }

    static Path repo() {
        return Path.of(System.getProperty("tmigr.repo", "..")).toAbsolutePath().normalize();
    }

    /** Copies the module's plugin jar into {@code dir}; returns the copy. */
    static Path copyTo(Path dir, String module) throws IOException {
        Path target = repo().resolve("plugins").resolve(module).resolve("target");
        Path copy = dir.resolve("tmigr-" + module + ".jar");
        try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            Path built = s.filter(p -> p.getFileName().toString().matches("tmigr-" + module + "-[^-].*\\.jar")
                    && !p.getFileName().toString().endsWith("-sources.jar")).findFirst().orElse(null);
            if (built != null) return Files.copy(built, copy);
        }
        Path classes = target.resolve("classes");
        if (!Files.isDirectory(classes)) throw new IllegalStateException("plugin module " + module + " is not built: " + target);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return copy;
    }
}
