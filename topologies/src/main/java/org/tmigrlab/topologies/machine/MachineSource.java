package org.tmigrlab.topologies.machine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a machine comes from. Scenario files spell it as a mapping
 * ({@code machine: {source: hwloc, file: epyc.xml}}); the command line as one word
 * ({@code --machine hwloc:epyc.xml}), see {@link #parse}.
 */
public sealed interface MachineSource {

    /** The forms {@link #parse} accepts, for help texts and error messages. */
    String SPEC_HELP = "sysfs[:DIR] (default /sys), hwloc:FILE (lstopo --of xml), lscpu:FILE (lscpu -p=CPU,CORE,SOCKET,NODE,CACHE),"
            + " synthetic:cpus=N[,packages=P,nodes=N,llcs=L,smt=T,numbering=contiguous|interleaved,capacities=C1/C2/...]";

    /** The live host's sysfs. */
    Path LIVE_SYSFS = Path.of("/sys");

    /**
     * Reads the machine.
     *
     * @throws MachineFormatException naming file, line or element and the reason
     */
    LoadedMachine load();

    /** A sysfs root, e.g. {@code /sys} or a copied tree. */
    record Sysfs(Path root) implements MachineSource {
        @Override public LoadedMachine load() { return SysfsReader.read(root); }
    }

    /** An {@code lstopo --of xml} file. */
    record Hwloc(Path file) implements MachineSource {
        @Override public LoadedMachine load() { return HwlocReader.read(file); }
    }

    /** An {@code lscpu -p=CPU,CORE,SOCKET,NODE,CACHE} file. */
    record Lscpu(Path file) implements MachineSource {
        @Override public LoadedMachine load() { return LscpuReader.read(file); }
    }

    /** Counts, no file. */
    record Synthetic(SyntheticMachine counts) implements MachineSource {
        @Override public LoadedMachine load() { return LoadedMachine.allOnline(counts.toMachine()); }
    }

    /**
     * The command-line form: {@code sysfs}, {@code sysfs:DIR}, {@code hwloc:FILE},
     * {@code lscpu:FILE} or {@code synthetic:KEY=VALUE,...} with the keys of
     * {@link SyntheticMachine#KEYS} ({@code capacities} separated by {@code /}).
     *
     * @throws IllegalArgumentException saying what is wrong and what is accepted
     */
    static MachineSource parse(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (kind) {
            case "sysfs" -> new Sysfs(arg.isEmpty() ? LIVE_SYSFS : Path.of(arg));
            case "hwloc" -> new Hwloc(Path.of(requireArg(kind, arg, "FILE")));
            case "lscpu" -> new Lscpu(Path.of(requireArg(kind, arg, "FILE")));
            case "synthetic" -> {
                String counts = requireArg(kind, arg, "cpus=N,...");
                try {
                    yield new Synthetic(synthetic(counts));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("synthetic: " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("unknown machine source '" + kind + "'; allowed: " + SPEC_HELP);
        };
    }

    private static String requireArg(String kind, String arg, String what) {
        if (arg.isBlank()) throw new IllegalArgumentException(kind + " needs " + what + ", e.g. " + kind + ":" + what);
        return arg;
    }

    private static SyntheticMachine synthetic(String arg) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String item : arg.split(",")) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item.strip() : item.substring(0, eq).strip();
            if (eq < 0 || !SyntheticMachine.KEYS.contains(key))
                throw new IllegalArgumentException("'" + item + "' is not KEY=VALUE with KEY one of " + String.join(", ", SyntheticMachine.KEYS));
            if (values.put(key, item.substring(eq + 1).strip()) != null)
                throw new IllegalArgumentException("" + key + " is given twice");
        }
        if (!values.containsKey("cpus")) throw new IllegalArgumentException("cpus=N is required");
        String numbering = values.getOrDefault("numbering", "contiguous");
        if (!numbering.equals("contiguous") && !numbering.equals("interleaved"))
            throw new IllegalArgumentException("numbering must be contiguous or interleaved, got '" + numbering + "'");
        List<Integer> capacities = new ArrayList<>();
        if (values.containsKey("capacities"))
            for (String c : values.get("capacities").split("/")) capacities.add(number("capacities", c));
        int packages = values.containsKey("packages") ? number("packages", values.get("packages")) : 1;
        try {
            return new SyntheticMachine(number("cpus", values.get("cpus")), packages,
                    values.containsKey("nodes") ? number("nodes", values.get("nodes")) : 1,
                    values.containsKey("llcs") ? number("llcs", values.get("llcs")) : packages,
                    values.containsKey("smt") ? number("smt", values.get("smt")) : 1,
                    numbering.equals("interleaved"), capacities);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("" + e.getMessage(), e);
        }
    }

    private static int number(String key, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("" + key + " '" + v + "' is not a number");
        }
    }
}
