package org.tmigrlab.engine.workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.scenario.Op;
import org.tmigrlab.engine.scenario.Step;

/**
 * Turns a {@link Workload} into script steps, lazily and in time order.
 *
 * <p><b>Common random numbers.</b> Every random decision comes from a named stream of one CPU,
 * seeded by (scenario seed, stream name, CPU) — never from draws shared across CPUs — and every
 * decision draws a fixed number of values whatever its outcome. So the activity, interrupts and
 * timers of one CPU do not depend on what other CPUs drew, on the model, or on where the model
 * ran a timer: two models run side by side see the same steps at the same times on the same
 * CPUs. The one exception is {@link Workload.PingPong}, which reacts to expiries; it has its own
 * stream, so it perturbs nothing until a ping-pong timer fires.
 *
 * <p>Streams per CPU: {@code activity} (busy/idle lengths), {@code timer-arrivals} (gaps between
 * arms while busy), {@code timer-params} (timeout, flags, fate of each arming), {@code irq}
 * (interrupt gaps, task lengths, whether the handler arms), {@code irq-timer-params},
 * {@code pingpong}.
 *
 * <p><b>What a CPU does.</b> It is busy while its activity period is busy or a task woken by an
 * interrupt or a ping-pong timer still runs; the generator emits {@code busy}/{@code idle} when
 * that changes. While busy it arms timers as a Poisson process (memoryless, so restarting the
 * process at each busy period is the same as thinning one process by busy time). Each arming's
 * fate is drawn at once: cancelled or re-armed at a uniformly drawn 10–90% of its timeout (so
 * always before it can expire, whatever the model), from the arming CPU, or left to expire.
 *
 * <p>Cost: future actions live in a primitive heap ({@code ActionQueue}); what is allocated per
 * generated event is the {@link Step} itself and, per arming, the timer's name — the simulator
 * allocates an arming record anyway.
 *
 * <p>Not thread-safe; one per run.
 */
public final class WorkloadGenerator implements StepSource {

    private static final byte SWITCH = 0;
    private static final byte BURST_END = 1;
    private static final byte ARRIVAL = 2;
    private static final byte IRQ = 3;
    private static final byte CANCEL = 4;
    private static final byte REARM = 5;

    /** Where an arming's random values come from (the {@code aux} of a re-arm action). */
    private static final int FROM_TASK = 0;
    private static final int FROM_IRQ = 1;
    private static final int FROM_PINGPONG = 2;
    private static final String[] PREFIX = {"w", "i", "p"};
    private static final String[] PARAM_STREAM = {"timer-params", "irq-timer-params", "pingpong"};

    private final long seed;
    private final int ncpus;
    private final Workload.Timers timers;      // never null: defaults when only interrupts arm
    private final Workload.Interrupts irqs;     // may be null
    private final Workload.PingPong pingPong;   // may be null
    private final double[] weights;             // cumulative timeout-mix weights, normalised
    private final double armMeanNs;
    private final double irqMeanNs;

    private final ActionQueue queue = new ActionQueue();
    private final ArrayDeque<Step> ready = new ArrayDeque<>();
    private int order;

    // per CPU
    private final boolean[] armsTimers;
    private final boolean[] activityBusy;
    private final boolean[] busy;
    private final long[] burstUntil;
    private final int[] arrivalGen;
    private final int[][] timerSeq;
    private final Distribution.Sampler[] busyLen;
    private final Distribution.Sampler[] idleLen;
    private final SplittableRandom[] arrivals;
    private final SplittableRandom[] irqRng;
    private final Distribution.Sampler[] irqTask;
    private final SplittableRandom[][] params;
    private final Distribution.Sampler[][][] timeouts;
    private final Distribution.Sampler[] ppBurst;

    public WorkloadGenerator(Workload w, Machine machine, long seed) {
        this.seed = seed;
        this.ncpus = machine.possibleCpus();
        this.timers = w.timers() != null ? w.timers()
                : new Workload.Timers(0, Workload.Timers.DEFAULT_TIMEOUTS, 0, 0, 0, 0, null, List.of());
        this.irqs = w.interrupts();
        this.pingPong = timers.pingPong();
        List<Workload.Timeout> mix = timers.timeouts();
        weights = new double[mix.size()];
        double total = 0;
        for (Workload.Timeout t : mix) total += t.weight();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += mix.get(i).weight() / total;
            weights[i] = acc;
        }
        weights[weights.length - 1] = 1.0;
        armMeanNs = timers.rate() > 0 ? 1e9 / timers.rate() : 0;
        irqMeanNs = irqs != null && irqs.rate() > 0 ? 1e9 / irqs.rate() : 0;

        armsTimers = new boolean[ncpus];
        for (int c : members(timers.cpus())) armsTimers[c] = true;
        activityBusy = new boolean[ncpus];
        busy = new boolean[ncpus];
        burstUntil = new long[ncpus];
        arrivalGen = new int[ncpus];
        timerSeq = new int[3][ncpus];
        busyLen = new Distribution.Sampler[ncpus];
        idleLen = new Distribution.Sampler[ncpus];
        arrivals = new SplittableRandom[ncpus];
        irqRng = new SplittableRandom[ncpus];
        irqTask = new Distribution.Sampler[ncpus];
        params = new SplittableRandom[3][ncpus];
        timeouts = new Distribution.Sampler[3][ncpus][];
        ppBurst = new Distribution.Sampler[ncpus];

        if (w.activity() != null) startActivity(w.activity(), machine);
        if (irqs != null && irqMeanNs > 0) {
            for (int c : members(irqs.cpus())) {
                irqRng[c] = stream("irq", c);
                if (irqs.task() != null) irqTask[c] = irqs.task().sampler(stream("irq-task", c));
                queue.add(exp(irqRng[c], irqMeanNs), IRQ, c, 0, null);
            }
        }
    }

    /**
     * The steps {@code w} produces up to {@code until} on its own — without a simulator, so no
     * ping-pong follow-ups. For tests and for looking at a workload.
     */
    public static List<Step> preview(Workload w, Machine machine, long seed, long until) {
        WorkloadGenerator g = new WorkloadGenerator(w, machine, seed);
        List<Step> out = new ArrayList<>();
        while (g.peekTime() <= until) {
            Step s = g.next();
            if (s != null) out.add(s);
        }
        return out;
    }

    // =====================================================================================
    // Streams
    // =====================================================================================

    /** The seed of stream {@code name} of {@code cpu}: a mix of the three, no shared sequence. */
    static long streamSeed(long seed, String name, int cpu) {
        long x = mix64(seed + 0x9E3779B97F4A7C15L);
        x = mix64(x ^ (name.hashCode() * 0xC2B2AE3D27D4EB4FL));
        return mix64(x + (cpu + 1L) * 0xBF58476D1CE4E5B9L);
    }

    private SplittableRandom stream(String name, int cpu) {
        return new SplittableRandom(streamSeed(seed, name, cpu));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser (what SplittableRandom mixes with). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long exp(SplittableRandom rng, double mean) {
        return Math.max(1, Math.round(-mean * Math.log(1 - rng.nextDouble())));
    }

    private List<Integer> members(List<Integer> listed) {
        if (!listed.isEmpty()) return listed.stream().distinct().sorted().toList();
        List<Integer> all = new ArrayList<>(ncpus);
        for (int c = 0; c < ncpus; c++) all.add(c);
        return all;
    }

    // =====================================================================================
    // Activity
    // =====================================================================================

    private void startActivity(Workload.Activity a, Machine machine) {
        double busyMean = a.busy().mean();
        Distribution idleShape = a.idle() != null ? a.idle() : Distribution.exponential(1);
        for (int c : members(a.cpus())) {
            Double level = a.loadPerCpu().containsKey(c) ? a.loadPerCpu().get(c)
                    : !a.loadPerNode().isEmpty() ? a.loadPerNode().get(machine.nodeOf(c)) : a.load();
            SplittableRandom rng = stream("activity", c);
            // Drawn for every CPU, used or not, so a CPU's stream does not depend on its level.
            double uState = rng.nextDouble();
            double uPhase = rng.nextDouble();
            if (level != null && level <= 0) continue;
            if (level != null && level >= 1) {
                activityBusy[c] = true;
                update(c, 0, Op.BUSY);
                continue;
            }
            Distribution idle = level != null ? idleShape.withMean(busyMean * (1 - level) / level) : a.idle();
            busyLen[c] = a.busy().sampler(rng);
            idleLen[c] = idle.sampler(rng);
            double pBusy = level != null ? level : busyMean / (busyMean + idle.mean());
            activityBusy[c] = uState < pBusy;
            // Start each CPU somewhere inside its first period, so CPUs do not switch in lockstep.
            long first = Math.max(1, Math.round(uPhase * (activityBusy[c] ? busyLen[c] : idleLen[c]).next()));
            queue.add(first, SWITCH, c, 0, null);
            if (activityBusy[c]) update(c, 0, Op.BUSY);
        }
    }

    /** Emits busy/idle when the CPU's effective state changes; a busy CPU arms timers. */
    private void update(int c, long t, Op wakeOp) {
        boolean now = activityBusy[c] || burstUntil[c] > t;
        if (now == busy[c]) return;
        busy[c] = now;
        emit(new Step(t, c, now ? wakeOp : Op.IDLE, null, -1, -1, false, false, order++));
        int gen = ++arrivalGen[c];
        if (now && armMeanNs > 0 && armsTimers[c]) {
            if (arrivals[c] == null) arrivals[c] = stream("timer-arrivals", c);
            queue.add(t + exp(arrivals[c], armMeanNs), ARRIVAL, c, gen, null);
        }
    }

    /** A task runs on {@code c} for {@code len} from {@code t} (woken by an interrupt or a timer). */
    private void burst(int c, long t, long len, Op wakeOp) {
        long end = t + Math.max(1, len);
        if (end > burstUntil[c]) {
            burstUntil[c] = end;
            queue.add(end, BURST_END, c, 0, null);
        }
        update(c, t, wakeOp);
    }

    // =====================================================================================
    // Timers
    // =====================================================================================

    private void arm(int c, long t, int from) {
        SplittableRandom rng = params(from, c);
        long in = timeout(from, c, rng);
        double uPinned = rng.nextDouble();
        double uDeferrable = rng.nextDouble();
        double uTask = rng.nextDouble();
        double uFate = rng.nextDouble();
        double uWhen = rng.nextDouble();
        boolean pinned = from != FROM_PINGPONG && uPinned < timers.pinned();
        boolean deferrable = from != FROM_PINGPONG && uDeferrable < timers.deferrable();
        boolean wakesTask = from == FROM_PINGPONG
                || (pingPong != null && !pinned && !deferrable && uTask < pingPong.probability());
        String name = PREFIX[from] + c + "." + timerSeq[from][c]++;
        emit(new Step(t, c, Op.ARM, name, in, -1, pinned, deferrable, order++, wakesTask));
        // A task sleeping in schedule_timeout() is only woken by its timer here: no fate.
        if (from != FROM_PINGPONG) fate(c, t, name, in, from, uFate, uWhen);
    }

    private void fate(int c, long t, String name, long in, int from, double uFate, double uWhen) {
        long when = t + (long) ((0.1 + 0.8 * uWhen) * in);
        if (uFate < timers.cancel()) queue.add(when, CANCEL, c, from, name);
        else if (uFate < timers.cancel() + timers.rearm()) queue.add(when, REARM, c, from, name);
    }

    private void rearm(int c, long t, String name, int from) {
        SplittableRandom rng = params(from, c);
        long in = timeout(from, c, rng);
        double uFate = rng.nextDouble();
        double uWhen = rng.nextDouble();
        emit(new Step(t, c, Op.REARM, name, in, -1, false, false, order++));
        fate(c, t, name, in, from, uFate, uWhen);
    }

    private SplittableRandom params(int from, int c) {
        SplittableRandom r = params[from][c];
        if (r == null) r = params[from][c] = stream(PARAM_STREAM[from], c);
        return r;
    }

    /** A timeout from the mix: one uniform picks the entry, then that entry's sampler draws. */
    private long timeout(int from, int c, SplittableRandom rng) {
        Distribution.Sampler[] s = timeouts[from][c];
        if (s == null) {
            s = new Distribution.Sampler[weights.length];
            for (int i = 0; i < s.length; i++) s[i] = timers.timeouts().get(i).in().sampler(rng);
            timeouts[from][c] = s;
        }
        double u = rng.nextDouble();
        int i = 0;
        while (u >= weights[i] && i < weights.length - 1) i++;
        return s[i].next();
    }

    // =====================================================================================
    // StepSource
    // =====================================================================================

    private void emit(Step s) {
        ready.add(s);
    }

    @Override
    public long peekTime() {
        Step s = ready.peek();
        return s != null ? Math.min(s.at(), queue.peekTime()) : queue.peekTime();
    }

    @Override
    public Step next() {
        if (!ready.isEmpty()) return ready.poll();
        if (queue.isEmpty()) throw new IllegalStateException("no steps");
        queue.pop();
        long t = queue.topTime;
        int c = queue.topCpu;
        switch (queue.topKind) {
            case SWITCH -> {
                activityBusy[c] = !activityBusy[c];
                queue.add(t + Math.max(1, (activityBusy[c] ? busyLen[c] : idleLen[c]).next()), SWITCH, c, 0, null);
                update(c, t, Op.BUSY);
            }
            case BURST_END -> update(c, t, Op.BUSY);
            case ARRIVAL -> {
                if (queue.topAux == arrivalGen[c] && busy[c]) {
                    arm(c, t, FROM_TASK);
                    queue.add(t + exp(arrivals[c], armMeanNs), ARRIVAL, c, queue.topAux, null);
                }
            }
            case IRQ -> {
                SplittableRandom rng = irqRng[c];
                double uArm = rng.nextDouble();
                long task = irqTask[c] != null ? irqTask[c].next() : 0;
                queue.add(t + exp(rng, irqMeanNs), IRQ, c, 0, null);
                emit(new Step(t, c, Op.IRQ, null, -1, -1, false, false, order++));
                // A task the handler wakes is runnable before the handler's timer is armed (as a
                // network softirq wakes the reader, then arms the delayed ack): the CPU is then not
                // idle_cpu(). Without a task the timer is armed from interrupt context on an idle CPU.
                if (task > 0) burst(c, t, task, Op.BUSY);
                if (uArm < irqs.arm()) arm(c, t, FROM_IRQ);
            }
            case CANCEL -> emit(new Step(t, c, Op.CANCEL, queue.topName, -1, -1, false, false, order++));
            case REARM -> rearm(c, t, queue.topName, queue.topAux);
            default -> throw new IllegalStateException("action " + queue.topKind);
        }
        return ready.poll();
    }

    /**
     * The ping-pong: the task behind an expired timer wakes on its own CPU. If the callback ran
     * elsewhere and that CPU idles, the wake-up is an IPI ({@code wake}); then the task runs for
     * a burst and may sleep again with a fresh timer.
     */
    @Override
    public void timerFired(String timer, int armedOn, int firedOn, long now) {
        if (pingPong == null) return;
        int c = armedOn;
        if (ppBurst[c] == null) ppBurst[c] = pingPong.burst().sampler(stream("pingpong-burst", c));
        long len = ppBurst[c].next();
        double uRepeat = params(FROM_PINGPONG, c).nextDouble();
        burst(c, now, len, firedOn != c ? Op.WAKE : Op.BUSY);
        if (uRepeat < pingPong.repeat()) arm(c, now, FROM_PINGPONG);
    }
}
