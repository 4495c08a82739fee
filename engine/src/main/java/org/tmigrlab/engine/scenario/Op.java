package org.tmigrlab.engine.scenario;

import java.util.Arrays;
import java.util.Optional;

/** Script operations; {@link #key()} is the spelling in scenario files. */
public enum Op {
    BUSY, IDLE, ARM, CANCEL, REARM, OFFLINE, ONLINE, ISOLATE, UNISOLATE;

    public String key() {
        return name().toLowerCase();
    }

    public static Optional<Op> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key().equals(key)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(Op::key).toList());
    }
}
