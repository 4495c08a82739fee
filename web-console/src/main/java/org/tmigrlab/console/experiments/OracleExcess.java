package org.tmigrlab.console.experiments;

import java.util.List;
import java.util.Map;

/**
 * "Excess wake-ups over the oracle": how many wake-ups a model spends beyond the lower bound on
 * the same workload. No single run can know it — it needs the {@code oracle} run of the same
 * scenario and seed — so {@code compare} and {@code sweep} add it to every model's metrics when
 * {@code oracle} is among the models:
 * <ul>
 *   <li>{@code globalWakeupsOverOracle} = {@code globalWakeups} − oracle's: README's "excess over the
 *       oracle", what global timers cost beyond the bound;</li>
 *   <li>{@code wakeupsOverOracle} = {@code wakeups} − oracle's {@code wakeups} (clock-event wake-ups only).</li>
 * </ul>
 */
public final class OracleExcess {
    public static final String ORACLE = "oracle";
    private static final List<String> BASES = List.of("globalWakeups", "wakeups");

    private OracleExcess() {
    }

    /**
     * @param models  model of each entry of {@code metrics}
     * @param metrics the runs of one scenario and seed, one per model; their maps gain the excess entries
     */
    public static void add(List<String> models, List<Map<String, Number>> metrics) {
        int oracle = models.indexOf(ORACLE);
        if (oracle < 0) return;
        Map<String, Number> bound = metrics.get(oracle);
        for (String base : BASES) {
            Number b = bound.get(base);
            if (b == null) continue;
            for (Map<String, Number> m : metrics) {
                Number v = m.get(base);
                if (v != null) m.put(base + "OverOracle", v.doubleValue() - b.doubleValue());
            }
        }
    }
}
