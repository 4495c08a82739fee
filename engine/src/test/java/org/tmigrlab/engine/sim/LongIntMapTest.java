package org.tmigrlab.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LongIntMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        LongIntMap m = new LongIntMap();
        Map<Long, Integer> ref = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long k = rng.nextLong(5_000);          // small key space: many collisions and re-puts
            if (rng.nextInt(3) == 0) {
                m.remove(k);
                ref.remove(k);
            } else {
                m.put(k, i);
                ref.put(k, i);
            }
            long probe = rng.nextLong(5_000);
            assertThat(m.get(probe)).isEqualTo(ref.getOrDefault(probe, -1));
        }
        assertThat(m.size()).isEqualTo(ref.size());
        for (Map.Entry<Long, Integer> e : ref.entrySet()) assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
    }
}
