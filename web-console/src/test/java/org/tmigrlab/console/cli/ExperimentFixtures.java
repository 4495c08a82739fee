package org.tmigrlab.console.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Shared by the CLI tests: one {@code tmigr} invocation with captured streams, as a terminal shows it. */
final class ExperimentFixtures {
    private ExperimentFixtures() {
    }

    record Outcome(int code, String out, String err) {
    }

    static Outcome tmigr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TmigrCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Two busy CPUs on two nodes arm global and pinned timers, then go idle: every model has work to do. */
    static final String SCRIPTED = """
            machine: {cpus: 8, nodes: 2}
            until: 300ms
            script:
              - {at: 0, cpu: 0, op: busy}
              - {at: 0, cpu: 5, op: busy}
              - {at: 1ms, cpu: 5, op: arm, timer: net, in: 20ms}
              - {at: 1ms, cpu: 5, op: arm, timer: wq, in: 30ms, pinned: true}
              - {at: 2ms, cpu: 5, op: idle}
              - {at: 3ms, cpu: 0, op: arm, timer: blk, in: 50ms}
              - {at: 4ms, cpu: 0, op: idle}
              - {at: 60ms, cpu: 3, op: busy}
              - {at: 61ms, cpu: 3, op: arm, timer: tcp, in: 100ms}
              - {at: 62ms, cpu: 3, op: idle}
            """;

    /** A generated workload: busy/idle CPUs, interrupts, a timeout mix with cancels and re-arms. */
    static final String GENERATED = """
            machine: {cpus: 8, nodes: 2}
            until: 500ms
            seed: 11
            workload:
              activity: {busy: {dist: exponential, mean: 2ms}, load: 0.3}
              interrupts: {rate: 40, arm: 0.2}
              timers:
                rate: 300
                timeouts: [{in: 4ms, weight: 3}, {in: 40ms, weight: 1}, {in: 200ms, weight: 1}]
                cancel: 0.4
                rearm: 0.2
                pinned: 0.1
            """;
}
