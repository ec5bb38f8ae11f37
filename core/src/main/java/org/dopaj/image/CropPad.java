package org.dopaj.image;

import java.util.Arrays;
import org.dopaj.DopajException;

/**
 * Crops and pads a volume by whole voxels, without interpolation. The result's affine is shifted so that
 * every voxel keeps its scanner position: voxel i of the result is voxel i + start of the input, at mm
 * affine·(i + start). Parts of the box that fall outside the input are filled with a given value.
 * All frames of a 4D volume are cropped alike.
 */
public final class CropPad {
    private CropPad() {
    }

    /**
     * The box of size sx×sy×sz starting at input voxel (x0,y0,z0); the box may extend past the input on any
     * side (even lie wholly outside it), those voxels get {@code pad}.
     */
    public static Volume crop(Volume v, int x0, int y0, int z0, int sx, int sy, int sz, float pad) {
        if (sx <= 0 || sy <= 0 || sz <= 0) {
            throw new DopajException("crop size must be positive, got " + sx + "×" + sy + "×" + sz);
        }
        Grid g = v.grid();
        double[][] a = g.affine();
        for (int r = 0; r < 3; r++) {
            a[r][3] += a[r][0] * x0 + a[r][1] * y0 + a[r][2] * z0;
        }
        Grid cg = new Grid(sx, sy, sz, g.voxelMm(), a);
        Volume out = Volume.allocate(cg, v.nt());
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        // overlap of the box with the input, in box coordinates
        int xa = Math.max(0, -x0);
        int xb = Math.min(sx, nx - x0);
        int ya = Math.max(0, -y0);
        int yb = Math.min(sy, ny - y0);
        int nt = v.nt();
        Parallel.chunks(sz * nt, (from, to) -> {
            for (int p = from; p < to; p++) {
                int t = p / sz;
                int z = p % sz;
                float[] dst = out.plane(z, t);
                int zs = z + z0;
                if (zs < 0 || zs >= nz || xa >= xb || ya >= yb) {
                    Arrays.fill(dst, pad);
                    continue;
                }
                if (pad != 0f) {
                    Arrays.fill(dst, pad);
                }
                float[] src = v.plane(zs, t);
                for (int y = ya; y < yb; y++) {
                    System.arraycopy(src, (y + y0) * nx + xa + x0, dst, y * sx + xa, xb - xa);
                }
            }
        });
        return out;
    }

    /**
     * The box of size sx×sy×sz whose voxel (sx/2, sy/2, sz/2) (integer division) is input voxel (cx,cy,cz).
     * With the nigrosome 50×50×20 crop the centre lands on crop index (25,25,10): the crop spans c−25…c+24
     * in-plane and c−10…c+9 through-plane.
     */
    public static Volume centred(Volume v, int cx, int cy, int cz, int sx, int sy, int sz, float pad) {
        return crop(v, cx - sx / 2, cy - sy / 2, cz - sz / 2, sx, sy, sz, pad);
    }

    /**
     * The volume padded (or cropped) symmetrically to sx×sy×sz: along each axis the input starts at
     * floor((s − n)/2), so odd differences put the extra voxel at the high end; the field-of-view centre stays
     * within half a voxel.
     */
    public static Volume padTo(Volume v, int sx, int sy, int sz, float pad) {
        int[] s = padStart(v.grid(), sx, sy, sz);
        return crop(v, s[0], s[1], s[2], sx, sy, sz, pad);
    }

    /** Start voxel (x0,y0,z0) that {@link #padTo} uses for this input and size. */
    public static int[] padStart(Grid g, int sx, int sy, int sz) {
        return new int[]{-Math.floorDiv(sx - g.nx(), 2), -Math.floorDiv(sy - g.ny(), 2), -Math.floorDiv(sz - g.nz(), 2)};
    }
}
