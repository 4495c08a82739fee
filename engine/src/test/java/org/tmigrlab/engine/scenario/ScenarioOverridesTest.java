package org.tmigrlab.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tmigrlab.engine.scenario.ScenarioOverrides.Setting;
import org.tmigrlab.engine.scenario.ScenarioReader.Format;

class ScenarioOverridesTest {
    private static final ScenarioReader READER = new ScenarioReader();
    private static final String FILE = """
            machine: {cpus: 4}
            script:
              - {at: 0, cpu: 0, op: busy}
              - {at: 1ms, cpu: 1, op: arm, timer: t, in: 5ms}
            """;

    private static Scenario with(String key, String value) {
        JsonNode tree = ScenarioOverrides.tree(FILE, Format.YAML);
        return ScenarioOverrides.read(READER, ScenarioOverrides.apply(tree,
                List.of(new Setting(key, ScenarioOverrides.value(key, value)))));
    }

    private static ScenarioException error(String key, String value) {
        return catchThrowableOfType(ScenarioException.class, () -> with(key, value));
    }

    @Test
    void setsExistingAndMissingEntries() {
        assertThat(with("machine.cpus", "64").machine().possibleCpus()).isEqualTo(64);
        // hierarchy is absent from the file: the mapping is created
        assertThat(with("hierarchy.childrenPerGroup", "2").childrenPerGroup()).isEqualTo(2);
        assertThat(with("seed", "42").seed()).isEqualTo(42);
        assertThat(with("script[1].in", "9ms").script().get(1).inNs()).isEqualTo(9_000_000L);
    }

    @Test
    void nullRemovesTheKeySoTheDefaultApplies() {
        assertThat(with("hz", "250").hz()).isEqualTo(250);
        assertThat(with("hz", "null").hz()).isEqualTo(1000);
    }

    @Test
    void badValuesFailWithTheReadersMessageForThatKey() {
        ScenarioException e = error("hierarchy.childrenPerGroup", "3");
        assertThat(e.field()).isEqualTo("hierarchy.childrenPerGroup");
        assertThat(e.getMessage()).contains("3 is not allowed", "2, 4, 8, 16, 32, 64");

        assertThat(error("machine.cpus", "lots").getMessage()).startsWith("machine.cpus: ").contains("1..65536");
    }

    @Test
    void unknownKeysFailNamingTheKeyAndWhatIsAllowed() {
        ScenarioException e = error("hierarchy.childrenPerGrop", "4");
        assertThat(e.field()).isEqualTo("hierarchy.childrenPerGrop");
        assertThat(e.getMessage()).contains("did you mean 'childrenPerGroup'", "allowed here: builder, childrenPerGroup");

        assertThat(error("machine.cpus.x", "1").getMessage()).contains("machine.cpus is 4, not a mapping");
        assertThat(error("script[7].at", "1ms").getMessage()).contains("script has 2 entries (0..1)");
        assertThat(error("machine..cpus", "1").getMessage()).contains("is not a key path");
    }

    @Test
    void valuesSplitAtTopLevelCommasOnly() {
        List<JsonNode> v = ScenarioOverrides.values("k", "2, 4,[0, 1],5ms,true");
        assertThat(v).hasSize(5);
        assertThat(v.get(0).isInt()).isTrue();
        assertThat(v.get(2).isArray()).isTrue();
        assertThat(v.get(3).textValue()).isEqualTo("5ms");
        assertThat(v.get(4).isBoolean()).isTrue();
        assertThat(catchThrowableOfType(ScenarioException.class, () -> ScenarioOverrides.values("k", "2,,4")).getMessage())
                .contains("empty value");
    }

    @Test
    void theOriginalTreeIsNotChanged() {
        JsonNode tree = ScenarioOverrides.tree(FILE, Format.YAML);
        ScenarioOverrides.apply(tree, List.of(new Setting("machine.cpus", ScenarioOverrides.value("machine.cpus", "8"))));
        assertThat(tree.get("machine").get("cpus").intValue()).isEqualTo(4);
    }
}
