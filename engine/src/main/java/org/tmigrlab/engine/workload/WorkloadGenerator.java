package org.tmigrlab.engine.workload;

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
 * <p>Cost: future actions live in {@code ActionQueue} (per-CPU slots under a winner tree, fates
 * in a heap) and emitted steps in a primitive ring; a timer is named by a {@code long} key (kind,
 * CPU, sequence) whose name ({@link #timerName}) is only built when a {@link Step} is asked for.
 * Through {@link #nextInto(StepCursor)} nothing is allocated per step once the columns have grown.
 * Without a ping-pong nothing the simulator does changes what comes next, so the generator works
 * ahead in batches, and {@link WorkAhead} can run it on a thread of its own.
 * Each step also says whether it is the last one naming its timer ({@link StepCursor#lastUse}):
 * an arming's fate is drawn when it is armed, so the generator knows.
 *
 * <p>Not thread-safe; one per run (on one thread at a time).
 */
public final class WorkloadGenerator implements StepSource {

    private static final byte SWITCH = ActionQueue.SWITCH;
    private static final byte BURST_END = ActionQueue.BURST_END;
    private static final byte ARRIVAL = ActionQueue.ARRIVAL;
    private static final byte IRQ = ActionQueue.IRQ;
    private static final byte CANCEL = ActionQueue.CANCEL;
    private static final byte REARM = ActionQueue.REARM;

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

    private final ActionQueue queue;
    /** Steps worked ahead at a time when no ping-pong feeds back (see {@link #nextInto}). */
    private static final int BATCH = 256;
    private int order;

    // emitted steps not yet taken: a FIFO ring of primitive columns
    private long[] rAt = new long[16];
    private int[] rCpu = new int[16];
    private Op[] rOp = new Op[16];
    private long[] rKey = new long[16];
    private long[] rIn = new long[16];
    private byte[] rFlags = new byte[16];
    private int[] rOrder = new int[16];
    private int rHead;
    private int rSize;
    private static final byte F_PINNED = StepCursor.PINNED;
    private static final byte F_DEFERRABLE = StepCursor.DEFERRABLE;
    private static final byte F_WAKES = StepCursor.WAKES_TASK;
    private static final byte F_LAST = StepCursor.LAST_USE;

    // per CPU
    private final boolean[] armsTimers;
    private final boolean[] activityBusy;
    private final boolean[] busy;
    private final long[] burstUntil;
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

        queue = new ActionQueue(ncpus);
        armsTimers = new boolean[ncpus];
        for (int c : members(timers.cpus())) armsTimers[c] = true;
        activityBusy = new boolean[ncpus];
        busy = new boolean[ncpus];
        burstUntil = new long[ncpus];
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
                queue.set(IRQ, c, exp(irqRng[c], irqMeanNs));
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

    /** The key of the {@code seq}-th timer armed {@code from} (task, irq, ping-pong) on {@code cpu}. */
    private static long timerKey(int from, int cpu, int seq) {
        return ((long) seq << 22) | ((long) cpu << 2) | from;
    }

    /** The name of a generated timer key, as steps carry it: {@code w3.17}, {@code i0.2}, {@code p5.0}. */
    public static String timerName(long key) {
        return PREFIX[(int) (key & 3)] + ((key >>> 2) & 0xFFFFF) + "." + (key >>> 22);
    }

    /**
     * The key of a generated timer's name, or -1 if {@code name} is not one (exactly the form
     * {@link #timerName} writes, CPU below 2^20). A script may name a generated timer.
     */
    public static long timerKey(String name) {
        if (name == null || name.length() < 4) return -1;
        int from = switch (name.charAt(0)) { case 'w' -> FROM_TASK; case 'i' -> FROM_IRQ; case 'p' -> FROM_PINGPONG; default -> -1; };
        if (from < 0) return -1;
        int dot = name.indexOf('.', 1);
        if (dot < 0) return -1;
        long cpu = digits(name, 1, dot);
        long seq = digits(name, dot + 1, name.length());
        if (cpu < 0 || seq < 0 || cpu >= (1 << 20) || seq > Integer.MAX_VALUE) return -1;
        return timerKey(from, (int) cpu, (int) seq);
    }

    /** A canonical decimal (no sign, no leading zero unless "0"), or -1. */
    private static long digits(String s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 10 || (n > 1 && s.charAt(from) == '0')) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') return -1;
            v = v * 10 + (ch - '0');
        }
        return v;
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
            queue.set(SWITCH, c, first);
            if (activityBusy[c]) update(c, 0, Op.BUSY);
        }
    }

    /** Emits busy/idle when the CPU's effective state changes; a busy CPU arms timers. */
    private void update(int c, long t, Op wakeOp) {
        boolean now = activityBusy[c] || burstUntil[c] > t;
        if (now == busy[c]) return;
        busy[c] = now;
        emit(t, c, now ? wakeOp : Op.IDLE, -1, -1, (byte) 0);
        if (now && armMeanNs > 0 && armsTimers[c]) {
            if (arrivals[c] == null) arrivals[c] = stream("timer-arrivals", c);
            queue.set(ARRIVAL, c, t + exp(arrivals[c], armMeanNs));
        } else {
            queue.clear(ARRIVAL, c); // the busy period ended: its next arrival would do nothing
        }
    }

    /** A task runs on {@code c} for {@code len} from {@code t} (woken by an interrupt or a timer). */
    private void burst(int c, long t, long len, Op wakeOp) {
        long end = t + Math.max(1, len);
        if (end > burstUntil[c]) {
            burstUntil[c] = end;
            queue.set(BURST_END, c, end); // an earlier end would do nothing
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
        long key = timerKey(from, c, timerSeq[from][c]++);
        // A task sleeping in schedule_timeout() is only woken by its timer here: no fate.
        boolean last = from == FROM_PINGPONG || !hasFate(uFate);
        emit(t, c, Op.ARM, key, in, (byte) ((pinned ? F_PINNED : 0) | (deferrable ? F_DEFERRABLE : 0)
                | (wakesTask ? F_WAKES : 0) | (last ? F_LAST : 0)));
        if (from != FROM_PINGPONG) fate(c, t, key, in, from, uFate, uWhen);
    }

    private boolean hasFate(double uFate) {
        return uFate < timers.cancel() || uFate < timers.cancel() + timers.rearm();
    }

    private void fate(int c, long t, long key, long in, int from, double uFate, double uWhen) {
        long when = t + (long) ((0.1 + 0.8 * uWhen) * in);
        if (uFate < timers.cancel()) queue.addFate(when, CANCEL, c, from, key);
        else if (uFate < timers.cancel() + timers.rearm()) queue.addFate(when, REARM, c, from, key);
    }

    private void rearm(int c, long t, long key, int from) {
        SplittableRandom rng = params(from, c);
        long in = timeout(from, c, rng);
        double uFate = rng.nextDouble();
        double uWhen = rng.nextDouble();
        emit(t, c, Op.REARM, key, in, hasFate(uFate) ? 0 : F_LAST);
        fate(c, t, key, in, from, uFate, uWhen);
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

    private void emit(long t, int c, Op op, long key, long in, byte flags) {
        if (rSize == rAt.length) growRing();
        int i = (rHead + rSize++) & (rAt.length - 1);
        rAt[i] = t;
        rCpu[i] = c;
        rOp[i] = op;
        rKey[i] = key;
        rIn[i] = in;
        rFlags[i] = flags;
        rOrder[i] = order++;
    }

    private void growRing() {
        int n = rAt.length;
        long[] at = new long[2 * n];
        int[] cpu = new int[2 * n];
        Op[] op = new Op[2 * n];
        long[] key = new long[2 * n];
        long[] in = new long[2 * n];
        byte[] flags = new byte[2 * n];
        int[] ord = new int[2 * n];
        for (int k = 0; k < rSize; k++) {
            int i = (rHead + k) & (n - 1);
            at[k] = rAt[i];
            cpu[k] = rCpu[i];
            op[k] = rOp[i];
            key[k] = rKey[i];
            in[k] = rIn[i];
            flags[k] = rFlags[i];
            ord[k] = rOrder[i];
        }
        rAt = at;
        rCpu = cpu;
        rOp = op;
        rKey = key;
        rIn = in;
        rFlags = flags;
        rOrder = ord;
        rHead = 0;
    }

    /** Takes the first emitted step into {@code c}. */
    private void take(StepCursor c) {
        int i = rHead;
        rHead = (rHead + 1) & (rAt.length - 1);
        rSize--;
        c.setGenerated(rAt[i], rCpu[i], rOp[i], rKey[i], rIn[i], rFlags[i], rOrder[i]);
    }

    @Override
    public long peekTime() {
        // An emitted step is never later than an action still queued: actions are scheduled at
        // or after the time of the action that scheduled them.
        return rSize > 0 ? rAt[rHead] : queue.peekTime();
    }

    @Override
    public Step next() {
        StepCursor c = new StepCursor();
        return nextInto(c) ? c.toStep() : null;
    }

    @Override
    public boolean nextInto(StepCursor into) {
        if (rSize > 0) {
            take(into);
            return true;
        }
        if (queue.isEmpty()) throw new IllegalStateException("no steps");
        if (pingPong == null) {
            // Nothing the simulator does can change what comes next: work ahead in batches, so
            // the generator's state stays in cache while it runs (issue 7: interleaved with the
            // simulator one step at a time, the same work took half as long again).
            while (rSize < BATCH && !queue.isEmpty()) act();
        } else {
            act();
        }
        if (rSize == 0) return false;
        take(into);
        return true;
    }

    /** Pops one action and does it (emitting zero or more steps). */
    private void act() {
        queue.pop();
        long t = queue.topTime;
        int c = queue.topCpu;
        switch (queue.topKind) {
            case SWITCH -> {
                activityBusy[c] = !activityBusy[c];
                queue.set(SWITCH, c, t + Math.max(1, (activityBusy[c] ? busyLen[c] : idleLen[c]).next()));
                update(c, t, Op.BUSY);
            }
            case BURST_END -> update(c, t, Op.BUSY);
            case ARRIVAL -> {
                // live only while the CPU is busy (update() clears it)
                arm(c, t, FROM_TASK);
                queue.set(ARRIVAL, c, t + exp(arrivals[c], armMeanNs));
            }
            case IRQ -> {
                SplittableRandom rng = irqRng[c];
                double uArm = rng.nextDouble();
                long task = irqTask[c] != null ? irqTask[c].next() : 0;
                queue.set(IRQ, c, t + exp(rng, irqMeanNs));
                emit(t, c, Op.IRQ, -1, -1, (byte) 0);
                // A task the handler wakes is runnable before the handler's timer is armed (as a
                // network softirq wakes the reader, then arms the delayed ack): the CPU is then not
                // idle_cpu(). Without a task the timer is armed from interrupt context on an idle CPU.
                if (task > 0) burst(c, t, task, Op.BUSY);
                if (uArm < irqs.arm()) arm(c, t, FROM_IRQ);
            }
            case CANCEL -> emit(t, c, Op.CANCEL, queue.topKey, -1, F_LAST);
            case REARM -> rearm(c, t, queue.topKey, queue.topAux);
            default -> throw new IllegalStateException("action " + queue.topKind);
        }
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
