package org.tmigrlab.console.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;

import org.tmigrlab.console.live.Addresses;

/**
 * The check both bridges (SockJS for browsers, TCP for other clients) run on every frame a client
 * sends: sends and registrations must carry the console's token in {@code headers.token}, and go
 * to a {@code tmigr.} address the client may use. The bridges' own permitted-address lists say
 * the same; checking here first gives the client a message that says what to fix.
 */
final class BridgeGuard {
    private final byte[] token;

    BridgeGuard(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** @return null when the frame may pass, else why not */
    String reject(BridgeEventType type, JsonObject raw) {
        if (type != BridgeEventType.SEND && type != BridgeEventType.REGISTER && type != BridgeEventType.PUBLISH) return null;
        String address = raw == null ? null : raw.getString("address");
        if (type == BridgeEventType.PUBLISH)
            return "publish is not accepted; send a request with a reply handler to " + Addresses.CATALOG + ", "
                    + Addresses.EXPERIMENTS + " or tmigr.experiment.<id>.control";
        JsonObject headers = raw.getValue("headers") instanceof JsonObject h ? h : null;
        Object t = headers == null ? null : headers.getValue("token");
        if (!(t instanceof String s))
            return "missing token: put the console's token (printed at start, also in the page URL) in headers.token of every send and register";
        if (!MessageDigest.isEqual(token, s.getBytes(StandardCharsets.UTF_8)))
            return "wrong token: use the token the console printed at start (headers.token)";
        if (type == BridgeEventType.SEND && !Addresses.inbound(address))
            return "address '" + address + "' does not take requests; send to " + Addresses.CATALOG + ", " + Addresses.EXPERIMENTS
                    + " or tmigr.experiment.<id>.control";
        if (type == BridgeEventType.REGISTER && !Addresses.outbound(address))
            return "address '" + address + "' cannot be subscribed to; subscribe to tmigr.experiment.<id>.state or tmigr.experiment.<id>.metrics";
        return null;
    }

    /** The error frame a client's reply handler (or registration handler) receives for a rejected frame. */
    static JsonObject errorFrame(String address, int code, String message) {
        JsonObject f = new JsonObject().put("type", "err").put("failureCode", code).put("failureType", "RECIPIENT_FAILURE")
                .put("message", message);
        if (address != null) f.put("address", address);
        return f;
    }
}
