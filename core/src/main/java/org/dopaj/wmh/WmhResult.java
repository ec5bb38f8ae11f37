package org.dopaj.wmh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.image.Volume;

/**
 * What {@link WmhSegmenter} found, on the input's grid.
 *
 * @param probability   WMH probability 0…1 (the network's, mapped back from the MNI box; 0/1 for the threshold method)
 * @param mask          WMH voxels (probability ≥ the package's calibrated threshold, inside the brain mask), 0/1
 * @param wmhMl         volume of the mask, mL
 * @param wmhPvMl       partial-volume weighted volume: Σ probability × voxel volume over voxels with probability ≥ 0.1, mL
 * @param periventricularMl mask volume within 10 mm (MNI) of the ventricles, mL
 * @param deepMl        mask volume elsewhere, mL
 * @param juxtacorticalMl mask volume within 4 mm (MNI) of the cortex and not periventricular, mL
 * @param lesions       26-connected components of the mask
 * @param grade         volume grade 0–3 ({@link WmhSegmenter#grade}), not a visual Fazekas score
 * @param method        "network" or "threshold"
 * @param model         model package id, or the baseline's name
 * @param registrationNcc NCC of the affine registration to the MNI152 template
 * @param brainMl       brain-mask volume, mL
 * @param seconds       wall time of the analysis (after model loading)
 * @param notes         warnings and remarks
 */
public record WmhResult(Volume probability, Volume mask, double wmhMl, double wmhPvMl, double periventricularMl,
        double deepMl, double juxtacorticalMl, int lesions, int grade, String method, String model,
        double registrationNcc, double brainMl, double seconds, List<String> notes) {

    /** The one serialisation the CLI's JSON, batch rows and reports use. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wmh_ml", round(wmhMl));
        m.put("wmh_pv_ml", round(wmhPvMl));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("periventricular_ml", round(periventricularMl));
        r.put("deep_ml", round(deepMl));
        r.put("juxtacortical_ml", round(juxtacorticalMl));
        m.put("regions", r);
        m.put("lesions", lesions);
        m.put("grade", grade);
        m.put("grade_rule", WmhSegmenter.GRADE_RULE);
        m.put("method", method);
        m.put("model", model);
        m.put("registration_ncc", round(registrationNcc));
        m.put("brain_ml", round(brainMl));
        m.put("seconds", round(seconds));
        m.put("notes", notes);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
