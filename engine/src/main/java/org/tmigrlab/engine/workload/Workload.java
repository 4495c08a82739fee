package org.tmigrlab.engine.workload;

import java.util.List;
import java.util.Map;

/**
 * A generated workload ({@code workload:} in a scenario): CPU activity, device interrupts and
 * timers, drawn from named random streams seeded by (scenario seed, stream, CPU). Each part is
 * optional ({@code null} when absent). See {@link WorkloadGenerator} for how steps are produced.
 *
 * @param activity   busy/idle alternation per CPU
 * @param interrupts device interrupts that wake idle CPUs
 * @param timers     timers armed by busy CPUs (and by interrupt handlers)
 */
public record Workload(Activity activity, Interrupts interrupts, Timers timers) {

    public static final Workload NONE = new Workload(null, null, null);

    public boolean isEmpty() {
        return activity == null && interrupts == null && timers == null;
    }

    public Workload withActivity(Activity a) {
        return new Workload(a, interrupts, timers);
    }

    public Workload withInterrupts(Interrupts i) {
        return new Workload(activity, i, timers);
    }

    public Workload withTimers(Timers t) {
        return new Workload(activity, interrupts, t);
    }

    /**
     * Busy/idle alternation. A CPU's load level (fraction of time busy) is, by precedence,
     * {@code loadPerCpu}, {@code loadPerNode}, {@code load}; with a level, idle periods take the
     * shape of {@code idle} (exponential if absent) with the mean that gives that level. A CPU
     * without any level alternates {@code busy} and {@code idle} as given.
     *
     * @param busy        busy-period lengths
     * @param idle        idle-period lengths (or only their shape when a load level applies); may be null
     * @param load        load level of every CPU, 0..1, or null
     * @param loadPerNode one level per node, or empty
     * @param loadPerCpu  levels of single CPUs, or empty
     * @param cpus        CPUs that take part; empty = every possible CPU
     */
    public record Activity(Distribution busy, Distribution idle, Double load, List<Double> loadPerNode,
                           Map<Integer, Double> loadPerCpu, List<Integer> cpus) {
        public Activity {
            loadPerNode = List.copyOf(loadPerNode);
            loadPerCpu = Map.copyOf(loadPerCpu);
            cpus = List.copyOf(cpus);
        }
    }

    /**
     * Device interrupts: a Poisson process per CPU. An interrupt on a CPU whose tick is stopped
     * wakes it ({@code irqWakeups}); the handler may arm a timer (from interrupt context, so on an
     * idle CPU) and may wake a task that then runs on the CPU for {@code task}.
     *
     * @param rate per CPU, per second
     * @param cpus CPUs that receive interrupts; empty = every possible CPU
     * @param task how long the task woken by the interrupt runs; null = none (the CPU idles again)
     * @param arm  probability that the handler arms a timer
     */
    public record Interrupts(double rate, List<Integer> cpus, Distribution task, double arm) {
        public Interrupts {
            cpus = List.copyOf(cpus);
        }
    }

    /**
     * Timers. A busy CPU arms timers as a Poisson process of {@code rate} per second (candidates
     * falling in its idle time are dropped). Each arming draws a timeout from the mix, its flags,
     * and its fate: cancelled, re-armed (with a new timeout) or left to expire.
     *
     * @param rate       arms per second per busy CPU
     * @param timeouts   the timeout mix
     * @param cancel     probability of a cancel before expiry
     * @param rearm      probability of a re-arm ({@code mod_timer}) before expiry
     * @param pinned     fraction armed {@code TIMER_PINNED}
     * @param deferrable fraction armed {@code TIMER_DEFERRABLE}
     * @param pingPong   callbacks that wake a task on the arming CPU; null = none
     * @param cpus       CPUs that arm timers while busy; empty = every possible CPU (interrupt
     *                   handlers and ping-pong tasks arm wherever they run)
     */
    public record Timers(double rate, List<Timeout> timeouts, double cancel, double rearm, double pinned,
                         double deferrable, PingPong pingPong, List<Integer> cpus) {
        public Timers {
            timeouts = List.copyOf(timeouts);
            cpus = List.copyOf(cpus);
        }

        /** The kernel's typical timeouts: delayed work of a few jiffies up to network timeouts of seconds. */
        public static final List<Timeout> DEFAULT_TIMEOUTS = List.of(
                new Timeout(Distribution.fixed(4_000_000L), 30), new Timeout(Distribution.fixed(10_000_000L), 20),
                new Timeout(Distribution.fixed(100_000_000L), 20), new Timeout(Distribution.fixed(1_000_000_000L), 20),
                new Timeout(Distribution.fixed(5_000_000_000L), 10));
    }

    /** One entry of the timeout mix: a duration distribution and its relative weight. */
    public record Timeout(Distribution in, double weight) {
    }

    /**
     * The "ping-pong" of the pull model's cover letter: a {@code process_timeout} timer expires
     * (wherever the model runs it), wakes its task, the scheduler puts the task back on its
     * previous CPU (the arming CPU) — an IPI if that CPU idles and the callback ran elsewhere —
     * the task runs for {@code burst}, and with probability {@code repeat} sleeps again with a
     * fresh timeout. Only global (neither pinned nor deferrable) timers take part. What follows
     * an expiry depends on where and when the model ran it, so this part of the workload is
     * <em>not</em> identical between models.
     *
     * @param probability fraction of global timers whose callback wakes a task
     * @param burst       how long the woken task runs
     * @param repeat      probability that the task sleeps again with a new timer
     */
    public record PingPong(double probability, Distribution burst, double repeat) {
    }
}
