package org.dopaj.nigrosome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.dl.metrics.Agreement;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Volume;

/**
 * Evaluates a left/right SBR regressor pair on held-out SMWI phantoms ({@link SmwiPhantom#random} with seeds
 * {@code baseSeed … baseSeed+n−1}; the bundled model was trained on seeds from 1 000 000, the default held-out seeds
 * start at {@link #HELD_OUT_BASE_SEED}). Each case is cropped at its true centroids rounded to the nearest voxel (as a
 * user clicks a voxel), optionally after extra degradation ({@link Condition}: Gaussian blur, added Gaussian noise,
 * centroid jitter). Agreement ({@link Agreement}: Lin's CCC with 95 % CI, MAE, RMSE, normalised RMSE = RMSE / range
 * of the true values) is reported per side (left and right predictions pooled against each side's own SBR) and for
 * the mean of the two sides against the phantom's target SBR (mean of the sides).
 */
public final class SbrEvaluation {
    /** First held-out phantom seed (disjoint from the training seeds 1 000 000 … 1 000 000 + phantoms − 1). */
    public static final long HELD_OUT_BASE_SEED = 2_000_000L;

    private SbrEvaluation() {
    }

    /**
     * Extra degradation applied to each held-out phantom before cropping.
     *
     * @param blurFwhmMm    extra Gaussian blur FWHM (mm), 0 = none
     * @param noiseFraction extra Gaussian noise, σ as a fraction of the image mean, 0 = none
     * @param jitterVoxels  centroid moved by a uniform integer offset of ± this many voxels on each axis
     */
    public record Condition(double blurFwhmMm, double noiseFraction, int jitterVoxels) {
        public Condition {
            if (!(blurFwhmMm >= 0) || !(noiseFraction >= 0) || jitterVoxels < 0) {
                throw new DopajException("evaluation condition: blur, noise and jitter must be ≥ 0");
            }
        }

        public static Condition clean() {
            return new Condition(0, 0, 0);
        }

        public String describe() {
            if (blurFwhmMm == 0 && noiseFraction == 0 && jitterVoxels == 0) {
                return "as generated";
            }
            List<String> s = new ArrayList<>();
            if (blurFwhmMm > 0) {
                s.add(String.format(Locale.ROOT, "+blur FWHM %.1f mm", blurFwhmMm));
            }
            if (noiseFraction > 0) {
                s.add(String.format(Locale.ROOT, "+noise σ %.0f%% of mean", 100 * noiseFraction));
            }
            if (jitterVoxels > 0) {
                s.add("centroid jitter ±" + jitterVoxels + " voxel");
            }
            return String.join(", ", s);
        }
    }

    /** One held-out case. */
    public record Case(long seed, double trueLeft, double trueRight, double predLeft, double predRight,
                       boolean flaggedLeft, boolean flaggedRight, boolean inputFlaggedLeft, boolean inputFlaggedRight,
                       String acquisition) {
        public Case(long seed, double trueLeft, double trueRight, double predLeft, double predRight) {
            this(seed, trueLeft, trueRight, predLeft, predRight, false, false, false, false, "");
        }
    }

    /**
     * The figures.
     *
     * @param perSide     pooled left and right predictions against each side's SBR (n = 2 × cases)
     * @param mean        mean of both predictions against the target SBR (n = cases)
     * @param cases       every case
     * @param latencyMs   median prediction time per side (ms), after load and one warm-up
     */
    public record Report(String models, Condition condition, long baseSeed, Agreement.Result perSide,
                         Agreement.Result mean, List<Case> cases, double latencyMs, String generator) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("models", models);
            m.put("condition", condition.describe());
            m.put("phantom_seeds", baseSeed + ".." + (baseSeed + cases.size() - 1));
            m.put("cases", cases.size());
            m.put("per_side", perSide.toMap());
            m.put("mean_of_sides", mean.toMap());
            m.put("normalised_error_definition", "RMSE / (max − min of the true SBR)");
            m.put("latency_per_side_ms_median", latencyMs);
            m.put("generator", generator);
            long flagged = cases.stream().mapToLong(k -> (k.flaggedLeft() ? 1 : 0) + (k.flaggedRight() ? 1 : 0)).sum();
            long inFlag = cases.stream().mapToLong(k -> (k.inputFlaggedLeft() ? 1 : 0) + (k.inputFlaggedRight() ? 1 : 0))
                    .sum();
            m.put("sides_with_warnings", flagged);
            m.put("sides_input_flagged", inFlag);
            m.put("fraction_input_flagged", inFlag / (2.0 * cases.size()));
            m.put("fraction_with_warnings", flagged / (2.0 * cases.size()));
            return m;
        }
    }

    /** Runs the evaluation (CPU) on {@code n} phantoms from {@code baseSeed}. */
    public static Report run(Path left, Path right, Condition cond, long baseSeed, int n) {
        return run(left, right, cond, baseSeed, n, PhantomGenerator.PHYSICS);
    }

    /** The same on phantoms of generator {@code gen}; also counts the sides whose result carries a warning. */
    public static Report run(Path left, Path right, Condition cond, long baseSeed, int n, PhantomGenerator gen) {
        if (n < 3) {
            throw new DopajException("evaluation needs at least 3 phantoms, got " + n);
        }
        try (SbrRegressor reg = SbrRegressor.load(left, right, ComputeDevice.CPU)) {
            List<Case> cases = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seed = baseSeed + i;
                SmwiPhantom.Result ph = gen.random(seed);
                Volume img = degrade(ph.smwi(), cond, seed);
                Centroids c = clickCentroids(ph, cond.jitterVoxels(), seed);
                SbrRegressor.Result r = reg.predict(img, c);
                if (i == 0) {
                    r = reg.predict(img, c); // warm-up excluded from timing
                }
                times.add(r.left().millis());
                times.add(r.right().millis());
                cases.add(new Case(seed, ph.sbrLeft(), ph.sbrRight(), r.left().sbr(), r.right().sbr(),
                        !r.left().warnings().isEmpty(), !r.right().warnings().isEmpty(), inputFlag(r.left()),
                        inputFlag(r.right()), acquisition(ph)));
            }
            double[] p = new double[2 * n];
            double[] t = new double[2 * n];
            double[] pm = new double[n];
            double[] tm = new double[n];
            for (int i = 0; i < n; i++) {
                Case k = cases.get(i);
                p[2 * i] = k.predLeft();
                p[2 * i + 1] = k.predRight();
                t[2 * i] = k.trueLeft();
                t[2 * i + 1] = k.trueRight();
                pm[i] = (k.predLeft() + k.predRight()) / 2;
                tm[i] = (k.trueLeft() + k.trueRight()) / 2;
            }
            double[] ts = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Report(reg.modelPackage(Side.LEFT).id() + " + " + reg.modelPackage(Side.RIGHT).id(), cond,
                    baseSeed, Agreement.of(p, t), Agreement.of(pm, tm), cases, ts[ts.length / 2], gen.label());
        }
    }

    /** "3T 0.5x0.5x1" from a phantom's parameters ("" for the box generator, which has one acquisition). */
    static String acquisition(SmwiPhantom.Result ph) {
        Object f = ph.parameters().get("field_T");
        if (f == null) {
            return "";
        }
        double[] v = ph.smwi().grid().voxelMm();
        return String.format(Locale.ROOT, "%sT %sx%sx%s", f, v[0], v[1], v[2]).replace(".0T", "T");
    }

    private static boolean inputFlag(SbrRegressor.SideResult s) {
        return s.warnings().stream().anyMatch(w -> w.startsWith("input unlike"));
    }

    /** First seed of the phantoms the applicability bounds are calibrated on (disjoint from training and test). */
    public static final long CALIBRATION_BASE_SEED = 3_000_000L;

    /**
     * Input statistics ({@link PatchStatistics}) of both crops of {@code n} phantoms from {@code baseSeed}, each cut at
     * the true centroid with a ±{@code jitter} voxel click error (as in training): the samples the applicability bounds
     * are computed from.
     */
    public static List<Map<String, Double>> calibrationStatistics(PhantomGenerator gen, long baseSeed, int n, int jitter,
                                                                  java.util.function.IntConsumer progress) {
        NigrosomeCropper cropper = new NigrosomeCropper();
        List<Map<String, Double>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SmwiPhantom.Result ph = gen.random(baseSeed + i);
            for (NigrosomeCrop c : cropper.crop(ph.smwi(), clickCentroids(ph, jitter, baseSeed + i))) {
                l.add(PatchStatistics.of(c.volume()));
            }
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        return l;
    }

    /**
     * The applicability record of a model trained on {@code gen} phantoms with targets in {@code targetRange}: bounds at
     * the 0.1 % / 99.9 % quantiles of the calibration statistics, widened by 5 % of their spread.
     */
    public static org.dopaj.dl.model.Applicability applicability(List<Map<String, Double>> samples, PhantomGenerator gen,
                                                                 long baseSeed, int n, double[] targetRange) {
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("source", gen.label() + " phantoms, seeds " + baseSeed + ".." + (baseSeed + n - 1)
                + " (held out from training), both sides, centroid click error ±2 voxels");
        cal.put("crops", samples.size());
        cal.put("quantiles", List.of(0.001, 0.999));
        cal.put("widening", "5 % of the 0.1–99.9 % spread");
        var b = org.dopaj.dl.model.Applicability.calibrate(samples, 0.001, 0.05);
        var a = new org.dopaj.dl.model.Applicability(PatchStatistics.DEFINITION, b, targetRange, cal);
        long flagged = samples.stream().filter(x -> !a.checkInput(PatchStatistics.DEFINITION, x).isEmpty()).count();
        cal.put("flagged_fraction_on_calibration", flagged / (double) samples.size());
        return a;
    }

    /** The true centroids rounded to voxels, plus a seeded jitter of ± {@code jitter} voxels per axis. */
    static Centroids clickCentroids(SmwiPhantom.Result ph, int jitter, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 131 + 3);
        List<double[]> pts = new ArrayList<>();
        for (Side s : Side.values()) {
            int[] v = ph.nigrosomes().get(s).nearestVoxel();
            double[] q = new double[3];
            for (int a = 0; a < 3; a++) {
                q[a] = v[a] + (jitter == 0 ? 0 : r.nextInt(2 * jitter + 1) - jitter);
            }
            pts.add(q);
        }
        return Centroids.fromPoints(pts, ph.smwi().grid());
    }

    /** Extra blur then extra noise (seeded); the input is not modified. */
    static Volume degrade(Volume v, Condition c, long seed) {
        Volume out = c.blurFwhmMm() > 0 ? Gaussian.smooth(v, c.blurFwhmMm()) : v;
        if (c.noiseFraction() > 0) {
            out = out == v ? v.copy() : out;
            double sum = 0;
            long n = 0;
            for (float[] p : out.planes()) {
                for (float x : p) {
                    sum += x;
                    n++;
                }
            }
            double sigma = c.noiseFraction() * sum / n;
            SplittableRandom r = new SplittableRandom(seed * 977 + 11);
            for (float[] p : out.planes()) {
                for (int i = 0; i < p.length; i++) {
                    // Rician (magnitude of signal + complex noise): SMWI stays ≥ 0, as a real magnitude image does
                    double re = p[i] + sigma * SmwiPhantom.gaussian(r);
                    double im = sigma * SmwiPhantom.gaussian(r);
                    p[i] = (float) Math.sqrt(re * re + im * im);
                }
            }
        }
        return out;
    }

    /** The model card of the bundled pair (training record, figures when a report is given). */
    public static String modelCard(Map<String, Object> training, Report rep) {
        StringBuilder s = new StringBuilder();
        boolean physics = "physics".equals(String.valueOf(training.get("generator")));
        String gen = physics ? "`org.dopaj.nigrosome.SmwiPhysicsPhantom` (SMWI formed from literature χ, R2* and PD,"
                + " 3 T and 1.5 T, 0.5×0.5×1 mm and coarser voxels, texture from real GRE)" : "`org.dopaj.nigrosome.SmwiPhantom`";
        s.append("# Nigrosome-1 SMWI crop → striatal DaT SBR (DopaJ, trained on synthetic phantoms)\n\n");
        s.append("> **Research use only, not for diagnosis. What it is for:** testing DopaJ's nigrosome pipeline and"
                + " showing how a model is packaged, checked and warned about. It was trained and tested only on DopaJ's"
                + " synthetic SMWI phantoms, " + gen + ": no patient data. It is **not** for estimating a patient's"
                + " SBR: every result it gives says \"trained on phantoms\"; install a model trained on real patients"
                + " (`dopaj models install`) and that one becomes the default.\n\n");
        s.append("**Applicability.** The package stores the input-statistics bounds of its training phantoms and the"
                + " trained SBR range (0.5–4.5) in `config.dopaj.applicability`; an input outside the bounds, or a"
                + " prediction outside the range, is reported with a warning, never clamped (docs/nigrosome.md).\n\n");
        s.append("Two packages, one network: `nigrosome-vgg3d-left` holds the SavedModel; `nigrosome-vgg3d-right` points"
                + " at the same weights (`external_source`) and declares `flip_axis: x`, so a right crop is mirrored"
                + " left–right and looks like a left one. Each side predicts **that side's** striatal SBR.\n\n");
        s.append("## Model\n\n");
        s.append("* Architecture: the VGG-style 3D CNN of Bae et al. (Neuroradiology 2023) — three blocks of two 3×3×3"
                + " convolutions (+ batch norm, ReLU) with 2×2×2 max-pooling between blocks, filters "
                + training.getOrDefault("filters", "8/16/32") + " (smaller than"
                + " the paper's, to train on two CPU cores), global average pooling, dropout 0.1, dense 32 (ReLU), dense 1;"
                + " L2 (mean squared error) loss; Adam.\n");
        s.append("* Input `input` [batch, x=50, y=50, z=20, 1]: the crop of 50×50×20 voxels of 0.5×0.5×1 mm centred on"
                + " the nigrosome-1 centroid (crop index 25,25,10), raw intensities; the package divides it by its mean"
                + (String.valueOf(training.get("network_input")).startsWith("ln") ? " and the graph's first step takes"
                + " ln(max(x, " + SbrRegressorTraining.LOG_FLOOR + ")), so intensity ratios reach the first convolution as"
                + " differences.\n" : ".\n"));
        s.append("* Outputs: `prediction` × 4 = SBR; `cam` = Grad-CAM (0–1) of the last convolution block, at input size.\n\n");
        s.append("## Training (command and record)\n\n```\n");
        s.append(physics ? "nice -n 15 dopaj train models/nigrosome-vgg3d-left/train.yaml\n# settings: the config (recipe"
                + " nigrosome); `dopaj nigrosome-train` has no options for log_input and filters\n```\n\n"
                : "dopaj nigrosome-train --work runs/nigrosome-vgg3d --models models --overwrite\n```\n\n");
        s.append("| item | value |\n|---|---|\n");
        for (Map.Entry<String, Object> e : training.entrySet()) {
            s.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
        }
        s.append("\nEach phantom gives a left crop and a mirrored right crop, cut at the true centroid rounded to a voxel"
                + " plus a random ±2 voxel (x, y) / ±1 voxel (z) offset; each side's SBR drawn uniformly in 0.5–4.5."
                + " The phantom's nigrosome contrast saturates below SBR 1 and above 4, so values outside 1–4 cannot be"
                + " told apart.\n\n");
        s.append("## Held-out evaluation\n\n");
        if (rep == null) {
            s.append("Not run yet.\n");
        } else {
            s.append("```\ndopaj nigrosome-evaluate --phantoms ").append(rep.cases().size()).append(" --generator ")
                    .append(rep.generator()).append(" --json\n```\n\n");
            s.append(table(List.of(rep)));
            s.append("\nMore conditions (noise, blur, jitter) and the comparison with the paper: docs/validation/nigrosome.md.\n");
        }
        s.append("\n## Intended use and limits\n\n");
        s.append("For exercising DopaJ's nigrosome pipeline (centroids, crops, inference, CAM overlays) and as a template"
                + " for packaging a real model. The phantom is ellipses and an arc whose nigrosome iron is a made-up"
                + " monotone function of SBR; the network has learnt that function, not biology. Do not use on patient"
                + " images for any decision. For real SMWI, use a model trained on real data (e.g. the published"
                + " `mri-dat-nigral-vgg-left/-right`) and check it on your own data.\n");
        return s.toString();
    }

    /** Markdown table of reports: condition, n, CCC (95 % CI), MAE, RMSE, normalised error, per side and mean. */
    public static String table(List<Report> reports) {
        StringBuilder s = new StringBuilder();
        s.append("| condition | compared | n | CCC (95 % CI) | MAE | RMSE | normalised RMSE |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (Report r : reports) {
            row(s, r.condition().describe(), "per side", r.perSide());
            row(s, r.condition().describe(), "mean of sides", r.mean());
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String cond, String what, Agreement.Result a) {
        s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f (%.3f–%.3f) | %.3f | %.3f | %.1f %% |\n", cond, what,
                a.n(), a.ccc(), a.cccLow(), a.cccHigh(), a.mae(), a.rmse(), 100 * a.normalisedRmse()));
    }

    /** Replaces README.md in each package folder (atomically; the card is not part of the checksummed weights). */
    public static void writeCard(Path left, Path right, String card) {
        for (Path d : Arrays.asList(left, right)) {
            try {
                Path tmp = Files.createTempFile(d, ".README", ".tmp");
                Files.writeString(tmp, card, StandardCharsets.UTF_8);
                tmp.toFile().setReadable(true, false);
                Files.move(tmp, d.resolve("README.md"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new DopajException("cannot write the model card in " + d + ": " + e.getMessage(), e);
            }
        }
    }
}
