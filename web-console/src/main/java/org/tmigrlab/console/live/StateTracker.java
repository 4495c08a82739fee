package org.tmigrlab.console.live;

import java.util.Arrays;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.tmigrlab.api.Group;
import org.tmigrlab.api.Hierarchy;
import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.mainline.MainlineModel;
import org.tmigrlab.engine.sim.Simulator;

/**
 * What the dashboard draws, and what changed since it was last published. {@link #topology}
 * describes the tree and the whole state once; {@link #delta} lists only what changed since the
 * previous topology or delta:
 * <ul>
 *   <li>{@code cpu}: pairs {@code cpu, state} with state 0 offline, 1 busy, 2 idle with the tick
 *       running, 3 idle with the tick stopped (NOHZ, inactive in the hierarchy);</li>
 *   <li>{@code wake}: pairs {@code cpu, n}: wake-ups from a stopped tick since the previous message;</li>
 *   <li>{@code grp}: triples {@code group, active children, migrator} where migrator is the child
 *       that holds the role (a CPU for level-0 groups, a group above) or -1 for none; {@code mask}
 *       is the active mask in hex for each triple, in the same order;</li>
 *   <li>{@code exp}: pairs {@code group, next expiry in ns} (-1 = none).</li>
 * </ul>
 * Models other than {@code mainline} do not expose group state; their groups are shown active
 * when a CPU below is active, with no migrator and no expiry.
 *
 * <p>Threading: confined to the experiment's thread.
 */
final class StateTracker {
    static final int OFFLINE = 0;
    static final int BUSY = 1;
    static final int IDLE_TICK = 2;
    static final int IDLE_NOHZ = 3;

    private final Simulator sim;
    private final Machine machine;
    private final int ncpus;
    private Hierarchy hierarchy;
    private int ngroups;
    private int[][] childByBit = new int[0][];
    private int[] byLevel = new int[0];
    private final byte[] cpu;
    private final long[] wake;
    private long[] gActive = new long[0];
    private int[] gMigr = new int[0];
    private long[] gExp = new long[0];
    // scratch for models without group state
    private long[] derived = new long[0];
    private long seq;

    StateTracker(Simulator sim, Machine machine) {
        this.sim = sim;
        this.machine = machine;
        this.ncpus = machine.possibleCpus();
        cpu = new byte[ncpus];
        wake = new long[ncpus];
    }

    long seq() {
        return seq;
    }

    /** The hierarchy grew (a CPU came online for the first time) since the last topology. */
    boolean topologyChanged() {
        return sim.hierarchy() != hierarchy;
    }

    int cpuState(int c) {
        if (!sim.cpuOnline(c)) return OFFLINE;
        if (sim.cpuBusy(c)) return BUSY;
        return sim.cpuTickStopped(c) ? IDLE_NOHZ : IDLE_TICK;
    }

    /** The tree and the full current state; later deltas are relative to it. */
    JsonObject topology() {
        hierarchy = sim.hierarchy();
        List<Group> groups = hierarchy.groups();
        ngroups = groups.size();
        childByBit = new int[ngroups][];
        JsonArray gj = new JsonArray();
        int maxLevel = 0;
        for (Group g : groups) {
            maxLevel = Math.max(maxLevel, g.level());
            int[] kids = new int[64];
            Arrays.fill(kids, -1);
            int width = 0;
            if (g.level() == 0) {
                for (int c : g.childCpus()) {
                    int bit = Long.numberOfTrailingZeros(hierarchy.cpuGroupmask().get(c));
                    if (bit < 64) {
                        kids[bit] = c;
                        width = Math.max(width, bit + 1);
                    }
                }
            } else {
                for (int k : g.childGroups()) {
                    int bit = Long.numberOfTrailingZeros(groups.get(k).groupmask());
                    if (bit < 64) {
                        kids[bit] = k;
                        width = Math.max(width, bit + 1);
                    }
                }
            }
            childByBit[g.id()] = Arrays.copyOf(kids, width);
            // children left to right by their first CPU, so CPU ids grow from left to right
            List<Integer> kids0 = new java.util.ArrayList<>(g.level() == 0 ? g.childCpus() : g.childGroups());
            if (g.level() == 0) kids0.sort(null);
            else kids0.sort(java.util.Comparator.comparingInt(k -> groups.get(k).cpus().isEmpty() ? Integer.MAX_VALUE : groups.get(k).cpus().get(0)));
            JsonArray kj = new JsonArray();
            for (int k : kids0) kj.add(k);
            gj.add(new JsonObject().put("id", g.id()).put("label", g.label()).put("level", g.level()).put("node", g.node())
                    .put("parent", g.parent()).put("kids", kj));
        }
        byLevel = groups.stream().sorted((a, b) -> Integer.compare(a.level(), b.level())).mapToInt(Group::id).toArray();
        gActive = new long[ngroups];
        gMigr = new int[ngroups];
        gExp = new long[ngroups];
        derived = new long[ngroups];
        Arrays.fill(gMigr, Integer.MIN_VALUE); // forces every group into the first state below
        Arrays.fill(gExp, Long.MIN_VALUE);
        Arrays.fill(cpu, (byte) -1);

        JsonArray cpuNode = new JsonArray();
        JsonArray cpuGroup = new JsonArray();
        for (int c = 0; c < ncpus; c++) {
            cpuNode.add(machine.nodeOf(c));
            cpuGroup.add(hierarchy.cpuGroup().get(c));
        }
        JsonObject state = changes(true);
        seq++;
        return new JsonObject().put("type", "topology").put("seq", seq).put("t", sim.now())
                .put("cpus", ncpus).put("nodes", machine.nodeCount()).put("levels", maxLevel + 1)
                .put("crossnodeLevel", hierarchy.crossnodeLevel())
                .put("cpuNode", cpuNode).put("cpuGroup", cpuGroup).put("groups", gj).put("state", state);
    }

    /** What changed since the previous message; the caller sends {@link #topology} instead when {@link #topologyChanged}. */
    JsonObject delta() {
        JsonObject d = changes(false);
        seq++;
        return d.put("type", "delta").put("seq", seq).put("t", sim.now());
    }

    private JsonObject changes(boolean all) {
        JsonArray cpus = new JsonArray();
        JsonArray wakes = new JsonArray();
        for (int c = 0; c < ncpus; c++) {
            int s = cpuState(c);
            if (all || s != cpu[c]) {
                cpus.add(c).add(s);
                cpu[c] = (byte) s;
            }
            long w = sim.wakeups(c);
            if (w != wake[c]) {
                if (!all) wakes.add(c).add(w - wake[c]);
                wake[c] = w;
            }
        }
        PullModel model = sim.model();
        MainlineModel mm = model instanceof MainlineModel m ? m : null;
        if (mm == null) derive();
        JsonArray grp = new JsonArray();
        JsonArray mask = new JsonArray();
        JsonArray exp = new JsonArray();
        int n = mm == null ? ngroups : Math.min(ngroups, mm.groupCount());
        for (int g = 0; g < n; g++) {
            long active = mm == null ? derived[g] : mm.active(g);
            int migr = -1;
            long next = -1;
            if (mm != null) {
                long m = mm.migrator(g);
                if (m != MainlineModel.TMIGR_NONE && Long.bitCount(m) == 1) {
                    int bit = Long.numberOfTrailingZeros(m);
                    migr = bit < childByBit[g].length ? childByBit[g][bit] : -1;
                }
                long e = mm.nextExpiry(g);
                next = e == PullModel.KTIME_MAX ? -1 : e;
            }
            if (all || active != gActive[g] || migr != gMigr[g]) {
                grp.add(g).add(Long.bitCount(active)).add(migr);
                mask.add(Long.toHexString(active));
                gActive[g] = active;
                gMigr[g] = migr;
            }
            if (all || next != gExp[g]) {
                exp.add(g).add(next);
                gExp[g] = next;
            }
        }
        JsonObject o = new JsonObject().put("cpu", cpus).put("grp", grp).put("mask", mask).put("exp", exp);
        if (all) {
            JsonArray totals = new JsonArray();
            for (int c = 0; c < ncpus; c++) totals.add(wake[c]);
            o.put("wakeTotal", totals);
        } else {
            o.put("wake", wakes);
        }
        return o;
    }

    /** Group activity from the CPUs below, for models without group state. */
    private void derive() {
        Arrays.fill(derived, 0);
        List<Group> groups = hierarchy.groups();
        for (int g : byLevel) {
            Group gr = groups.get(g);
            long m = 0;
            if (gr.level() == 0) {
                for (int bit = 0; bit < childByBit[g].length; bit++) {
                    int c = childByBit[g][bit];
                    if (c >= 0 && sim.cpuOnline(c) && !sim.cpuTickStopped(c)) m |= 1L << bit;
                }
            } else {
                for (int bit = 0; bit < childByBit[g].length; bit++) {
                    int k = childByBit[g][bit];
                    if (k >= 0 && derived[k] != 0) m |= 1L << bit;
                }
            }
            derived[g] = m;
        }
    }

    /** The CPU at the bottom of the migrator chain from the top root, or -1 (for tests and the list). */
    int topMigrator() {
        MainlineModel mm = sim.model() instanceof MainlineModel m ? m : null;
        if (mm == null || hierarchy == null) return -1;
        int root = -1;
        for (Group g : hierarchy.groups()) if (g.isRoot() && (root < 0 || g.level() > hierarchy.group(root).level())) root = g.id();
        int g = root;
        while (g >= 0) {
            int child = gMigr.length > g ? gMigr[g] : -1;
            if (child < 0) return -1;
            if (hierarchy.group(g).level() == 0) return child;
            g = child;
        }
        return -1;
    }
}
