package org.dopaj.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.Version;

/**
 * Joins the output folders of a sharded batch ({@code --shard K/N} on cluster array jobs) into one results table:
 * {@code OUT/results.jsonl} and {@code OUT/results.csv}, each row with a {@code folder} column naming the shard
 * folder that holds its files. The shards must be batches of one capability; a case in two shards is refused.
 */
public final class BatchMerge {
    private BatchMerge() {
    }

    /** Returns the merged rows (also written to {@code out}). */
    public static List<Map<String, Object>> merge(List<Path> shards, Path out) {
        if (shards.isEmpty()) {
            throw new DopajException("no shard folders given");
        }
        String capability = null;
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Path s : shards) {
            Path record = s.resolve(BatchRunner.RECORD);
            if (!Files.isRegularFile(record)) {
                throw new DopajException(s + ": not a DopaJ batch folder (no " + BatchRunner.RECORD + ")");
            }
            String cap;
            try {
                Object c = BatchResults.GSON.fromJson(Files.readString(record), Map.class).get("capability");
                cap = String.valueOf(c);
            } catch (IOException | RuntimeException e) {
                throw new DopajException(record + ": cannot read the batch record (" + e.getMessage() + ")", e);
            }
            if (capability == null) {
                capability = cap;
            } else if (!capability.equals(cap)) {
                throw new DopajException(s + ": a " + cap + " batch; the others are " + capability);
            }
            for (Map<String, Object> r : BatchResults.read(s.resolve(BatchResults.JOURNAL), false)) {
                String id = (String) r.get("case");
                if (rows.containsKey(id)) {
                    throw new DopajException("case '" + id + "' is in two shards (" + rows.get(id).get("folder") + " and "
                            + s + "): were the shards made with the same --shard N?");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("case", id);
                m.put("folder", s.toString());
                r.forEach(m::putIfAbsent);
                rows.put(id, m);
            }
        }
        try {
            if (Files.isDirectory(out)) {
                try (Stream<Path> l = Files.list(out)) {
                    if (l.findAny().isPresent()) {
                        throw new DopajException(out + ": folder is not empty; the merge needs a new or empty folder");
                    }
                }
            }
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new DopajException(out + ": cannot create (" + e.getMessage() + ")", e);
        }
        List<Map<String, Object>> list = new ArrayList<>(rows.values());
        StringBuilder b = new StringBuilder();
        list.forEach(r -> b.append(BatchResults.GSON.toJson(r)).append('\n'));
        BatchResults.writeAtomically(out.resolve(BatchResults.JOURNAL), b.toString());
        BatchResults.writeTable(list, out.resolve(BatchResults.TABLE));
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("capability", capability);
        rec.put("merged_from", shards.stream().map(Path::toString).toList());
        rec.put("dopaj_version", Version.get());
        rec.put("created", Instant.now().toString());
        BatchResults.writeAtomically(out.resolve("merged.json"), BatchResults.GSON.toJson(rec) + "\n");
        return list;
    }
}
