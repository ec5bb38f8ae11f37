package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingResult;
import org.dopaj.nigrosome.SbrEvaluation;
import org.dopaj.nigrosome.SbrRegressorTraining;
import org.dopaj.nigrosome.SbrTrainingSet;
import org.dopaj.nigrosome.SmwiPhantom;
import org.dopaj.nigrosome.PhantomGenerator;
import org.dopaj.nigrosome.SbrRegressor;

/**
 * {@code dopaj nigrosome-train}: the committed, reproducible command that made the bundled nigrosome SBR regressor
 * ({@code models/nigrosome-vgg3d-left|right}): generates the phantom training crops (cached), trains with a fixed
 * seed (resumable from the last finished epoch), exports with Grad-CAM, bundles both packages, then evaluates them on
 * held-out phantoms and writes the figures into the model card. See docs/validation/nigrosome.md.
 */
final class NigrosomeTrainCli implements CliCommand {
    static final int PHANTOMS = 1200;
    static final long BASE_SEED = 1_000_000L;
    static final int EPOCHS = 10;
    /** Version written into the packages (2: physics phantoms, applicability bounds). */
    static final String VERSION = "2.0";

    @Override
    public String name() {
        return "nigrosome-train";
    }

    @Override
    public String usage() {
        return "nigrosome-train [--work DIR] [--models DIR] [--prefix ID] [--phantoms N] [--epochs N] [--batch N]"
                + " [--seed N] [--lr X] [--threads N] [--eval-phantoms N] [--generator physics|box] [--calibration-phantoms N]"
                + " [--resume] [--no-bundle] [--force|--overwrite]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("work", "models", "prefix", "phantoms", "epochs", "batch", "seed", "lr",
                "threads", "eval-phantoms", "generator", "calibration-phantoms"), Set.of("resume", "no-bundle", "overwrite", "force"));
        CliSupport.maxPositionals(a, 0, usage());
        Path work = Path.of(a.option("work", "runs/nigrosome-vgg3d"));
        Path models = Path.of(a.option("models", "models"));
        String prefix = a.option("prefix", "nigrosome-vgg3d");
        int phantoms = a.integer("phantoms", PHANTOMS);
        PhantomGenerator gen = PhantomGenerator.parse(a.option("generator", "physics"));
        SbrTrainingSet.Settings data = SbrTrainingSet.Settings.defaults(phantoms, BASE_SEED).with(gen);
        int calPhantoms = a.integer("calibration-phantoms", 500);
        double lr = a.number("lr", 1e-3);
        if (!(lr > 0)) {
            throw new DopajException("option --lr must be > 0, got " + a.option("lr"));
        }
        SbrRegressorTraining.Config c = new SbrRegressorTraining.Config(data, work, a.integer("epochs", EPOCHS),
                a.integer("batch", 8), CliSupport.longOption(a, "seed", 42), lr, 0.1, a.integer("threads", 2),
                a.flag("resume"));
        int evalPhantoms = a.integer("eval-phantoms", 200);
        long t0 = System.nanoTime();
        TrainingResult r = SbrRegressorTraining.train(c, p -> {
            if (p.kind() != TrainingProgress.Kind.BATCH || p.batch() % 25 == 0) {
                err.println(p.message());
            }
        }, d -> {
            if (d % 100 == 0 || d == phantoms) {
                err.println("training crops: " + d + "/" + phantoms + " phantoms");
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("epochs_done", r.history().size());
        res.put("best_epoch", r.bestEpoch());
        res.put("best_validation_loss", r.bestLoss());
        res.put("parameters", r.parameterCount());
        res.put("seconds_this_run", seconds);
        if (!a.flag("no-bundle") && r.bestCheckpoint() != null) {
            Map<String, Object> training = SbrRegressorTraining.trainingRecord(c, r, seconds);
            training.put("generator", gen.label());
            SmwiPhantom.Result test = gen.generate(3.5, 1.5, 7);
            String card = SbrEvaluation.modelCard(training, null);
            List<Map<String, Double>> cal = SbrEvaluation.calibrationStatistics(gen, SbrEvaluation.CALIBRATION_BASE_SEED,
                    calPhantoms, 2, d -> {
                        if (d % 100 == 0) {
                            err.println("calibration phantoms: " + d + "/" + calPhantoms);
                        }
                    });
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("capability", SbrRegressor.CAPABILITY);
            extra.put("training_data", ModelPackage.TRAINING_PHANTOMS);
            extra.put("version", VERSION);
            extra.put("applicability", SbrEvaluation.applicability(cal, gen, SbrEvaluation.CALIBRATION_BASE_SEED,
                    calPhantoms, new double[]{data.sbrMin(), data.sbrMax()}).toYaml());
            List<ModelPackage> pk = SbrRegressorTraining.bundle(r.bestCheckpoint(), models, prefix, test, card, training,
                    extra, a.flag("overwrite") || a.flag("force")); // --force, as everywhere else, or --overwrite
            res.put("packages", List.of(pk.get(0).dir().toString(), pk.get(1).dir().toString()));
            if (evalPhantoms > 0) {
                SbrEvaluation.Report rep = SbrEvaluation.run(pk.get(0).dir(), pk.get(1).dir(),
                        SbrEvaluation.Condition.clean(), SbrEvaluation.HELD_OUT_BASE_SEED, evalPhantoms, gen);
                SbrEvaluation.writeCard(pk.get(0).dir(), pk.get(1).dir(), SbrEvaluation.modelCard(training, rep));
                res.put("evaluation", rep.toMap());
            }
        }
        err.println(String.format(Locale.ROOT, "done in %.0f s", seconds));
        CliSupport.printJson(out, res);
        return 0;
    }
}
