package org.dopaj.brainmask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Sample;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingResult;

/**
 * The committed, reproducible training of the bundled brain-mask model: synthetic slices from the MNI152 and
 * ICBM 2009a tissue maps ({@link BrainSynthesis}), {@link BrainMaskModel#spec()}, Adam with a cosine learning
 * rate, checkpoints with resume; then export and packaging as {@code models/brainmask-deeplabv3plus/}.
 *
 * <pre>
 * java -cp target/classes:$(cat cp.txt) org.dopaj.brainmask.TrainBrainMask train --shared ../shared/data \
 *      --run runs/brainmask --seed 1 --epochs 12 --samples 1600 --threads 2 [--resume]
 * java ... org.dopaj.brainmask.TrainBrainMask package --shared ../shared/data --run runs/brainmask \
 *      --out models/brainmask-deeplabv3plus --card docs/brainmask-model-card.md
 * </pre>
 * Every training epoch sees new images: the training set's index only fixes the count, and the augmentation
 * draws a fresh synthesis from the generator the trainer seeds with (seed, epoch, sample). Validation is a fixed
 * set of 96 synthetic slices (seed + 1,000,000).
 */
public final class TrainBrainMask {
    private TrainBrainMask() {
    }

    /** Training settings (the defaults are those of the bundled model). */
    public record Settings(Path shared, Path run, long seed, int epochs, int samples, int batch, int threads,
            boolean resume, BrainMaskModel.Plane plane) {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TrainBrainMask train|package --shared DIR --run DIR [--seed N --epochs N "
                    + "--samples N --batch N --threads N --resume --plane sagittal|coronal|axial] [--out DIR --card FILE]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--resume")) {
                o.put("resume", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                throw new DopajException("unknown argument: " + args[i]);
            }
        }
        Settings s = new Settings(Path.of(o.getOrDefault("shared", "../shared/data")),
                Path.of(o.getOrDefault("run", "runs/brainmask")), Long.parseLong(o.getOrDefault("seed", "1")),
                Integer.parseInt(o.getOrDefault("epochs", "12")), Integer.parseInt(o.getOrDefault("samples", "1600")),
                Integer.parseInt(o.getOrDefault("batch", "8")), Integer.parseInt(o.getOrDefault("threads", "2")),
                o.containsKey("resume"), BrainMaskModel.Plane.valueOf(o.getOrDefault("plane", "sagittal")
                        .toUpperCase(Locale.ROOT)));
        if (args[0].equals("train")) {
            train(s);
        } else if (args[0].equals("package")) {
            packageModel(s, Path.of(o.getOrDefault("out", "models/" + BrainMaskModel.ID)),
                    Path.of(o.getOrDefault("card", "docs/brainmask-model-card.md")));
        } else {
            throw new DopajException("unknown action: " + args[0] + " (train or package)");
        }
    }

    /**
     * The synthesis used for the bundled model: the MNI152 maps, and in 30 % of the slices the ICBM 2009a brain in
     * the MNI head — two brain shapes, one mask convention ({@link TissueMaps#tissueBrain}). (The first bundled
     * model learnt FSL's MNI152 template mask, which is about 15 % larger than the brain's own surface; on a real
     * individual head, Colin 27, it overshot BET's mask by 5–6 mm all round — see docs/validation/brain-mask.md.)
     */
    public static BrainSynthesis synthesis(Path shared) {
        return synthesis(shared, BrainMaskModel.Plane.SAGITTAL);
    }

    /** The same synthesis for slices of {@code plane}. */
    public static BrainSynthesis synthesis(Path shared, BrainMaskModel.Plane plane) {
        TissueMaps mni = TissueMaps.mni152(shared);
        return new BrainSynthesis(List.of(mni, TissueMaps.icbmComposite(shared, mni)), plane);
    }

    /** Trains; checkpoints under {@code run/}; progress lines on stdout. */
    public static TrainingResult train(Settings s) {
        BrainSynthesis synth = synthesis(s.shared(), s.plane());
        // The training set is made entirely by the augmentation (a fresh synthesis per epoch and sample), so the
        // data set itself only fixes the count and hands out one shared empty sample.
        Sample none = new Sample(new float[0], new float[0]);
        Dataset train = Dataset.generated(s.samples(), i -> none);
        Dataset validation = Dataset.generated(96, i -> synth.sample(s.seed() + 1_000_000L, i)).cached();
        TrainingConfig cfg = TrainingConfig.defaults(s.run()).withEpochs(s.epochs()).withBatchSize(s.batch())
                .withSeed(s.seed()).withSchedule(new LearningRateSchedule.Cosine(3e-3, 1e-4)).withThreads(s.threads())
                .withResume(s.resume()).withAugmentation((sample, rng) -> synth.sample(rng));
        long t0 = System.nanoTime();
        TrainingResult r = new Trainer().train(BrainMaskModel.spec(), train, validation, cfg, p -> {
            if (p.kind() != org.dopaj.dl.train.TrainingProgress.Kind.BATCH || p.batch() % 20 == 0) {
                System.out.println(p.message());
            }
        });
        System.out.printf(Locale.ROOT, "training done in %.1f min; best epoch %d, best validation loss %.4f%n",
                (System.nanoTime() - t0) / 6e10, r.bestEpoch(), r.bestLoss());
        r.history().forEach(e -> System.out.printf(Locale.ROOT,
                "epoch %d train loss %.4f val loss %.4f val Dice %.4f (%.0f s)%n", e.epoch(), e.trainLoss(),
                e.validationLoss(), e.validationMetric(), e.seconds()));
        return r;
    }

    /** Exports the best checkpoint of {@code run/} and writes the model package with the card. */
    public static ModelPackage packageModel(Settings s, Path out, Path card) {
        Path best = s.run().resolve("best");
        if (!Files.isDirectory(best)) {
            throw new DopajException("no best checkpoint under " + s.run() + ": train first");
        }
        String markdown;
        try {
            markdown = Files.readString(card, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model card " + card, e);
        }
        Path export = s.run().resolve("export");
        deleteTree(export);
        ExportedModel m = ModelExporter.export(BrainMaskModel.spec(), best, export);
        System.out.println(m);
        // Test tensor: one synthetic T1-like slice through the brain.
        float[] test = BrainSynthesis.testSlice(synthesis(s.shared(), s.plane()), new Random(7));
        int n = BrainMaskModel.SIZE;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("task", "segmentation");
        cfg.put("outputs", Map.of("prediction", "probabilities"));
        cfg.put("labels", List.of("non-brain", "brain"));
        cfg.put("voxel_size_mm", List.of(BrainMaskModel.VOXEL_MM, BrainMaskModel.VOXEL_MM, BrainMaskModel.VOXEL_MM));
        String plane = s.plane().name().toLowerCase(Locale.ROOT);
        cfg.put("slice_plane", s.plane().description());
        cfg.put("threshold", BrainMaskModel.THRESHOLD);
        cfg.put("mask_convention", "brain surface: grey + white matter > 0.5, closed with a 4 mm ball, holes filled"
                + " (org.dopaj.brainmask.TissueMaps.tissueBrain)");
        cfg.put("intensity_normalisation", "divide by the 97.5th percentile of head voxels (see BrainMasker)");
        cfg.put("training_command", "org.dopaj.brainmask.TrainBrainMask train --plane " + plane + " --seed " + s.seed()
                + " --epochs "
                + s.epochs() + " --samples " + s.samples() + " --batch " + s.batch());
        ModelPackage p = new ModelPackageWriter(out).id(s.plane().modelId())
                .name("Brain mask, DeepLabv3+-style 2D (" + plane + ", 2 mm), trained on synthetic images")
                .description("Brain extraction from head MRI of any contrast: 128x128 " + plane + " slices at 2 mm, "
                        + "trained SynthStrip-style on images synthesised from MNI152/ICBM 2009a tissue maps. "
                        + "Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("mri", "brain-extraction", "segmentation", "deeplabv3plus"))
                .modelCard(markdown).savedModel(export)
                .input(TensorSpec.of("input", plane + " slices, normalised intensities", AxisSpec.batch(),
                        AxisSpec.space("y", n), AxisSpec.space("x", n), AxisSpec.channel("mri")),
                        Tensor.of(test, 1, n, n, 1))
                .output(TensorSpec.of("probabilities", "per-pixel class probabilities", AxisSpec.batch(),
                        AxisSpec.space("y", n), AxisSpec.space("x", n), AxisSpec.channel("non-brain", "brain")), null)
                .config(cfg).overwrite(true).write();
        System.out.println("wrote " + p);
        return p;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
