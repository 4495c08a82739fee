/**
 * Built-in migrator hand-over rules ({@link org.tmigrlab.api.MigratorSelector}). The kernel's is
 * {@code lowest-active}; the others exist to measure what the choice is worth. Each answers the
 * same question: the migrator child of a group goes idle while other children are active, which
 * active child takes the duty?
 *
 * <p>Stateless rules are shared by every run. Rules with memory ({@code sticky}) or randomness
 * ({@code random}), and those that look at the topology ({@code numa-affine}, {@code llc-affine}),
 * are prototypes: {@link org.tmigrlab.api.MigratorSelector#forRun} gives each run its own
 * instance, so runs never share state and the same seed gives the same run.
 */
package org.tmigrlab.engine.policy;
