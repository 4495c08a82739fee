package org.tmigrlab.engine.scenario;

/**
 * One {@code expect} entry. Exactly one kind is set:
 * <ul>
 *   <li>timer: {@code timer} with {@code firesBy} or {@code firesAt} (ns, -1 = unset), optional {@code on} (CPU, -1 = any);
 *       {@code firesAt: never} is {@code neverFires};</li>
 *   <li>cpu: {@code cpu} with {@code wakeupsAtMost} or {@code wakeupsAtLeast} (-1 = unset);</li>
 *   <li>violations: {@code violations} = expected number of invariant violations (-1 = unset).</li>
 * </ul>
 * {@code source} is the entry as written, for reports.
 */
public record Expectation(String timer, long firesBy, long firesAt, boolean neverFires, int on,
                          int cpu, long wakeupsAtMost, long wakeupsAtLeast,
                          int violations, String source) {
}
