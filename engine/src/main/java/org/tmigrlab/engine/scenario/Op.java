package org.tmigrlab.engine.scenario;

import java.util.Arrays;
import java.util.Optional;

/**
 * Script operations; {@link #key()} is the spelling in scenario files. {@code IRQ} and
 * {@code WAKE} are what generated workloads use for device interrupts and task wake-ups from
 * another CPU; scripts may use them too.
 */
public enum Op {
    BUSY, IDLE, ARM, CANCEL, REARM, OFFLINE, ONLINE, ISOLATE, UNISOLATE, IRQ, WAKE;

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
