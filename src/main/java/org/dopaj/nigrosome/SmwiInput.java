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
        return v;
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
