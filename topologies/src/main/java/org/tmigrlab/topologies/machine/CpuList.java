package org.tmigrlab.topologies.machine;

import java.util.BitSet;

/**
 * The kernel's cpulist format ({@code bitmap_parselist()} / {@code %*pbl}): {@code 0-3,8,10-11},
 * as in {@code /sys/devices/system/cpu/online} and {@code node/nodeN/cpulist}. An empty string is
 * the empty set (a CPU-less node).
 */
public final class CpuList {

    /** Far above any NR_CPUS; stops a typo like {@code 0-99999999} from allocating gigabytes. */
    static final int MAX_ID = 1 << 20;

    private CpuList() {
    }

    /** @throws IllegalArgumentException naming the bad item */
    public static BitSet parse(String text) {
        BitSet set = new BitSet();
        String t = text.strip();
        if (t.isEmpty()) return set;
        for (String item : t.split(",", -1)) {
            String s = item.strip();
            int dash = s.indexOf('-');
            int from;
            int to;
            try {
                from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
                to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a CPU number or range a-b (cpulist format, e.g. 0-3,8)");
            }
            if (from < 0 || to < from) throw new IllegalArgumentException("range '" + s + "' runs backwards");
            if (to > MAX_ID) throw new IllegalArgumentException("CPU " + to + " is beyond any kernel's NR_CPUS");
            set.set(from, to + 1);
        }
        return set;
    }

    /** {@code 0-3,8}: the inverse of {@link #parse}. */
    public static String format(BitSet set) {
        StringBuilder b = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i) - 1;
            if (b.length() > 0) b.append(',');
            b.append(i);
            if (end > i) b.append('-').append(end);
            i = set.nextSetBit(end + 1);
        }
        return b.toString();
    }
}
