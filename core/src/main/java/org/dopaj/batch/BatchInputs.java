package org.dopaj.batch;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.io.Csv;

/**
 * Turns what a user names on a batch command line into cases: image files, folders (every image file below them,
 * in name order), globs ({@code scans/*&#47;*.nii.gz}, expanded here so they work unquoted in any shell and quoted
 * on clusters), and manifest tables ({@code .csv}/{@code .tsv}: a header row, an {@code input} column, an optional
 * {@code id} column, and per-case option columns the capability knows). A manifest with a missing or unknown column
 * is refused whole; a row that cannot be read becomes a case that fails with its reason, so the others still run.
 */
public final class BatchInputs {
    /** File names read as images when a folder or glob is expanded. */
    private static final List<String> IMAGE_ENDINGS = List.of(".nii.gz", ".nii", ".hdr", ".dcm", ".tif", ".tiff");

    private BatchInputs() {
    }

    /**
     * The cases of {@code inputs}, in order, with unique ids.
     *
     * @param columns the per-case option columns a manifest may have (besides {@code id} and {@code input})
     * @param required columns a manifest must have (besides {@code input})
     */
    public static List<BatchCase> expand(List<String> inputs, Set<String> columns, Set<String> required) {
        return expand(inputs, columns, required, Set.of(), true);
    }

    /** The cases of {@code inputs} for {@code task}: its columns, required columns and path columns. */
    public static List<BatchCase> expand(List<String> inputs, BatchTask task) {
        return expand(inputs, task.columns(), task.requiredColumns(), task.pathColumns(), task.needsInput());
    }

    /**
     * As {@link #expand(List, Set, Set)}, with {@code pathColumns} (manifest columns holding files, resolved against
     * the manifest's folder like {@code input}) and, when {@code inputRequired} is false, manifests without an
     * {@code input} column (a case's main input is then its first path column, e.g. msa-pd's {@code gd}).
     */
    public static List<BatchCase> expand(List<String> inputs, Set<String> columns, Set<String> required,
            Set<String> pathColumns, boolean inputRequired) {
        if (inputs.isEmpty()) {
            throw new DopajException("no inputs: give image files, folders, globs or a manifest .csv");
        }
        List<BatchCase> raw = new ArrayList<>();
        for (String in : inputs) {
            Path p = Path.of(in);
            String lower = in.toLowerCase(Locale.ROOT);
            if ((lower.endsWith(".csv") || lower.endsWith(".tsv")) && Files.isRegularFile(p)) {
                raw.addAll(manifest(p, columns, required, pathColumns, inputRequired));
                continue;
            }
            if (!required.isEmpty()) {
                throw new DopajException(in + ": this capability needs per-case options (" + String.join(", ", required)
                        + "): give a manifest .csv with those columns");
            }
            if (Files.isDirectory(p)) {
                List<Path> files = walk(p, null);
                if (files.isEmpty()) {
                    throw new DopajException(p + ": no image files (" + String.join(", ", IMAGE_ENDINGS) + ") in this folder");
                }
                files.forEach(f -> raw.add(BatchCase.of(stem(f), f.toString())));
            } else if (isGlob(in)) {
                List<Path> files = glob(in);
                if (files.isEmpty()) {
                    throw new DopajException(in + ": no file matches this pattern");
                }
                files.forEach(f -> raw.add(BatchCase.of(stem(f), f.toString())));
            } else {
                // a file that is not there becomes a failed case, not a refused batch: a vanished input is one row
                raw.add(BatchCase.of(stem(p), in));
            }
        }
        return uniqueIds(raw);
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Files under the longest wildcard-free folder of {@code pattern} whose path matches it. */
    static List<Path> glob(String pattern) {
        String norm = pattern.replace('\\', '/');
        int firstWild = 0;
        while (firstWild < norm.length() && "*?[{".indexOf(norm.charAt(firstWild)) < 0) {
            firstWild++;
        }
        int slash = norm.lastIndexOf('/', firstWild);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : norm.substring(0, slash));
        String rel = slash < 0 ? norm : norm.substring(slash + 1);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rel);
        return walk(base, f -> m.matches(base.relativize(f)));
    }

    private static List<Path> walk(Path dir, java.util.function.Predicate<Path> accept) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> accept == null ? isImageName(f) : accept.test(f))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DopajException(dir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
    }

    static boolean isImageName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_ENDINGS.stream().anyMatch(n::endsWith);
    }

    /** A file's name without its image ending, as the case id (e.g. {@code sub-01_spect}). */
    public static String stem(Path f) {
        Path name = f.getFileName();
        String n = name == null ? f.toString() : name.toString();
        String lower = n.toLowerCase(Locale.ROOT);
        for (String e : IMAGE_ENDINGS) {
            if (lower.endsWith(e) && n.length() > e.length()) {
                return n.substring(0, n.length() - e.length());
            }
        }
        return n;
    }

    /** Reads a manifest: its cases, or an error for the whole table (missing/unknown column, no rows). */
    static List<BatchCase> manifest(Path file, Set<String> columns, Set<String> required, Set<String> pathColumns,
            boolean inputRequired) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new DopajException(file + ": manifest is not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read the manifest (" + e.getMessage() + ")", e);
        }
        char sep = Csv.separatorFor(file.getFileName().toString());
        String[] header = null;
        List<BatchCase> out = new ArrayList<>();
        Path base = file.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = Csv.split(line, sep);
            if (header == null) {
                if (f == null) {
                    throw new DopajException(file + ": the header row has an unclosed quote");
                }
                header = normaliseHeader(f, file, columns, required, inputRequired);
                continue;
            }
            out.add(row(file, base, i + 1, header, f, pathColumns));
        }
        if (header == null) {
            throw new DopajException(file + ": empty manifest (a header row with an 'input' column is needed)");
        }
        if (out.isEmpty()) {
            throw new DopajException(file + ": manifest has a header but no rows");
        }
        return out;
    }

    private static String[] normaliseHeader(String[] f, Path file, Set<String> columns, Set<String> required,
            boolean inputRequired) {
        String[] h = new String[f.length];
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < f.length; k++) {
            // users write "Age", "voxel-size" or "voxel_size": one spelling inside
            h[k] = f[k].trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (!h[k].equals("id") && !h[k].equals("input") && !columns.contains(h[k])) {
                throw new DopajException(file + ": unknown column '" + f[k].trim() + "' (this capability reads: id, input"
                        + (columns.isEmpty() ? "" : ", " + String.join(", ", columns.stream().sorted().toList())) + ")");
            }
            if (!seen.add(h[k])) {
                throw new DopajException(file + ": column '" + h[k] + "' appears twice");
            }
        }
        if (inputRequired && !seen.contains("input")) {
            throw new DopajException(file + ": no 'input' column (the image file of each case)");
        }
        for (String r : new java.util.TreeSet<>(required)) {
            if (!seen.contains(r)) {
                throw new DopajException(file + ": no '" + r + "' column (this capability needs it for every case)");
            }
        }
        return h;
    }

    private static BatchCase row(Path file, Path base, int lineNo, String[] header, String[] f, Set<String> paths) {
        String where = file.getFileName() + " line " + lineNo;
        if (f == null) {
            return new BatchCase("line" + lineNo, null, Map.of(), where + ": unclosed quote");
        }
        if (f.length != header.length) {
            return new BatchCase("line" + lineNo, null, Map.of(), where + ": " + f.length + " fields, the header has "
                    + header.length);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        String input = null;
        String id = null;
        for (int k = 0; k < header.length; k++) {
            String v = f[k].trim();
            switch (header[k]) {
                case "input" -> input = v.isEmpty() ? null : resolve(base, v);
                case "id" -> id = v.isEmpty() ? null : v;
                default -> opts.put(header[k], paths.contains(header[k]) && !v.isEmpty() ? resolve(base, v) : v);
            }
        }
        if (input == null && !List.of(header).contains("input")) {
            for (String h : header) {
                if (paths.contains(h) && opts.get(h) != null && !opts.get(h).isEmpty()) {
                    input = opts.get(h); // no input column: the first file column names the case
                    break;
                }
            }
        }
        if (input == null) {
            return new BatchCase(id == null ? "line" + lineNo : id, null, opts, where + ": empty 'input'");
        }
        return new BatchCase(id == null ? stem(Path.of(input)) : id, input, opts, null);
    }

    /** A manifest path relative to the manifest's own folder, so a manifest travels with its data. */
    private static String resolve(Path base, String v) {
        Path p = Path.of(v);
        return p.isAbsolute() || base == null ? v : base.resolve(p).normalize().toString();
    }

    /** Ids made safe as folder names and unique ({@code name}, {@code name-2}, ...). */
    static List<BatchCase> uniqueIds(List<BatchCase> in) {
        Set<String> taken = new HashSet<>(); // case-insensitive: folders must not collide on macOS or Windows
        List<BatchCase> out = new ArrayList<>();
        for (BatchCase c : in) {
            String id = c.id().replaceAll("[^A-Za-z0-9._-]", "_");
            if (id.isEmpty() || id.startsWith(".")) {
                id = "case" + id;
            }
            String unique = id;
            for (int n = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); n++) {
                unique = id + "-" + n;
            }
            out.add(new BatchCase(unique, c.input(), c.options(), c.problem()));
        }
        return out;
    }
}
