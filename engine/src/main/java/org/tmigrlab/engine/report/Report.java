package org.tmigrlab.engine.report;

import java.util.List;

import org.tmigrlab.engine.scenario.ExpectationResult;
import org.tmigrlab.engine.scenario.Expectations;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.sim.RunResult;

/**
 * Everything a report shows about one run.
 *
 * @param name         short scenario name ({@code default}, or the file name without extension)
 * @param file         the file as given by the user, or the classpath resource for the embedded default
 * @param scenario     the scenario as run (after command-line overrides such as {@code --seed})
 * @param result       what the run produced
 * @param expectations results in file order, then the implicit ones
 */
public record Report(String name, String file, Scenario scenario, RunResult result, List<ExpectationResult> expectations) {

    public Report {
        expectations = List.copyOf(expectations);
    }

    /** Evaluates the scenario's expectations against {@code result}. */
    public static Report of(String name, String file, Scenario scenario, RunResult result) {
        return new Report(name, file, scenario, result, Expectations.evaluate(scenario, result));
    }

    /** Whether every expectation held. */
    public boolean ok() {
        return Expectations.allOk(expectations);
    }
}
