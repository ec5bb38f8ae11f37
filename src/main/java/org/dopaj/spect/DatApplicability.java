package org.dopaj.spect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.model.Applicability;
import org.dopaj.image.Volume;

/**
 * The DaT-SPECT classifier's applicability check ({@link Applicability}, issue 12's mechanism): five statistics of
 * the network's own input — the 4 mm SBR map after spatial normalisation — compared with the bounds found on held-out
 * phantoms of every training family, so that an input unlike anything the model knows (another tracer, a non-brain
 * image that passed registration, an absurd reference region, a saturated or empty striatum) comes with a warning
 * instead of a confident probability; an image that shows no striatal binding at all ({@link #bindingMargin}: a brain
 * mask, a perfusion or structural image) is refused, since a probability for it would mean nothing.
 *
 * <p>Statistics (definition {@value #DEFINITION}): {@code caudate} and {@code putamen} — mean SBR of both caudate and
 * both putamen VOIs; {@code p99} and {@code p01} — the 99th and 1st percentile of the map inside the template's brain;
 * {@code background_sd} — the standard deviation of the map inside the brain but away from the striatum (texture and
 * noise of the background). Bounds: the 0.1 % and 99.9 % quantiles of 1,200 held-out maps (200 or 100 subjects of each
 * family, original and 18 mm-smoothed, seeds 7,000,000 + i), widened by 5 % of their distance
 * ({@link Applicability#calibrate}); the share of in-distribution inputs flagged is measured on the validation subjects
 * (never used for the bounds) and stored with them. Command: {@code java -cp target/classes:$(cat
 * target/classpath.txt) org.dopaj.spect.DatApplicability runs/spect-dat-data ../shared/data}.
 */
public final class DatApplicability {
    /** Name of the statistics' definition, stored with the bounds. */
    public static final String DEFINITION = "dat-sbr-map-4mm-v1";

    private DatApplicability() {
    }

    /** The statistics of a 4 mm SBR map ({@link DatCnn#pooled} of {@link DatCnn#normalise}). */
    public static Map<String, Double> statistics(float[] pooled) {
        float[][] w = DatCnn.Features.WEIGHTS;
        double[] voi = new double[DatCnn.VOI_FEATURES];
        for (int i = 0; i < pooled.length; i++) {
            for (int c = 0; c < voi.length; c++) {
                voi[c] += w[i][c] * pooled[i];
            }
        }
        float[] brain = Masks.BRAIN;
        float[] striatumNear = Masks.STRIATUM_NEAR;
        // runs on every classification: primitive arrays, no boxing
        float[] v = new float[Masks.BRAIN_VOXELS];
        int k = 0;
        double s = 0;
        double ss = 0;
        long n = 0;
        for (int i = 0; i < pooled.length; i++) {
            if (brain[i] > 0) {
                v[k++] = pooled[i];
                if (striatumNear[i] == 0) {
                    s += pooled[i];
                    ss += (double) pooled[i] * pooled[i];
                    n++;
                }
            }
        }
        java.util.Arrays.sort(v);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("caudate", (voi[0] + voi[1]) / 2);
        m.put("putamen", (voi[2] + voi[3] + voi[4] + voi[5]) / 4);
        m.put("p99", (double) v[(int) (0.99 * (v.length - 1))]);
        m.put("p01", (double) v[(int) (0.01 * (v.length - 1))]);
        double mean = s / n;
        m.put("background_sd", Math.sqrt(Math.max(0, ss / n - mean * mean)));
        return m;
    }

    /** Brain (template ≥ half the reference level) and striatum-with-10-mm masks on the 4 mm grid, drawn once. */
    private static final class Masks {
        static final float[] BRAIN = DatCnn.pooled(DatTemplate.load());
        static final float[] STRIATUM_NEAR = DatCnn.pooled(DatNormaliser.Weights.OUTSIDE_STRIATUM);
        static final int BRAIN_VOXELS;

        static {
            int count = 0;
            for (int i = 0; i < BRAIN.length; i++) {
                BRAIN[i] = BRAIN[i] >= 0.5f ? 1 : 0;
                count += (int) BRAIN[i];
                // the registration weight is 1 away from the striatum: near = its complement inside the brain
                STRIATUM_NEAR[i] = STRIATUM_NEAR[i] >= 0.5f ? 0 : 1;
            }
            BRAIN_VOXELS = count;
        }
    }

    /** The check's bounds from held-out subjects, and the measured share of flagged validation subjects. */
    public static Applicability calibrate(List<DatData.Item> heldOut, List<DatData.Item> validation) {
        List<Map<String, Double>> samples = new ArrayList<>();
        for (DatData.Item it : heldOut) {
            if (!it.failed()) {
                samples.add(statistics(it.original()));
                samples.add(statistics(it.smoothed()));
            }
        }
        Map<String, double[]> bounds = Applicability.calibrate(samples, 0.001, 0.05);
        Applicability a = new Applicability(DEFINITION, bounds, null, Map.of());
        int flagged = 0;
        int total = 0;
        for (DatData.Item it : validation) {
            if (!it.failed()) {
                for (float[] x : new float[][] {it.original(), it.smoothed()}) {
                    total++;
                    flagged += a.checkInput(DEFINITION, statistics(x)).isEmpty() ? 0 : 1;
                }
            }
        }
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("source", "held-out phantoms of the four DatFamily families, original and 18 mm-smoothed");
        cal.put("n", samples.size());
        cal.put("quantiles", List.of(0.001, 0.999));
        cal.put("margin", 0.05);
        cal.put("validation_n", total);
        cal.put("validation_flagged_fraction", total == 0 ? 0 : (double) flagged / total);
        return new Applicability(DEFINITION, bounds, null, cal);
    }

    /** The statistics that measure specific binding above the reference: the refusal looks at these. */
    static final List<String> BINDING = List.of("caudate", "putamen", "p99");

    /** An image is refused when its {@link #bindingMargin} is below this. */
    static final double REFUSE_BELOW = 0.5;

    /**
     * Warnings for one classifier input (the normalised MNI volume), empty when it is like the training data.
     *
     * @throws DopajException when the image shows no specific binding ({@link #bindingMargin} below
     *                        {@value #REFUSE_BELOW}): the question "is striatal binding reduced?" has no answer on it,
     *                        so no probability is given
     */
    static List<String> check(Applicability a, Volume sbrMap) {
        if (a.checks().isEmpty()) {
            return List.of();
        }
        Map<String, Double> stats = statistics(DatCnn.pooled(sbrMap));
        if (bindingMargin(a, stats) < REFUSE_BELOW) {
            throw new DopajException(String.format(Locale.ROOT, "not classified: the image shows no striatal binding"
                    + " (caudate SBR %.2f, putamen SBR %.2f, 99th percentile of the brain %.2f: all under half the"
                    + " lowest of every phantom family the model was trained on, %.2f, %.2f, %.2f); it is not a DaT-SPECT"
                    + " image the model can classify", stats.get("caudate"), stats.get("putamen"), stats.get("p99"),
                    a.inputBounds().get("caudate")[0], a.inputBounds().get("putamen")[0], a.inputBounds().get("p99")[0]));
        }
        List<String> out = a.outside(DEFINITION, stats);
        return out.isEmpty() ? List.of() : List.of("input unlike the model's training data (" + String.join("; ", out)
                + ")");
    }

    /**
     * How much specific binding the image shows, relative to the least the model knows: the largest of value ÷ lower
     * bound over the caudate SBR, the putamen SBR and the 99th percentile of the brain's SBR map ({@link #BINDING}).
     * Every training phantom, however severe its loss and however smoothed, lies at ≥ 1 up to the 0.1 % tail of the
     * bounds; below {@value #REFUSE_BELOW} all three show less than half that — a brain mask, a perfusion or
     * structural image, an image without any striatal signal — and the classifier refuses it. One or two statistics
     * outside their bounds (severe loss, unusually high binding, an odd background) make an unusual DaT-SPECT image,
     * which gets the applicability warning instead. NaN (no refusal) when the bounds lack one of the three or a lower
     * bound is not positive. Margins of the cached phantoms: {@link #main} with {@code --refusal}.
     */
    static double bindingMargin(Applicability a, Map<String, Double> stats) {
        double m = Double.NEGATIVE_INFINITY;
        for (String k : BINDING) {
            double[] b = a.inputBounds().get(k);
            if (b == null || !(b[0] > 0)) {
                return Double.NaN;
            }
            m = Math.max(m, stats.get(k) / b[0]);
        }
        return m;
    }

    /**
     * The bounds from the cached held-out ({@link DatLofo#TEST_SEED}) and validation subjects of every family in
     * {@code data} (drawn there when missing; {@code shared} = ../shared/data).
     */
    public static Applicability fromCaches(Path data, Path shared) throws java.io.IOException {
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(new String[] {"--data", data.toString(), "--shared",
            shared.toString()}, 0);
        List<DatData.Item> held = new ArrayList<>();
        List<DatData.Item> val = new ArrayList<>();
        for (DatFamily f : DatFamily.values()) {
            held.addAll(DatCnnTraining.subjects(o, f, "test", DatLofo.TEST_SEED, 200, s -> { }));
            val.addAll(DatCnnTraining.subjects(o, f, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), s -> { }));
        }
        return calibrate(held, val);
    }

    /**
     * {@code DatApplicability DATA SHARED}: the bounds from the caches (printed as YAML-ready JSON) and what they say
     * of a few inputs from elsewhere. {@code DatApplicability --refusal MODEL_DIR DATA SHARED [BRAIN_MASK.nii.gz]}: how
     * many statistics of every cached subject (training, validation and held-out subjects of every family, original
     * and smoothed; the training subjects were never used for the bounds) lie outside the package's bounds — the
     * margin of the refusal rule — and the same count for inputs that are not DaT-SPECT.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--refusal")) {
            refusalMargin(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? Path.of(args[4]) : null);
            return;
        }
        Applicability a = fromCaches(Path.of(args[0]), Path.of(args[1]));
        System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(a.toYaml()));
        // inputs from elsewhere: the fixed-anatomy phantom generator and images that are not DaT-SPECT
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        System.out.println("SpectPhantom stage 2: " + a.outside(DEFINITION, statistics(DatCnn.pooled(
                DatCnn.normalise(ph.image())))));
        System.out.println("uniform brain: " + a.outside(DEFINITION, statistics(DatCnn.pooled(
                DatCnn.normalise(uniformBrain())))));
        System.out.printf(Locale.ROOT, "validation flagged %.4f%n", a.calibration().get("validation_flagged_fraction"));
    }

    /** A uniform brain (perfusion-like, no striatal binding): 1 inside the template's brain, 0.1 outside. */
    static Volume uniformBrain() {
        Volume flat = DatTemplate.load().copy();
        for (float[] pl : flat.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = pl[i] > 0.5f ? 1 : 0.1f;
            }
        }
        return flat;
    }

    private static void refusalMargin(Path model, Path data, Path shared, Path brainMask) throws java.io.IOException {
        Applicability a = org.dopaj.dl.model.ModelPackage.read(model).applicability();
        int k = a.inputBounds().size();
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(new String[] {"--data", data.toString(), "--shared",
            shared.toString(), "--physics", "150,30,100"}, 0);
        double lowest = Double.POSITIVE_INFINITY;
        String where = "";
        int maps = 0;
        int refused = 0;
        int[] total = new int[k + 1];
        for (DatFamily f : DatFamily.values()) {
            int[] h = new int[k + 1];
            for (String[] part : new String[][] {{"train", "0", "450"}, {"val", "500000", "40"}, {"test", "", "200"}}) {
                long seed = part[1].isEmpty() ? DatLofo.TEST_SEED : o.seed() * 1_000_000L + Long.parseLong(part[1]);
                for (DatData.Item it : DatCnnTraining.subjects(o, f, part[0], seed, Integer.parseInt(part[2]), s -> { })) {
                    if (it.failed()) {
                        continue;
                    }
                    for (float[] x : new float[][] {it.original(), it.smoothed()}) {
                        Map<String, Double> st = statistics(x);
                        h[a.outside(DEFINITION, st).size()]++;
                        double m = bindingMargin(a, st);
                        maps++;
                        refused += m < REFUSE_BELOW ? 1 : 0;
                        if (m < lowest) {
                            lowest = m;
                            where = f.id() + " " + part[0] + " seed " + it.seed() + " (label " + it.label() + ", "
                                    + (x == it.original() ? "original" : "smoothed") + ")";
                        }
                    }
                }
            }
            System.out.println(f.id() + ": maps by number of statistics outside the bounds (0.." + k + "): "
                    + java.util.Arrays.toString(h));
            for (int i = 0; i <= k; i++) {
                total[i] += h[i];
            }
        }
        System.out.printf(Locale.ROOT, "all families: %d maps, by statistics outside %s; refused %d; lowest binding"
                + " margin %.3f (%s)%n", maps, java.util.Arrays.toString(total), refused, lowest, where);
        Map<String, Volume> others = new LinkedHashMap<>();
        others.put("uniform brain (perfusion-like)", uniformBrain());
        if (brainMask != null) {
            others.put(brainMask.getFileName().toString(), DatNormaliser.normalise(org.dopaj.io.ImageFiles.read(
                    brainMask), false, null).mni());
        }
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        others.put("SpectPhantom stage 2", ph.image());
        for (Map.Entry<String, Volume> e : others.entrySet()) {
            Map<String, Double> st = statistics(DatCnn.pooled(DatCnn.normalise(e.getValue())));
            List<String> out = a.outside(DEFINITION, st);
            double m = bindingMargin(a, st);
            System.out.printf(Locale.ROOT, "%s: binding margin %.3f%s; %d of %d statistics outside %s%n", e.getKey(), m,
                    m < REFUSE_BELOW ? " (refused)" : "", out.size(), k, out);
        }
    }
}
