package org.dopaj.batch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.io.Csv;

/**
 * A batch's results: {@code results.jsonl} is the journal (one JSON object per finished case, appended and flushed
 * to disk as the case's commit; the last row of a case wins), {@code results.csv} the table made from it (nested
 * fields flattened with dots, lists joined with {@code "; "}). A row holds {@code case}, {@code input},
 * {@code status} ({@code ok}/{@code error}), {@code error}, {@code model}, {@code warnings}, {@code seconds} and the
 * capability's own fields.
 */
public final class BatchResults implements AutoCloseable {
    public static final String JOURNAL = "results.jsonl";
    public static final String TABLE = "results.csv";
    /** Columns every table starts with, in this order. */
    public static final List<String> FIRST = List.of("case", "input", "status", "error", "model", "warnings", "seconds");

    static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private final FileChannel journal;

    private BatchResults(FileChannel journal) {
        this.journal = journal;
    }

    /** Opens the journal of {@code dir} for appending (created when missing). */
    public static BatchResults open(Path dir) {
        try {
            return new BatchResults(FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new DopajException(dir.resolve(JOURNAL) + ": cannot open the results journal (" + e.getMessage() + ")", e);
        }
    }

    /** Appends one row and forces it to disk: from here on the case counts as done. */
    public synchronized void append(Map<String, Object> row) throws IOException {
        byte[] line = (GSON.toJson(row) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
            journal.write(b);
        }
        journal.force(false);
    }

    @Override
    public synchronized void close() {
        try {
            journal.close();
        } catch (IOException e) {
            // nothing was lost: every row was forced when it was written
        }
    }

    /**
     * The rows of a journal, the last one of each case, in first-seen order. A last line cut short by a crash is
     * dropped (and cut from the file when {@code repair}), so a resumed batch redoes that case.
     */
    public static List<Map<String, Object>> read(Path journal, boolean repair) {
        if (!Files.exists(journal)) {
            return List.of();
        }
        byte[] all;
        try {
            all = Files.readAllBytes(journal);
        } catch (IOException e) {
            throw new DopajException(journal + ": cannot read (" + e.getMessage() + ")", e);
        }
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--; // a row is committed by its line end
        }
        if (repair && end < all.length) {
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            } catch (IOException e) {
                throw new DopajException(journal + ": cannot cut an unfinished last row (" + e.getMessage() + ")", e);
            }
        }
        Map<String, Map<String, Object>> byCase = new LinkedHashMap<>();
        String text = new String(all, 0, end, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> row;
            try {
                row = GSON.fromJson(line, new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
            } catch (JsonParseException e) {
                throw new DopajException(journal + ": line " + lineNo + " is not a JSON row; the journal is damaged");
            }
            if (row == null || !(row.get("case") instanceof String id)) {
                throw new DopajException(journal + ": line " + lineNo + " has no 'case'; the journal is damaged");
            }
            byCase.remove(id); // the newest row goes last, as when it was written
            byCase.put(id, row);
        }
        return new ArrayList<>(byCase.values());
    }

    /** Flattens nested fields: {@code {"sbr":{"putamen_l":2}}} → {@code sbr.putamen_l = 2}; lists joined. */
    public static Map<String, String> flatten(Map<String, Object> row) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", row, out);
        return out;
    }

    private static void flatten(String prefix, Object v, Map<String, String> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (v instanceof List<?> l) {
            if (!l.isEmpty() && l.get(0) instanceof List<?>) {
                out.put(prefix, GSON.toJson(l)); // a matrix (an affine) stays readable as JSON
            } else {
                List<String> parts = new ArrayList<>();
                for (Object o : l) {
                    parts.add(o instanceof Map<?, ?> ? GSON.toJson(o) : text(o));
                }
                out.put(prefix, String.join("; ", parts));
            }
        } else {
            out.put(prefix, text(v));
        }
    }

    private static String text(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue()); // Gson reads every JSON number as a double
        }
        return String.valueOf(o);
    }

    /** Writes {@code rows} as a CSV table, atomically (a temporary file, then a move). */
    public static void writeTable(List<Map<String, Object>> rows, Path csv) {
        List<Map<String, String>> flat = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>(FIRST);
        for (Map<String, Object> r : rows) {
            Map<String, String> f = flatten(r);
            flat.add(f);
            columns.addAll(f.keySet());
        }
        StringBuilder b = new StringBuilder();
        b.append(Csv.line(new ArrayList<>(columns))).append('\n');
        for (Map<String, String> f : flat) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(f.getOrDefault(c, ""));
            }
            b.append(Csv.line(cells)).append('\n');
        }
        writeAtomically(csv, b.toString());
    }

    /** Writes a text file through a temporary sibling and a move, so a reader never sees half of it. */
    public static void writeAtomically(Path file, String text) {
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw new DopajException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
