package org.tmigrlab.console.experiments;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** RFC 4180 fields and rows, with {@code \n} line ends (what pandas, R and DuckDB read by default). */
public final class Csv {
    private Csv() {
    }

    public static String row(List<?> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) b.append(',');
            b.append(field(fields.get(i)));
        }
        return b.append('\n').toString();
    }

    /** Numbers through {@link Num}; missing values (null, NaN) are empty fields. */
    public static String field(Object v) {
        String s;
        if (v == null) s = "";
        else if (v instanceof Number n) s = Num.format(n);
        else if (v instanceof JsonNode node) s = node.isNumber() ? Num.format(node.numberValue())
                : node.isTextual() ? node.textValue() : node.toString();
        else s = v.toString();
        if (s == null) return "";
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)
            return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
