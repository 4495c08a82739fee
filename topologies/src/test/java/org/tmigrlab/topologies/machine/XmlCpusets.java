package org.tmigrlab.topologies.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An oracle independent of {@link HwlocReader}: the {@code cpuset} attribute of every object of
 * one type in an lstopo XML, read with a regular expression, as sets of PU os indexes.
 */
public final class XmlCpusets {
    private XmlCpusets() {
    }

    public static Set<Set<Integer>> of(Path xml, String type) throws IOException {
        Matcher m = Pattern.compile("<object type=\"" + type + "\"[^>]*? cpuset=\"([^\"]+)\"").matcher(Files.readString(xml));
        Set<Set<Integer>> out = new HashSet<>();
        while (m.find()) {
            String[] words = m.group(1).split(",");
            Set<Integer> cpus = new TreeSet<>();
            for (int w = 0; w < words.length; w++) {
                long bits = Long.parseLong(words[words.length - 1 - w].substring(2), 16);
                for (int b = 0; b < 32; b++) if ((bits >> b & 1) == 1) cpus.add(32 * w + b);
            }
            out.add(cpus);
        }
        return out;
    }
}
