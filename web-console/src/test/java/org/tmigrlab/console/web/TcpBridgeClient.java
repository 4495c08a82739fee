package org.tmigrlab.console.web;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.json.JsonObject;

/**
 * A client of the TCP event-bus bridge written against the wire protocol only (4-byte big-endian
 * length, then a JSON frame), as a notebook or script would: no Vert.x on this side.
 */
final class TcpBridgeClient implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;
    private final String token;
    private final Map<String, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<JsonObject>> subscriptions = new ConcurrentHashMap<>();
    /** Frames addressed to nobody we wait for (the bridge's own rejection notices). */
    final BlockingQueue<JsonObject> other = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Thread reader;
    private volatile boolean closed;

    TcpBridgeClient(int port, String token) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        this.out = new DataOutputStream(socket.getOutputStream());
        this.token = token;
        this.reader = new Thread(this::read, "tcp-bridge-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (!closed) {
                int n = in.readInt();
                byte[] b = new byte[n];
                in.readFully(b);
                JsonObject f = new JsonObject(new String(b, StandardCharsets.UTF_8));
                String address = f.getString("address");
                CompletableFuture<JsonObject> r = address == null ? null : replies.remove(address);
                if (r != null) {
                    r.complete(f);
                } else if (address != null && subscriptions.containsKey(address)) {
                    subscriptions.get(address).add(f);
                } else {
                    other.add(f);
                }
            }
        } catch (IOException e) {
            replies.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    synchronized void frame(JsonObject f) throws IOException {
        writeRaw(f.encode().getBytes(StandardCharsets.UTF_8));
    }

    synchronized void writeRaw(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /** Sends with a reply address and returns the whole reply frame ({@code type} message or err). */
    JsonObject request(String address, Object body) throws Exception {
        return request(address, body, token);
    }

    JsonObject request(String address, Object body, String tok) throws Exception {
        String reply = "reply-" + ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        replies.put(reply, f);
        JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("replyAddress", reply).put("body", body);
        frame.put("headers", tok == null ? new JsonObject() : new JsonObject().put("token", tok));
        frame(frame);
        return f.get(60, TimeUnit.SECONDS);
    }

    /** The reply's body, failing the test with the error when the request failed. */
    JsonObject ok(String address, Object body) throws Exception {
        JsonObject r = request(address, body);
        if (!"message".equals(r.getString("type"))) throw new AssertionError("request to " + address + " failed: " + r.encode());
        return r.getJsonObject("body");
    }

    BlockingQueue<JsonObject> subscribe(String address) throws IOException {
        BlockingQueue<JsonObject> q = subscriptions.computeIfAbsent(address, a -> new LinkedBlockingQueue<>());
        frame(new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject().put("token", token)));
        return q;
    }

    boolean isClosedByServer() {
        return !reader.isAlive();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
