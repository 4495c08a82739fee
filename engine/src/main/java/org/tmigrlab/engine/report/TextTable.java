package org.tmigrlab.engine.report;

import java.util.List;

/** Plain-text tables for terminals: the first column left-aligned, the others right-aligned. */
public final class TextTable {
    private TextTable() {
    }

    /** Every row has the same number of cells; lines end without trailing blanks. */
    public static String align(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] w = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String v = r.get(i);
                if (i == 0) line.append(v).append(" ".repeat(w[0] - v.length()));
                else line.append("  ").append(" ".repeat(w[i] - v.length())).append(v);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
