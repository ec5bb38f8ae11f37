package org.dopaj.nigrosome;

import java.util.Locale;
import org.dopaj.DopajException;

/**
 * Units of a position a user types or a ROI passes. VOXEL coordinates are 0-based along all three axes
 * (NIfTI i,j,k = ImageJ x,y and slice number − 1); MM coordinates are scanner millimetres of the image's
 * voxel→mm affine (NIfTI RAS+ frame).
 */
public enum Units {
    VOXEL, MM;

    /** "voxel", "voxels", "vox" or "mm" (case-insensitive). */
    public static Units parse(String s) {
        if (s != null) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "voxel", "voxels", "vox" -> {
                    return VOXEL;
                }
                case "mm" -> {
                    return MM;
                }
                default -> {
                }
            }
        }
        throw new DopajException("units must be 'voxel' or 'mm', got '" + s + "'");
    }

    /** Lower-case name as used in parameters and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
