package org.dopaj.nigrosome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One annotated nigrosome-1 centroid: its side, its position in 0-based voxel coordinates of the image it
 * was placed on (fractional allowed) and the same position in scanner mm (the image's voxel→mm affine).
 */
public record Centroid(Side side, Point3 voxel, Point3 mm) {
    /** Voxel coordinates within this distance of integers count as a voxel centre. */
    public static final double ON_VOXEL_TOLERANCE = 1e-6;

    /** True when the centroid sits on a voxel centre (all three coordinates integers within 1e-6). */
    public boolean isOnVoxel() {
        return Math.abs(voxel.x() - Math.rint(voxel.x())) <= ON_VOXEL_TOLERANCE
                && Math.abs(voxel.y() - Math.rint(voxel.y())) <= ON_VOXEL_TOLERANCE
                && Math.abs(voxel.z() - Math.rint(voxel.z())) <= ON_VOXEL_TOLERANCE;
    }

    /** The nearest voxel (rounded coordinates). */
    public int[] nearestVoxel() {
        return new int[]{(int) Math.rint(voxel.x()), (int) Math.rint(voxel.y()), (int) Math.rint(voxel.z())};
    }

    /** {"side", "voxel": [i,j,k], "mm": [x,y,z]} for a JSON sidecar. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", side.label());
        m.put("voxel", List.of(voxel.x(), voxel.y(), voxel.z()));
        m.put("mm", List.of(mm.x(), mm.y(), mm.z()));
        return m;
    }
}
