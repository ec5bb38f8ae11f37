package org.dopaj.brainmask;

import java.util.List;

import org.dopaj.image.Volume;

/**
 * What brain masking returns, every volume on the input's grid (same dimensions and affine).
 *
 * @param mask        binary brain mask, values 0/1 (written as uint8)
 * @param brain       the input with everything outside the mask set to 0
 * @param probability the network's brain probability (0..1), interpolated to the input grid
 * @param volumeMl    brain volume: mask voxels × voxel volume / 1000
 * @param voxels      mask voxel count
 * @param seconds     wall time of the whole run (resampling, prediction, post-processing)
 * @param notes       remarks a user should see (e.g. a 2D slice run as one slice, an empty mask)
 */
public record BrainMaskResult(Volume mask, Volume brain, Volume probability, double volumeMl, long voxels,
        double seconds, List<String> notes) {

    public BrainMaskResult {
        notes = List.copyOf(notes);
    }
}
