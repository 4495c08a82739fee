package org.tmigrlab.engine.scenario;

/**
 * The outcome of one {@link Expectation} after a run.
 *
 * @param expectation what was checked
 * @param expect      the expectation as written in the file (or described, for hand-built ones)
 * @param ok          whether it held
 * @param actual      what the run showed, for a person: {@code fired at 6ms on CPU 0}, {@code 3 wakeups (2 timer, 1 duty)}
 */
public record ExpectationResult(Expectation expectation, String expect, boolean ok, String actual) {
}
