package org.dopaj.nigrosome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingListener;
import org.dopaj.dl.train.TrainingResult;

/**
 * Trains DopaJ's own nigrosome-1 → SBR regressor on synthetic SMWI phantoms and bundles it as two model packages
 * ({@code nigrosome-vgg3d-left} holding the SavedModel, {@code nigrosome-vgg3d-right} pointing at the same weights
 * and declaring the mirror), so {@link SbrRegressor} runs it exactly as it runs the published per-side pair.
 *
 * <p>Architecture: the paper's VGG-style 3D CNN (Bae et al. 2023) — three blocks of two 3×3×3 convolutions (here
 * with batch norm and ReLU) and a 2×2×2 max-pool between blocks, then dense layers (global average pooling, one
 * hidden dense layer of 32 units, one output), L2 (mean squared error) loss, Adam. Filters {8, 16, 32} instead of
 * the paper's wider blocks so it trains in minutes on two shared CPU cores; the learning rate is larger than the
 * paper's 1e-4 (cosine from 1e-3 to 1e-5) because the budget is a few epochs, not hundreds.
 *
 * <p>One network for both sides: the right crop is mirrored along x (left–right) so it looks like a left one. The
 * phantom anatomy is mirror-symmetric in distribution, so this doubles the examples per phantom, halves training
 * time, and makes left and right predictions consistent by construction. Each crop's target is its own side's SBR
 * (the phantom ties each nigrosome's contrast to that side's SBR only).
 */
public final class SbrRegressorTraining {
    /** Block filters of the bundled network. */
    public static final int[] FILTERS = {8, 16, 32};
    /** Hidden dense units. */
    public static final int HIDDEN = 32;
    /** Dropout before the dense layers (training only). */
    public static final float DROPOUT = 0.1f;
    /** Name of the network (checkpoints are tied to it). */
    public static final String MODEL_NAME = "nigrosome-vgg3d";
    /** Input tensor name of the exported SavedModel. */
    public static final String INPUT = "input";
    /** Floor of the log-input step (mean-divided crops are ≥ 0; SMWI voxels near 0 are veins). */
    public static final float LOG_FLOOR = 0.01f;

    private SbrRegressorTraining() {
    }

    /**
     * Settings of one training run.
     *
     * @param data        training-set settings (phantoms, seeds, SBR range, jitter)
     * @param work        folder for the cached training set ({@code work/data}) and checkpoints ({@code work/run})
     * @param epochs      planned epochs
     * @param batchSize   samples per step
     * @param seed        weights, shuffling and dropout seed
     * @param lr          initial learning rate (cosine decay to lr/100)
     * @param validation  fraction of phantoms (the last ones) kept for validation
     * @param threads     TensorFlow CPU threads (0 = all)
     * @param resume      continue from {@code work/run/last}
     * @param logInput    the network takes ln of the mean-divided crop ({@link #spec(boolean, int[])})
     * @param filters     block filters
     */
    public record Config(SbrTrainingSet.Settings data, Path work, int epochs, int batchSize, long seed, double lr,
                         double validation, int threads, boolean resume, boolean logInput, int[] filters) {
        public Config {
            if (filters == null || filters.length == 0) {
                throw new DopajException("nigrosome network: at least one block of filters needed");
            }
            filters = filters.clone();
        }

        /** The first bundled network (raw mean-divided input, filters {@link #FILTERS}). */
        public Config(SbrTrainingSet.Settings data, Path work, int epochs, int batchSize, long seed, double lr,
                      double validation, int threads, boolean resume) {
            this(data, work, epochs, batchSize, seed, lr, validation, threads, resume, false, FILTERS);
        }

        /** The network these settings train. */
        public ModelSpec spec() {
            return SbrRegressorTraining.spec(logInput, filters);
        }
    }

    /** The network definition (also used by tests and the benchmark). */
    public static ModelSpec spec() {
        return spec(false);
    }

    /**
     * The network definition; with {@code logInput} the graph's first step is ln(max(x, {@link #LOG_FLOOR})) of the
     * mean-divided crop, so intensity ratios (nigrosome / nigra, nigra / tegmentum) reach the first convolution as
     * differences. The step is inside the graph: the package's preprocessing stays {@code divide_by_mean}.
     */
    public static ModelSpec spec(boolean logInput) {
        return spec(logInput, FILTERS);
    }

    /** The same with other block filters. */
    public static ModelSpec spec(boolean logInput, int[] filters) {
        int[] s = new NigrosomeCropper().size();
        Network vgg = Networks.vgg3d(filters, 2, DROPOUT, HIDDEN, 1);
        Network net = !logInput ? vgg : (b, x) -> vgg.build(b, b.ops().math.log(b.ops().math.maximum(x,
                b.ops().constant(LOG_FLOOR))));
        return new ModelSpec(MODEL_NAME, new long[]{s[0], s[1], s[2], 1}, new Task.Regression(1, 0), net);
    }

    /** Generates (or reuses) the training set, then trains; checkpoints under {@code work/run}. */
    public static TrainingResult train(Config c, TrainingListener listener, java.util.function.IntConsumer dataProgress) {
        SbrTrainingSet set = SbrTrainingSet.openOrGenerate(c.work().resolve("data"), c.data(), dataProgress);
        int phantoms = c.data().phantoms();
        int val = (int) Math.round(c.validation() * phantoms);
        if (val < 1 || val >= phantoms) {
            throw new DopajException("validation fraction " + c.validation() + " leaves no training or validation phantoms"
                    + " out of " + phantoms);
        }
        Dataset all = set.dataset();
        Dataset train = all.subset(SbrTrainingSet.phantomRange(0, phantoms - val));
        Dataset validation = all.subset(SbrTrainingSet.phantomRange(phantoms - val, phantoms));
        TrainingConfig cfg = TrainingConfig.defaults(c.work().resolve("run")).withEpochs(c.epochs())
                .withBatchSize(c.batchSize()).withSeed(c.seed())
                .withSchedule(new LearningRateSchedule.Cosine(c.lr(), c.lr() / 100)).withThreads(c.threads())
                .withResume(c.resume());
        return new Trainer().train(c.spec(), train, validation, cfg, listener);
    }

    /**
     * Exports the checkpoint and writes {@code models/<prefix>-left} (with the SavedModel) and {@code <prefix>-right}
     * (same weights via {@code external_source}, right crops mirrored along x). {@code testImage} and its centroids
     * give each package's test input (raw crop); {@code card} is the model card text for both.
     */
    public static List<ModelPackage> bundle(Path checkpoint, Path modelsDir, String prefix, SmwiPhantom.Result test,
                                            String card, Map<String, Object> training, boolean overwrite) {
        return bundle(checkpoint, modelsDir, prefix, test, card, training, Map.of(), overwrite);
    }

    /**
     * The same with {@code extra} entries of {@code config.dopaj} (e.g. {@code applicability}, {@code training_data},
     * {@code capability}, {@code version}).
     */
    public static List<ModelPackage> bundle(Path checkpoint, Path modelsDir, String prefix, SmwiPhantom.Result test,
                                            String card, Map<String, Object> training, Map<String, Object> extra,
                                            boolean overwrite) {
        return bundle(spec(), checkpoint, modelsDir, prefix, test, card, training, extra, overwrite);
    }

    /** The same for the network {@code spec} (that of the run's {@link Config#spec()}). */
    public static List<ModelPackage> bundle(ModelSpec spec, Path checkpoint, Path modelsDir, String prefix,
                                            SmwiPhantom.Result test, String card, Map<String, Object> training,
                                            Map<String, Object> extra, boolean overwrite) {
        Path export = modelsDir.resolve("." + prefix + "-export");
        try {
            deleteTree(export);
            ExportedModel em = ModelExporter.export(spec, checkpoint, export);
            NigrosomeCropper cropper = new NigrosomeCropper();
            int[] s = cropper.size();
            TensorSpec in = TensorSpec.of(INPUT, "SMWI nigrosome-1 crop, raw intensities (divided by its mean first)",
                    AxisSpec.batch(), AxisSpec.space("x", s[0]), AxisSpec.space("y", s[1]), AxisSpec.space("z", s[2]),
                    AxisSpec.channel("smwi"));
            TensorSpec pred = TensorSpec.of("prediction", "that side's striatal DaT SBR (network output × "
                    + SbrTrainingSet.TARGET_SCALE + ")", AxisSpec.batch(), AxisSpec.channel("sbr"));
            TensorSpec cam = TensorSpec.of(ModelExporter.CAM, "Grad-CAM of the prediction, 0–1 per crop, in the"
                    + " network's input frame (mirrored for the right side)", AxisSpec.batch(), AxisSpec.space("x", s[0]),
                    AxisSpec.space("y", s[1]), AxisSpec.space("z", s[2]), AxisSpec.channel("cam"));
            List<NigrosomeCrop> crops = cropper.crop(test.smwi(), test.nigrosomes());
            ModelPackage left = null;
            ModelPackage right = null;
            for (Side side : Side.values()) {
                Map<String, Object> cfg = new LinkedHashMap<>();
                cfg.put("task", "regression");
                // explicit puts: Map.of has no stable iteration order, and the rdf must come out the same on every run
                Map<String, Object> outs = new LinkedHashMap<>();
                outs.put("prediction", "prediction");
                outs.put("cam", ModelExporter.CAM);
                cfg.put("outputs", outs);
                cfg.put("output_scale", SbrTrainingSet.TARGET_SCALE);
                cfg.put("voxel_size_mm", List.of(cropper.voxelMm()[0], cropper.voxelMm()[1], cropper.voxelMm()[2]));
                Object steps = side == Side.LEFT ? List.of("divide_by_mean")
                        : List.of("divide_by_mean", new LinkedHashMap<>(Map.of("flip_axis", "x")));
                cfg.put("preprocessing", new LinkedHashMap<>(Map.of(INPUT, steps)));
                cfg.put("side", side.label());
                int[] ci = cropper.centreIndex();
                Map<String, Object> crop = new LinkedHashMap<>();
                crop.put("size", List.of(s[0], s[1], s[2]));
                crop.put("centroid_index", List.of(ci[0], ci[1], ci[2]));
                crop.put("padding", "crop_mean");
                cfg.put("crop", crop);
                cfg.put("shared_network", "one network for both sides; right crops mirrored along x (left-right)");
                cfg.put("training", training);
                cfg.putAll(extra);
                String id = prefix + "-" + side.label();
                Tensor testIn = TensorLayout.fromVolume(crops.get(side.ordinal()).volume(), in);
                ModelPackageWriter w = new ModelPackageWriter(modelsDir.resolve(id)).id(id)
                        .name("Nigrosome-1 SMWI crop → striatal DaT SBR, 3D VGG regressor (" + side.label()
                                + "), trained on DopaJ phantoms")
                        .description("VGG-style 3D CNN (Bae et al. 2023 architecture, smaller filters) predicting the "
                                + side.label() + " striatal SBR from a 50×50×20 crop (0.5×0.5×1 mm) around the "
                                + side.label() + " nigrosome-1 centroid. Trained only on DopaJ's synthetic SMWI phantoms ("
                                + training.getOrDefault("generator", "box") + " generator), no patient data: for"
                                + " testing the pipeline and for comparison, not for clinical SBR estimates."
                                + " Research use only, not for diagnosis.")
                        .author("DopaJ contributors").license("MIT")
                        .tags(List.of("smwi", "nigrosome", "dat-spect", "sbr", "regression", "synthetic-training-data"))
                        .modelCard(card)
                        .input(in, testIn).output(pred, null).output(cam, null).config(cfg).overwrite(overwrite);
                if (side == Side.LEFT) {
                    left = w.savedModel(em.folder()).write();
                } else {
                    right = w.externalSource("../" + prefix + "-left/saved_model", left.savedModelDir(),
                            "saved_model of " + prefix + "-left (same weights)").write();
                }
            }
            return List.of(left, right);
        } finally {
            deleteTree(export);
        }
    }

    /** Training details recorded in each package's {@code config.dopaj.training}. */
    public static Map<String, Object> trainingRecord(Config c, TrainingResult r, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", "DopaJ synthetic SMWI phantoms (org.dopaj.nigrosome." + (c.data().generator() == PhantomGenerator.BOX
                ? "SmwiPhantom" : "SmwiPhysicsPhantom") + "), no patient data");
        m.put("generator", c.data().generator().label());
        m.put("phantoms", c.data().phantoms());
        m.put("phantom_seeds", (c.data().baseSeed()) + ".." + (c.data().baseSeed() + c.data().phantoms() - 1));
        m.put("sbr_range", List.of(c.data().sbrMin(), c.data().sbrMax()));
        m.put("jitter_voxels", List.of(c.data().jitterInPlane(), c.data().jitterInPlane(), c.data().jitterThroughPlane()));
        m.put("validation_fraction", c.validation());
        m.put("epochs_done", r.history().size());
        m.put("best_epoch", r.bestEpoch());
        m.put("best_validation_mse", r.bestLoss());
        m.put("batch_size", c.batchSize());
        m.put("seed", c.seed());
        m.put("optimizer", String.format(Locale.ROOT, "Adam, cosine %.0e → %.0e", c.lr(), c.lr() / 100));
        m.put("loss", "mean squared error on SBR / " + SbrTrainingSet.TARGET_SCALE);
        m.put("network_input", c.logInput() ? "ln(max(crop / mean, " + LOG_FLOOR + ")) (inside the graph)"
                : "crop / mean");
        m.put("filters", java.util.Arrays.stream(c.filters()).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining("/")));
        m.put("parameters", r.parameterCount());
        m.put("training_seconds", Math.round(seconds));
        return m;
    }

    static void deleteTree(Path p) {
        try {
            org.dopaj.FileTrees.delete(p);
        } catch (IOException e) {
            throw new DopajException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
