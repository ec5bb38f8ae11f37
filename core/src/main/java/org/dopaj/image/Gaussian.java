package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Separable 3D Gaussian smoothing with the width given as FWHM in mm (as SPM and SPECT papers state it),
 * converted per axis with the grid's voxel size: σ = FWHM / (2√(2 ln 2)) / voxel size. The kernel is the
 * sampled Gaussian truncated at ⌈4σ⌉ voxels and normalised to sum 1.
 *
 * <p>Borders: the kernel is renormalised over the voxels that exist (voxels outside the image are left
 * out, and the remaining weights are divided by their sum). A constant image therefore stays constant up
 * to the edges, and no artificial dark rim appears; away from the borders the total intensity is kept.
 * 4D volumes are smoothed frame by frame (never across time). An FWHM of 0 along an axis leaves that axis
 * untouched; all zero returns a copy. NaN voxels spread NaN: check inputs with {@link Volume#requireFinite}.
 */
public final class Gaussian {
    /** 2√(2 ln 2): FWHM = this · σ. */
    public static final double FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.log(2));

    private Gaussian() {
    }

    /** Isotropic smoothing: the same FWHM in mm along the three axes. */
    public static Volume smooth(Volume v, double fwhmMm) {
        return smooth(v, fwhmMm, fwhmMm, fwhmMm);
    }

    /** Smoothing with FWHM fx, fy, fz in mm along voxel axes i, j, k; a new volume (the input is unchanged). */
    public static Volume smooth(Volume v, double fwhmX, double fwhmY, double fwhmZ) {
        double[] f = {fwhmX, fwhmY, fwhmZ};
        for (double w : f) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new DopajException("fwhm_mm must be ≥ 0 and finite, got " + fwhmX + ", " + fwhmY + ", " + fwhmZ);
            }
        }
        Grid g = v.grid();
        double[] vox = g.voxelMm();
        int[] n = g.dims();
        float[][] k = new float[3][];
        float[][] inv = new float[3][];
        for (int a = 0; a < 3; a++) {
            if (f[a] > 0 && n[a] > 1) {
                k[a] = kernel(f[a] / FWHM_PER_SIGMA / vox[a]);
                inv[a] = inverseNorms(k[a], n[a]);
            }
        }
        Volume out = v.copy();
        int nx = n[0];
        int ny = n[1];
        int nz = n[2];
        int nt = v.nt();
        if (k[0] != null || k[1] != null) {
            Parallel.chunks(nz * nt, (from, to) -> {
                float[] pad = k[0] == null ? null : new float[nx + 2 * (k[0].length - 1)];
                float[] tmp = new float[nx * ny];
                for (int p = from; p < to; p++) {
                    float[] plane = out.planes()[p];
                    if (k[0] != null) {
                        for (int y = 0; y < ny; y++) {
                            rowPass(plane, y * nx, nx, k[0], inv[0], pad);
                        }
                    }
                    if (k[1] != null) {
                        System.arraycopy(plane, 0, tmp, 0, plane.length);
                        columnPass(tmp, plane, nx, ny, k[1], inv[1]);
                    }
                }
            });
        }
        if (k[2] != null) {
            // along z, one row y at a time: gather the nz rows into a slab, filter, write back
            for (int t = 0; t < nt; t++) {
                final int frame = t;
                Parallel.chunks(ny, (from, to) -> {
                    float[] slab = new float[nx * nz];
                    float[] res = new float[nx * nz];
                    for (int y = from; y < to; y++) {
                        for (int z = 0; z < nz; z++) {
                            System.arraycopy(out.plane(z, frame), y * nx, slab, z * nx, nx);
                        }
                        columnPass(slab, res, nx, nz, k[2], inv[2]);
                        for (int z = 0; z < nz; z++) {
                            System.arraycopy(res, z * nx, out.plane(z, frame), y * nx, nx);
                        }
                    }
                });
            }
        }
        return out;
    }

    /**
     * Half kernel of a sampled Gaussian with standard deviation {@code sigmaVoxels}: element d is the weight at
     * offset ±d, d = 0…⌈4σ⌉, normalised so that the full symmetric kernel sums to 1.
     */
    public static float[] kernel(double sigmaVoxels) {
        if (!(sigmaVoxels > 0) || !Double.isFinite(sigmaVoxels)) {
            throw new DopajException("Gaussian sigma must be positive, got " + sigmaVoxels);
        }
        int r = Math.max(1, (int) Math.ceil(4 * sigmaVoxels));
        double[] w = new double[r + 1];
        double sum = 0;
        for (int d = 0; d <= r; d++) {
            w[d] = Math.exp(-0.5 * d * d / (sigmaVoxels * sigmaVoxels));
            sum += d == 0 ? w[d] : 2 * w[d];
        }
        float[] k = new float[r + 1];
        for (int d = 0; d <= r; d++) {
            k[d] = (float) (w[d] / sum);
        }
        return k;
    }

    /** 1 / (sum of the kernel weights that fall inside 0…n−1) for each position. */
    private static float[] inverseNorms(float[] k, int n) {
        float[] inv = new float[n];
        int r = k.length - 1;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int d = -r; d <= r; d++) {
                int j = i + d;
                if (j >= 0 && j < n) {
                    s += k[Math.abs(d)];
                }
            }
            inv[i] = (float) (1 / s);
        }
        return inv;
    }

    /** Filters one row in place; {@code pad} is a zeroed scratch row with r voxels of margin on each side. */
    private static void rowPass(float[] a, int off, int n, float[] k, float[] inv, float[] pad) {
        int r = k.length - 1;
        System.arraycopy(a, off, pad, r, n);
        // margins stay zero: left out of the sum, compensated by inv[]
        for (int x = 0; x < n; x++) {
            int c = x + r;
            float s = k[0] * pad[c];
            for (int d = 1; d <= r; d++) {
                s += k[d] * (pad[c - d] + pad[c + d]);
            }
            a[off + x] = s * inv[x];
        }
    }

    /** Filters along the slow axis of an nx×n array: dst row y = Σ k·src rows y±d, vectorised over x. */
    private static void columnPass(float[] src, float[] dst, int nx, int n, float[] k, float[] inv) {
        int r = k.length - 1;
        for (int y = 0; y < n; y++) {
            int o = y * nx;
            float k0 = k[0];
            for (int x = 0; x < nx; x++) {
                dst[o + x] = k0 * src[o + x];
            }
            for (int d = 1; d <= r; d++) {
                float w = k[d];
                int lo = y - d;
                int hi = y + d;
                if (lo >= 0 && hi < n) {
                    int ol = lo * nx;
                    int oh = hi * nx;
                    for (int x = 0; x < nx; x++) {
                        dst[o + x] += w * (src[ol + x] + src[oh + x]);
                    }
                } else if (lo >= 0) {
                    int ol = lo * nx;
                    for (int x = 0; x < nx; x++) {
                        dst[o + x] += w * src[ol + x];
                    }
                } else if (hi < n) {
                    int oh = hi * nx;
                    for (int x = 0; x < nx; x++) {
                        dst[o + x] += w * src[oh + x];
                    }
                }
            }
            float s = inv[y];
            for (int x = 0; x < nx; x++) {
                dst[o + x] *= s;
            }
        }
    }
}
