package org.tmigrlab.engine.core.mainline;

import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.PullModelFactory;

/** {@code model: mainline}. */
public final class MainlineModelFactory implements PullModelFactory {
    @Override
    public String name() {
        return "mainline";
    }

    @Override
    public PullModel create(ModelContext context) {
        return new MainlineModel(context);
    }
}
