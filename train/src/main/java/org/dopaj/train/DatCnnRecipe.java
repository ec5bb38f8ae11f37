package org.dopaj.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.spect.DatCnn;
import org.dopaj.spect.DatCnnTraining;
import org.dopaj.spect.DatFamily;

/**
 * {@code recipe: spect-dat-cnn}: the bundled DaT-SPECT classifier ({@link DatCnnTraining}: phantom families in the
 * mixed setting, fixed seed, subjects cached per family, resumable checkpoints, export with the class-activation
 * output), then its package with the model card, the calibration temperature (fitted by the leave-one-family-out
 * evaluation, {@code DatLofo --evaluate}) and the applicability bounds. {@link DatCnnTraining}'s public entry points
 * take their settings as its documented options; this recipe writes them from the checked arguments.
 */
public final class DatCnnRecipe implements TrainRecipe {
    static final List<String> ACTIONS = List.of("all", "train", "anchor", "package");

    @Override
    public String name() {
        return "spect-dat-cnn";
    }

    @Override
    public String summary() {
        return "DaT-SPECT classifier, 3D CNN on phantom families (models/spect-dat-cnn)";
    }

    @Override
    public List<RecipeArgument> arguments() {
        return List.of(
                RecipeArgument.choice("action", "all", ACTIONS, "all = train then package; or one step alone"),
                RecipeArgument.requiredPath("run", "run folder: checkpoints/ and saved_model/"),
                RecipeArgument.requiredPath("data", "cache folder of the drawn subjects (per family)"),
                RecipeArgument.requiredPath("shared", "the shared data folder (atlases, templates)"),
                RecipeArgument.texts("families", null, "phantom families trained on (default: all)"),
                RecipeArgument.integer("train", 450, "training subjects per family"),
                RecipeArgument.integer("val", 40, "validation subjects per family"),
                RecipeArgument.integer("physics_train", 200, "at most this many training subjects of a physics family"),
                RecipeArgument.integer("physics_val", 30, "at most this many validation subjects of a physics family"),
                RecipeArgument.integer("physics_test", 120, "at most this many test subjects of a physics family"),
                RecipeArgument.integer("epochs", 12, "planned epochs"),
                RecipeArgument.integer("batch", 8, "subjects per Adam step"),
                RecipeArgument.integer("seed", 2019, "weights, shuffling and subject seed"),
                RecipeArgument.number("lr", 5e-4, "initial learning rate"),
                RecipeArgument.integer("threads", 2, "TensorFlow CPU threads (0 = all cores)"),
                RecipeArgument.choice("head", "joint", List.of("joint", "anchored"), "joint: binding features joined to"
                        + " the image branch; anchored: a fixed logistic anchor on the binding numbers plus a capped"
                        + " image term (v4)"),
                RecipeArgument.requiredPath("output", "package: the model package folder to write"),
                RecipeArgument.requiredPath("card", "package: the model card (markdown) written into the package"),
                RecipeArgument.number("temperature", 1.0, "package: the calibration temperature stored in rdf.yaml"));
    }

    /** The training options, in {@link DatCnnTraining}'s documented spelling. */
    /** The training settings of the recipe's arguments. */
    static DatCnnTraining.Options options(RecipeArguments a) {
        List<DatFamily> families = List.of(DatFamily.values());
        if (a.texts("families") != null) {
            try {
                families = DatFamily.list(String.join(",", a.texts("families")));
            } catch (DopajException e) {
                throw new DopajException(a.where() + ": argument 'families': " + e.getMessage());
            }
        }
        DatCnn.Head head;
        try {
            head = DatCnn.Head.of(a.text("head"));
        } catch (DopajException e) {
            throw new DopajException(a.where() + ": argument 'head': " + e.getMessage());
        }
        return new DatCnnTraining.Options(a.path("data"), a.path("shared"), families, a.integer("train", 2),
                a.integer("val", 1), a.integer("epochs", 1), a.integer("batch", 1), a.longValue("seed"),
                a.integer("threads", 0), a.positive("lr"), new int[] {a.integer("physics_train", 0),
                    a.integer("physics_val", 0), a.integer("physics_test", 0)}, head);
    }

    private static Path saved(RecipeArguments a) {
        return a.path("run").resolve("saved_model");
    }

    @Override
    public List<String> plan(RecipeArguments a) {
        String action = a.text("action");
        DatCnnTraining.Options options = options(a);
        double t = a.positive("temperature");
        List<String> steps = new ArrayList<>();
        if (action.equals("all") || action.equals("train")) {
            steps.add("train spect-dat-cnn into " + a.path("run") + ": " + options.describe());
        }
        if (a.text("head").equals("anchored") && (action.equals("all") || action.equals("train")
                || action.equals("anchor"))) {
            steps.add("anchor: refit the anchor of " + a.path("run") + " and write it with the training normals' means");
        }
        if (action.equals("all") || action.equals("package")) {
            Recipes.requireFile(a, "card");
            steps.add(String.format(Locale.ROOT, "package: %s -> %s (card %s, temperature %s, applicability from the"
                    + " cached subjects in %s)", saved(a), a.path("output"), a.path("card"), t, a.path("data")));
        }
        return steps;
    }

    @Override
    public Map<String, Object> run(RecipeArguments a, Consumer<String> log) throws Exception {
        plan(a);
        Recipes.requireFolder(a.path("shared"), "shared data folder");
        String action = a.text("action");
        Map<String, Object> res = new LinkedHashMap<>();
        if (action.equals("all") || action.equals("train")) {
            DatCnnTraining.train(a.path("run"), options(a), log);
            res.put("saved_model", saved(a).toString());
        }
        if (a.text("head").equals("anchored") && (action.equals("all") || action.equals("train")
                || action.equals("anchor"))) {
            DatCnnTraining.refitAnchor(a.path("run"), options(a));
            log.accept("anchor written to " + a.path("run"));
        }
        if (action.equals("all") || action.equals("package")) {
            Recipes.requireFolder(saved(a), "SavedModel folder");
            String card = Recipes.requireFile(a, "card").toString();
            org.dopaj.dl.model.ModelPackage p = DatCnnTraining.packageRun(saved(a), a.path("output"),
                    java.nio.file.Files.readString(Path.of(card)), a.positive("temperature"), a.path("data"),
                    a.path("shared"));
            log.accept("packaged " + p.id() + " in " + p.dir() + " (weights sha256 " + p.weightsSha256() + ")");
            res.put("packages", List.of(a.path("output").toString()));
        }
        return res;
    }
}
