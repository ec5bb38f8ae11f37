package org.dopaj.wmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dopaj.dl.model.Applicability;
import org.dopaj.image.Volume;

/**
 * The WMH network's applicability check ({@link Applicability}, the mechanism of the nigrosome regressor and the
 * DaT-SPECT classifier): statistics of the network's own input — the normalised T1 in the MNI box — compared with the
 * bounds found on synthetic images of the training heads, so that a T1 unlike anything the model learnt from (another
 * contrast that passed the T1 check, an extreme bias field, a strongly atrophic or foreign anatomy after registration)
 * comes with a warning instead of a silent volume.
 *
 * <p>Statistics (definition per input normalisation: {@code wmh-box-t1-z-v1}, {@code wmh-box-t1-tissue-v2}), all on the normalised box: {@code wm_z}, {@code cortex_z},
 * {@code ventricle_z} — the medians of the atlas white matter (&gt; 0.9), cortex and ventricles; {@code wm_iqr} — the
 * interquartile range inside that white matter (texture, noise, residual bias). Bounds: the 0.1 % and 99.9 % quantiles
 * of {@value #CALIBRATION_N} synthetic training images (seeds 4,000,000 + i: the training heads, lesion loads 0–120 mL,
 * the training augmentations) and of the training heads themselves through the pipeline without augmentation (0, 5
 * and 20 mL of lesions each: the first bounds, from augmented images only, flagged the clean averaged heads Colin 27
 * and ICBM 2009a the model was built from), widened by 5 % of their distance; the share flagged is measured on {@value #CHECK_N}
 * other synthetic images (seeds 4,100,000 + i) and stored with them. Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhApplicabilityCalibration ../shared/data}.
 */
public final class WmhApplicability {
    /** Name of the statistics' definition of version-1 inputs, stored with the bounds (others: per normalisation). */
    public static final String DEFINITION = WmhModel.Normalisation.BRAIN_Z.applicabilityDefinition();
    static final int CALIBRATION_N = 600;
    static final int CHECK_N = 300;

    private WmhApplicability() {
    }

    /** The statistics of a normalised box tensor ({@link WmhSegmenter#normalise}, {@link WmhModel#tensorIndex} order). */
    public static Map<String, Double> statistics(float[] z, WmhAtlas atlas) {
        List<Float> wm = new ArrayList<>();
        List<Float> cortex = new ArrayList<>();
        List<Float> vent = new ArrayList<>();
        for (int k = 0; k < WmhModel.NZ; k++) {
            float[] w = atlas.wm().plane(k);
            float[] c = atlas.cortex().plane(k);
            float[] v = atlas.ventricles().plane(k);
            for (int y = 0; y < WmhModel.NY; y++) {
                for (int x = 0; x < WmhModel.NX; x++) {
                    int i = x + y * WmhModel.NX;
                    float val = z[WmhModel.tensorIndex(x, y, k)];
                    if (w[i] > 0.9f) {
                        wm.add(val);
                    }
                    if (c[i] > 0.5f) {
                        cortex.add(val);
                    }
                    if (v[i] > 0.5f) {
                        vent.add(val);
                    }
                }
            }
        }
        double[] w = sorted(wm);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("wm_z", quantile(w, 0.5));
        m.put("cortex_z", quantile(sorted(cortex), 0.5));
        m.put("ventricle_z", quantile(sorted(vent), 0.5));
        m.put("wm_iqr", quantile(w, 0.75) - quantile(w, 0.25));
        return m;
    }

    /**
     * The statistics checked for inputs normalised with {@code n}: all four for {@code brain-z-v1}; for
     * {@code tissue-anchored-v2} the ventricles' median and the white matter's spread only, since that normalisation
     * puts the white-matter median at 0 and the cortex near −1 by construction (bounds on them would be [0, 0] and a
     * sliver around −1: they flag rounding, not images).
     */
    public static Map<String, Double> statistics(float[] z, WmhAtlas atlas, WmhModel.Normalisation n) {
        Map<String, Double> m = statistics(z, atlas);
        if (n == WmhModel.Normalisation.TISSUE) {
            m.remove("wm_z");
            m.remove("cortex_z");
        }
        return m;
    }

    /** Warnings for one network input, empty when it is like the training data or the package has no bounds. */
    public static List<String> check(Applicability a, float[] z, WmhAtlas atlas, WmhModel.Normalisation n) {
        if (a.checks().isEmpty()) {
            return List.of();
        }
        return a.checkInput(n.applicabilityDefinition(), statistics(z, atlas, n));
    }

    private static double[] sorted(List<Float> l) {
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = l.get(i);
        }
        Arrays.sort(d);
        return d;
    }

    private static double quantile(double[] s, double q) {
        if (s.length == 0) {
            return Double.NaN;
        }
        double pos = q * (s.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, s.length - 1);
        return s[i] + (pos - i) * (s[j] - s[i]);
    }
}
