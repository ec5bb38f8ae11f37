package org.dopaj.batch;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One case of a batch: its id (the name of its folder under the output folder and of its row), its main input
 * (a file or a DICOM series folder; for manifest cases, relative paths are already resolved against the manifest's
 * folder), the per-case options of its manifest row (column → text, e.g. {@code age}, {@code left}), and, for a
 * row that could not be read, the one-line reason it fails. Serializable, so a Spark job can ship it.
 *
 * @param id      unique within the batch; letters, digits, {@code . _ -}
 * @param input   the main input path as text ({@code null} when the row has none)
 * @param options per-case options from the manifest (empty for files, folders and globs)
 * @param problem why this case cannot run (a bad manifest row), or null
 */
public record BatchCase(String id, String input, Map<String, String> options, String problem) implements Serializable {
    public BatchCase {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A case from a file, without options. */
    public static BatchCase of(String id, String input) {
        return new BatchCase(id, input, Map.of(), null);
    }

    /** A per-case option (manifest column), or null when the row leaves it empty. */
    public String option(String name) {
        String v = options.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
