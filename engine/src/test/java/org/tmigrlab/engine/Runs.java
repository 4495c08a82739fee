package org.tmigrlab.engine;

import java.util.List;

import org.tmigrlab.engine.check.Violation;
import org.tmigrlab.engine.scenario.Scenario;
import org.tmigrlab.engine.scenario.ScenarioReader;
import org.tmigrlab.engine.sim.RunResult;
import org.tmigrlab.engine.sim.Simulator;
import org.tmigrlab.engine.sim.TimerRecord;
import org.tmigrlab.engine.trace.TraceSink;

/** Small helpers so scenario tests read like the scenarios they reproduce. */
public final class Runs {
    public static final long MS = 1_000_000L;

    private Runs() {
    }

    public static Scenario scenario(String yaml) {
        return new ScenarioReader().read(yaml, ScenarioReader.Format.YAML);
    }

    public static RunResult run(String yaml) {
        return Lab.run(scenario(yaml), TraceSink.NONE);
    }

    public static Simulator simulator(String yaml) {
        return Lab.prepare(scenario(yaml), TraceSink.NONE, Lab.defaultCatalog());
    }

    /** The last arming of {@code name}. */
    public static TimerRecord timer(RunResult r, String name) {
        TimerRecord last = null;
        for (TimerRecord t : r.timers()) if (t.name().equals(name)) last = t;
        if (last == null) throw new AssertionError("no timer " + name + " in " + r.timers());
        return last;
    }

    public static List<String> invariants(RunResult r) {
        return r.violations().stream().map(Violation::invariant).distinct().sorted().toList();
    }

    public static List<String> invariants(List<Violation> vs) {
        return vs.stream().map(Violation::invariant).distinct().sorted().toList();
    }
}
