package org.tmigrlab.console.web;

import java.nio.file.Path;

/**
 * How {@code tmigr console} is started.
 *
 * @param host           interface to bind (127.0.0.1 by default; anything else is reachable from the network)
 * @param port           HTTP port, 0 = any free port
 * @param token          token every bridged message must carry; null = generate one
 * @param tcpBridgePort  TCP event-bus bridge port, null = no TCP bridge, 0 = any free port
 * @param scenarioFile   the default experiment's scenario; null = the embedded default (64 CPUs, 2 nodes, a generated workload)
 * @param defaultExperiment whether to create the default experiment at start
 * @param maxExperiments limit on experiments at once
 * @param maxCpus        limit on one experiment's machine size
 * @param speedNs        default simulated time per wall second
 * @param publishHz      default state messages per second per experiment
 * @param scenariosDir   where named scenarios are looked up (null = none)
 */
public record ConsoleConfig(String host, int port, String token, Integer tcpBridgePort, Path scenarioFile,
                            boolean defaultExperiment, int maxExperiments, int maxCpus, long speedNs, double publishHz,
                            Path scenariosDir) {

    public static final int DEFAULT_MAX_EXPERIMENTS = 8;
    public static final int DEFAULT_MAX_CPUS = 8192;
    public static final long DEFAULT_SPEED_NS = 50_000_000L;
    public static final double DEFAULT_PUBLISH_HZ = 20;

    /** Loopback, any free port, generated token, no TCP bridge, default experiment on: what tests start from. */
    public static ConsoleConfig forTests() {
        return new ConsoleConfig("127.0.0.1", 0, null, null, null, true, DEFAULT_MAX_EXPERIMENTS, DEFAULT_MAX_CPUS,
                DEFAULT_SPEED_NS, DEFAULT_PUBLISH_HZ, null);
    }

    public ConsoleConfig withToken(String t) {
        return new ConsoleConfig(host, port, t, tcpBridgePort, scenarioFile, defaultExperiment, maxExperiments, maxCpus, speedNs, publishHz, scenariosDir);
    }

    public ConsoleConfig withTcpBridge(Integer p) {
        return new ConsoleConfig(host, port, token, p, scenarioFile, defaultExperiment, maxExperiments, maxCpus, speedNs, publishHz, scenariosDir);
    }

    public ConsoleConfig withDefaultExperiment(boolean on) {
        return new ConsoleConfig(host, port, token, tcpBridgePort, scenarioFile, on, maxExperiments, maxCpus, speedNs, publishHz, scenariosDir);
    }

    public ConsoleConfig withLimits(int experiments, int cpus) {
        return new ConsoleConfig(host, port, token, tcpBridgePort, scenarioFile, defaultExperiment, experiments, cpus, speedNs, publishHz, scenariosDir);
    }

    public ConsoleConfig withScenariosDir(Path dir) {
        return new ConsoleConfig(host, port, token, tcpBridgePort, scenarioFile, defaultExperiment, maxExperiments, maxCpus, speedNs, publishHz, dir);
    }
}
