package org.dopaj.dl.train;

import org.dopaj.DopajException;

/**
 * One training sample: the input in tensor order (C order of the model's input shape, channels
 * last, e.g. [d][h][w][c] with c fastest) and its target: {label} for classification, the values
 * for regression, or a per-voxel class-index map (C order of the spatial shape) for segmentation.
 */
public record Sample(float[] input, float[] target) {

    public Sample {
        if (input == null || target == null) {
            throw new DopajException("a sample needs both an input and a target");
        }
    }
}
