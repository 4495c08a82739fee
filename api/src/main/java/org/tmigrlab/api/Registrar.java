package org.tmigrlab.api;

/**
 * Where a {@link LabPlugin} hands over its strategies. Each is registered under its own
 * {@code name()}, which scenario files and the catalog use. The lab owns the wiring (Guice
 * {@code MapBinder}s in the engine), so a plugin depends on this api only.
 *
 * <p>Registered objects are shared by every run; see each SPI for its threading contract.
 */
public interface Registrar {

    /** Adds a hierarchy builder, chosen by {@code hierarchy.builder} in a scenario. */
    void hierarchyBuilder(HierarchyBuilder builder);

    /** Adds a migrator selector, chosen by {@code migrator} in a scenario. */
    void migratorSelector(MigratorSelector selector);

    /** Adds a group sizing, chosen by {@code hierarchy.sizing} in a scenario. */
    void groupSizing(GroupSizing sizing);
}
