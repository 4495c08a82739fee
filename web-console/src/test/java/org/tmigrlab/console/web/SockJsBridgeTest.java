package org.tmigrlab.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The browser bridge's safety checks, seen from a WebSocket client (SockJS's raw endpoint):
 * another origin cannot connect, a frame without the token is refused with a message saying so,
 * malformed JSON is answered with an error and the socket keeps working, and the HTTP server
 * refuses a foreign Host header (DNS rebinding).
 */
@ExtendWith(VertxExtension.class)
class SockJsBridgeTest {
    static ConsoleServer server;

    @BeforeAll
    static void start() {
        server = ConsoleServer.start(ConsoleConfig.forTests().withDefaultExperiment(false));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static WebSocketConnectOptions ws(String origin) {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
                .setURI("/eventbus/websocket");
        if (origin != null) o.addHeader("Origin", origin);
        return o;
    }

    @Test
    void aPageFromAnotherOriginCannotConnect(Vertx vertx, VertxTestContext ctx) {
        vertx.createWebSocketClient().connect(ws("http://evil.example")).onComplete(ctx.failing(e -> ctx.verify(() -> {
            assertThat(e).isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(403);
            ctx.completeNow();
        })));
    }

    @Test
    void framesNeedTheTokenAndMalformedJsonIsAnsweredWithAnError(Vertx vertx) throws Exception {
        LinkedBlockingQueue<JsonObject> in = new LinkedBlockingQueue<>();
        WebSocket socket = vertx.createWebSocketClient().connect(ws("http://127.0.0.1:" + server.port())).await();
        socket.textMessageHandler(t -> in.add(new JsonObject(t)));
        socket.binaryMessageHandler(b -> in.add(new JsonObject(b))); // the bridge's own errors come as binary frames here

        socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "tmigr.catalog").put("replyAddress", "a1")
                .put("headers", new JsonObject()).put("body", new JsonObject()).encode()).await();
        JsonObject refused = next(in, "a1");
        assertThat(refused.getString("type")).isEqualTo("err");
        assertThat(refused.getInteger("failureCode")).isEqualTo(401);
        assertThat(refused.getString("message")).contains("missing token");

        socket.writeTextMessage("{\"type\": \"send\", oops").await();
        JsonObject bad = in.poll(10, TimeUnit.SECONDS);
        while (bad != null && !"invalid_json".equals(bad.getString("body"))) bad = in.poll(10, TimeUnit.SECONDS);
        assertThat(bad).as("an invalid_json error").isNotNull();

        socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "tmigr.catalog").put("replyAddress", "a2")
                .put("headers", new JsonObject().put("token", server.token())).put("body", new JsonObject()).encode()).await();
        JsonObject ok = next(in, "a2");
        assertThat(ok.getString("type")).isEqualTo("rec");
        assertThat(ok.getJsonObject("body").getJsonArray("models")).contains("mainline");

        socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "tmigr.catalog")
                .put("headers", new JsonObject().put("token", server.token())).encode()).await();
        JsonObject noRegister = next(in, "tmigr.catalog");
        assertThat(noRegister.getString("message")).contains("cannot be subscribed to");
        socket.close().await();
    }

    @Test
    void aForeignHostHeaderIsRefused(Vertx vertx) {
        HttpClient http = vertx.createHttpClient();
        int status = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.port())
                .setURI("/").putHeader("Host", "attacker.example:" + server.port()))
                .compose(r -> r.send()).await().statusCode();
        assertThat(status).isEqualTo(403);
        int ok = http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.port()).setURI("/"))
                .compose(r -> r.send()).await().statusCode();
        assertThat(ok).isEqualTo(200);
    }

    private static JsonObject next(LinkedBlockingQueue<JsonObject> in, String address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonObject f = in.poll(1, TimeUnit.SECONDS);
            if (f != null && address.equals(f.getString("address"))) return f;
        }
        throw new AssertionError("no frame for " + address);
    }
}
