package org.dopaj.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.train.TrainingPlan;
import org.dopaj.dl.train.TrainingResult;
import org.dopaj.wmh.LesionSynthesis;
import org.dopaj.wmh.TrainWmh;
import org.dopaj.wmh.WmhModel;

/**
 * {@code recipe: wmh}: the bundled WMH model ({@link TrainWmh}: synthetic lesions in real lesion-free T1 heads,
 * {@link WmhModel#spec()}, Adam with a cosine rate, resumable checkpoints, an optional wall-clock budget), its package
 * with the model card, the threshold calibration through the whole pipeline ({@code action: calibrate}) and synthetic
 * samples as NIfTI ({@code action: preview}). Defaults are the bundled model's settings.
 */
public final class WmhRecipe implements TrainRecipe {
    static final List<String> ACTIONS = List.of("all", "train", "package", "calibrate", "preview");

    @Override
    public String name() {
        return "wmh";
    }

    @Override
    public String summary() {
        return "white-matter hypointensities, 3D U-Net on synthetic lesions in real T1 heads (models/" + WmhModel.ID + ")";
    }

    @Override
    public List<RecipeArgument> arguments() {
        return List.of(
                RecipeArgument.choice("action", "all", ACTIONS, "all = train then package; or one step alone"),
                RecipeArgument.requiredPath("shared", "the shared data folder (T1 heads, lesion masks)"),
                RecipeArgument.requiredPath("run", "checkpoint folder (last/ to resume, best/ to package)"),
                RecipeArgument.integer("seed", 13, "weights, shuffling, synthesis seed"),
                RecipeArgument.integer("epochs", 24, "planned epochs (the cosine schedule spans them)"),
                RecipeArgument.integer("samples", 180, "fresh synthetic images per epoch"),
                RecipeArgument.integer("batch", 2, "images per Adam step"),
                RecipeArgument.integer("threads", 1, "TensorFlow CPU threads (0 = all cores)"),
                RecipeArgument.number("minutes", 0, "wall-clock budget in minutes, 0 = none (the best checkpoint is kept)"),
                RecipeArgument.flag("resume", false, "continue from run/last"),
                RecipeArgument.choice("normalisation", WmhModel.Normalisation.TISSUE.id(),
                        java.util.Arrays.stream(WmhModel.Normalisation.values()).map(WmhModel.Normalisation::id).toList(),
                        "the network input's intensity normalisation (brain-z-v1: the first packages)"),
                RecipeArgument.choice("placement", LesionSynthesis.Placement.RAW_V1.id(),
                        java.util.Arrays.stream(LesionSynthesis.Placement.values()).map(LesionSynthesis.Placement::id)
                                .toList(), "where lesions go and how bright (raw-v1: the bundled weights'; "
                                + "levelled-v2: territory and lesion level on the head's white-matter field, heights "
                                + "from the real labels; trained once, not adopted)"),
                RecipeArgument.texts("held_out", List.of(LesionSynthesis.HELD_OUT), "heads never trained on (the "
                        + "bundled model: niivue_otsu; a leave-one-head-out fold adds one), of " + LesionSynthesis.HEADS),
                RecipeArgument.requiredPath("output", "the model package folder to write"),
                RecipeArgument.number("threshold", WmhModel.THRESHOLD, "package: the probability threshold written into "
                        + "the package (the one --action calibrate chose for these weights)"),
                RecipeArgument.requiredPath("card", "the model card (markdown) written into the package"),
                RecipeArgument.path("model", null, "calibrate: the package to calibrate (default: output)"),
                RecipeArgument.integer("calibration_seeds", 2, "calibrate: lesion seeds per load and head"),
                RecipeArgument.texts("calibration_heads", List.of("training"), "calibrate: the heads to calibrate "
                        + "on; 'training' = every head trained on (a fold's held-out head: the threshold on a new head)"),
                RecipeArgument.paths("calibration_folds", "calibrate: leave-one-head-out fold configs; when given, "
                        + "each fold's package is measured on its own calibration_heads (the head it never saw), the "
                        + "tables are pooled and the threshold chosen on them"),
                RecipeArgument.path("preview", null, "preview: folder for the NIfTI samples"));
    }

    static TrainWmh.Settings settings(RecipeArguments a) {
        double minutes = a.number("minutes");
        if (minutes < 0) {
            throw new DopajException(a.where() + ": argument 'minutes' must be >= 0, got " + minutes);
        }
        return new TrainWmh.Settings(a.path("shared"), a.path("run"), a.longValue("seed"), a.integer("epochs", 1),
                a.integer("samples", 1), a.integer("batch", 1), a.integer("threads", 0), a.flag("resume"), minutes,
                WmhModel.Normalisation.parse(a.text("normalisation")), a.texts("held_out"),
                LesionSynthesis.Placement.parse(a.text("placement")));
    }

    /** The leave-one-head-out fold configs of {@code calibration_folds}, each a wmh recipe config. */
    private static List<RecipeConfig> folds(RecipeArguments a) {
        List<RecipeConfig> out = new ArrayList<>();
        for (Path file : a.paths("calibration_folds")) {
            RecipeConfig rc;
            try {
                rc = RecipeConfig.parse(TrainingPlan.readDocument(file), file);
            } catch (DopajException e) {
                throw new DopajException(a.where() + ": argument 'calibration_folds': " + e.getMessage());
            }
            if (!rc.recipe().name().equals("wmh")) {
                throw new DopajException(a.where() + ": argument 'calibration_folds': " + file + " is a "
                        + rc.recipe().name() + " config, not a wmh fold");
            }
            out.add(rc);
        }
        return out;
    }

    private static List<String> calibrationHeads(RecipeArguments a, TrainWmh.Settings s) {
        List<String> heads = a.texts("calibration_heads");
        if (heads.equals(List.of("training"))) {
            return s.trainingHeads();
        }
        return LesionSynthesis.requireKnown(heads, a.where() + ": argument 'calibration_heads'");
    }

    private static double threshold(RecipeArguments a) {
        double t = a.number("threshold");
        if (!(t > 0 && t < 1)) {
            throw new DopajException(a.where() + ": argument 'threshold' must lie between 0 and 1, got " + t);
        }
        return t;
    }

    private static Path model(RecipeArguments a) {
        return a.path("model") != null ? a.path("model") : a.path("output");
    }

    @Override
    public List<String> plan(RecipeArguments a) {
        TrainWmh.Settings s = settings(a);
        String action = a.text("action");
        List<String> steps = new ArrayList<>();
        if (action.equals("all") || action.equals("train")) {
            steps.add("train " + WmhModel.ID + ": seed " + s.seed() + ", " + s.epochs() + " epochs x " + s.samples()
                    + " synthetic images from " + s.shared() + ", batch " + s.batch() + ", " + s.threads()
                    + " thread(s), heads " + String.join(", ", s.trainingHeads()) + ", Adam cosine 3e-3 -> 2e-4, input "
                    + s.normalisation().id() + ", lesion placement " + s.placement().id() + (s.minutes() > 0 ? ", budget " + s.minutes() + " min" : "")
                    + "; checkpoints in " + s.run() + (s.resume() ? " (resume)" : ""));
        }
        if (action.equals("all") || action.equals("package")) {
            Recipes.requireFile(a, "card");
            steps.add("package: export " + s.run().resolve("best") + " -> " + a.path("output") + " (card "
                    + a.path("card") + ", threshold " + threshold(a) + ", applicability bounds; DJL checked against TF Java)");
        }
        if (action.equals("calibrate")) {
            List<RecipeConfig> folds = folds(a);
            if (folds.isEmpty()) {
                steps.add("calibrate: threshold of " + model(a) + " through the whole pipeline on "
                        + String.join(", ", calibrationHeads(a, s)) + ", "
                        + a.integer("calibration_seeds", 1) + " seed(s) per lesion load");
            }
            for (RecipeConfig f : folds) {
                TrainWmh.Settings fs = settings(f.arguments());
                steps.add("calibrate (fold " + f.source().getFileName() + "): " + model(f.arguments())
                        + " (trained on " + String.join(", ", fs.trainingHeads()) + ") through the whole pipeline on "
                        + String.join(", ", calibrationHeads(f.arguments(), fs)) + ", "
                        + a.integer("calibration_seeds", 1) + " seed(s) per lesion load");
            }
            if (!folds.isEmpty()) {
                steps.add("calibrate: the threshold of " + model(a) + " chosen on the pooled fold tables");
            }
        }
        if (action.equals("preview")) {
            if (a.path("preview") == null) {
                throw new DopajException(a.where() + ": action preview needs argument 'preview' (a folder)");
            }
            steps.add("preview: 4 synthetic images (T1 and label, NIfTI) -> " + a.path("preview"));
        }
        return steps;
    }

    @Override
    public Map<String, Object> run(RecipeArguments a, Consumer<String> log) {
        plan(a);
        TrainWmh.Settings s = settings(a);
        Recipes.requireFolder(s.shared(), "shared data folder");
        String action = a.text("action");
        Map<String, Object> res = new LinkedHashMap<>();
        if (action.equals("all") || action.equals("train")) {
            TrainingResult r = TrainWmh.train(s);
            res.putAll(Recipes.summary(r));
        }
        if (action.equals("all") || action.equals("package")) {
            ModelPackage p = TrainWmh.packageModel(s, a.path("output"), a.path("card"), threshold(a));
            res.put("packages", List.of(p.dir().toString()));
        }
        if (action.equals("calibrate")) {
            if (!Files.isDirectory(model(a))) {
                throw new DopajException(a.where() + ": no model package " + model(a) + " to calibrate");
            }
            List<RecipeConfig> folds = folds(a);
            if (folds.isEmpty()) {
                res.put("threshold", TrainWmh.calibrate(s.shared(), model(a), a.integer("calibration_seeds", 1),
                        calibrationHeads(a, s), s.placement()));
            } else {
                TrainWmh.Calibration pooled = null;
                for (RecipeConfig f : folds) {
                    TrainWmh.Settings fs = settings(f.arguments());
                    Path m = model(f.arguments());
                    if (!Files.isDirectory(m)) {
                        throw new DopajException(f.source() + ": no model package " + m
                                + " to calibrate: train the fold first");
                    }
                    TrainWmh.Calibration c = TrainWmh.measure(fs.shared(), m, a.integer("calibration_seeds", 1),
                            calibrationHeads(f.arguments(), fs), fs.placement());
                    System.out.println("fold " + f.source().getFileName() + ":");
                    c.print();
                    pooled = pooled == null ? c : pooled.plus(c);
                }
                System.out.println("pooled over " + folds.size() + " folds:");
                res.put("threshold", pooled.best());
            }
        }
        if (action.equals("preview")) {
            TrainWmh.preview(s, a.path("preview"));
            res.put("preview", a.path("preview").toString());
        }
        return res;
    }
}
