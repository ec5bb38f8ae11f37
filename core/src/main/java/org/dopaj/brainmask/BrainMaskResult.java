package org.dopaj.brainmask;

import java.util.List;

import org.dopaj.image.Volume;

/**
 * What brain masking returns, every volume on the input's grid (same dimensions and affine).
 *
 * @param mask        binary brain mask, values 0/1 (written as uint8)
 * @param brain       the input with everything outside the mask set to 0
 * @param probability the convention's score, interpolated to the input grid: P(brain) (brain convention), or
 *                    max(P(brain) + P(CSF shell), P(brain) + 0.35), 0…1.35 (intracranial: ≥ 0.85 exactly where
 *                    P(brain) + P(CSF shell) ≥ 0.85 or P(brain) ≥ 0.5, so the intracranial mask holds the brain mask)
 * @param volumeMl    brain volume: mask voxels × voxel volume / 1000
 * @param voxels      mask voxel count
 * @param seconds     wall time of the whole run (resampling, prediction, post-processing)
 * @param notes       remarks a user should see (e.g. a 2D slice run as one slice, an empty mask, the brain cut by
 *                    the field of view at a named side)
 * @param convention  the mask convention (brain surface or intracranial)
 * @param brainConfidence share of the candidate brain voxels (2 mm, P(brain) ≥ 0.5) with P(brain) &gt; 0.9; below
 *                    {@code BrainMasker.MIN_CONFIDENT_SHARE} (0.3) a 3D image is taken to hold no brain
 */
public record BrainMaskResult(Volume mask, Volume brain, Volume probability, double volumeMl, long voxels,
        double seconds, List<String> notes, BrainMaskModel.Convention convention, double brainConfidence) {

    public BrainMaskResult {
        notes = List.copyOf(notes);
    }

    /** Prefix of the notes that say the brain is cut by the field of view (one per side). */
    public static final String FOV_CUT = "the brain is cut by the field of view";

    /** The notes saying where the brain is cut by the field of view (empty when it is not). */
    public List<String> fieldOfViewWarnings() {
        return notes.stream().filter(n -> n.startsWith(FOV_CUT)).toList();
    }
}
