package org.tmigrlab.engine.replay;

/**
 * One decision where the lab and the kernel differ.
 *
 * @param timeNs  the kernel's event time, CLOCK_MONOTONIC ns as printed in the trace
 * @param line    line of the kernel's event in the trace (0 if none)
 * @param cpu     the CPU the decision is about (the timer's base CPU, the CPU going idle)
 * @param what    the subject ({@code process_timeout@ffffce504009be08 armed at 3.070791 on CPU 0})
 * @param kernel  what the kernel did
 * @param lab     what the lab did
 * @param cause   why they differ, as far as the trace tells
 * @param reason  the evidence for {@code cause}
 */
public record Disagreement(long timeNs, long line, int cpu, String what, String kernel, String lab, Cause cause,
                           String reason) {

    /** Why a decision differs. Only {@link #MODEL} counts against the lab's model. */
    public enum Cause {
        /** The trace does not hold what decided it: state or timers from before tracing began, lost events. */
        UNKNOWN_INPUT("unknown input"),
        /**
         * The emulated kernel ran late: a tick or programmed wake-up more than a jiffy after it was
         * due (QEMU TCG), while the lab runs every tick on time.
         */
        TIMING("kernel ran late"),
        /**
         * Two CPUs acted at the same moment: walks the kernel interleaved, or simultaneous
         * wake-ups racing for the same timer. The lab runs one walk at a time and, at one instant,
         * interrupts in CPU order (README: not modelled).
         */
        CONCURRENCY("concurrent CPUs"),
        /** Follows from an earlier disagreement (the lab's hierarchy or wheel already differed). */
        CONSEQUENCE("consequence of an earlier difference"),
        /** The lab decided differently from the same known inputs. */
        MODEL("model difference");

        private final String text;

        Cause(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
