package org.dopaj.nigrosome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * One nigrosome-1 crop as the regression model sees it.
 *
 * @param side           patient side
 * @param centroid       the centroid it was cut around (voxel and mm of the input image)
 * @param volume         the crop; its grid maps the centre index ({@link NigrosomeCropper#centreIndex()},
 *                       (25,25,10) by default) to the centroid in scanner mm
 * @param interpolated   false when voxels were copied as they are (input already on the model's voxel size and the
 *                       centroid on a voxel centre), true when resampled trilinearly
 * @param insideFraction fraction of crop voxels that lie inside the input image (the rest is padding)
 * @param padValue       value given to the voxels outside the input
 */
public record NigrosomeCrop(Side side, Centroid centroid, Volume volume, boolean interpolated, double insideFraction,
                            float padValue) {

    /** Description for a JSON sidecar (no voxel data). */
    public Map<String, Object> toMap() {
        Grid g = volume.grid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", side.label());
        m.put("centroid", centroid.toMap());
        m.put("dims", List.of(g.nx(), g.ny(), g.nz()));
        double[] v = g.voxelMm();
        m.put("voxel_mm", List.of(v[0], v[1], v[2]));
        m.put("orientation", g.orientation());
        m.put("interpolated", interpolated);
        m.put("inside_fraction", insideFraction);
        m.put("pad_value", (double) padValue);
        return m;
    }
}
