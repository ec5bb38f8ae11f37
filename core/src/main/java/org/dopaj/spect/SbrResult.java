package org.dopaj.spect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DaT-SPECT measurement of one image. SBR = (mean VOI − mean reference) / mean reference; the hottest-voxel
 * SBR uses the mean of the {@code hottestVoxels} hottest voxels of the VOI in place of its mean.
 *
 * @param sbr                 region → SBR (every region of the VOI set except the reference)
 * @param hottestSbr          region → hottest-voxel SBR
 * @param meanCounts          region → mean voxel value, reference included
 * @param voxels              region → number of voxels measured (inside the image's field of view)
 * @param referenceMean       mean of the reference region
 * @param hottestVoxels       N of the hottest-voxel SBR
 * @param putamenAsymmetryPct |R−L| / mean(R,L) × 100 of putamen SBR (null when mean(R,L) ≤ 0)
 * @param caudateAsymmetryPct the same for caudate
 * @param striatumAsymmetryPct the same for striatum
 * @param putamenCaudateRatioL putamen SBR / caudate SBR, left (null when caudate SBR ≤ 0)
 * @param putamenCaudateRatioR the same, right
 * @param zScores             metric → z-score (empty without a normal database)
 * @param age                 patient age used for z-scores (null when not given)
 * @param voiSource           where the VOIs came from
 * @param resampled           true when the image was resampled (trilinear) onto the VOI grid
 * @param warnings            conditions the reader should check (e.g. the image may not be spatially normalised)
 */
public record SbrResult(Map<String, Double> sbr, Map<String, Double> hottestSbr, Map<String, Double> meanCounts,
                        Map<String, Long> voxels, double referenceMean, int hottestVoxels, Double putamenAsymmetryPct,
                        Double caudateAsymmetryPct, Double striatumAsymmetryPct, Double putamenCaudateRatioL,
                        Double putamenCaudateRatioR, Map<String, Double> zScores, Double age, String voiSource,
                        boolean resampled, List<String> warnings) {

    /**
     * All scalar metrics by key, the keys a normal database may name: each region's SBR under its name,
     * {@code <region>_hottest}, {@code putamen_asymmetry}, {@code caudate_asymmetry}, {@code striatum_asymmetry},
     * {@code putamen_caudate_ratio_l}, {@code putamen_caudate_ratio_r} (undefined ones are left out).
     */
    /** The lower of the left and right putamen SBR (what a threshold classifier reads). */
    public double lowerPutamenSbr() {
        return Math.min(sbr.get(VoiSet.PUTAMEN_L), sbr.get(VoiSet.PUTAMEN_R));
    }

    /** The lower of the left and right hottest-voxel putamen SBR. */
    public double lowerPutamenHottestSbr() {
        return Math.min(hottestSbr.get(VoiSet.PUTAMEN_L), hottestSbr.get(VoiSet.PUTAMEN_R));
    }

    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>(sbr);
        hottestSbr.forEach((k, v) -> m.put(k + "_hottest", v));
        putIfDefined(m, "putamen_asymmetry", putamenAsymmetryPct);
        putIfDefined(m, "caudate_asymmetry", caudateAsymmetryPct);
        putIfDefined(m, "striatum_asymmetry", striatumAsymmetryPct);
        putIfDefined(m, "putamen_caudate_ratio_l", putamenCaudateRatioL);
        putIfDefined(m, "putamen_caudate_ratio_r", putamenCaudateRatioR);
        return m;
    }

    private static void putIfDefined(Map<String, Double> m, String k, Double v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** The six main regions, in the order results list them. */
    public static final List<String> MAIN = List.of(VoiSet.CAUDATE_L, VoiSet.CAUDATE_R, VoiSet.PUTAMEN_L,
            VoiSet.PUTAMEN_R, VoiSet.STRIATUM_L, VoiSet.STRIATUM_R);

    /**
     * The one serialisation of a result (the CLI's JSON, a batch row, a report): {@code sbr} and
     * {@code hottest_voxel_sbr} of the six main regions, the asymmetries and putamen/caudate ratios, the
     * {@code subregion_sbr} of any other VOI, {@code z_scores} and {@code age} (empty/null without a normal
     * database), the reference mean, the VOI source and the warnings. Undefined figures are nulls.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> main = new LinkedHashMap<>();
        Map<String, Object> hot = new LinkedHashMap<>();
        for (String k : MAIN) {
            main.put(k, sbr.get(k));
            hot.put(k, hottestSbr.get(k));
        }
        m.put("sbr", main);
        m.put("hottest_voxel_sbr", hot);
        m.put("putamen_asymmetry_pct", putamenAsymmetryPct);
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("l", putamenCaudateRatioL);
        pc.put("r", putamenCaudateRatioR);
        m.put("putamen_caudate_ratio", pc);
        Map<String, Object> sub = new LinkedHashMap<>();
        sbr.forEach((k, v) -> {
            if (!MAIN.contains(k)) {
                sub.put(k, v);
            }
        });
        m.put("subregion_sbr", sub);
        m.put("caudate_asymmetry_pct", caudateAsymmetryPct);
        m.put("striatum_asymmetry_pct", striatumAsymmetryPct);
        m.put("z_scores", new LinkedHashMap<>(zScores));
        m.put("age", age);
        m.put("reference_mean", referenceMean);
        m.put("hottest_voxels", hottestVoxels);
        m.put("voi_source", voiSource);
        m.put("resampled", resampled);
        m.put("warnings", List.copyOf(warnings));
        return m;
    }

    /**
     * The one serialisation of a quantification whose image reached MNI space through {@code norm}: {@link #toMap()},
     * every warning (the normalisation's first) and the normalisation's fields ({@link DatNormaliser.Normalised#toMap}).
     * The CLI's JSON, the batch row and the Fiji log are this map.
     */
    public Map<String, Object> toMap(DatNormaliser.Normalised norm) {
        Map<String, Object> m = toMap();
        List<String> all = new java.util.ArrayList<>(norm.warnings());
        all.addAll(warnings);
        m.put("warnings", all);
        m.putAll(norm.toMap());
        return m;
    }

    /**
     * The table form (the Fiji table "DopaJ SBR"): one row per region ({@code region}, {@code sbr},
     * {@code hottest_sbr}, {@code mean_counts}, {@code voxels}, and {@code z}, {@code hottest_z} with a normal
     * database), the reference region, then one row per derived metric with its value in {@code sbr}. NaN where a
     * value does not apply.
     */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Double> e : sbr.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("region", e.getKey());
            r.put("sbr", e.getValue());
            r.put("hottest_sbr", hottestSbr.get(e.getKey()));
            r.put("mean_counts", meanCounts.get(e.getKey()));
            r.put("voxels", (double) voxels.get(e.getKey()));
            if (!zScores.isEmpty()) {
                r.put("z", orNaN(zScores.get(e.getKey())));
                r.put("hottest_z", orNaN(zScores.get(e.getKey() + "_hottest")));
            }
            out.add(r);
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("region", VoiSet.REFERENCE);
        ref.put("sbr", Double.NaN);
        ref.put("hottest_sbr", Double.NaN);
        ref.put("mean_counts", referenceMean);
        ref.put("voxels", (double) voxels.get(VoiSet.REFERENCE));
        out.add(ref);
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("putamen_asymmetry_pct", putamenAsymmetryPct);
        extra.put("caudate_asymmetry_pct", caudateAsymmetryPct);
        extra.put("striatum_asymmetry_pct", striatumAsymmetryPct);
        extra.put("putamen_caudate_ratio_l", putamenCaudateRatioL);
        extra.put("putamen_caudate_ratio_r", putamenCaudateRatioR);
        extra.forEach((k, v) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("region", k);
            r.put("sbr", orNaN(v));
            r.put("hottest_sbr", Double.NaN);
            r.put("mean_counts", Double.NaN);
            r.put("voxels", Double.NaN);
            out.add(r);
        });
        return out;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
