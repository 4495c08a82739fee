package org.tmigrlab.console.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.tmigrlab.engine.Catalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr catalog}: every strategy a scenario can name (hierarchy builders, migrator
 * selectors, models, group sizings), where it comes from (built-in, or the plugin and its jar)
 * and what it is for.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"List every strategy a scenario can name, with its origin: built-in, or the plugin and its jar.",
                "Plugins come from the classpath and the plugins directory (--plugins DIR, default ~/.tmigr/plugins)."})
public final class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginsOption plugins;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", description = "Output format (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json"))
            throw new BadInputException("--format: '" + format + "' is not a format; allowed: table, json");
        List<Catalog.Entry> entries = plugins.catalog().entries();
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? json(entries) : table(entries));
        out.flush();
        return 0;
    }

    private static String table(List<Catalog.Entry> entries) {
        int name = "NAME".length();
        int origin = "ORIGIN".length();
        for (Catalog.Entry e : entries) {
            name = Math.max(name, e.name().length());
            origin = Math.max(origin, e.origin().length());
        }
        String row = "%-8s  %-" + name + "s  %-" + origin + "s  %s";
        StringBuilder b = new StringBuilder(String.format(row, "KIND", "NAME", "ORIGIN", "DESCRIPTION").strip()).append('\n');
        for (Catalog.Entry e : entries) b.append(String.format(row, e.kind(), e.name(), e.origin(), e.description()).strip()).append('\n');
        return b.toString();
    }

    private static String json(List<Catalog.Entry> entries) {
        List<Object> list = new ArrayList<>();
        for (Catalog.Entry e : entries) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", e.kind());
            o.put("name", e.name());
            o.put("origin", e.origin());
            o.put("description", e.description());
            list.add(o);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("strategies", list)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
