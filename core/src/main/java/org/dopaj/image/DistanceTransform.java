package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Exact Euclidean distance transform in mm (Felzenszwalb &amp; Huttenlocher's separable lower-envelope
 * algorithm, one pass per axis, O(voxels)), with anisotropic voxels: the distance between voxel centres
 * (i,j,k) and (i',j',k') is √((Δi·vx)² + (Δj·vy)² + (Δk·vz)²) with the grid's voxel sizes (the affine's axes
 * are taken as orthogonal, as they are for scanner grids; shear is ignored). Used for fast ball-shaped
 * morphology ({@link Components}) and for surface distances (Hausdorff).
 *
 * <p>Only voxels of the grid count: space outside the grid is neither foreground nor background. Masks
 * follow {@link Components}' rule (non-zero and not NaN = foreground).
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Distance in mm from each voxel centre to the nearest foreground voxel centre (0 on the foreground,
     * +∞ everywhere when the mask is empty), as a new float volume on the mask's grid.
     */
    public static Volume edtMm(Volume mask) {
        byte[][] fg = Components.bits(mask, "mask");
        float[][] d = squaredMm(fg, mask.grid(), false);
        sqrtInPlace(d);
        return new Volume(mask.grid(), d);
    }

    /**
     * Distance in mm from each voxel to the nearest foreground voxel, for a mask given as one byte plane per z
     * (x fastest, non-zero = foreground) on {@code grid}; returns one float plane per z.
     */
    public static float[][] edtMm(byte[][] mask, Grid grid) {
        float[][] d = squaredMm(mask, grid, false);
        sqrtInPlace(d);
        return d;
    }

    /**
     * Squared distances in mm² to the nearest voxel whose mask byte is non-zero ({@code toBackground} false) or
     * zero ({@code toBackground} true). Float planes, x fastest; +∞ where there is no such voxel.
     */
    public static float[][] squaredMm(byte[][] mask, Grid grid, boolean toBackground) {
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        if (mask.length != nz) {
            throw new IllegalArgumentException("mask has " + mask.length + " planes, grid has " + nz);
        }
        double[] vox = grid.voxelMm();
        Memory.require(grid.voxelCount() * Float.BYTES, "a " + grid.nx() + "×" + ny + "×" + nz + " distance map");
        float[][] d = new float[nz][];
        for (int z = 0; z < nz; z++) {
            if (mask[z].length != nx * ny) {
                throw new IllegalArgumentException("mask plane " + z + " has the wrong length");
            }
            d[z] = new float[nx * ny];
        }
        double wx = vox[0] * vox[0];
        double wy = vox[1] * vox[1];
        double wz = vox[2] * vox[2];
        int maxN = Math.max(nx, Math.max(ny, nz));
        // in-plane passes (x then y), plane by plane
        Parallel.chunks(nz, (from, to) -> {
            Line line = new Line(maxN);
            for (int z = from; z < to; z++) {
                byte[] m = mask[z];
                float[] p = d[z];
                for (int y = 0; y < ny; y++) {
                    int o = y * nx;
                    for (int x = 0; x < nx; x++) {
                        boolean site = (m[o + x] != 0) != toBackground;
                        line.f[x] = site ? 0 : Double.POSITIVE_INFINITY;
                    }
                    line.transform(nx, wx);
                    for (int x = 0; x < nx; x++) {
                        p[o + x] = (float) line.d[x];
                    }
                }
                if (ny > 1) {
                    for (int x = 0; x < nx; x++) {
                        for (int y = 0; y < ny; y++) {
                            line.f[y] = p[y * nx + x];
                        }
                        line.transform(ny, wy);
                        for (int y = 0; y < ny; y++) {
                            p[y * nx + x] = (float) line.d[y];
                        }
                    }
                }
            }
        });
        if (nz > 1) {
            // through-plane pass, one row y at a time: gather the nz rows, transform each column, write back
            Parallel.chunks(ny, (from, to) -> {
                Line line = new Line(maxN);
                float[] slab = new float[nx * nz];
                for (int y = from; y < to; y++) {
                    for (int z = 0; z < nz; z++) {
                        System.arraycopy(d[z], y * nx, slab, z * nx, nx);
                    }
                    for (int x = 0; x < nx; x++) {
                        for (int z = 0; z < nz; z++) {
                            line.f[z] = slab[z * nx + x];
                        }
                        line.transform(nz, wz);
                        for (int z = 0; z < nz; z++) {
                            slab[z * nx + x] = (float) line.d[z];
                        }
                    }
                    for (int z = 0; z < nz; z++) {
                        System.arraycopy(slab, z * nx, d[z], y * nx, nx);
                    }
                }
            });
        }
        return d;
    }

    private static void sqrtInPlace(float[][] d) {
        Parallel.chunks(d.length, (from, to) -> {
            for (int z = from; z < to; z++) {
                float[] p = d[z];
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) Math.sqrt(p[i]);
                }
            }
        });
    }

    /** Scratch for the 1D lower envelope of parabolas f(q) + w·(x − q)². */
    private static final class Line {
        final double[] f;
        final double[] d;
        final int[] v;
        final double[] zb;

        Line(int n) {
            f = new double[n];
            d = new double[n];
            v = new int[n];
            zb = new double[n + 1];
        }

        /** d[x] = min over q with finite f[q] of f[q] + w·(x − q)² (+∞ when no f[q] is finite). */
        void transform(int n, double w) {
            int k = -1;
            for (int q = 0; q < n; q++) {
                double fq = f[q];
                if (fq == Double.POSITIVE_INFINITY) {
                    continue; // no parabola from this voxel
                }
                if (k < 0) {
                    k = 0;
                    v[0] = q;
                    zb[0] = Double.NEGATIVE_INFINITY;
                    zb[1] = Double.POSITIVE_INFINITY;
                    continue;
                }
                double s;
                while (true) {
                    int p = v[k];
                    s = ((fq + w * q * q) - (f[p] + w * (double) p * p)) / (2 * w * (q - p));
                    if (s <= zb[k]) {
                        k--; // never below 0, since zb[0] is −∞
                    } else {
                        break;
                    }
                }
                k++;
                v[k] = q;
                zb[k] = s;
                zb[k + 1] = Double.POSITIVE_INFINITY;
            }
            if (k < 0) {
                java.util.Arrays.fill(d, 0, n, Double.POSITIVE_INFINITY);
                return;
            }
            k = 0;
            for (int x = 0; x < n; x++) {
                while (zb[k + 1] < x) {
                    k++;
                }
                double dx = x - v[k];
                d[x] = w * dx * dx + f[v[k]];
            }
        }
    }

    /** Refuses a negative or non-finite radius. */
    static double checkRadius(double radiusMm) {
        if (!(radiusMm >= 0) || !Double.isFinite(radiusMm)) {
            throw new DopajException("radius_mm must be ≥ 0 and finite, got " + radiusMm);
        }
        return radiusMm;
    }
}
