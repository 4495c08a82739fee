package org.tmigrlab.engine.sim;

import java.util.List;
import java.util.Map;

import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.engine.check.Violation;

/**
 * Everything a run produced, in deterministic order.
 *
 * @param timers     one record per arming, in arming order
 * @param cpus       one record per possible CPU
 * @param metrics    named totals, insertion-ordered
 * @param violations invariant violations in time order
 * @param hierarchy  the hierarchy at the end of the run
 * @param endTime    ns
 */
public record RunResult(List<TimerRecord> timers, List<CpuRecord> cpus, Map<String, Object> metrics,
                        List<Violation> violations, Hierarchy hierarchy, long endTime) {
}
