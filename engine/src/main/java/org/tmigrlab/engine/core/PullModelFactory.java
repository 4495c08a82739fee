package org.tmigrlab.engine.core;

/**
 * Creates a {@link PullModel} for one run; registered by name ({@code model:} in scenario files).
 * Implementations are stateless; {@link #create} is called once per run on the run's thread.
 */
public interface PullModelFactory {

    String name();

    PullModel create(ModelContext context);
}
