package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Resampling of a volume onto another grid through the two voxel→mm affines (target voxel → scanner mm →
 * source voxel), so images of different resolution, field of view or orientation can be overlaid voxel by
 * voxel. Trilinear interpolation for intensities, nearest neighbour for label images (it never invents a
 * label). 4D volumes are resampled frame by frame.
 *
 * <p>Sampling rule: voxel centres sit at integer coordinates. A target voxel whose source position lies
 * inside the source grid's box (−0.5 … n−0.5 along each axis) gets a value; within the outer half voxel
 * the nearest edge value is used (the position is clamped to 0 … n−1); anything further out gets the
 * {@code fill} value. Entries of the target→source voxel matrix within 1e−9 of an integer are rounded to it,
 * so an identical grid, a permutation or an integer shift copies voxels bit for bit despite rounding in the
 * affine product. A NaN voxel
 * spreads to the trilinear samples that give it a non-zero weight. Work is split over target planes.
 */
public final class Resample {
    private static final double SNAP = 1e-9;

    private Resample() {
    }

    /** How a value between voxel centres is computed. */
    public enum Interpolation {
        /** Value of the closest source voxel (ties go to the higher index): for label images and masks. */
        NEAREST,
        /** Trilinear interpolation of the 8 surrounding voxels: reproduces linear ramps exactly. */
        LINEAR
    }

    /**
     * The source volume sampled on {@code target}.
     *
     * @param fill value for target voxels that fall outside the source grid (e.g. 0, or NaN to mark them)
     */
    public static Volume toGrid(Volume source, Grid target, Interpolation interpolation, float fill) {
        if (interpolation == null) {
            throw new DopajException("interpolation must be NEAREST or LINEAR");
        }
        Grid sg = source.grid();
        // target voxel -> source voxel
        double[][] m = Affines.multiply(Affines.invert(sg.affine()), target.affine());
        for (double[] row : m) {
            for (int c = 0; c < 4; c++) {
                row[c] = snap(row[c]);
            }
        }
        Volume out = Volume.allocate(target, source.nt());
        int tnz = target.nz();
        int nt = source.nt();
        Parallel.chunks(tnz * nt, (from, to) -> {
            for (int p = from; p < to; p++) {
                int t = p / tnz;
                int z = p % tnz;
                float[][] src = new float[sg.nz()][];
                for (int k = 0; k < sg.nz(); k++) {
                    src[k] = source.plane(k, t);
                }
                if (interpolation == Interpolation.LINEAR) {
                    linearPlane(src, sg, m, z, target, out.plane(z, t), fill);
                } else {
                    nearestPlane(src, sg, m, z, target, out.plane(z, t), fill);
                }
            }
        });
        return out;
    }

    /**
     * The volume resampled to voxel size vx×vy×vz mm, keeping its orientation, the centre of its field of view
     * and (to the nearest voxel) its extent: each axis gets round(n·old/new) voxels (at least 1), with the
     * axis directions of the original affine.
     */
    public static Volume toVoxelSize(Volume source, double vx, double vy, double vz, Interpolation interpolation,
                                     float fill) {
        return toGrid(source, gridWithVoxelSize(source.grid(), vx, vy, vz), interpolation, fill);
    }

    /** The grid {@link #toVoxelSize} resamples onto: same orientation and field-of-view centre. */
    public static Grid gridWithVoxelSize(Grid g, double vx, double vy, double vz) {
        double[] nv = {vx, vy, vz};
        for (double v : nv) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new DopajException("voxel_size must be positive mm values, got " + vx + ", " + vy + ", " + vz);
            }
        }
        double[][] a = g.affine();
        int[] n = g.dims();
        double[] old = new double[3];
        int[] nn = new int[3];
        for (int c = 0; c < 3; c++) {
            old[c] = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
            nn[c] = (int) Math.max(1, Math.round(n[c] * old[c] / nv[c]));
        }
        double[] centre = g.toMm((n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0);
        double[][] b = Affines.identity();
        for (int r = 0; r < 3; r++) {
            double tr = centre[r];
            for (int c = 0; c < 3; c++) {
                b[r][c] = a[r][c] * nv[c] / old[c];
                tr -= b[r][c] * (nn[c] - 1) / 2.0;
            }
            b[r][3] = tr;
        }
        Memory.voxels(nn[0], nn[1], nn[2]);
        return new Grid(nn[0], nn[1], nn[2], nv, b);
    }

    /** c rounded to the nearest integer when within {@link #SNAP} of it. */
    private static double snap(double c) {
        double r = Math.rint(c);
        return Math.abs(c - r) < SNAP ? r : c;
    }

    private static void linearPlane(float[][] src, Grid sg, double[][] m, int z, Grid tg, float[] dst, float fill) {
        int snx = sg.nx();
        int sny = sg.ny();
        int snz = sg.nz();
        int tnx = tg.nx();
        int tny = tg.ny();
        for (int y = 0; y < tny; y++) {
            double bx = m[0][1] * y + m[0][2] * z + m[0][3];
            double by = m[1][1] * y + m[1][2] * z + m[1][3];
            double bz = m[2][1] * y + m[2][2] * z + m[2][3];
            int row = y * tnx;
            for (int x = 0; x < tnx; x++) {
                double sx = bx + m[0][0] * x;
                double sy = by + m[1][0] * x;
                double sz = bz + m[2][0] * x;
                if (sx < -0.5 || sy < -0.5 || sz < -0.5 || sx > snx - 0.5 || sy > sny - 0.5 || sz > snz - 0.5) {
                    dst[row + x] = fill;
                    continue;
                }
                // clamp into the span of voxel centres (edge value within the outer half voxel)
                sx = Math.min(Math.max(sx, 0), snx - 1);
                sy = Math.min(Math.max(sy, 0), sny - 1);
                sz = Math.min(Math.max(sz, 0), snz - 1);
                int x0 = (int) sx;
                int y0 = (int) sy;
                int z0 = (int) sz;
                double fx = sx - x0;
                double fy = sy - y0;
                double fz = sz - z0;
                // a neighbour with zero weight is not read (keeps exact copies, avoids indexing past the edge)
                int x1 = fx > 0 ? x0 + 1 : x0;
                int y1 = fy > 0 ? y0 + 1 : y0;
                int z1 = fz > 0 ? z0 + 1 : z0;
                float[] p0 = src[z0];
                float[] p1 = src[z1];
                int r0 = y0 * snx;
                int r1 = y1 * snx;
                double c00 = lerp(p0[r0 + x0], p0[r0 + x1], fx);
                double c10 = lerp(p0[r1 + x0], p0[r1 + x1], fx);
                double c01 = lerp(p1[r0 + x0], p1[r0 + x1], fx);
                double c11 = lerp(p1[r1 + x0], p1[r1 + x1], fx);
                double c0 = lerp(c00, c10, fy);
                double c1 = lerp(c01, c11, fy);
                dst[row + x] = (float) lerp(c0, c1, fz);
            }
        }
    }

    private static double lerp(double a, double b, double f) {
        return f == 0 ? a : a + f * (b - a);
    }

    private static void nearestPlane(float[][] src, Grid sg, double[][] m, int z, Grid tg, float[] dst, float fill) {
        int snx = sg.nx();
        int sny = sg.ny();
        int snz = sg.nz();
        int tnx = tg.nx();
        int tny = tg.ny();
        for (int y = 0; y < tny; y++) {
            double bx = m[0][1] * y + m[0][2] * z + m[0][3];
            double by = m[1][1] * y + m[1][2] * z + m[1][3];
            double bz = m[2][1] * y + m[2][2] * z + m[2][3];
            int row = y * tnx;
            for (int x = 0; x < tnx; x++) {
                double sx = bx + m[0][0] * x;
                double sy = by + m[1][0] * x;
                double sz = bz + m[2][0] * x;
                if (sx < -0.5 || sy < -0.5 || sz < -0.5 || sx > snx - 0.5 || sy > sny - 0.5 || sz > snz - 0.5) {
                    dst[row + x] = fill;
                    continue;
                }
                int ix = Math.min((int) Math.floor(sx + 0.5), snx - 1);
                int iy = Math.min((int) Math.floor(sy + 0.5), sny - 1);
                int iz = Math.min((int) Math.floor(sz + 0.5), snz - 1);
                dst[row + x] = src[iz][iy * snx + ix];
            }
        }
    }
}
