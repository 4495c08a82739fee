package org.tmigrlab.plugins.topologyexample;

import org.tmigrlab.api.GroupSizing;

/** {@code wide-top}: 8 children at level 0 like the kernel, 64 above, so trees stay two or three levels deep. */
public final class WideTop implements GroupSizing {

    @Override
    public int childrenPerGroup(int level) {
        return level == 0 ? 8 : 64;
    }

    @Override
    public String name() {
        return "wide-top";
    }

    @Override
    public String description() {
        return "8 per group at level 0, 64 above: fewer levels, so every walk to the top is shorter";
    }
}
