package org.dopaj.dl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.dopaj.DopajException;

/**
 * A labelled image folder: a CSV with rows {@code file,label[,split]} (an optional header row whose
 * label column is not a number is skipped; '#' starts a comment line), files relative to the folder,
 * labels numeric (class index or regression value), split one of {@code train}, {@code val}
 * (or {@code validation}) and {@code test}; rows without a split go to training. Images are read
 * lazily by a loader the caller supplies (e.g. NIfTI → float[] in tensor order), so only a batch
 * is in memory at a time.
 */
public final class CsvDataset {

    /** The three parts of a labelled folder; a part without rows is null. */
    public record Splits(Dataset train, Dataset validation, Dataset test) {
    }

    private record Row(Path file, float label, String split) {
    }

    private CsvDataset() {
    }

    /**
     * @param folder  where the files listed in the CSV are
     * @param csv     the label table
     * @param loader  reads one file into the input array (tensor order); called on demand
     */
    public static Splits load(Path folder, Path csv, Function<Path, float[]> loader) {
        if (!Files.isDirectory(folder)) {
            throw new DopajException("image folder " + folder + " does not exist");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DopajException("cannot read label table " + csv + ": " + e.getMessage());
        }
        List<Row> train = new ArrayList<>();
        List<Row> val = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*[,;\\t]\\s*");
            if (f.length < 2 || f.length > 3) {
                throw new DopajException(csv + " line " + (i + 1) + ": expected file,label[,split], got '" + line + "'");
            }
            float label;
            try {
                label = Float.parseFloat(f[1]);
            } catch (NumberFormatException e) {
                if (train.isEmpty() && val.isEmpty() && test.isEmpty()) {
                    continue; // header row
                }
                throw new DopajException(csv + " line " + (i + 1) + ": label '" + f[1] + "' is not a number");
            }
            if (!Float.isFinite(label)) {
                throw new DopajException(csv + " line " + (i + 1) + ": label '" + f[1] + "' is not finite");
            }
            Path file = folder.resolve(f[0]);
            if (!Files.isRegularFile(file)) {
                throw new DopajException(csv + " line " + (i + 1) + ": file " + file + " does not exist");
            }
            String split = f.length == 3 ? f[2].toLowerCase(Locale.ROOT) : "train";
            Row row = new Row(file, label, split);
            switch (split) {
                case "train" -> train.add(row);
                case "val", "validation" -> val.add(row);
                case "test" -> test.add(row);
                default -> throw new DopajException(csv + " line " + (i + 1) + ": split '" + f[2]
                        + "' is not train, val or test");
            }
        }
        if (train.isEmpty()) {
            throw new DopajException(csv + " lists no training rows");
        }
        return new Splits(of(train, loader), val.isEmpty() ? null : of(val, loader), test.isEmpty() ? null : of(test, loader));
    }

    private static Dataset of(List<Row> rows, Function<Path, float[]> loader) {
        List<Row> copy = List.copyOf(rows);
        return Dataset.generated(copy.size(), i -> {
            Row r = copy.get(i);
            float[] input = loader.apply(r.file());
            if (input == null) {
                throw new DopajException("loader returned nothing for " + r.file());
            }
            return new Sample(input, new float[] {r.label()});
        });
    }
}
