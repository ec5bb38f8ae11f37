package org.dopaj.dl.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.export.ModelPackager;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Task;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/**
 * Carries out a {@link TrainingPlan} from start to finish: builds the data, trains (resumable, cancellable between
 * batches), exports the best epoch as a SavedModel with Grad-CAM, packages it ({@link ModelPackager}: rdf.yaml,
 * checksums, model card with the measured figures, test tensors) and verifies the package, DJL against TF Java.
 * This is what {@code dopaj train CONFIG} runs; the Fiji command can run the same.
 */
public final class TrainingRun {
    /** Validation/training sets up to this size are generated once and kept in memory. */
    private static final long CACHE_BYTES = 256L << 20;

    private TrainingRun() {
    }

    /**
     * What a run produced.
     *
     * @param pkg             the verified package, or null when the run was cancelled (checkpoints kept)
     * @param djlVsTfJava     per output, max |DJL − TF Java| on the package's test input (empty when cancelled)
     * @param seconds         wall time of the whole run (data, training, export, packaging, verification)
     */
    public record Outcome(TrainingPlan plan, TrainingResult result, ModelPackage pkg, Map<String, Double> djlVsTfJava,
            int trainSamples, int validationSamples, double seconds) {

        /** The JSON summary printed by {@code dopaj train --json}. */
        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", plan.id());
            m.put("status", result.cancelled() ? "cancelled" : "ok");
            m.put("package", pkg == null ? null : pkg.dir().toString());
            m.put("checkpoints", plan.checkpoints().toString());
            m.put("network", plan.networkName());
            m.put("parameters", result.parameterCount());
            m.put("train_samples", trainSamples);
            m.put("validation_samples", validationSamples);
            m.put("epochs_run", result.history().size());
            m.put("resumed_from_epoch", result.resumedFromEpoch());
            m.put("stopped_early", result.stoppedEarly());
            m.put("best_epoch", result.bestEpoch());
            m.put("metric", metricName(plan.task()));
            List<EpochStats> h = result.history();
            if (!h.isEmpty()) {
                m.put("first_epoch", stats(h.get(0)));
                m.put("final_epoch", stats(h.get(h.size() - 1)));
                m.put("best", stats(h.get(result.bestEpoch() - 1)));
            }
            m.put("djl_vs_tf_java_max_abs_diff", djlVsTfJava);
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            return m;
        }

        private static Map<String, Object> stats(EpochStats e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", finite(e.trainLoss()));
            m.put("validation_loss", finite(e.validationLoss()));
            m.put("validation_metric", finite(e.validationMetric()));
            return m;
        }

        private static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /** "accuracy", "mean_absolute_error" or "dice" — what {@link EpochStats#validationMetric()} holds. */
    public static String metricName(Task task) {
        return task instanceof Task.Classification ? "accuracy"
                : task instanceof Task.Regression ? "mean_absolute_error" : "dice";
    }

    /**
     * Runs {@code plan}. {@code trainer} may be cancelled from another thread (Ctrl-C): training then stops between
     * batches, the last finished epoch's checkpoint stays, nothing is exported and {@link Outcome#pkg()} is null.
     */
    public static Outcome execute(TrainingPlan plan, boolean resume, Trainer trainer, TrainingListener listener) {
        long t0 = System.nanoTime();
        ModelSpec spec = plan.modelSpec();
        Dataset[] parts = data(plan);
        Dataset train = parts[0];
        Dataset validation = parts[1];
        TrainingResult result = trainer.train(spec, train, validation, plan.trainingConfig(resume), listener);
        int nVal = validation == null ? 0 : validation.size();
        if (result.cancelled()) {
            return new Outcome(plan, result, null, Map.of(), train.size(), nVal, (System.nanoTime() - t0) / 1e9);
        }
        Path exportDir = plan.checkpoints().resolve("export");
        deleteTree(exportDir);
        ExportedModel exported = ModelExporter.export(spec, result.bestCheckpoint(), exportDir);
        Sample probe = (validation != null ? validation : train).get(0);
        long[] shape = new long[plan.inputShape().length + 1];
        shape[0] = 1;
        System.arraycopy(plan.inputShape(), 0, shape, 1, plan.inputShape().length);
        Map<String, Object> config = new LinkedHashMap<>();
        if (plan.labels() != null) {
            config.put("labels", plan.labels());
        }
        if (plan.voxelSizeMm() != null) {
            config.put("voxel_size_mm", plan.voxelSizeMm());
        }
        config.put("training", Map.of("config", plan.source().getFileName().toString(), "network", plan.networkName(),
                "epochs_run", result.history().size(), "best_epoch", result.bestEpoch(), "seed", plan.seed()));
        ModelPackager.PackageInfo info = new ModelPackager.PackageInfo(plan.id(), plan.name(), plan.description(),
                plan.authors(), plan.license(), modelCard(plan, result, train.size(), nVal), plan.tags(), null, config);
        ModelPackage pkg = ModelPackager.pack(exported, info, Tensor.of(probe.input(), shape), plan.output(), true);
        deleteTree(exportDir);
        ModelPackage verified = ModelPackage.load(pkg.dir());
        Map<String, Double> diff = ModelPackager.compareWithTfJava(verified);
        return new Outcome(plan, result, verified, diff, train.size(), nVal, (System.nanoTime() - t0) / 1e9);
    }

    /** {training, validation (may be null)}. */
    static Dataset[] data(TrainingPlan plan) {
        Dataset train;
        Dataset validation = null;
        if (plan.generated() != null) {
            Params g = plan.generated();
            Dataset all = SampleGenerators.generate(g.text("kind", null), g.integer("n", 0), g.longValue("seed", 1),
                    plan.inputShape(), plan.task(), g);
            if (plan.validationFraction() > 0) {
                Dataset[] parts = all.split(plan.validationFraction(), plan.seed());
                train = parts[0];
                validation = parts[1];
            } else {
                train = all;
            }
        } else {
            CsvDataset.Splits splits = csvSplits(plan);
            train = splits.train();
            validation = splits.validation();
            if (validation == null && plan.validationFraction() > 0) {
                Dataset[] parts = train.split(plan.validationFraction(), plan.seed());
                train = parts[0];
                validation = parts[1];
            }
            return new Dataset[] {train, validation};
        }
        long bytes = 4L * (train.size() + (validation == null ? 0 : validation.size()))
                * java.util.Arrays.stream(plan.inputShape()).reduce(1, (a, b) -> a * b);
        if (bytes <= CACHE_BYTES) {
            train = train.cached();
            validation = validation == null ? null : validation.cached();
        }
        return new Dataset[] {train, validation};
    }

    /** The rows of the plan's CSV, each file read with ImageFiles and laid out [x][y][z][1] (z fastest). */
    static CsvDataset.Splits csvSplits(TrainingPlan plan) {
        long[] s = plan.inputShape();
        if (s.length != 4 || s[3] != 1) {
            throw new DopajException("data.folder: image files fill a 3D input_shape [x, y, z, 1], got "
                    + java.util.Arrays.toString(s));
        }
        TensorSpec spec = TensorSpec.of("input", null, AxisSpec.batch(), AxisSpec.space("x", (int) s[0]),
                AxisSpec.space("y", (int) s[1]), AxisSpec.space("z", (int) s[2]), AxisSpec.channel("intensity"));
        return CsvDataset.load(plan.folder(), plan.csv(), file -> {
            Volume v = ImageFiles.read(file);
            try {
                return TensorLayout.fromVolume(v, spec).data();
            } catch (DopajException e) {
                throw new DopajException(file + ": " + e.getMessage(), e);
            }
        });
    }

    /** README.md of the package: what was trained on what, the measured figures and the command. */
    static String modelCard(TrainingPlan plan, TrainingResult r, int nTrain, int nVal) {
        List<EpochStats> h = r.history();
        EpochStats first = h.get(0);
        EpochStats last = h.get(h.size() - 1);
        EpochStats best = h.get(r.bestEpoch() - 1);
        String metric = metricName(plan.task());
        StringBuilder s = new StringBuilder();
        s.append("# ").append(plan.name()).append("\n\n");
        s.append(plan.description()).append("\n\n");
        s.append("**Research use only — not for diagnosis.**\n\n");
        s.append("## Model\n\n");
        s.append("- network: `").append(plan.networkName()).append("` ").append(plan.network().asMap()).append(", ")
                .append(r.parameterCount()).append(" parameters\n");
        s.append("- input: ").append(java.util.Arrays.toString(plan.inputShape()))
                .append(" (x, y, z, channels; C order, channels last)\n");
        s.append("- task: ").append(plan.task()).append(plan.labels() == null ? "" : ", labels " + plan.labels())
                .append("\n\n");
        s.append("## Training data\n\n");
        s.append("- ").append(plan.dataDescription()).append("\n");
        s.append("- ").append(nTrain).append(" training / ").append(nVal).append(" validation samples")
                .append(plan.generated() != null || plan.validationFraction() > 0
                        ? " (validation fraction " + plan.validationFraction() + ", split seed " + plan.seed() + ")" : "")
                .append("\n\n");
        s.append("## Training and measured figures\n\n");
        s.append(String.format("- %d epochs run (planned %d), batch %d, Adam, learning rate %s, seed %d%s%n",
                h.size(), plan.epochs(), plan.batchSize(), plan.schedule(), plan.seed(),
                r.stoppedEarly() ? ", stopped early (patience " + plan.patience() + ")" : ""));
        s.append(String.format("- training loss %.4f (epoch 1) → %.4f (epoch %d)%n", first.trainLoss(), last.trainLoss(),
                last.epoch()));
        s.append(String.format("- best epoch %d (exported): validation loss %.4f, validation %s %.4f%n", best.epoch(),
                best.validationLoss(), metric, best.validationMetric()));
        s.append("- measured by: `dopaj train ").append(plan.source().getFileName()).append("`\n\n");
        s.append("## Intended use and limits\n\n");
        s.append("Research and method development only. The figures above are on the validation part of the data ")
                .append("named above; they say nothing about other scanners, protocols or populations. ")
                .append("The CAM output shows where the evidence for the explained score lies (Grad-CAM, relative ")
                .append("within each image); it is not a segmentation.\n");
        return s.toString();
    }

    private static void deleteTree(Path dir) {
        try {
            org.dopaj.FileTrees.delete(dir);
        } catch (IOException e) {
            throw new DopajException("cannot remove old export folder " + dir + ": " + e.getMessage());
        }
    }
}
