/**
 * Values and extension points shared by the engine and plugins; depends on the JDK only.
 *
 * <p>The three extension points are the design's: {@link org.tmigrlab.api.HierarchyBuilder}
 * (the tree), {@link org.tmigrlab.api.GroupSizing} (children per group) and
 * {@link org.tmigrlab.api.MigratorSelector} (who takes over the migrator duty). A plugin jar
 * contributes them through {@link org.tmigrlab.api.LabPlugin} and its
 * {@link org.tmigrlab.api.Registrar}; a selector that needs per-run state or the seed gets a
 * {@link org.tmigrlab.api.RunContext}.
 */
package org.tmigrlab.api;
