package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "40ns, 40",
            "250us, 250000",
            "10ms, 10000000",
            "1.5ms, 1500000",
            "2s, 2000000000",
            "0.000000001s, 1",
            "1.000001ms, 1000001",
            "3 ms, 3000000",
            "0ns, 0",
            "-5ms, -5000000"})
    void parsesUnitsExactly(String text, long ns) {
        assertThat(Durations.parse(text)).isEqualTo(ns);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5ns", "0.0000000001s", "1.0000005ms"})
    void rejectsFractionsOfANanosecond(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("whole number of nanoseconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "ms", "10 minutes", "1e3ms", "10MS", "", "1,5ms"})
    void rejectsWhatIsNotATime(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808ns", "10000000000s"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("too large");
    }

    @ParameterizedTest
    @CsvSource({"0, 0ns", "1, 1ns", "999, 999ns", "1500, 1.5us", "6000000, 6ms", "1000001, 1.000001ms",
            "2000000000, 2s", "1000000001, 1000.000001ms", "-3000000, -3ms"})
    void formatsToTheShortestExactSpelling(long ns, String text) {
        assertThat(Durations.format(ns)).isEqualTo(text);
        assertThat(Durations.parse(text)).as("round trip").isEqualTo(ns);
    }

    @ParameterizedTest
    @CsvSource({"6000000, 6.000", "1234567, 1.235", "0, 0.000", "1020000000, 1020.000"})
    void millisHaveMicrosecondResolution(long ns, String text) {
        assertThat(Durations.millis(ns)).isEqualTo(text);
    }
}
