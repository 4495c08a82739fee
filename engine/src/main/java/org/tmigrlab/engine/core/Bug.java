package org.tmigrlab.engine.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * Historical defects of the mainline code that can be switched back on, so a run can show what
 * the kernel did before each fix (numbers refer to the bug-fix history of the reference notes).
 */
public enum Bug {
    /** #1 8ca1836769d7: tmigr_quick_check() reported the top level's next_expiry only. */
    QUICK_CHECK_TOP_ONLY("quick-check-top-only"),
    /** #2 4b6f4c5a67c0: tmigr_update_events() returned early for an ignored CPU event, even without a parent. */
    EARLY_RETURN_ON_DEACTIVATION("early-return-on-deactivation"),
    /** #3 f55acb1e44f3: tmigr_handle_remote() left a stale wakeup when the CPU was no longer migrator. */
    STALE_WAKEUP_REQUEUE("stale-wakeup-requeue"),
    /** #4 61f7fdf8fd00: a queued event keeping its expiry kept its old CPU. */
    MISSING_CPU_UPDATE("missing-cpu-update"),
    /** #15 5eb579dfd46b: a new top level took the creating CPU's node and adopted the old root blindly. */
    IMBALANCED_NUMA_TREES("imbalanced-numa-trees");

    private final String key;

    Bug(String key) {
        this.key = key;
    }

    /** Name used in scenario files and on the command line. */
    public String key() {
        return key;
    }

    public static Optional<Bug> byKey(String key) {
        return Arrays.stream(values()).filter(b -> b.key.equals(key)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(Bug::key).toList());
    }
}
