package org.tmigrlab.console.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.tmigrlab.console.live.ApiException;
import org.tmigrlab.console.web.ConsoleConfig;
import org.tmigrlab.console.web.ConsoleServer;
import org.tmigrlab.engine.scenario.Durations;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tmigr console}: starts the web console (dashboard + event-bus API) and runs until
 * interrupted. The URL, token included, goes to stdout; logs go to stderr.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Starts the web console: a live dashboard of the hierarchy and the event-bus API",
                "(SockJS bridge at /eventbus, optional TCP bridge). Prints the URL with the access token;",
                "runs until interrupted (Ctrl-C)."})
public final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginsOption plugins;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Interface to bind (default: ${DEFAULT-VALUE}). Anything but loopback exposes the console to the network.")
    String host;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario of the default experiment, run as written (default: the embedded 64-CPU, 2-node scenario with live activity).")
    Path scenario;

    @Option(names = "--token", paramLabel = "T", description = "Access token for the event bus (default: a random one, printed).")
    String token;

    @Option(names = "--tcp-bridge", paramLabel = "PORT", description = "Also open a TCP event-bus bridge on PORT (same addresses, same token).")
    Integer tcpBridge;

    @Option(names = "--max-experiments", paramLabel = "N", defaultValue = "" + ConsoleConfig.DEFAULT_MAX_EXPERIMENTS,
            description = "Experiments at once (default: ${DEFAULT-VALUE}).")
    int maxExperiments;

    @Option(names = "--max-cpus", paramLabel = "N", defaultValue = "" + ConsoleConfig.DEFAULT_MAX_CPUS,
            description = "Largest machine an experiment may have (default: ${DEFAULT-VALUE}).")
    int maxCpus;

    @Option(names = "--speed", paramLabel = "TIME", defaultValue = "50ms",
            description = "Default simulated time per wall second (default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--state-rate", paramLabel = "HZ", defaultValue = "20",
            description = "State messages per second per experiment, 1..60 (default: ${DEFAULT-VALUE}).")
    double stateRate;

    @Override
    public Integer call() throws InterruptedException {
        if (scenario != null && !Files.isReadable(scenario)) throw new BadInputException("--scenario: " + scenario + ": no such file");
        if (port < 0 || port > 65535) throw new BadInputException("--port: " + port + " is not a port (0..65535)");
        if (tcpBridge != null && (tcpBridge < 0 || tcpBridge > 65535)) throw new BadInputException("--tcp-bridge: " + tcpBridge + " is not a port (0..65535)");
        if (maxExperiments < 1) throw new BadInputException("--max-experiments: must be >= 1");
        if (maxCpus < 1) throw new BadInputException("--max-cpus: must be >= 1");
        if (!(stateRate >= 1 && stateRate <= 60)) throw new BadInputException("--state-rate: " + stateRate + " is not in 1..60");
        if (token != null && token.isBlank()) throw new BadInputException("--token: must not be empty");
        long speedNs;
        try {
            speedNs = Durations.parse(speed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--speed: " + e.getMessage());
        }
        if (speedNs < 1_000) throw new BadInputException("--speed: at least 1us of simulated time per second");
        PrintWriter err = spec.commandLine().getErr();
        if (!isLoopback(host)) err.println("warning: --host " + host + " is not loopback: anyone who can reach it and has the token can drive experiments");
        Path scenariosDir = Files.isDirectory(Path.of("scenarios")) ? Path.of("scenarios") : null;
        ConsoleConfig cfg = new ConsoleConfig(host, port, token, tcpBridge, scenario, true, maxExperiments, maxCpus, speedNs,
                stateRate, scenariosDir);
        ConsoleServer server;
        try {
            server = ConsoleServer.start(cfg, plugins.catalog());
        } catch (ApiException e) {
            throw new BadInputException((scenario == null ? "default scenario" : scenario.toString()) + ": " + e.getMessage(), e);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            done.countDown();
        }, "tmigr-console-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("tmigr console: " + server.url());
        if (server.tcpPort() != null) out.println("tmigr console: TCP event-bus bridge on " + host + ":" + server.tcpPort() + " (token " + server.token() + ")");
        out.flush();
        err.println("tmigr console: Ctrl-C stops it");
        err.flush();
        done.await();
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
