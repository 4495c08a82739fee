package org.tmigrlab.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.tmigrlab.console.live.Addresses;
import org.tmigrlab.console.live.ApiException;
import org.tmigrlab.console.live.ExperimentRegistry;
import org.tmigrlab.engine.Catalog;
import org.tmigrlab.engine.Lab;

/**
 * {@code tmigr console}: a Vert.x 5 HTTP server with the dashboard (static files from the
 * {@code webroot} resources), the SockJS event-bus bridge at {@code /eventbus}, an optional TCP
 * event-bus bridge, and the experiment services behind them.
 *
 * <p>Safety: bound to 127.0.0.1 unless told otherwise; requests whose {@code Host} is not the
 * console's own name are refused (DNS rebinding), and so are bridge connections from another
 * {@code Origin} (cross-site WebSocket hijacking); every bridged send and register must carry the
 * token; only the {@code tmigr.} addresses of the API are permitted in either direction.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    /** Classpath resource of the default experiment's scenario. */
    public static final String DEFAULT_SCENARIO = ExperimentRegistry.DEFAULT_SCENARIO;

    private final ConsoleConfig config;
    private final Catalog catalog;
    private final Vertx vertx;
    private final String token;
    private final BridgeGuard guard;
    private ExperimentRegistry registry;
    private HttpServer http;
    private TcpEventBusBridge tcp;
    private Integer tcpPort;
    private Set<String> allowedHosts;

    private ConsoleServer(ConsoleConfig config, Catalog catalog) {
        this.config = config;
        this.catalog = catalog;
        this.token = config.token() != null ? config.token() : generateToken();
        this.guard = new BridgeGuard(token);
        this.vertx = Vertx.vertx();
    }

    /**
     * Starts everything and, unless switched off, the default experiment. Blocks until ready; call
     * from a thread that is not a Vert.x thread (main, a test).
     *
     * @throws ApiException when the default experiment's scenario is rejected (the message says why)
     */
    public static ConsoleServer start(ConsoleConfig config) {
        return start(config, Lab.defaultCatalog());
    }

    /** {@link #start(ConsoleConfig)} with the strategies of {@code catalog} (built-ins and plugins). */
    public static ConsoleServer start(ConsoleConfig config, Catalog catalog) {
        ConsoleServer s = new ConsoleServer(config, catalog);
        try {
            s.startAll();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void startAll() {
        registry = new ExperimentRegistry(vertx, catalog, new ExperimentRegistry.Limits(config.maxExperiments(),
                config.maxCpus(), config.speedNs(), config.publishHz(), config.scenariosDir()));
        registry.start().await();

        Router router = Router.router(vertx);
        router.route().handler(this::checkHost);
        router.route("/eventbus/*").handler(this::checkOrigin);
        router.post("/eventbus/*").handler(BodyHandler.create().setBodyLimit(256 * 1024));
        SockJSBridgeOptions bridge = new SockJSBridgeOptions()
                .addInboundPermitted(new PermittedOptions().setAddressRegex(Addresses.INBOUND_REGEX))
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.OUTBOUND_REGEX))
                .setMaxHandlersPerSocket(64);
        router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions().setHeartbeatInterval(2000))
                .bridge(bridge, this::onBrowserBridgeEvent));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));

        http = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketMessageSize(1024 * 1024))
                .requestHandler(router).listen(config.port(), config.host()).await();
        int port = http.actualPort();
        allowedHosts = new HashSet<>(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                (config.host().contains(":") ? "[" + config.host() + "]" : config.host()).toLowerCase(Locale.ROOT) + ":" + port));

        if (config.tcpBridgePort() != null) {
            int p = config.tcpBridgePort() == 0 ? freePort(config.host()) : config.tcpBridgePort();
            BridgeOptions opts = new BridgeOptions()
                    .addInboundPermitted(new PermittedOptions().setAddressRegex(Addresses.INBOUND_REGEX))
                    .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.OUTBOUND_REGEX));
            tcp = TcpEventBusBridge.create(vertx, opts, new NetServerOptions(), this::onTcpBridgeEvent).listen(p, config.host()).await();
            tcpPort = p;
        }

        if (config.defaultExperiment()) registry.create(defaultRequest()).await();
    }

    /** The create request of the default experiment. */
    private JsonObject defaultRequest() {
        if (config.scenarioFile() == null) {
            try (InputStream in = ConsoleServer.class.getResourceAsStream(DEFAULT_SCENARIO)) {
                if (in == null) throw new IllegalStateException(DEFAULT_SCENARIO + " missing from the classpath");
                String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new JsonObject().put("op", "create").put("name", "default").put("scenarioYaml", yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String text;
        try {
            text = Files.readString(config.scenarioFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApiException(ApiException.BAD_REQUEST, config.scenarioFile() + ": cannot read: " + e.getMessage(), e);
        }
        String n = config.scenarioFile().getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return new JsonObject().put("op", "create").put("name", n).put("scenarioYaml", text);
    }

    public int port() {
        return http.actualPort();
    }

    /** Port of the TCP event-bus bridge, or null when there is none. */
    public Integer tcpPort() {
        return tcpPort;
    }

    public String token() {
        return token;
    }

    public String host() {
        return config.host();
    }

    /** The dashboard's address, token included. */
    public String url() {
        String h = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + port() + "/?token=" + token;
    }

    public Vertx vertx() {
        return vertx;
    }

    public ExperimentRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            if (registry != null) registry.stopAll();
        } finally {
            vertx.close().await();
        }
    }

    // =====================================================================================
    // HTTP checks
    // =====================================================================================

    private boolean loopbackOnly() {
        try {
            return InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** Refuses a Host header that is not this console's own name (DNS rebinding) when bound to loopback. */
    private void checkHost(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        if (loopbackOnly() && (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT)))) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("tmigr console: unexpected Host '" + host + "'; open " + url().replaceFirst("\\?.*", "") + "\n");
            return;
        }
        ctx.next();
    }

    /** A browser connecting to the bridge must come from a page of this console (same origin). */
    private void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        String host = ctx.request().getHeader("Host");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            LOG.warn("refused an event-bus connection from origin {}", origin);
            ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("tmigr console: origin " + origin + " may not use this event bus\n");
            return;
        }
        ctx.next();
    }

    // =====================================================================================
    // Bridge hooks
    // =====================================================================================

    private void onBrowserBridgeEvent(BridgeEvent be) {
        String why = guard.reject(be.type(), be.getRawMessage());
        if (why == null) {
            be.complete(true);
            return;
        }
        JsonObject raw = be.getRawMessage();
        String address = raw.getString("replyAddress", raw.getString("address"));
        be.socket().write(BridgeGuard.errorFrame(address, code(why), why).encode());
        be.complete(false);
    }

    private void onTcpBridgeEvent(io.vertx.ext.eventbus.bridge.tcp.BridgeEvent be) {
        String why = guard.reject(be.type(), be.getRawMessage());
        if (why == null) {
            be.complete(true);
            return;
        }
        JsonObject raw = be.getRawMessage();
        String address = raw.getString("replyAddress", raw.getString("address"));
        byte[] json = BridgeGuard.errorFrame(address, code(why), why).encode().getBytes(StandardCharsets.UTF_8);
        be.socket().write(Buffer.buffer(json.length + 4).appendInt(json.length).appendBytes(json));
        be.complete(false);
    }

    private static int code(String why) {
        return why.contains("token") ? ApiException.UNAUTHORIZED : ApiException.FORBIDDEN;
    }

    private static String generateToken() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the TCP bridge on " + host, e);
        }
    }
}
