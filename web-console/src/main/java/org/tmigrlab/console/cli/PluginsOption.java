package org.tmigrlab.console.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.plugin.PluginException;
import org.tmigrlab.engine.plugin.PluginLoader;

import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}, shared by the commands that resolve strategy names. Without it the
 * default directory is used when it exists; a directory given explicitly must exist. A jar that
 * cannot be used is bad input (exit 2) naming the jar.
 */
public final class PluginsOption {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Directory of plugin jars (default: ~/.tmigr/plugins when it exists); the classpath's plugins always load.")
    Path dir;

    /** The built-ins, the classpath's plugins and the directory's. */
    public Catalog catalog() {
        try {
            if (dir != null) return Lab.catalog(dir);
            return Files.isDirectory(PluginLoader.DEFAULT_DIR) ? Lab.catalog(PluginLoader.DEFAULT_DIR) : Lab.defaultCatalog();
        } catch (PluginException e) {
            throw new BadInputException("--plugins: " + e.getMessage(), e);
        }
    }
}
