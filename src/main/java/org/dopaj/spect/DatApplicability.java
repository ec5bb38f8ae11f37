package org.dopaj.spect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.dl.model.Applicability;
import org.dopaj.image.Volume;

/**
 * The DaT-SPECT classifier's applicability check ({@link Applicability}, issue 12's mechanism): five statistics of
 * the network's own input — the 4 mm SBR map after spatial normalisation — compared with the bounds found on held-out
 * phantoms of every training family, so that an input unlike anything the model knows (another tracer, a non-brain
 * image that passed registration, an absurd reference region, a saturated or empty striatum) comes with a warning
 * instead of a confident probability.
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

    /** Warnings for one classifier input (the normalised MNI volume), empty when it is like the training data. */
    static List<String> check(Applicability a, Volume sbrMap) {
        if (a.checks().isEmpty()) {
            return List.of();
        }
        return a.checkInput(DEFINITION, statistics(DatCnn.pooled(sbrMap)));
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

    public static void main(String[] args) throws Exception {
        Applicability a = fromCaches(Path.of(args[0]), Path.of(args[1]));
        System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(a.toYaml()));
        // inputs from elsewhere: the fixed-anatomy phantom generator and images that are not DaT-SPECT
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        System.out.println("SpectPhantom stage 2: " + check(a, DatCnn.normalise(ph.image())));
        Volume flat = DatTemplate.load().copy();
        for (float[] pl : flat.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = pl[i] > 0.5f ? 1 : 0.1f; // a uniform brain (perfusion-like, no striatal binding)
            }
        }
        System.out.println("uniform brain: " + check(a, DatCnn.normalise(flat)));
        System.out.printf(Locale.ROOT, "validation flagged %.4f%n", a.calibration().get("validation_flagged_fraction"));
    }
}
