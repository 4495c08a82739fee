package org.tmigrlab.engine.plugin;

/**
 * A plugin that cannot be loaded or registered: unreadable jar, broken services file, a class
 * that does not load, a strategy name already taken. The message names the jar (or
 * {@code classpath}) and the plugin; the lab stops before any run.
 */
public final class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
