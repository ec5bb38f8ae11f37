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
 * (never used for the bounds) and stored with them. Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatApplicabilityCalibration runs/spect-dat-data ../shared/data}.
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

}
