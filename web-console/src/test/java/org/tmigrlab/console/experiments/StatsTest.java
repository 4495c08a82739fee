package org.tmigrlab.console.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void studentTQuantilesMatchTables() {
        // Two-sided 95% critical values from any statistics table.
        assertThat(Stats.t975(1)).isCloseTo(12.7062, within(1e-4));
        assertThat(Stats.t975(2)).isCloseTo(4.3027, within(1e-4));
        assertThat(Stats.t975(4)).isCloseTo(2.7764, within(1e-4));
        assertThat(Stats.t975(9)).isCloseTo(2.2622, within(1e-4));
        assertThat(Stats.t975(30)).isCloseTo(2.0423, within(1e-4));
        assertThat(Stats.t975(1000)).isCloseTo(1.9623, within(1e-4));
    }

    @Test
    void summaryOfThreeRuns() {
        Stats.Summary s = Stats.of(new double[] {10, 12, 14});

        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(12);
        assertThat(s.sd()).isEqualTo(2);
        // 4.3027 * 2 / sqrt(3)
        assertThat(s.half()).isCloseTo(4.9683, within(1e-4));
        assertThat(s.low()).isCloseTo(12 - 4.9683, within(1e-4));
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.max()).isEqualTo(14);
    }

    @Test
    void oneRunHasNoIntervalAndEqualRunsAZeroOne() {
        assertThat(Stats.of(new double[] {5}).half()).isNaN();
        Stats.Summary same = Stats.of(new double[] {7, 7, 7});
        assertThat(same.half()).isZero();
        assertThat(same.sd()).isZero();
    }

    @Test
    void numbersPrintTheSameEverywhere() {
        assertThat(Num.format(3.0)).isEqualTo("3");
        assertThat(Num.format(1.0 / 3)).isEqualTo("0.333333333333");
        assertThat(Num.format(2.5e-7)).isEqualTo("0.00000025");
        assertThat(Num.format(Double.NaN)).isNull();
        assertThat(Num.format(12L)).isEqualTo("12");
    }

    @Test
    void compactJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", new JsonOut.Compact(java.util.List.of(1, 2)));
        m.put("c", new JsonOut.Compact(java.util.Map.of("x", "y\"")));
        m.put("d", Double.NaN);

        assertThat(JsonOut.write(m)).isEqualTo("{\n  \"a\": 1,\n  \"b\": [1, 2],\n  \"c\": {\"x\": \"y\\\"\"},\n  \"d\": null\n}\n");
    }
}
