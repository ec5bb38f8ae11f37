package org.dopaj.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dopaj.DopajException;

/**
 * A small CSV reader for {@code dopaj evaluate}: a header row of column names, then one row per subject.
 * Comma-separated (tab-separated when the name ends in .tsv), double quotes around a field allowed ("" is a
 * quote inside one), blank lines skipped. Every problem names the file, and the line and column.
 */
final class CsvTable {
    private final Path file;
    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lineNumbers = new ArrayList<>();

    private CsvTable(Path file, List<String> columns) {
        this.file = file;
        this.columns = columns;
    }

    static CsvTable read(Path file) {
        if (Files.isDirectory(file)) {
            throw new DopajException(file + ": is a directory, not a CSV file");
        }
        if (!Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new DopajException(file + ": not a UTF-8 text file (is it a CSV table?)", e);
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        char sep = org.dopaj.io.Csv.separatorFor(file.getFileName().toString());
        CsvTable t = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // byte-order mark written by spreadsheet programs
            }
            if (line.isBlank()) {
                continue;
            }
            String[] f = split(line, sep, file, i + 1);
            if (t == null) {
                List<String> cols = new ArrayList<>();
                for (String c : f) {
                    cols.add(c.trim());
                }
                t = new CsvTable(file, cols);
                continue;
            }
            if (f.length != t.columns.size()) {
                throw new DopajException(file + ": line " + (i + 1) + " has " + f.length + " fields, the header has "
                        + t.columns.size());
            }
            t.rows.add(f);
            t.lineNumbers.add(i + 1);
        }
        if (t == null) {
            throw new DopajException(file + ": empty CSV file (a header row of column names is needed)");
        }
        if (t.rows.isEmpty()) {
            throw new DopajException(file + ": has a header but no data rows");
        }
        return t;
    }

    private static String[] split(String line, char sep, Path file, int lineNo) {
        String[] f = org.dopaj.io.Csv.split(line, sep);
        if (f == null) {
            throw new DopajException(file + ": line " + lineNo + " has an unclosed quote");
        }
        return f;
    }

    int size() {
        return rows.size();
    }

    /** Index of a column by its header name (exact, then case-insensitive), or an error listing the columns. */
    int column(String name, String option) {
        int i = columns.indexOf(name);
        if (i < 0) {
            for (int k = 0; k < columns.size(); k++) {
                if (columns.get(k).equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new DopajException(file + ": no column '" + name + "' (for --" + option + "); columns are: "
                    + String.join(", ", columns));
        }
        return i;
    }

    /** A numeric column; a cell that is not a finite number is refused naming the line and the column. */
    double[] numbers(String name, String option) {
        int c = column(name, option);
        double[] r = new double[rows.size()];
        for (int i = 0; i < r.length; i++) {
            String s = rows.get(i)[c].trim();
            try {
                r[i] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new DopajException(file + ": line " + lineNumbers.get(i) + ", column '" + columns.get(c)
                        + "': '" + s + "' is not a number");
            }
            if (!Double.isFinite(r[i])) {
                throw new DopajException(file + ": line " + lineNumbers.get(i) + ", column '" + columns.get(c)
                        + "': " + s + " is not a finite number");
            }
        }
        return r;
    }

    /** A 0/1 label column (also true/false, yes/no, positive/negative), refusing anything else. */
    int[] labels(String name, String option) {
        int c = column(name, option);
        int[] r = new int[rows.size()];
        for (int i = 0; i < r.length; i++) {
            String s = rows.get(i)[c].trim().toLowerCase(java.util.Locale.ROOT);
            switch (s) {
                case "1", "1.0", "true", "yes", "positive" -> r[i] = 1;
                case "0", "0.0", "false", "no", "negative" -> r[i] = 0;
                default -> throw new DopajException(file + ": line " + lineNumbers.get(i) + ", column '" + columns.get(c)
                        + "': label '" + rows.get(i)[c].trim() + "' is not 0 or 1 (1 = positive, e.g. Parkinsonian)");
            }
        }
        return r;
    }
}
