package org.tmigrlab.console.cli;

import static org.tmigrlab.console.cli.ExperimentFixtures.tmigr;

import org.tmigrlab.console.cli.ExperimentFixtures.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The {@code topology} command as a user runs it: JSON contract, tree view, bad flags. */
class TopologyCommandTest {



    @Test
    void jsonFor48CpusOn2NodesIsTheKernelsDocTree() throws Exception {
        Outcome o = tmigr("topology", "--cpus", "48", "--nodes", "2", "--format", "json");
        assertThat(o.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.get("levels").asInt()).isEqualTo(3);
        assertThat(j.get("crossnodeLevel").asInt()).isEqualTo(2);
        List<String> level1 = new ArrayList<>();
        int roots = 0;
        for (JsonNode g : j.get("groups")) {
            if (g.get("parent").isNull()) {
                roots++;
                assertThat(g.get("node").asInt()).isEqualTo(-1);
            }
            if (g.get("level").asInt() == 1) level1.add(g.get("node").asInt() + ":" + g.get("cpus").size());
        }
        assertThat(roots).isEqualTo(1);
        assertThat(level1).containsExactlyInAnyOrder("0:24", "1:24");
        JsonNode cpu8 = j.get("cpus").get(8);
        assertThat(cpu8.get("groupmask").asLong()).isEqualTo(1); // first CPU of GRP0:1
    }

    @Test
    void offlineCpusAreListedWithoutAGroup() throws Exception {
        Outcome o = tmigr("topology", "--cpus", "16", "--online", "0,1,2", "--format", "json");
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.get("levels").asInt()).isEqualTo(2); // sized from all possible CPUs
        assertThat(j.get("cpus").get(3).get("group").isNull()).isTrue();
        assertThat(j.get("groups").size()).isEqualTo(1);
    }

    @Test
    void treeFormatShowsTheDocDiagram() {
        Outcome o = tmigr("topology", "--cpus", "4", "--children-per-group", "2");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("GRP1:0", "GRP0:0 node=0 mask=0x1 cpus=0-1", "GRP0:1 node=0 mask=0x2 cpus=2-3");
    }

    @Test
    void badFlagsExitTwoNamingTheFlag() {
        assertThat(tmigr("topology", "--cpus", "4", "--children-per-group", "3"))
                .satisfies(o -> {
                    assertThat(o.code()).isEqualTo(2);
                    assertThat(o.err()).contains("--children-per-group", "power of two");
                });
        assertThat(tmigr("topology", "--cpus", "4", "--bugs", "nope").err()).contains("--bugs", "imbalanced-numa-trees");
        assertThat(tmigr("topology", "--cpus", "4", "--cpu-nodes", "0,1").code()).isEqualTo(2);
        assertThat(tmigr("topology", "--cpus", "0").code()).isEqualTo(2);
    }
}
