package org.tmigrlab.engine.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.tmigrlab.api.LabPlugin;

/**
 * Finds {@link LabPlugin}s with {@link ServiceLoader}: on the lab's own classpath, and in a
 * plugins directory where every {@code *.jar} gets its own {@link URLClassLoader} whose parent is
 * the lab's loader. The parent holds the api, so a plugin's {@code LabPlugin} is the lab's; two
 * jars never see each other's classes, so they cannot clash over a shared library version.
 *
 * <p>Fails fast ({@link PluginException}) on anything it cannot use: a jar that does not open, a
 * services file naming a missing class, a jar with no plugin of its own, two plugins with one id.
 * Loaders are never closed: a plugin lives as long as the JVM. Call at startup, on one thread.
 */
public final class PluginLoader {
    public static final String CLASSPATH = "classpath";
    /** Where {@code tmigr} looks when {@code --plugins} is not given. */
    public static final Path DEFAULT_DIR = Path.of(System.getProperty("user.home"), ".tmigr", "plugins");

    private PluginLoader() {
    }

    /**
     * The classpath's plugins, then each jar's in {@code dir} (file name order). {@code dir} may be
     * null (classpath only); a missing {@code dir} is an error unless {@code optional}.
     */
    public static List<LoadedPlugin> load(ClassLoader parent, Path dir, boolean optional) {
        List<LoadedPlugin> all = new ArrayList<>(classpath(parent));
        if (dir != null && (Files.isDirectory(dir) || !optional)) all.addAll(directory(dir, parent));
        Map<String, LoadedPlugin> byId = new HashMap<>();
        for (LoadedPlugin p : all) {
            LoadedPlugin other = byId.put(p.plugin().id(), p);
            if (other != null)
                throw new PluginException("plugin id '" + p.plugin().id() + "' is used by both " + other.location() + " and "
                        + p.location() + "; remove one of them");
        }
        return all;
    }

    /** Plugins on {@code loader}'s classpath. */
    public static List<LoadedPlugin> classpath(ClassLoader loader) {
        List<LoadedPlugin> out = new ArrayList<>();
        try {
            for (LabPlugin p : ServiceLoader.load(LabPlugin.class, loader)) out.add(checked(p, CLASSPATH));
        } catch (ServiceConfigurationError e) {
            throw new PluginException(CLASSPATH + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Plugins of every {@code *.jar} in {@code dir}, one class loader per jar. */
    public static List<LoadedPlugin> directory(Path dir, ClassLoader parent) {
        if (!Files.isDirectory(dir)) throw new PluginException(dir + ": no such plugins directory");
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new PluginException(dir + ": cannot list: " + e.getMessage(), e);
        }
        List<LoadedPlugin> out = new ArrayList<>();
        for (Path jar : jars) out.addAll(jar(jar.toAbsolutePath().normalize(), parent));
        return out;
    }

    private static List<LoadedPlugin> jar(Path jar, ClassLoader parent) {
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginException(jar + ": " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader("tmigr-plugin " + jar.getFileName(), new URL[] {url}, parent);
        List<LoadedPlugin> out = new ArrayList<>();
        try {
            // The parent's providers (the classpath's plugins) are visible through this loader too; keep the jar's own.
            ServiceLoader.load(LabPlugin.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader)
                    .forEach(provider -> out.add(checked(provider.get(), jar.toString())));
        } catch (ServiceConfigurationError e) {
            throw new PluginException(jar + ": " + e.getMessage(), e);
        }
        if (out.isEmpty())
            throw new PluginException(jar + ": no plugin of its own: META-INF/services/" + LabPlugin.class.getName()
                    + " is missing or empty, or names classes the lab's classpath already has");
        return out;
    }

    private static LoadedPlugin checked(LabPlugin p, String location) {
        String id;
        try {
            id = p.id();
        } catch (RuntimeException e) {
            throw new PluginException(location + ": " + p.getClass().getName() + ".id() failed: " + e, e);
        }
        if (id == null || id.isBlank() || !id.strip().equals(id) || id.chars().anyMatch(Character::isWhitespace))
            throw new PluginException(location + ": " + p.getClass().getName() + " has id '" + id + "'; expected a short name without spaces");
        return new LoadedPlugin(p, location);
    }
}
