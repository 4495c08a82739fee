package org.tmigrlab.engine.sim;

/**
 * What a run cost the machine running the simulator. Depends on that machine and its load, so
 * it is kept apart from the deterministic results and out of the JSON report unless asked for.
 *
 * @param wallNanos      wall-clock time of {@code Simulator.run()}
 * @param events         events processed (interrupts and steps)
 * @param eventsPerSecond events / wall-clock seconds (0 when not measured)
 */
public record RuntimeStats(long wallNanos, long events, double eventsPerSecond) {
    public static final RuntimeStats NONE = new RuntimeStats(0, 0, 0);
}
