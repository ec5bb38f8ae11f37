package org.dopaj.msa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.dl.model.Applicability;

/**
 * The MSA-vs-PD networks' applicability check ({@link Applicability}, the mechanism of the other DopaJ networks):
 * statistics of the network's own input channels — the prepared GD and MD maps, 2×2×2-pooled to 4 mm
 * ({@link MsaCnn#pooled}) — against bounds from phantoms of the training family, so that maps unlike anything the
 * models learnt from (another pipeline's GD scale or smoothing, an MD map with another tissue contrast, an atrophy
 * beyond the phantoms) come with a warning instead of a silent probability.
 *
 * <p>Statistics (definition {@value #DEFINITION}; a model gets those of the channels it reads): {@code gd_extent} —
 * share of the 4 mm map with GD &gt; 0.1 (brain size after normalisation); {@code gd_mean}, {@code gd_p90} — mean and
 * 90th percentile of GD there; {@code md_tissue} — median MD (µm²/ms) where MD lies in 0.2–1.5 (parenchyma);
 * {@code md_csf} — share of the brain (MD &gt; 0.2) with MD &gt; 1.5 (CSF, atrophy). Bounds: the 0.1 % and 99.9 %
 * quantiles of {@value #CALIBRATION_N} phantoms of the network's training family (seeds 8,000,000 + i, none trained
 * on), widened by 5 % of their distance; the share flagged is measured on {@value #CHECK_N} other phantoms of that
 * family (seeds 8,500,000 + i) and, for information, on the held-out ICBM family. Command: {@code java -cp
 * "$(./dopaj --classpath)" org.dopaj.msa.MsaApplicabilityCalibration ../shared/data CACHE FAMILY}; the package step of
 * the recipe {@code msa} runs it for the family its networks learnt from.
 */
public final class MsaApplicability {
    /** Name of the statistics' definition, stored with the bounds. */
    public static final String DEFINITION = "msa-gd-md-4mm-v1";
    static final int CALIBRATION_N = 400;
    static final int CHECK_N = 200;

    private MsaApplicability() {
    }

    /** The statistics of pooled GD and/or MD channels (null for a channel the model does not read). */
    public static Map<String, Double> statistics(float[] gdPooled, float[] mdPooled) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (gdPooled != null) {
            double[] v = Arrays.stream(box(gdPooled)).filter(x -> x > 0.1).toArray();
            Arrays.sort(v);
            m.put("gd_extent", (double) v.length / gdPooled.length);
            m.put("gd_mean", Arrays.stream(v).average().orElse(0));
            m.put("gd_p90", v.length == 0 ? 0 : v[(int) Math.floor(0.9 * (v.length - 1))]);
        }
        if (mdPooled != null) {
            double[] b = Arrays.stream(box(mdPooled)).filter(x -> x > 0.2).toArray();
            double[] t = Arrays.stream(b).filter(x -> x <= 1.5).sorted().toArray();
            m.put("md_tissue", t.length == 0 ? 0 : t[t.length / 2]);
            m.put("md_csf", b.length == 0 ? 0 : (double) (b.length - t.length) / b.length);
        }
        return m;
    }

    private static double[] box(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Only the statistics a model of {@code modality} reads. */
    static Map<String, double[]> forModality(Map<String, double[]> all, MsaModality modality) {
        Map<String, double[]> m = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("gd_") ? modality.usesGd() : modality.usesMd()) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Warnings for one input (pooled prepared channels; null where unused), empty when like the training maps. */
    public static List<String> check(Applicability a, float[] gdPooled, float[] mdPooled) {
        if (a.checks().isEmpty()) {
            return List.of();
        }
        return a.checkInput(DEFINITION, statistics(gdPooled, mdPooled));
    }

}
