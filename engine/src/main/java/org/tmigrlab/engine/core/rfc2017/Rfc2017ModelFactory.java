package org.tmigrlab.engine.core.rfc2017;

import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.PullModelFactory;

/**
 * {@code model: rfc2017}. The historical bug switches are mainline code paths the RFC never had,
 * so they are ignored.
 */
public final class Rfc2017ModelFactory implements PullModelFactory {
    @Override
    public String name() {
        return "rfc2017";
    }

    @Override
    public PullModel create(ModelContext context) {
        return new Rfc2017Model(context);
    }
}
