package org.dopaj.nigrosome;

import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Checks on an SMWI image before nigrosome crops are cut from it, shared by the command line and the Fiji commands:
 * one 3D volume (a 2D image or a 4D series is refused), and a voxel size in mm — an image without one (e.g. an
 * uncalibrated TIFF, where 1 mm voxels were only assumed) must be given one explicitly, since the crop's 0.5 mm
 * voxels would otherwise silently cover the wrong anatomy.
 */
public final class SmwiInput {
    private SmwiInput() {
    }

    /** Refuses a 4D or 2D image, naming {@code what} (a file or image title). */
    public static Volume require3d(Volume v, String what) {
        if (v.nt() > 1) {
            throw new DopajException(what + ": 4D image (" + v.nt() + " frames): the nigrosome crop needs one 3D SMWI"
                    + " volume; extract the frame first");
        }
        if (v.nz() < 2) {
            throw new DopajException(what + ": 2D image (1 slice): the nigrosome crop needs a 3D SMWI volume ("
                    + "20 slices of 1 mm around each nigrosome)");
        }
        requireSmwi(v, what);
        return v;
    }

    /**
     * Refuses a volume no SMWI can be: no finite voxel, every voxel 0, constant, or negative voxels (SMWI is a
     * magnitude times a mask); and a grid whose voxel size or affine is not finite and non-degenerate. Non-finite
     * voxels away from the nigrosomes are left to the cropper, which refuses them only where a crop reads.
     */
    public static void requireSmwi(Volume v, String what) {
        double[] vox = v.grid().voxelMm();
        double[][] a = v.grid().affine();
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        boolean finite = Double.isFinite(det) && Math.abs(det) > 1e-12;
        for (double d : vox) {
            finite &= Double.isFinite(d) && d > 0;
        }
        for (double[] row : a) {
            for (double d : row) {
                finite &= Double.isFinite(d);
            }
        }
        if (!finite) {
            throw new DopajException(what + ": no usable geometry (voxel size or voxel-to-mm affine not finite, zero or"
                    + " degenerate)");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        long neg = 0;
        for (float[] p : v.planes()) {
            for (float f : p) {
                if (Float.isFinite(f)) {
                    n++;
                    min = Math.min(min, f);
                    max = Math.max(max, f);
                    if (f < 0) {
                        neg++;
                    }
                }
            }
        }
        if (n == 0) {
            throw new DopajException(what + ": no finite voxel");
        }
        if (neg > 0) {
            throw new DopajException(String.format(Locale.ROOT, "%s: %d negative voxel(s) (min %.4g): SMWI is a magnitude"
                    + " times a mask and cannot be negative (phase or a difference image?)", what, neg, min));
        }
        if (max == 0) {
            throw new DopajException(what + ": empty (every voxel is 0)");
        }
        if (max == min) {
            throw new DopajException(String.format(Locale.ROOT, "%s: constant (every voxel is %.6g)", what, min));
        }
    }

    /**
     * The image with voxel size {@code mm} (x, y, z): the affine's columns are rescaled, directions and the position
     * of voxel (0,0,0) kept. Voxels are shared, not copied.
     */
    public static Volume withVoxelSize(Volume v, double[] mm, String what) {
        if (mm == null || mm.length != 3) {
            throw new DopajException(what + ": voxel size needs 3 values (x,y,z mm)");
        }
        for (double d : mm) {
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new DopajException(String.format(Locale.ROOT, "%s: voxel size must be positive mm, got %s,%s,%s",
                        what, mm[0], mm[1], mm[2]));
            }
        }
        Grid g = v.grid();
        double[][] a = g.affine();
        double[] old = g.voxelMm();
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                a[r][c] = a[r][c] / old[c] * mm[c];
            }
        }
        return v.withGrid(new Grid(g.nx(), g.ny(), g.nz(), mm.clone(), a));
    }

    /** Parses "x,y,z" (mm) as given to {@code --voxel-size}. */
    public static double[] parseVoxelSize(String text) {
        String[] f = text == null ? new String[0] : text.trim().split("\\s*[,x×]\\s*");
        if (f.length != 3) {
            throw new DopajException("voxel size: expected 'x,y,z' in mm, got '" + text + "'");
        }
        double[] v = new double[3];
        try {
            for (int i = 0; i < 3; i++) {
                v[i] = Double.parseDouble(f[i]);
            }
        } catch (NumberFormatException e) {
            throw new DopajException("voxel size: expected 'x,y,z' in mm, got '" + text + "'");
        }
        return v;
    }
}
