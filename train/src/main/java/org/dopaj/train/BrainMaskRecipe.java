package org.dopaj.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.brainmask.TrainBrainMask;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.train.TrainingResult;

/**
 * {@code recipe: brain-mask}: the bundled brain-mask model ({@link TrainBrainMask}: synthetic 2.5D samples from the
 * training heads' tissue maps, {@link BrainMaskModel#spec()}, Adam with a cosine rate, resumable checkpoints), its
 * package with the model card, the threshold sweep ({@code action: calibrate}) and a look at the synthetic samples
 * ({@code action: preview}). Defaults are the bundled model's settings.
 */
public final class BrainMaskRecipe implements TrainRecipe {
    static final List<String> ACTIONS = List.of("all", "train", "package", "calibrate", "preview");

    @Override
    public String name() {
        return "brain-mask";
    }

    @Override
    public String summary() {
        return "brain mask, DeepLabv3+ 2.5D on synthetic heads (models/" + BrainMaskModel.ID + ")";
    }

    @Override
    public List<RecipeArgument> arguments() {
        return List.of(
                RecipeArgument.choice("action", "all", ACTIONS, "all = train then package; or one step alone"),
                RecipeArgument.requiredPath("shared", "the shared data folder (tissue maps, real heads)"),
                RecipeArgument.requiredPath("run", "checkpoint folder (last/ to resume, best/ to package)"),
                RecipeArgument.integer("seed", 11, "weights, shuffling, synthesis seed"),
                RecipeArgument.integer("epochs", 10, "planned epochs"),
                RecipeArgument.integer("samples", 1600, "fresh synthetic samples per epoch"),
                RecipeArgument.integer("batch", 8, "samples per Adam step"),
                RecipeArgument.integer("threads", 1, "TensorFlow CPU threads (0 = all cores)"),
                RecipeArgument.flag("resume", false, "continue from run/last"),
                RecipeArgument.requiredPath("output", "the model package folder to write"),
                RecipeArgument.requiredPath("card", "the model card (markdown) written into the package"),
                RecipeArgument.path("model", null, "calibrate: the package to sweep (default: output)"),
                RecipeArgument.path("preview", null, "preview: folder for the PGM strips"),
                RecipeArgument.integer("preview_samples", 12, "preview: number of samples"));
    }

    static TrainBrainMask.Settings settings(RecipeArguments a) {
        return new TrainBrainMask.Settings(a.path("shared"), a.path("run"), a.longValue("seed"), a.integer("epochs", 1),
                a.integer("samples", 1), a.integer("batch", 1), a.integer("threads", 0), a.flag("resume"));
    }

    @Override
    public List<String> plan(RecipeArguments a) {
        TrainBrainMask.Settings s = settings(a);
        String action = a.text("action");
        List<String> steps = new ArrayList<>();
        if (action.equals("all") || action.equals("train")) {
            steps.add("train " + BrainMaskModel.ID + ": seed " + s.seed() + ", " + s.epochs() + " epochs x " + s.samples()
                    + " synthetic samples from " + s.shared() + ", batch " + s.batch() + ", " + s.threads()
                    + " thread(s), Adam cosine 3e-3 -> 1e-4; checkpoints in " + s.run() + (s.resume() ? " (resume)" : ""));
        }
        if (action.equals("all") || action.equals("package")) {
            Recipes.requireFile(a, "card");
            steps.add("package: export " + s.run().resolve("best") + " -> " + a.path("output") + " (card "
                    + a.path("card") + "; DJL checked against TF Java)");
        }
        if (action.equals("calibrate")) {
            steps.add("calibrate: threshold sweep of " + model(a) + " on the training anatomy in " + s.shared());
        }
        if (action.equals("preview")) {
            if (a.path("preview") == null) {
                throw new DopajException(a.where() + ": action preview needs argument 'preview' (a folder)");
            }
            steps.add("preview: " + a.integer("preview_samples", 1) + " synthetic samples as PGM strips -> " + a.path("preview"));
        }
        return steps;
    }

    private static Path model(RecipeArguments a) {
        return a.path("model") != null ? a.path("model") : a.path("output");
    }

    @Override
    public Map<String, Object> run(RecipeArguments a, Consumer<String> log) {
        plan(a);
        TrainBrainMask.Settings s = settings(a);
        Recipes.requireFolder(s.shared(), "shared data folder");
        String action = a.text("action");
        Map<String, Object> res = new LinkedHashMap<>();
        if (action.equals("all") || action.equals("train")) {
            TrainingResult r = TrainBrainMask.train(s);
            res.putAll(Recipes.summary(r));
        }
        if (action.equals("all") || action.equals("package")) {
            ModelPackage p = TrainBrainMask.packageModel(s, a.path("output"), a.path("card"));
            res.put("packages", List.of(p.dir().toString()));
        }
        if (action.equals("calibrate")) {
            if (!Files.isDirectory(model(a))) {
                throw new DopajException(a.where() + ": no model package " + model(a) + " to calibrate");
            }
            TrainBrainMask.calibrate(s.shared(), model(a));
        }
        if (action.equals("preview")) {
            TrainBrainMask.preview(s, a.path("preview"), a.integer("preview_samples", 1));
            res.put("preview", a.path("preview").toString());
        }
        return res;
    }
}
