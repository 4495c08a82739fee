package org.tmigrlab.engine.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Generated timer names and their primitive keys are one and the same identity. */
class TimerKeyTest {

    @Test
    void namesRoundTrip() {
        for (String n : new String[] {"w0.0", "w3.17", "i255.2", "p8191.0", "w65535.2147483647"})
            assertThat(WorkloadGenerator.timerName(WorkloadGenerator.timerKey(n))).isEqualTo(n);
    }

    @Test
    void otherNamesAreNotKeys() {
        for (String n : new String[] {"net-rx", "w", "w3", "w3.", "w.1", "w03.1", "w3.01", "x3.1", "w-1.2", "w3.1a",
                "w1048576.0", "w3.99999999999"})
            assertThat(WorkloadGenerator.timerKey(n)).as(n).isEqualTo(-1);
    }
}
