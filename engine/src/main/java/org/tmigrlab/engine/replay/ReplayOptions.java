package org.tmigrlab.engine.replay;

import java.util.Set;

import org.tmigrlab.api.Machine;
import org.tmigrlab.engine.core.Bug;

/**
 * How to replay a capture. Every field may be null / empty: the trace decides (machine, tree, HZ,
 * idle signal) or the kernel's defaults apply (mainline, 8 children per group, lowest-active).
 *
 * @param model            pull model ({@code mainline}, {@code rfc2017}, a baseline); null = mainline
 * @param builder          hierarchy builder; null = {@code kernel} (the tree is always checked against the kernel builder)
 * @param childrenPerGroup children per group; null = 8 (the kernel's {@code TMIGR_CHILDREN_PER_GROUP})
 * @param migrator         migrator selector; null = {@code lowest-active} (the kernel's rule)
 * @param bugs             historical bug switches; {@code imbalanced-numa-trees} is added by itself
 *                         when the trace's tree is the imbalanced one
 * @param hz               HZ; null = from the trace
 * @param machine          the machine; null = from the trace (CPU count, nodes of the tree)
 * @param idleSource       which lines drive the CPUs' active/idle periods; null = the best the trace has
 * @param checkInvariants  run the invariant checker on every event (slower)
 * @param listLimit        disagreements listed per measure
 */
public record ReplayOptions(String model, String builder, Integer childrenPerGroup, String migrator, Set<Bug> bugs, Integer hz,
                            Machine machine, TraceProfile.IdleSource idleSource, boolean checkInvariants, int listLimit) {

    public static final String DEFAULT_MODEL = "mainline";
    public static final String DEFAULT_MIGRATOR = "lowest-active";
    public static final String DEFAULT_BUILDER = "kernel";
    public static final int KERNEL_CHILDREN_PER_GROUP = 8;

    public ReplayOptions {
        bugs = bugs == null ? Set.of() : Set.copyOf(bugs);
        if (listLimit < 0) throw new IllegalArgumentException("listLimit must be >= 0");
    }

    /** The kernel's own configuration, everything else from the trace. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(null, null, null, null, Set.of(), null, null, null, false, 10);
    }

    public String modelOrDefault() {
        return model == null ? DEFAULT_MODEL : model;
    }

    public String builderOrDefault() {
        return builder == null ? DEFAULT_BUILDER : builder;
    }

    public String migratorOrDefault() {
        return migrator == null ? DEFAULT_MIGRATOR : migrator;
    }

    public int childrenPerGroupOrDefault() {
        return childrenPerGroup == null ? KERNEL_CHILDREN_PER_GROUP : childrenPerGroup;
    }

    public ReplayOptions withModel(String m) {
        return new ReplayOptions(m, builder, childrenPerGroup, migrator, bugs, hz, machine, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withBuilder(String b) {
        return new ReplayOptions(model, b, childrenPerGroup, migrator, bugs, hz, machine, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withChildrenPerGroup(Integer k) {
        return new ReplayOptions(model, builder, k, migrator, bugs, hz, machine, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withMigrator(String m) {
        return new ReplayOptions(model, builder, childrenPerGroup, m, bugs, hz, machine, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withIdleSource(TraceProfile.IdleSource s) {
        return new ReplayOptions(model, builder, childrenPerGroup, migrator, bugs, hz, machine, s, checkInvariants, listLimit);
    }

    public ReplayOptions withHz(Integer h) {
        return new ReplayOptions(model, builder, childrenPerGroup, migrator, bugs, h, machine, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withMachine(Machine m) {
        return new ReplayOptions(model, builder, childrenPerGroup, migrator, bugs, hz, m, idleSource, checkInvariants, listLimit);
    }

    public ReplayOptions withCheckInvariants(boolean on) {
        return new ReplayOptions(model, builder, childrenPerGroup, migrator, bugs, hz, machine, idleSource, on, listLimit);
    }

    public ReplayOptions withListLimit(int n) {
        return new ReplayOptions(model, builder, childrenPerGroup, migrator, bugs, hz, machine, idleSource, checkInvariants, n);
    }

    /** True when this is the configuration the kernel that wrote the trace ran (what fidelity is measured against). */
    public boolean isKernelConfiguration() {
        return modelOrDefault().equals(DEFAULT_MODEL) && builderOrDefault().equals(DEFAULT_BUILDER)
                && childrenPerGroupOrDefault() == KERNEL_CHILDREN_PER_GROUP
                && migratorOrDefault().equals(DEFAULT_MIGRATOR) && bugs.stream().allMatch(b -> b == Bug.IMBALANCED_NUMA_TREES);
    }
}
