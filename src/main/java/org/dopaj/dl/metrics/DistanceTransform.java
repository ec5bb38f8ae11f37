package org.dopaj.dl.metrics;

/**
 * Exact Euclidean distance transform in mm for anisotropic voxels (Felzenszwalb &amp; Huttenlocher 2012,
 * "Distance transforms of sampled functions", Theory of Computing 8:415): three separable passes of the
 * 1D lower envelope of parabolas along x, y and z, O(n) per line. Kept private to the metrics package so the
 * surface distances behind HD95 do not depend on the image package; it can be unified later.
 */
final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Squared distance in mm² from each voxel centre to the nearest {@code feature} voxel centre
     * (0 on features, +∞ everywhere when there is none). Voxels are x fastest: index x + nx·(y + ny·z).
     */
    static double[] squaredMm(boolean[] feature, int nx, int ny, int nz, double[] voxelMm) {
        int n = nx * ny * nz;
        if (feature.length != n) {
            throw new IllegalArgumentException("mask has " + feature.length + " voxels, expected " + n);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;
        }
        int maxLen = Math.max(nx, Math.max(ny, nz));
        double[] f = new double[maxLen];
        double[] out = new double[maxLen];
        int[] v = new int[maxLen];
        double[] zb = new double[maxLen + 1];
        // along x
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int base = nx * (y + ny * z);
                pass(d, base, 1, nx, voxelMm[0], f, out, v, zb);
            }
        }
        // along y
        for (int z = 0; z < nz; z++) {
            for (int x = 0; x < nx; x++) {
                pass(d, x + nx * ny * z, nx, ny, voxelMm[1], f, out, v, zb);
            }
        }
        // along z
        if (nz > 1) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    pass(d, x + nx * y, nx * ny, nz, voxelMm[2], f, out, v, zb);
                }
            }
        }
        return d;
    }

    /** One 1D pass over d[base + k·stride], k &lt; len, with sample spacing w mm. */
    private static void pass(double[] d, int base, int stride, int len, double w, double[] f, double[] out, int[] v,
                             double[] zb) {
        for (int k = 0; k < len; k++) {
            f[k] = d[base + k * stride];
        }
        lowerEnvelope(f, len, w * w, out, v, zb);
        for (int k = 0; k < len; k++) {
            d[base + k * stride] = out[k];
        }
    }

    /**
     * out[p] = min_q f[q] + w2·(p − q)², skipping infinite samples (an all-infinite line stays infinite).
     */
    static void lowerEnvelope(double[] f, int len, double w2, double[] out, int[] v, double[] zb) {
        int k = -1;
        for (int q = 0; q < len; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double s = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                int r = v[k];
                // abscissa where the parabola rooted at q overtakes the one rooted at r
                s = ((f[q] + w2 * q * (double) q) - (f[r] + w2 * r * (double) r)) / (2 * w2 * (q - r));
                if (s <= zb[k]) {
                    k--;
                } else {
                    break;
                }
            }
            if (k < 0) {
                s = Double.NEGATIVE_INFINITY;
            }
            k++;
            v[k] = q;
            zb[k] = s;
            zb[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            for (int p = 0; p < len; p++) {
                out[p] = Double.POSITIVE_INFINITY;
            }
            return;
        }
        int j = 0;
        for (int p = 0; p < len; p++) {
            while (zb[j + 1] < p) {
                j++;
            }
            double dp = p - v[j];
            out[p] = f[v[j]] + w2 * dp * dp;
        }
    }
}
