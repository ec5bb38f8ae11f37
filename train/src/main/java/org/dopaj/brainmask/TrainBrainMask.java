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
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;

/**
 * The committed, reproducible training of the bundled brain-mask model: synthetic 2.5D samples
 * ({@link HeadSynthesis}) from the tissue maps of {@link #TRAINING_HEADS}, {@link BrainMaskModel#spec()}, Adam with
 * a cosine learning rate, checkpoints after every epoch with resume; then export and packaging as
 * {@code models/brainmask-deeplabv3plus/}.
 *
 * <p>Run through the training recipe {@code brain-mask} ({@link org.dopaj.train.BrainMaskRecipe}):
 * {@code dopaj train models/brainmask-deeplabv3plus/train.yaml} trains and packages (seed 11, 10 epochs x 1600 samples,
 * batch 8, one thread); {@code --action calibrate} sweeps the thresholds, {@code --action preview} writes samples.
 * Every training epoch sees new images: the training set's index only fixes the count, and the augmentation
 * draws a fresh synthesis from the generator the trainer seeds with (seed, epoch, sample). Validation is a fixed
 * set of 64 synthetic samples (seed + 1,000,000).
 */
public final class TrainBrainMask {
    private TrainBrainMask() {
    }

    /**
     * The anatomies the bundled model learns from, with their drawing weights: the MNI152 head (FAST maps, FSL's
     * intracranial mask), the ICBM 2009a brain in the MNI head, and the real brainchop head (face and neck in
     * view, intracranial silver mask). Held out of training, for the validation on real heads: Colin 27, the
     * niivue T1 head and the niivue skull-stripped FLAIR.
     */
    public static final List<String> TRAINING_HEADS = List.of("mni152", "icbm2009a-in-mni152", "brainchop_t1_crop");
    static final double[] WEIGHTS = {0.35, 0.25, 0.40};
    /** Real T1 head and its intracranial silver mask, relative to the shared data folder. */
    public static final String BRAINCHOP_T1 = "realheads/brainchop_t1_crop.nii.gz";
    public static final String BRAINCHOP_MASK = "realheads/brainchop_t1_crop_silvermask_DERIVED.nii.gz";

    /** Training settings (the defaults are those of the bundled model). */
    public record Settings(Path shared, Path run, long seed, int epochs, int samples, int batch, int threads,
            boolean resume) {
    }

    /** The synthesis of the bundled model: {@link #TRAINING_HEADS} with {@link #WEIGHTS}. */
    public static HeadSynthesis synthesis(Path shared) {
        TissueMaps mni = TissueMaps.mni152(shared);
        TissueMaps icbm = TissueMaps.icbmComposite(shared, mni);
        TissueMaps chop = TissueMaps.realHead(shared.resolve(BRAINCHOP_T1), shared.resolve(BRAINCHOP_MASK));
        return new HeadSynthesis(List.of(mni, icbm, chop), WEIGHTS);
    }

    /** Trains; checkpoints under {@code run/}; progress lines on stdout. */
    public static TrainingResult train(Settings s) {
        HeadSynthesis synth = synthesis(s.shared());
        // The training set is made entirely by the augmentation (a fresh synthesis per epoch and sample), so the
        // data set itself only fixes the count and hands out one shared empty sample.
        Sample none = new Sample(new float[0], new float[0]);
        Dataset train = Dataset.generated(s.samples(), i -> none);
        Dataset validation = Dataset.generated(64, i -> synth.sample(s.seed() + 1_000_000L, i)).cached();
        TrainingConfig cfg = TrainingConfig.defaults(s.run()).withEpochs(s.epochs()).withBatchSize(s.batch())
                .withSeed(s.seed()).withSchedule(new LearningRateSchedule.Cosine(3e-3, 1e-4)).withThreads(s.threads())
                .withResume(s.resume()).withAugmentation((sample, rng) -> synth.sample(rng));
        long t0 = System.nanoTime();
        TrainingResult r = new Trainer().train(BrainMaskNetwork.spec(), train, validation, cfg, p -> {
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

    /**
     * The threshold sweep behind {@link BrainMaskModel#INTRACRANIAL_THRESHOLD} and {@link BrainMaskModel#THRESHOLD},
     * on training anatomy only: the brainchop head against its intracranial silver mask (intracranial), the MNI152
     * head against its tissue brain (brain). Prints Dice and volume per threshold.
     */
    public static void calibrate(Path shared, Path model) {
        Volume chop = Nifti.readVolume(shared.resolve(BRAINCHOP_T1));
        Volume silver = BrainMaskEvaluation.binary(Nifti.readVolume(shared.resolve(BRAINCHOP_MASK)));
        Volume mni = Nifti.readVolume(shared.resolve(TissueMaps.MNI_HEAD));
        Volume mniBrain = BrainMaskEvaluation.mniTissueBrain(shared);
        try (BrainMasker m = BrainMasker.open(model, org.dopaj.dl.runtime.ComputeDevice.CPU)) {
            m.rawIntracranial(true); // the threshold is chosen on P(brain) + P(CSF shell) itself
            sweep("brainchop (trained on) vs intracranial silver, intracranial (raw P(brain) + P(CSF shell))", m.run(chop, 0, 0,
                    BrainMaskModel.Convention.INTRACRANIAL).probability(), silver);
            sweep("MNI152 2 mm (trained on) vs tissue brain, brain", m.run(mni, 0, 0, BrainMaskModel.Convention.BRAIN)
                    .probability(), mniBrain);
        }
    }

    private static void sweep(String what, Volume p, Volume ref) {
        System.out.println(what);
        for (double t = 0.5; t < 0.96; t += 0.05) {
            Volume mask = BrainMasker.postProcess(p, t, 0);
            org.dopaj.dl.metrics.Overlap.Result o = org.dopaj.dl.metrics.Overlap.compare(mask, ref);
            System.out.printf(Locale.ROOT, "  threshold %.2f: Dice %.4f, %.0f mL (reference %.0f mL)%n", t, o.dice(),
                    o.predictedVoxels() * ref.grid().voxelVolumeMm3() / 1000,
                    o.referenceVoxels() * ref.grid().voxelVolumeMm3() / 1000);
        }
    }

    /** Writes {@code n} synthetic samples as PGM strips (5 channels, then the target) for inspection. */
    public static void preview(Settings s, Path out, int n) {
        HeadSynthesis synth = synthesis(s.shared());
        try {
            Files.createDirectories(out);
            long t0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
                Sample sm = synth.sample(s.seed(), k);
                int S = BrainMaskModel.SIZE;
                int C = BrainMaskModel.CHANNELS;
                int w = S * (C + 1);
                byte[] px = new byte[w * S];
                for (int r = 0; r < S; r++) {
                    for (int c = 0; c < S; c++) {
                        for (int ch = 0; ch < C; ch++) {
                            float v = sm.input()[(r * S + c) * C + ch];
                            px[(S - 1 - r) * w + ch * S + c] = (byte) Math.min(255, Math.round(v * 170));
                        }
                        px[(S - 1 - r) * w + C * S + c] = (byte) Math.round(sm.target()[r * S + c] * 120);
                    }
                }
                byte[] head = ("P5\n" + w + " " + S + "\n255\n").getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[head.length + px.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(px, 0, all, head.length, px.length);
                Files.write(out.resolve(String.format(Locale.ROOT, "sample%02d.pgm", k)), all);
            }
            System.out.printf(Locale.ROOT, "%d samples in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        ExportedModel m = ModelExporter.export(BrainMaskNetwork.spec(), best, export);
        System.out.println(m);
        // Test tensor: one synthetic sample through the brain.
        float[] test = synthesis(s.shared()).testSample(new Random(7)).input();
        int n = BrainMaskModel.SIZE;
        int c = BrainMaskModel.CHANNELS;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("task", "segmentation");
        cfg.put("outputs", Map.of("prediction", "probabilities"));
        cfg.put("labels", List.of("outside the skull", "intracranial CSF shell (not brain)", "brain"));
        cfg.put("conventions", Map.of("brain", "P(brain)", "intracranial", "P(brain) + P(intracranial CSF shell)"));
        cfg.put("voxel_size_mm", List.of(BrainMaskModel.VOXEL_MM, BrainMaskModel.VOXEL_MM, BrainMaskModel.VOXEL_MM));
        cfg.put("input_layout", "2.5D: 128x128 slices of the 2 mm RAS working cube, 5 neighbouring slices as channels;"
                + " one network for the sagittal, coronal and axial planes, probabilities averaged");
        cfg.put("threshold", Map.of("brain", BrainMaskModel.THRESHOLD, "intracranial",
                BrainMaskModel.INTRACRANIAL_THRESHOLD));
        cfg.put("mask_convention", "brain: grey + white matter > 0.5, closed with a 4 mm ball, holes filled"
                + " (org.dopaj.brainmask.TissueMaps.tissueBrain); intracranial: brain + CSF to the inner skull");
        cfg.put("training_heads", TRAINING_HEADS);
        cfg.put("held_out_heads", List.of("colin27 (ch2)", "niivue_otsu_t1", "niivue_flair_skullstripped"));
        cfg.put("intensity_normalisation", "divide by the 97.5th percentile of head voxels (see BrainMasker)");
        cfg.put("training_command", "dopaj train models/" + BrainMaskModel.ID + "/train.yaml (recipe brain-mask: seed "
                + s.seed() + ", epochs " + s.epochs() + ", samples " + s.samples() + ", batch " + s.batch() + ")");
        ModelPackage p = new ModelPackageWriter(out).id(BrainMaskModel.ID)
                .name("Brain mask, DeepLabv3+ 2.5D (three planes, 2 mm), brain and intracranial conventions")
                .description("Brain extraction from head MRI of any contrast: 128x128 slices of a 2 mm cube with 5 "
                        + "neighbouring slices as channels, all three planes, trained SynthStrip-style on images "
                        + "synthesised from MNI152, ICBM 2009a and one real head's tissue maps. Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("mri", "brain-extraction", "segmentation", "deeplabv3plus"))
                .modelCard(markdown).savedModel(export)
                .input(TensorSpec.of("input", "5 neighbouring slices, normalised intensities", AxisSpec.batch(),
                        AxisSpec.space("y", n), AxisSpec.space("x", n),
                        AxisSpec.channel("slice-2", "slice-1", "slice", "slice+1", "slice+2")),
                        Tensor.of(test, 1, n, n, c))
                .output(TensorSpec.of("probabilities", "per-pixel class probabilities", AxisSpec.batch(),
                        AxisSpec.space("y", n), AxisSpec.space("x", n),
                        AxisSpec.channel("outside", "csf-shell", "brain")), null)
                .config(cfg).overwrite(true).write();
        System.out.println("wrote " + p);
        return p;
    }

    private static void deleteTree(Path dir) {
        try {
            org.dopaj.FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
