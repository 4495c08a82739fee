package org.tmigrlab.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioException;
import org.tmigrlab.engine.scenario.ScenarioOverrides;
import org.tmigrlab.engine.scenario.ScenarioOverrides.Setting;
import org.tmigrlab.engine.scenario.ScenarioReader;

/**
 * A scenario file as {@code compare} and {@code sweep} use it: its text (hashed and copied into
 * {@code run.json}), its parsed tree, and {@link #scenario} to get the validated scenario with
 * command-line settings applied. The file itself is validated first, so its own mistakes are
 * reported with line and column exactly as {@code tmigr run} reports them.
 */
final class ScenarioInput {
    /** Listing order of models when {@code --models} is not given: the order, then plugins' by name. */
    static final List<String> MODEL_ORDER = List.of("mainline", "rfc2017", "push", "local", "oracle");

    final String shown;
    final Path file;
    final String text;
    final ScenarioReader reader;
    final Catalog catalog;
    private final JsonNode tree;
    private final Scenario base;

    private ScenarioInput(String shown, Path file, String text, ScenarioReader.Format format, Catalog catalog) {
        this.shown = shown;
        this.file = file;
        this.text = text;
        this.catalog = catalog;
        // Names the engine's catalog knows (plugins included) are valid in the file as well.
        this.reader = new ScenarioReader().withBuilders(catalog.builders().keySet())
                .withMigrators(catalog.migrators().keySet()).withModels(catalog.models().keySet());
        try {
            this.base = reader.read(text, format);
            this.tree = ScenarioOverrides.tree(text, format);
        } catch (ScenarioException e) {
            throw new BadInputException(shown + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code file}, or the embedded default scenario when it is null. */
    static ScenarioInput load(Path file) {
        Catalog catalog = Lab.defaultCatalog();
        if (file == null) {
            try (InputStream in = ScenarioReader.class.getResourceAsStream(ScenarioReader.DEFAULT_SCENARIO)) {
                if (in == null) throw new IllegalStateException(ScenarioReader.DEFAULT_SCENARIO + " missing from the classpath");
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new ScenarioInput("classpath:" + ScenarioReader.DEFAULT_SCENARIO.substring(1), null, text,
                        ScenarioReader.Format.YAML, catalog);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new ScenarioInput(file.toString(), file, text, ScenarioReader.Format.of(file), catalog);
    }

    /** The file's scenario as written. */
    Scenario base() {
        return base;
    }

    /** {@code default}, or the file name without its extension. */
    String name() {
        if (file == null) return "default";
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * The scenario with the user's {@code --set} settings and then the command's own ({@code model},
     * {@code seed}, {@code checkInvariants}) applied, validated as a file would be. A problem names
     * the file, the user setting it is about (or all of them, for a bad combination) and the entry.
     */
    Scenario scenario(List<Setting> user, List<Setting> fixed) {
        List<Setting> all = new ArrayList<>(user);
        all.addAll(fixed);
        try {
            return ScenarioOverrides.read(reader, ScenarioOverrides.apply(tree, all));
        } catch (ScenarioException e) {
            throw new BadInputException(shown + ": " + describe(user, e.field()) + e.getMessage(), e);
        }
    }

    private static String describe(List<Setting> user, String field) {
        if (user.isEmpty()) return "";
        for (Setting s : user) {
            // The entry itself, something inside it, or a misspelt section on its path (hierachy.childrenPerGroup).
            if (field.equals(s.key()) || field.startsWith(s.key() + ".") || field.startsWith(s.key() + "[")
                    || !field.isEmpty() && (s.key().startsWith(field + ".") || s.key().startsWith(field + "[")))
                return "--set " + s + ": ";
        }
        return "with " + user.stream().map(s -> "--set " + s).collect(Collectors.joining(" ")) + ": ";
    }

    // ---- command-line parsing shared by compare and sweep ---------------------------------

    /** One {@code --set KEY=V1,V2,...}: a key and its values in the order given. */
    record Axis(String key, List<JsonNode> values) {
    }

    /** Parses {@code --set} options; keys must be distinct and well-formed, values readable. */
    static List<Axis> axes(List<String> sets) {
        Map<String, Axis> out = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq < 0)
                throw new BadInputException("--set " + s + ": expected KEY=VALUE[,VALUE...], e.g. --set hierarchy.childrenPerGroup=2,4,8");
            String key = s.substring(0, eq).trim();
            try {
                ScenarioOverrides.path(key);
                List<JsonNode> values = ScenarioOverrides.values(key, s.substring(eq + 1));
                if (out.containsKey(key)) throw new BadInputException("--set " + key + ": given twice; list all values in one --set, e.g. "
                        + key + "=2,4,8");
                out.put(key, new Axis(key, values));
            } catch (ScenarioException e) {
                throw new BadInputException("--set " + s + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out.values());
    }

    /** Models from {@code --models a,b}, checked against the catalog; all of them (in {@link #MODEL_ORDER}) when null. */
    List<String> models(String option) {
        List<String> known = new ArrayList<>();
        for (String m : MODEL_ORDER) if (catalog.models().containsKey(m)) known.add(m);
        for (String m : catalog.models().keySet()) if (!known.contains(m)) known.add(m);
        if (option == null) return known;
        List<String> out = new ArrayList<>();
        for (String item : option.split(",", -1)) {
            String m = item.trim();
            if (!catalog.models().containsKey(m))
                throw new BadInputException("--models: unknown model '" + m + "'; allowed: " + String.join(", ", known));
            if (out.contains(m)) throw new BadInputException("--models: '" + m + "' is listed twice");
            out.add(m);
        }
        return out;
    }

    static Setting model(String name) {
        return new Setting("model", TextNode.valueOf(name));
    }

    static Setting seed(long seed) {
        return new Setting("seed", LongNode.valueOf(seed));
    }

    static Setting noCheck() {
        return new Setting("checkInvariants", BooleanNode.FALSE);
    }
}
