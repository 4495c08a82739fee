package org.tmigrlab.topologies.machine;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The machine files under {@code src/test/resources/machines} (see make-fixtures.sh there). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String relative) {
        URL url = Fixtures.class.getResource("/machines/" + relative);
        if (url == null) throw new IllegalArgumentException("no fixture machines/" + relative);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
