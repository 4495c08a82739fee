package org.tmigrlab.engine.core.baseline;

import java.util.function.Function;

import org.tmigrlab.engine.core.ModelContext;
import org.tmigrlab.engine.core.PullModel;
import org.tmigrlab.engine.core.PullModelFactory;

/** Factories of the baselines, registered by name in {@code EngineModule}. Stateless. */
public final class BaselineFactories {

    private BaselineFactories() {
    }

    public static final PullModelFactory LOCAL = factory("local", LocalModel::new);
    public static final PullModelFactory PUSH = factory("push", PushModel::new);
    public static final PullModelFactory ORACLE = factory("oracle", OracleModel::new);

    private static PullModelFactory factory(String name, Function<ModelContext, PullModel> create) {
        return new PullModelFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PullModel create(ModelContext context) {
                return create.apply(context);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
