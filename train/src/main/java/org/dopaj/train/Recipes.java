package org.dopaj.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.train.TrainingResult;

/** Small helpers shared by the recipes: file checks with one-line errors and the training summary. */
final class Recipes {
    private Recipes() {
    }

    /** The path argument {@code name} must be an existing file. */
    static Path requireFile(RecipeArguments a, String name) {
        Path p = a.path(name);
        if (p == null || !Files.isRegularFile(p)) {
            throw new DopajException(a.where() + ": argument '" + name + "': no file " + p);
        }
        return p;
    }

    /** {@code dir} must be an existing folder. */
    static void requireFolder(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DopajException(what + " " + dir + " does not exist");
        }
    }

    /** The JSON summary of a training result. */
    static Map<String, Object> summary(TrainingResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs_run", r.history().size());
        m.put("best_epoch", r.bestEpoch());
        m.put("best_validation_loss", r.bestLoss());
        m.put("parameters", r.parameterCount());
        m.put("checkpoint", r.bestCheckpoint() == null ? null : r.bestCheckpoint().toString());
        return m;
    }
}
