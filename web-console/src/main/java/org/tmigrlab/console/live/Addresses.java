package org.tmigrlab.console.live;

import java.util.regex.Pattern;

/** The console's event-bus addresses; the bridges permit exactly these (see README, "Event-bus API"). */
public final class Addresses {
    public static final String CATALOG = "tmigr.catalog";
    public static final String EXPERIMENTS = "tmigr.experiments";
    /** Experiment ids: what {@code create} hands out ({@code e1}, {@code e2} ...). */
    public static final String ID_REGEX = "e[0-9]{1,9}";
    /** Clients may send to these. */
    public static final String INBOUND_REGEX = "tmigr\\.catalog|tmigr\\.experiments|tmigr\\.experiment\\." + ID_REGEX + "\\.control";
    /** Clients may receive (register for) these. */
    public static final String OUTBOUND_REGEX = "tmigr\\.experiment\\." + ID_REGEX + "\\.(state|metrics)";
    private static final Pattern INBOUND = Pattern.compile(INBOUND_REGEX);
    private static final Pattern OUTBOUND = Pattern.compile(OUTBOUND_REGEX);

    private Addresses() {
    }

    public static String control(String id) {
        return "tmigr.experiment." + id + ".control";
    }

    public static String state(String id) {
        return "tmigr.experiment." + id + ".state";
    }

    public static String metrics(String id) {
        return "tmigr.experiment." + id + ".metrics";
    }

    public static boolean inbound(String address) {
        return address != null && INBOUND.matcher(address).matches();
    }

    public static boolean outbound(String address) {
        return address != null && OUTBOUND.matcher(address).matches();
    }
}
