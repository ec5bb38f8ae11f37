package org.dopaj.diffusion;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Volume;

/**
 * The diffusion tensor fitted voxel by voxel by <b>weighted least squares</b> on the log signal (Salvador et al. 2005;
 * dipy's "WLS"): ln S = ln S0 − b gᵀDg is linear in (ln S0, Dxx, Dyy, Dzz, Dxy, Dxz, Dyz); an ordinary least-squares fit
 * gives predicted signals Ŝ, and the weighted fit with weights Ŝ² (the variance of ln S is σ²/S²) is the answer.
 * Signals ≤ 0 are raised to the smallest positive signal of the voxel (or 1) before the logarithm.
 *
 * <p>Outputs per voxel: MD = trace(D)/3 (mm²/s when the b-values are in s/mm²), FA = √(3/2)·‖D − MD·I‖/‖D‖ (no
 * eigen-decomposition needed), clamped to [0, 1]; MD is clamped to ≥ 0 (a negative trace is noise). Voxels outside
 * the brain mask are 0.
 *
 * <p>Voxels fitted ({@link MaskMode}): a crop narrower than a head ({@value #HEAD_FOV_MM} mm) has no background, so
 * every voxel with signal is fitted; otherwise the brain mask: Otsu's threshold of the mean b = 0 image (over voxels with signal), the largest 6-connected component,
 * holes filled; as dipy's median_otsu without its median filter.
 */
public final class TensorFit {
    /** The fitted maps on the DWI's grid. */
    public record Maps(Volume md, Volume fa, Volume mask, Volume meanB0, int fittedVoxels) {
    }

    private TensorFit() {
    }

    /** How the voxels to fit are chosen. */
    public enum MaskMode {
        /** Otsu brain mask when the field of view spans at least {@value #HEAD_FOV_MM} mm on every axis, else ALL. */
        AUTO,
        /** Otsu's threshold of the mean b = 0 image, largest component, holes filled. */
        OTSU,
        /** Every voxel with a positive mean b = 0 signal (a crop inside the brain has no background to remove). */
        ALL
    }

    /** A field of view narrower than this on any axis (mm) is a crop, not a head: AUTO fits all of it. */
    public static final double HEAD_FOV_MM = 80;

    /** Fits the brain mask ({@link MaskMode#AUTO}) of a 4D DWI. */
    public static Maps fit(Volume dwi, GradientTable g) {
        return fit(dwi, g, MaskMode.AUTO);
    }

    /** Whether the grid's field of view is narrower than a head on some axis. */
    public static boolean isCrop(org.dopaj.image.Grid grid) {
        double[] v = grid.voxelMm();
        return grid.nx() * v[0] < HEAD_FOV_MM || grid.ny() * v[1] < HEAD_FOV_MM || grid.nz() * v[2] < HEAD_FOV_MM;
    }

    /** Fits every voxel of the mask chosen by {@code mode} of a 4D DWI {@code dwi} (frames = volumes of {@code g}). */
    public static Maps fit(Volume dwi, GradientTable g, MaskMode mode) {
        if (!dwi.is4D() || dwi.nt() != g.size()) {
            throw new DopajException("DWI has " + dwi.nt() + " volumes but the gradient table " + g.size());
        }
        String bad = dwi.firstNonFinite();
        if (bad != null) {
            throw new DopajException("DWI has a non-finite value at " + bad);
        }
        int nx = dwi.nx();
        int ny = dwi.ny();
        int nz = dwi.nz();
        int nt = dwi.nt();
        Volume b0 = Volume.allocate(dwi.grid());
        int nb0 = g.b0Count();
        for (int z = 0; z < nz; z++) {
            float[] o = b0.plane(z);
            for (int t = 0; t < nt; t++) {
                if (g.isB0(t)) {
                    float[] p = dwi.plane(z, t);
                    for (int i = 0; i < o.length; i++) {
                        o[i] += p[i] / nb0;
                    }
                }
            }
        }
        if (mode == MaskMode.AUTO) {
            mode = isCrop(dwi.grid()) ? MaskMode.ALL : MaskMode.OTSU;
        }
        Volume mask = mode == MaskMode.OTSU ? brainMask(b0) : positive(b0);
        // design matrix rows: [1, −b gx², −b gy², −b gz², −2b gx gy, −2b gx gz, −2b gy gz]
        double[][] x = new double[nt][7];
        for (int t = 0; t < nt; t++) {
            double b = g.bvals()[t];
            double[] v = g.bvecs()[t];
            x[t] = new double[] {1, -b * v[0] * v[0], -b * v[1] * v[1], -b * v[2] * v[2], -2 * b * v[0] * v[1],
                -2 * b * v[0] * v[2], -2 * b * v[1] * v[2]};
        }
        double[][] olsInv = invert(normal(x, null));
        Volume md = Volume.allocate(dwi.grid());
        Volume fa = Volume.allocate(dwi.grid());
        double[] y = new double[nt];
        double[] w = new double[nt];
        int fitted = 0;
        for (int z = 0; z < nz; z++) {
            float[] m = mask.plane(z);
            for (int i = 0; i < nx * ny; i++) {
                if (m[i] < 0.5f) {
                    continue;
                }
                double minPos = Double.MAX_VALUE;
                for (int t = 0; t < nt; t++) {
                    double s = dwi.plane(z, t)[i];
                    if (s > 0) {
                        minPos = Math.min(minPos, s);
                    }
                }
                if (minPos == Double.MAX_VALUE) {
                    minPos = 1;
                }
                for (int t = 0; t < nt; t++) {
                    y[t] = Math.log(Math.max(minPos, dwi.plane(z, t)[i]));
                }
                double[] beta = solve(olsInv, x, y, null);
                for (int t = 0; t < nt; t++) {
                    double pred = 0;
                    for (int k = 0; k < 7; k++) {
                        pred += x[t][k] * beta[k];
                    }
                    w[t] = Math.exp(2 * pred);
                }
                double[][] a = normal(x, w);
                double[][] inv;
                try {
                    inv = invert(a);
                } catch (DopajException e) {
                    inv = null;
                }
                if (inv != null) {
                    beta = solve(inv, x, y, w);
                }
                double dxx = beta[1];
                double dyy = beta[2];
                double dzz = beta[3];
                double dxy = beta[4];
                double dxz = beta[5];
                double dyz = beta[6];
                double mdv = (dxx + dyy + dzz) / 3;
                double dev = sq(dxx - mdv) + sq(dyy - mdv) + sq(dzz - mdv) + 2 * (dxy * dxy + dxz * dxz + dyz * dyz);
                double nrm = dxx * dxx + dyy * dyy + dzz * dzz + 2 * (dxy * dxy + dxz * dxz + dyz * dyz);
                double fav = nrm > 0 ? Math.sqrt(1.5 * dev / nrm) : 0;
                md.plane(z)[i] = (float) Math.max(0, mdv);
                fa.plane(z)[i] = (float) Math.max(0, Math.min(1, fav));
                fitted++;
            }
        }
        return new Maps(md, fa, mask, b0, fitted);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Xᵀ W X (W = diag(w), or identity when w is null). */
    static double[][] normal(double[][] x, double[] w) {
        int p = x[0].length;
        double[][] a = new double[p][p];
        for (int t = 0; t < x.length; t++) {
            double wt = w == null ? 1 : w[t];
            for (int r = 0; r < p; r++) {
                for (int c = r; c < p; c++) {
                    a[r][c] += wt * x[t][r] * x[t][c];
                }
            }
        }
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < r; c++) {
                a[r][c] = a[c][r];
            }
        }
        return a;
    }

    /** inv · Xᵀ W y. */
    static double[] solve(double[][] inv, double[][] x, double[] y, double[] w) {
        int p = inv.length;
        double[] xty = new double[p];
        for (int t = 0; t < x.length; t++) {
            double wt = w == null ? 1 : w[t];
            for (int k = 0; k < p; k++) {
                xty[k] += wt * x[t][k] * y[t];
            }
        }
        double[] beta = new double[p];
        for (int r = 0; r < p; r++) {
            double s = 0;
            for (int k = 0; k < p; k++) {
                s += inv[r][k] * xty[k];
            }
            beta[r] = s;
        }
        return beta;
    }

    /** Gauss–Jordan inverse with partial pivoting; throws when singular. */
    static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        double scale = 0;
        for (int r = 0; r < n; r++) {
            System.arraycopy(m[r], 0, a[r], 0, n);
            a[r][n + r] = 1;
            for (int c = 0; c < n; c++) {
                scale = Math.max(scale, Math.abs(m[r][c]));
            }
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            if (Math.abs(a[piv][c]) <= 1e-14 * Math.max(1e-300, scale)) {
                throw new DopajException("gradient table gives a singular tensor design (directions not independent)");
            }
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            double d = a[c][c];
            for (int k = 0; k < 2 * n; k++) {
                a[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && a[r][c] != 0) {
                    double f = a[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a[r], n, inv[r], 0, n);
        }
        return inv;
    }

    static Volume positive(Volume b0) {
        Volume m = Volume.allocate(b0.grid());
        long n = 0;
        for (int z = 0; z < b0.nz(); z++) {
            float[] p = b0.plane(z);
            float[] o = m.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (p[i] > 0) {
                    o[i] = 1;
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new DopajException("the b = 0 image is empty (no positive signal)");
        }
        return m;
    }

    /** Otsu on the voxels with signal, largest 6-connected component, holes filled. */
    static Volume brainMask(Volume b0) {
        float max = 0;
        for (int z = 0; z < b0.nz(); z++) {
            for (float v : b0.plane(z)) {
                max = Math.max(max, v);
            }
        }
        if (!(max > 0)) {
            throw new DopajException("the b = 0 image is empty (no positive signal)");
        }
        int bins = 256;
        long[] h = new long[bins];
        long n = 0;
        for (int z = 0; z < b0.nz(); z++) {
            for (float v : b0.plane(z)) {
                if (v > 0) {
                    h[Math.min(bins - 1, (int) (v / max * bins))]++;
                    n++;
                }
            }
        }
        double sumAll = 0;
        for (int k = 0; k < bins; k++) {
            sumAll += k * (double) h[k];
        }
        double best = -1;
        int thr = 0;
        long w0 = 0;
        double sum0 = 0;
        for (int k = 0; k < bins - 1; k++) {
            w0 += h[k];
            sum0 += k * (double) h[k];
            long w1 = n - w0;
            if (w0 == 0 || w1 == 0) {
                continue;
            }
            double m0 = sum0 / w0;
            double m1 = (sumAll - sum0) / w1;
            double between = (double) w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                thr = k + 1;
            }
        }
        float t = thr * max / bins;
        Volume m = Volume.allocate(b0.grid());
        long count = 0;
        for (int z = 0; z < b0.nz(); z++) {
            float[] p = b0.plane(z);
            float[] o = m.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (p[i] >= t) {
                    o[i] = 1;
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new DopajException("no brain found in the b = 0 image");
        }
        return Components.fillHoles(Components.largestComponent(m, 6), 6);
    }
}
