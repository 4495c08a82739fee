package org.tmigrlab.engine.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The queue with jiffy lanes gives exactly the (time, cpu) minimum a linear scan gives. */
class IrqQueueTest {

    @Test
    void lanesAndHeapGiveTheSameOrderAsAScan() {
        for (long tick : new long[] {0, 1000}) {
            for (int ncpus : new int[] {1, 7, 64, 130}) {
                SplittableRandom rng = new SplittableRandom(ncpus * 31L + tick);
                IrqQueue q = new IrqQueue(ncpus, tick);
                long[] ref = new long[ncpus];
                Arrays.fill(ref, IrqQueue.NONE);
                long now = 0;
                for (int step = 0; step < 200_000; step++) {
                    int r = rng.nextInt(10);
                    if (r < 4) {
                        // pop the minimum and move it on, as the simulator does
                        long t = q.peekTime();
                        if (t == IrqQueue.NONE) continue;
                        int c = q.peekCpu();
                        now = t;
                        boolean tickOn = rng.nextBoolean();
                        long next = tickOn ? (now / 1000 + 1) * 1000 : now + 1 + rng.nextInt(20_000);
                        if (tickOn && tick > 0) q.setJiffy(c, now / tick + 1);
                        else q.set(c, next);
                        ref[c] = next;
                    } else {
                        int c = rng.nextInt(ncpus);
                        long t = switch (rng.nextInt(5)) {
                            case 0 -> IrqQueue.NONE;
                            case 1 -> (now / 1000 + 1 + rng.nextInt(3)) * 1000;
                            case 2 -> (now / 1000 + 1 + rng.nextInt(40)) * 1000;
                            case 3 -> now + rng.nextInt(3);
                            default -> now + 1 + rng.nextInt(50_000);
                        };
                        q.set(c, t);
                        ref[c] = t;
                    }
                    long bt = IrqQueue.NONE;
                    int bc = -1;
                    for (int c = 0; c < ncpus; c++) {
                        if (ref[c] < bt) {
                            bt = ref[c];
                            bc = c;
                        }
                        assertEquals(ref[c], q.time(c));
                    }
                    assertEquals(bt, q.peekTime(), "step " + step);
                    assertEquals(bt == IrqQueue.NONE, q.isEmpty());
                    if (bt != IrqQueue.NONE) assertEquals(bc, q.peekCpu(), "step " + step);
                }
            }
        }
    }
}
