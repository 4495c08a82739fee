package org.tmigrlab.console.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a live experiment's {@code KernelTraceWriter} writes: splits the text into lines and
 * keeps only what the dashboard can show. {@link #drain()} hands over the lines written since the
 * last call, at most {@code maxPerDrain} of them (the newest), and counts the ones left out.
 *
 * <p>Threading: confined to the experiment's thread.
 */
final class LogTap implements Appendable {
    private final int maxPerDrain;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder(256);
    private long skipped;
    private long total;

    LogTap(int maxPerDrain) {
        this.maxPerDrain = maxPerDrain;
    }

    @Override
    public Appendable append(CharSequence csq) {
        return append(csq, 0, csq.length());
    }

    @Override
    public Appendable append(CharSequence csq, int start, int end) {
        for (int i = start; i < end; i++) append(csq.charAt(i));
        return this;
    }

    @Override
    public Appendable append(char c) {
        if (c == '\n') {
            lines.addLast(partial.toString());
            partial.setLength(0);
            total++;
            if (lines.size() > maxPerDrain) {
                lines.removeFirst();
                skipped++;
            }
        } else {
            partial.append(c);
        }
        return this;
    }

    /** Lines written since the last drain (newest {@code maxPerDrain}). */
    List<String> drain() {
        List<String> out = new ArrayList<>(lines);
        lines.clear();
        return out;
    }

    /** Lines dropped since the last call (more than {@code maxPerDrain} between two drains). */
    long takeSkipped() {
        long s = skipped;
        skipped = 0;
        return s;
    }

    long total() {
        return total;
    }
}
