package org.dopaj.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CSV fields as spreadsheets write them (RFC 4180): a field in double quotes may hold the separator, a line break
 * is not supported inside one, and {@code ""} is a quote inside a quoted field. One place for splitting and quoting
 * so every table DopaJ reads or writes (evaluation tables, batch manifests and results) agrees.
 */
public final class Csv {
    private Csv() {
    }

    /** The fields of one line, or null when a quote is left open. */
    public static String[] split(String line, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    /** A field quoted only when it must be (separator, quote, line break, or leading/trailing space). */
    public static String quote(String field) {
        if (field == null) {
            return "";
        }
        boolean needs = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || (!field.isEmpty() && (field.charAt(0) == ' '
                || field.charAt(field.length() - 1) == ' '));
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** One comma-separated line of quoted fields, without the line end. */
    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(fields.get(i)));
        }
        return b.toString();
    }

    /** The separator a table file uses: tab for .tsv, comma otherwise. */
    public static char separatorFor(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }
}
