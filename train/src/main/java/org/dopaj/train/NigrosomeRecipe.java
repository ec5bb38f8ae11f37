package org.dopaj.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingResult;
import org.dopaj.nigrosome.PhantomGenerator;
import org.dopaj.nigrosome.SbrEvaluation;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.SbrRegressorTraining;
import org.dopaj.nigrosome.SbrTrainingSet;
import org.dopaj.nigrosome.SmwiPhantom;

/**
 * {@code recipe: nigrosome}: the bundled nigrosome SBR regressor ({@code models/nigrosome-vgg3d-left|right}):
 * generates the phantom training crops (cached under {@code work/data}), trains with a fixed seed (resumable from the
 * last finished epoch, {@code work/run}), exports with Grad-CAM, bundles both packages with their applicability
 * bounds, then evaluates them on held-out phantoms and writes the figures into the model card
 * ({@link SbrRegressorTraining}, {@link SbrEvaluation}). {@code dopaj nigrosome-train} is the same recipe with
 * command-line options. See docs/validation/nigrosome.md.
 */
public final class NigrosomeRecipe implements TrainRecipe {
    /** Phantoms drawn by default. */
    public static final int PHANTOMS = 1200;
    /** Seed of the first training phantom. */
    public static final long BASE_SEED = 1_000_000L;
    /** Planned epochs by default. */
    public static final int EPOCHS = 10;
    /** Version written into the packages (2: physics phantoms, applicability bounds). */
    public static final String VERSION = "2.1";

    @Override
    public String name() {
        return "nigrosome";
    }

    @Override
    public String summary() {
        return "nigrosome SBR regressor, VGG-style 3D CNN on SMWI phantom crops (models/nigrosome-vgg3d-left|right)";
    }

    @Override
    public List<RecipeArgument> arguments() {
        return List.of(
                RecipeArgument.requiredPath("work", "work folder: cached crops (data/) and checkpoints (run/)"),
                RecipeArgument.requiredPath("models", "folder receiving PREFIX-left and PREFIX-right"),
                RecipeArgument.text("prefix", SbrRegressorTraining.MODEL_NAME, "package id prefix"),
                RecipeArgument.integer("phantoms", PHANTOMS, "phantoms drawn (two crops each; the last 10 % validate)"),
                RecipeArgument.integer("epochs", EPOCHS, "planned epochs"),
                RecipeArgument.integer("batch", 8, "crops per Adam step"),
                RecipeArgument.integer("seed", 42, "weights, shuffling and dropout seed"),
                RecipeArgument.number("lr", 1e-3, "initial learning rate (cosine to lr / 100)"),
                RecipeArgument.integer("threads", 2, "TensorFlow CPU threads (0 = all cores)"),
                RecipeArgument.integer("eval_phantoms", 200, "held-out phantoms evaluated after bundling (0 = none)"),
                RecipeArgument.choice("generator", PhantomGenerator.PHYSICS.label(),
                        List.of(PhantomGenerator.PHYSICS.label(), PhantomGenerator.BOX.label()), "phantom generator"),
                RecipeArgument.integer("calibration_phantoms", 500, "phantoms for the applicability bounds"),
                RecipeArgument.flag("log_input", false, "network takes ln of the mean-divided crop (inside the graph)"),
                RecipeArgument.text("filters", "8/16/32", "filters of the three convolution blocks, e.g. 8/16/32"),
                RecipeArgument.flag("resume", false, "continue from work/run/last"),
                RecipeArgument.flag("bundle", true, "export and write the two packages (false: train only)"),
                RecipeArgument.flag("overwrite", false, "replace existing packages"));
    }

    static SbrRegressorTraining.Config config(RecipeArguments a) {
        PhantomGenerator gen = PhantomGenerator.parse(a.text("generator"));
        SbrTrainingSet.Settings data = SbrTrainingSet.Settings.defaults(a.integer("phantoms", 2), BASE_SEED).with(gen);
        return new SbrRegressorTraining.Config(data, a.path("work"), a.integer("epochs", 1), a.integer("batch", 1),
                a.longValue("seed"), a.positive("lr"), 0.1, a.integer("threads", 0), a.flag("resume"),
                a.flag("log_input"), filters(a));
    }

    static int[] filters(RecipeArguments a) {
        String t = a.text("filters").trim();
        try {
            int[] f = java.util.Arrays.stream(t.split("/")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (f.length != 3 || java.util.Arrays.stream(f).anyMatch(v -> v < 1)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new DopajException(a.where() + ": argument 'filters' must be three positive integers like 8/16/32,"
                    + " got '" + t + "'");
        }
    }

    @Override
    public List<String> plan(RecipeArguments a) {
        SbrRegressorTraining.Config c = config(a);
        if (a.integer("eval_phantoms", 0) > 0 && a.integer("eval_phantoms", 0) < 3) {
            throw new DopajException(a.where() + ": argument 'eval_phantoms' must be 0 (none) or at least 3, got "
                    + a.integer("eval_phantoms", 0));
        }
        a.integer("calibration_phantoms", 1);
        List<String> steps = new ArrayList<>();
        steps.add(String.format(Locale.ROOT, "crops: %d %s phantoms (seeds from %d), cached in %s", c.data().phantoms(),
                a.text("generator"), BASE_SEED, c.work().resolve("data")));
        steps.add(String.format(Locale.ROOT, "train %s (filters %s, input %s): seed %d, %d epochs, batch %d, lr %s cosine"
                        + " to %s, %d thread(s); checkpoints in %s%s", SbrRegressorTraining.MODEL_NAME, a.text("filters"),
                c.logInput() ? "ln(crop/mean)" : "crop/mean", c.seed(), c.epochs(), c.batchSize(),
                c.lr(), c.lr() / 100, c.threads(), c.work().resolve("run"), c.resume() ? " (resume)" : ""));
        if (a.flag("bundle")) {
            Path models = a.path("models");
            for (String side : List.of("-left", "-right")) {
                Path p = models.resolve(a.text("prefix") + side);
                if (!a.flag("overwrite") && java.nio.file.Files.exists(p)) {
                    throw new DopajException(a.where() + ": model package " + p + " exists (add --force, or overwrite:"
                            + " true, to replace it)");
                }
            }
            steps.add("bundle: " + models.resolve(a.text("prefix") + "-left") + " and " + models.resolve(a.text("prefix")
                    + "-right") + " (applicability from " + a.integer("calibration_phantoms", 1) + " phantoms"
                    + (a.flag("overwrite") ? ", replacing existing packages" : "") + ")");
            if (a.integer("eval_phantoms", 0) > 0) {
                steps.add("evaluate on " + a.integer("eval_phantoms", 0) + " held-out phantoms; figures into the model card");
            }
        }
        return steps;
    }

    /** The phantoms are generated: nothing to find beforehand. */
    @Override
    public void preflight(RecipeArguments a) {
    }

    @Override
    public Map<String, Object> run(RecipeArguments a, Consumer<String> log) {
        plan(a);
        SbrRegressorTraining.Config c = config(a);
        PhantomGenerator gen = PhantomGenerator.parse(a.text("generator"));
        int phantoms = c.data().phantoms();
        int calPhantoms = a.integer("calibration_phantoms", 1);
        int evalPhantoms = a.integer("eval_phantoms", 0);
        long t0 = System.nanoTime();
        TrainingResult r = SbrRegressorTraining.train(c, p -> {
            if (p.kind() != TrainingProgress.Kind.BATCH || p.batch() % 25 == 0) {
                log.accept(p.message());
            }
        }, d -> {
            if (d % 100 == 0 || d == phantoms) {
                log.accept("training crops: " + d + "/" + phantoms + " phantoms");
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("epochs_done", r.history().size());
        res.put("best_epoch", r.bestEpoch());
        res.put("best_validation_loss", r.bestLoss());
        res.put("parameters", r.parameterCount());
        res.put("seconds_this_run", seconds);
        if (a.flag("bundle") && r.bestCheckpoint() != null) {
            Map<String, Object> training = SbrRegressorTraining.trainingRecord(c, r, seconds);
            training.put("generator", gen.label());
            SmwiPhantom.Result test = gen.generate(3.5, 1.5, 7);
            String card = SbrEvaluation.modelCard(training, null);
            List<Map<String, Double>> cal = SbrEvaluation.calibrationStatistics(gen, SbrEvaluation.CALIBRATION_BASE_SEED,
                    calPhantoms, 2, d -> {
                        if (d % 100 == 0) {
                            log.accept("calibration phantoms: " + d + "/" + calPhantoms);
                        }
                    });
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("capability", SbrRegressor.CAPABILITY);
            extra.put("training_data", ModelPackage.TRAINING_PHANTOMS);
            extra.put("version", VERSION);
            extra.put("applicability", SbrEvaluation.applicability(cal, gen, SbrEvaluation.CALIBRATION_BASE_SEED,
                    calPhantoms, new double[]{c.data().sbrMin(), c.data().sbrMax()}).toYaml());
            List<ModelPackage> pk = SbrRegressorTraining.bundle(c.spec(), r.bestCheckpoint(), a.path("models"), a.text("prefix"),
                    test, card, training, extra, a.flag("overwrite"));
            res.put("packages", List.of(pk.get(0).dir().toString(), pk.get(1).dir().toString()));
            if (evalPhantoms > 0) {
                SbrEvaluation.Report rep = SbrEvaluation.run(pk.get(0).dir(), pk.get(1).dir(),
                        SbrEvaluation.Condition.clean(), SbrEvaluation.HELD_OUT_BASE_SEED, evalPhantoms, gen);
                SbrEvaluation.writeCard(pk.get(0).dir(), pk.get(1).dir(), SbrEvaluation.modelCard(training, rep));
                res.put("evaluation", rep.toMap());
            }
        }
        log.accept(String.format(Locale.ROOT, "done in %.0f s", seconds));
        return res;
    }
}
