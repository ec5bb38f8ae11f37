package org.dopaj.wmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;

/**
 * The committed, reproducible training of the WMH model: synthetic lesions in real T1 heads
 * ({@link LesionSynthesis}; every head but {@link LesionSynthesis#HELD_OUT}), {@link WmhModel#spec()}, Adam with a
 * cosine learning rate, checkpoints with resume; then export and packaging as {@code models/wmh-unet3d/}.
 *
 * <p>Run through the training recipe {@code wmh} ({@link org.dopaj.train.WmhRecipe}): {@code dopaj train
 * models/wmh-unet3d/train.yaml} trains and packages (seed 13, 24 epochs x 180 samples, batch 2, one thread, a 31-minute
 * budget); {@code --action calibrate} chooses the threshold, {@code --action preview} writes synthetic samples.
 * {@code minutes} is a wall-clock budget: the run stops after the batch running when it is spent and keeps its
 * best checkpoint (the cosine schedule still follows the planned epochs).
 * Every epoch sees new images (the trainer seeds the synthesis with (seed, epoch, sample)); validation is a fixed
 * set of 6 synthetic images of the training heads (seed + 1,000,000).
 */
public final class TrainWmh {
    private TrainWmh() {
    }

    /** Training settings. */
    public record Settings(Path shared, Path run, long seed, int epochs, int samples, int batch, int threads,
            boolean resume, double minutes, WmhModel.Normalisation normalisation, List<String> heldOut,
            LesionSynthesis.Placement placement) {
        public Settings {
            heldOut = List.copyOf(LesionSynthesis.requireKnown(heldOut, "held_out"));
            if (heldOut.containsAll(LesionSynthesis.HEADS)) {
                throw new DopajException("every head is held out: nothing left to train on");
            }
        }

        /** The heads trained on: {@link LesionSynthesis#HEADS} less {@link #heldOut}. */
        public List<String> trainingHeads() {
            return LesionSynthesis.HEADS.stream().filter(h -> !heldOut.contains(h)).toList();
        }
    }

    /** The synthesis of {@code s}: its heads and placement, the lesion library. */
    public static LesionSynthesis synthesis(Settings s) {
        return synthesis(s.shared(), s.normalisation(), s.heldOut(), s.placement());
    }

    /**
     * The heads not in {@code heldOut} (the bundled model: {@link LesionSynthesis#HELD_OUT}; leave-one-head-out folds
     * hold out more) and the lesion library.
     */
    public static LesionSynthesis synthesis(Path shared, WmhModel.Normalisation normalisation, List<String> heldOut,
            LesionSynthesis.Placement placement) {
        List<LesionSynthesis.Head> heads = new ArrayList<>();
        for (String n : LesionSynthesis.HEADS) {
            if (!heldOut.contains(n)) {
                long t0 = System.nanoTime();
                LesionSynthesis.Head h = LesionSynthesis.head(shared, n);
                System.out.printf(Locale.ROOT, "head %s: registration NCC %.3f, WM %.4g, GM %.4g (%.1f s)%n", n,
                        h.ncc(), h.wm(), h.gm(), (System.nanoTime() - t0) / 1e9);
                heads.add(h);
            }
        }
        LesionLibrary lib = LesionLibrary.build(shared);
        System.out.printf(Locale.ROOT, "lesion library: %d real lesion shapes (FLAIR->MNI NCC %.3f)%n",
                lib.lesions().size(), lib.registrationNcc());
        return new LesionSynthesis(heads, lib, normalisation, placement);
    }

    /** Trains; checkpoints under {@code run/}; progress lines on stdout. */
    public static TrainingResult train(Settings s) {
        LesionSynthesis synth = synthesis(s);
        Sample none = new Sample(new float[0], new float[0]);
        Dataset train = Dataset.generated(s.samples(), i -> none);
        Dataset validation = Dataset.generated(6, i -> synth.sample(new Random(s.seed() + 1_000_000L + i))).cached();
        TrainingConfig cfg = TrainingConfig.defaults(s.run()).withEpochs(s.epochs()).withBatchSize(s.batch())
                .withSeed(s.seed()).withSchedule(new LearningRateSchedule.Cosine(3e-3, 2e-4)).withThreads(s.threads())
                .withResume(s.resume()).withAugmentation((sample, rng) -> synth.sample(rng));
        long t0 = System.nanoTime();
        Trainer trainer = new Trainer();
        if (s.minutes() > 0) {
            // a wall-clock budget: the run stops after the batch running when it is spent (best checkpoint kept)
            Thread stop = new Thread(() -> {
                try {
                    Thread.sleep((long) (s.minutes() * 60_000));
                    System.out.println("time budget of " + s.minutes() + " min spent: stopping after this batch");
                    trainer.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stop.setDaemon(true);
            stop.start();
        }
        TrainingResult r = trainer.train(WmhNetwork.spec(), train, validation, cfg, p -> {
            if (p.kind() != org.dopaj.dl.train.TrainingProgress.Kind.BATCH || p.batch() % 10 == 0) {
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

    /** Lesion loads (mL) of the calibration images, two seeds each, on every training head. */
    static final double[] CALIBRATION_LOADS = {3, 10, 20};
    /** Thresholds tried by {@link #calibrate}. */
    static final double[] CALIBRATION_THRESHOLDS = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5};
    /** The most a lesion-free calibration head may be called at the chosen threshold, mL (half the 1 mL target). */
    static final double CALIBRATION_MAX_FREE_ML = 0.5;

    /**
     * Dice, volume error and lesion-free calls by threshold, summed over calibration images ({@link #measure}); tables
     * of several leave-one-head-out folds add up ({@link #plus}) before a threshold is chosen ({@link #best}).
     */
    public record Calibration(double[] diceSum, double[] volumeErrorSum, double[] freeMaxMl, int lesioned,
            List<String> heads) {
        public Calibration plus(Calibration o) {
            double[] d = diceSum.clone();
            double[] v = volumeErrorSum.clone();
            double[] f = freeMaxMl.clone();
            for (int k = 0; k < d.length; k++) {
                d[k] += o.diceSum[k];
                v[k] += o.volumeErrorSum[k];
                f[k] = Math.max(f[k], o.freeMaxMl[k]);
            }
            List<String> h = new ArrayList<>(heads);
            h.addAll(o.heads);
            return new Calibration(d, v, f, lesioned + o.lesioned, h);
        }

        /** Prints the table: mean Dice, mean absolute volume error and the most mL on a lesion-free head, by threshold. */
        public void print() {
            double[] th = CALIBRATION_THRESHOLDS;
            System.out.println("threshold  mean Dice  mean |volume error|  lesion-free max mL  (" + lesioned
                    + " lesioned calibration images on " + String.join(", ", heads) + ")");
            for (int k = 0; k < th.length; k++) {
                System.out.printf(Locale.ROOT, "%.2f       %.4f     %5.1f %%              %.2f%s%n", th[k],
                        diceSum[k] / lesioned, 100 * volumeErrorSum[k] / lesioned, freeMaxMl[k],
                        freeMaxMl[k] <= CALIBRATION_MAX_FREE_ML ? "" : "  (too many on a lesion-free head)");
            }
        }

        /**
         * Prints the table and returns the threshold with the best mean Dice among those calling at most
         * {@value #CALIBRATION_MAX_FREE_ML} mL on every lesion-free head.
         */
        public double best() {
            print();
            double[] th = CALIBRATION_THRESHOLDS;
            int b = -1;
            for (int k = 0; k < th.length; k++) {
                if (freeMaxMl[k] <= CALIBRATION_MAX_FREE_ML && (b < 0 || diceSum[k] > diceSum[b])) {
                    b = k;
                }
            }
            if (b < 0) {
                throw new DopajException("no threshold keeps the lesion-free heads under " + CALIBRATION_MAX_FREE_ML + " mL");
            }
            System.out.printf(Locale.ROOT, "best threshold %.2f%n", th[b]);
            return th[b];
        }
    }

    /** {@link #measure} on {@code heads}, then {@link Calibration#best}. */
    public static double calibrate(Path shared, Path model, int seeds, List<String> heads,
            LesionSynthesis.Placement placement) {
        return measure(shared, model, seeds, heads, placement).best();
    }

    /**
     * The probability threshold is chosen where the mask is used: on the input's own grid, through the whole pipeline
     * ({@link WmhSegmenter#run}: DopaJ brain mask, registration, box, network, back to native), on {@code heads}:
     * for the bundled model by default the heads it was trained on (never the held-out head); in a leave-one-head-out
     * fold, the head that fold's network never saw (a threshold measured where a network meets a new head). Per head:
     * the lesion-free head and lesions of {@link #CALIBRATION_LOADS} mL × {@code seeds} (9000 + 100 × load index +
     * seed; the evaluation uses 5000 + …) drawn on the native grid ({@link WmhEvaluation#lesioned}). For each
     * threshold: Dice and absolute volume error summed over the lesioned images, and the largest volume called on a
     * lesion-free head. (The first calibration picked 0.35 on the 2 mm box: on native grids that under-calls, since the
     * box's probability falls off at lesion edges that the 1 mm truth still counts.)
     */
    public static Calibration measure(Path shared, Path model, int seeds, List<String> heads,
            LesionSynthesis.Placement placement) {
        double[] th = CALIBRATION_THRESHOLDS;
        double[] dice = new double[th.length];
        double[] volErr = new double[th.length];
        double[] freeMax = new double[th.length];
        int n = 0;
        Path bm = org.dopaj.dl.model.ModelRegistry.find(org.dopaj.brainmask.BrainMaskModel.ID);
        try (WmhSegmenter net = WmhSegmenter.open(WmhSegmenter.Method.NETWORK, model, bm,
                org.dopaj.dl.runtime.ComputeDevice.CPU)) {
            LesionLibrary lib = LesionLibrary.build(shared);
            for (String name : heads) {
                LesionSynthesis.Head h = LesionSynthesis.head(shared, name);
                LesionSynthesis synth = new LesionSynthesis(List.of(h), lib, WmhModel.Normalisation.TISSUE, placement);
                double vox = h.t1().grid().voxelVolumeMm3() / 1000.0;
                List<double[]> cases = new ArrayList<>();
                cases.add(new double[] {0, 0});
                for (int li = 0; li < CALIBRATION_LOADS.length; li++) {
                    for (int k = 0; k < seeds; k++) {
                        cases.add(new double[] {CALIBRATION_LOADS[li], 9000 + 100 * li + k});
                    }
                }
                for (double[] c : cases) {
                    WmhEvaluation.Lesioned les = WmhEvaluation.lesioned(h, synth, c[0], (long) c[1]);
                    WmhResult r = net.run(les.t1(), null);
                    long t = 0;
                    long[] p = new long[th.length];
                    long[] tp = new long[th.length];
                    for (int z = 0; z < les.t1().nz(); z++) {
                        float[] pr = r.probability().plane(z);
                        float[] tr = les.truth().plane(z);
                        for (int i = 0; i < pr.length; i++) {
                            boolean tv = tr[i] > 0;
                            t += tv ? 1 : 0;
                            for (int k = 0; k < th.length; k++) {
                                if (pr[i] >= th[k]) {
                                    p[k]++;
                                    tp[k] += tv ? 1 : 0;
                                }
                            }
                        }
                    }
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s load %.0f seed %d: true %.2f mL;",
                            name, c[0], (long) c[1], t * vox));
                    for (int k = 0; k < th.length; k++) {
                        if (c[0] == 0) {
                            freeMax[k] = Math.max(freeMax[k], p[k] * vox);
                        } else {
                            double d = 2.0 * tp[k] / Math.max(1, t + p[k]);
                            dice[k] += d;
                            volErr[k] += Math.abs(p[k] - t) / (double) Math.max(1, t);
                        }
                        line.append(String.format(Locale.ROOT, " %.2f→%.2f mL", th[k], p[k] * vox));
                    }
                    System.out.println(line);
                    n += c[0] > 0 ? 1 : 0;
                }
            }
        }
        return new Calibration(dice, volErr, freeMax, n, List.copyOf(heads));
    }

    /** Writes a few synthetic training images (input and label, on the box) as NIfTI for a look. */
    public static void preview(Settings s, Path out) {
        LesionSynthesis synth = synthesis(s);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Grid box = WmhModel.box();
        for (int k = 0; k < 4; k++) {
            Sample smp = synth.sample(new Random(s.seed() + k));
            Volume in = Volume.allocate(box);
            Volume lab = Volume.allocate(box);
            long n = 0;
            for (int z = 0; z < box.nz(); z++) {
                for (int y = 0; y < box.ny(); y++) {
                    for (int x = 0; x < box.nx(); x++) {
                        int t = WmhModel.tensorIndex(x, y, z);
                        in.set(x, y, z, smp.input()[t]);
                        lab.set(x, y, z, smp.target()[t]);
                        n += smp.target()[t] > 0 ? 1 : 0;
                    }
                }
            }
            Nifti.write(in, out.resolve("sample" + k + "_t1.nii.gz"), null, NiftiDatatype.FLOAT32);
            Nifti.write(lab, out.resolve("sample" + k + "_label.nii.gz"), null, NiftiDatatype.UINT8);
            System.out.printf(Locale.ROOT, "sample %d: %.2f mL of lesion%n", k, n * 8 / 1000.0);
        }
    }

    /**
     * Exports the best checkpoint of {@code run/} and writes the model package with the card and the probability
     * {@code threshold} ({@link #calibrate} chooses it for a packaged model; the segmenter reads it from the package).
     */
    public static ModelPackage packageModel(Settings s, Path out, Path card, double threshold) {
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
        ExportedModel m = ModelExporter.export(WmhNetwork.spec(), best, export);
        System.out.println(m);
        LesionSynthesis.Head h = LesionSynthesis.head(s.shared(), "mni152");
        LesionSynthesis synth = new LesionSynthesis(List.of(h), null, s.normalisation(), s.placement());
        Sample test = synth.sample(h, 8, new Random(7));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("task", "segmentation");
        cfg.put("outputs", Map.of("prediction", "probabilities"));
        cfg.put("labels", List.of("background", "wmh"));
        cfg.put("voxel_size_mm", List.of(WmhModel.VOXEL_MM, WmhModel.VOXEL_MM, WmhModel.VOXEL_MM));
        cfg.put("box", "MNI-affine box " + WmhModel.NX + "x" + WmhModel.NY + "x" + WmhModel.NZ + " at 2 mm, voxel 0 at "
                + "MNI (-64,-104,-36) mm, RAS axes (org.dopaj.wmh.WmhModel)");
        cfg.put("threshold", threshold);
        cfg.put("input_normalisation", s.normalisation().id());
        cfg.put("lesion_placement", s.placement().id());
        cfg.put("intensity_normalisation", s.normalisation().description());
        cfg.put("training_command", "dopaj train models/" + WmhModel.ID + "/train.yaml (recipe wmh: seed " + s.seed()
                + ", epochs " + s.epochs() + ", samples " + s.samples() + ", batch " + s.batch()
                + (s.minutes() > 0 ? ", minutes " + s.minutes() : "") + ")");
        cfg.put("training_data", "synthetic lesions in real lesion-free T1 heads (" + String.join(", ", s.trainingHeads())
                + "); no patient lesion label of a T1");
        cfg.put("applicability", WmhApplicabilityCalibration.calibrate(synthesis(s))
                .toYaml());
        long[] shape = {1, WmhModel.NX, WmhModel.NY, WmhModel.NZ, 1};
        ModelPackage p = new ModelPackageWriter(out).id(WmhModel.ID)
                .name("White-matter hypointensities on T1, small 3D U-Net (2 mm MNI-affine box), synthetic training")
                .description("WMH segmentation on 3D T1 in an MNI-affine box at 2 mm, trained on lesions synthesised "
                        + "into real lesion-free T1 heads. Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("mri", "t1", "wmh", "segmentation", "unet3d"))
                .modelCard(markdown).savedModel(export)
                .input(TensorSpec.of("input", "normalised T1 on the MNI-affine box (" + s.normalisation().id() + ")", AxisSpec.batch(),
                        AxisSpec.space("x", WmhModel.NX), AxisSpec.space("y", WmhModel.NY),
                        AxisSpec.space("z", WmhModel.NZ), AxisSpec.channel("t1")), Tensor.of(test.input(), shape))
                .output(TensorSpec.of("probabilities", "per-voxel class probabilities", AxisSpec.batch(),
                        AxisSpec.space("x", WmhModel.NX), AxisSpec.space("y", WmhModel.NY),
                        AxisSpec.space("z", WmhModel.NZ), AxisSpec.channel("background", "wmh")), null)
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
