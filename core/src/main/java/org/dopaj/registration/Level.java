package org.dopaj.registration;

import java.util.Arrays;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * One pyramid level: the fixed image sampled on a coarse copy of the fixed grid (the metric's sample points), its
 * weights, and the moving image smoothed to the same resolution on its own (possibly coarser) grid. Sampling
 * writes the moving value and its gradient at every sample point into preallocated scratch arrays, so an
 * evaluation allocates nothing; a metric then writes dF/dm per point, and the chain rule turns that into the
 * gradient with respect to the 3×4 affine (mm) or to the displacement-field coefficients.
 *
 * <p>Single-threaded on purpose: sums are then formed in one fixed order, so a registration gives the same
 * numbers on any machine and thread count (batch work runs cases in parallel instead).
 */
final class Level {
    final double mm;
    final Grid grid;
    final int nx;
    final int ny;
    final int nz;
    /** Fixed values at the sample points (x fastest). */
    final float[] f;
    /** Weights ≥ 0 at the sample points, or null for all 1. */
    final float[] w;
    /** Σ w·max(f, 0): the fixed content that the overlap fraction refers to. */
    final double content;
    private final double[][] q; // level voxel → fixed mm
    final Grid movingGrid;
    private final float[][] mov;
    private final int mnx;
    private final int mny;
    private final int mnz;
    private final double[][] p; // mm → moving voxel
    /** Moving value at each sample point (NaN: outside the moving image or weight 0), and its voxel gradient. */
    final float[] m;
    final float[] gx;
    final float[] gy;
    final float[] gz;
    /** dF/dm per sample point, written by a metric. */
    final double[] dm;
    /** The mutual-information state for this level, when that metric is used. */
    SimilarityMetrics.MattesMi mi;
    /** Σ w·max(f, 0) over the points inside the moving image, set by {@link #sample}. */
    double contentInside;
    private final Grid fieldBox; // the full fixed grid: its box carries the displacement basis
    private double[][] tables; // displacement basis tables for this grid (lazy)
    private double[] ux;
    private double[] uy;
    private double[] uz;
    private double[] planeScratch;

    Level(double mm, Volume fixedLevel, float[] weights, Volume movingLevel, Grid fixedGrid) {
        this.mm = mm;
        this.fieldBox = fixedGrid;
        this.grid = fixedLevel.grid();
        this.nx = grid.nx();
        this.ny = grid.ny();
        this.nz = grid.nz();
        this.f = fixedLevel.toArray();
        this.w = weights;
        double c = 0;
        for (int i = 0; i < f.length; i++) {
            c += (w == null ? 1 : w[i]) * Math.max(f[i], 0);
        }
        this.content = c;
        this.q = grid.affine();
        this.movingGrid = movingLevel.grid();
        this.mov = movingLevel.planes();
        this.mnx = movingGrid.nx();
        this.mny = movingGrid.ny();
        this.mnz = movingGrid.nz();
        this.p = Affines.invert(movingGrid.affine());
        int n = f.length;
        m = new float[n];
        gx = new float[n];
        gy = new float[n];
        gz = new float[n];
        dm = new double[n];
    }

    double weight(int i) {
        return w == null ? 1 : w[i];
    }

    /**
     * Samples the moving image at T·(x + u(x)) for every sample point x (u absent when coef is null).
     *
     * @param t    fixed mm → moving mm
     * @param coef displacement coefficients (3·K³) or null
     * @return number of sample points inside the moving image
     */
    int sample(double[][] t, double[] coef, int k) {
        double[][] mp = Affines.multiply(p, Affines.multiply(t, q)); // level voxel → moving voxel
        double[][] jac = null; // mm displacement → moving voxel displacement
        if (coef != null) {
            jac = Affines.multiply(p, t);
            if (tables == null || tables[0].length != nx * k) {
                tables = DisplacementField.tables(fieldBox, k, grid);
                ux = new double[nx * ny];
                uy = new double[nx * ny];
                uz = new double[nx * ny];
                planeScratch = new double[3 * k * k + 3 * k];
            }
        }
        double m00 = mp[0][0];
        double m10 = mp[1][0];
        double m20 = mp[2][0];
        double hx = mnx - 1;
        double hy = mny - 1;
        double hz = mnz - 1;
        int inside = 0;
        double cin = 0;
        for (int z = 0; z < nz; z++) {
            if (coef != null) {
                DisplacementField.plane(coef, k, tables, nx, ny, z, ux, uy, uz, planeScratch);
            }
            for (int y = 0; y < ny; y++) {
                double bx = mp[0][1] * y + mp[0][2] * z + mp[0][3];
                double by = mp[1][1] * y + mp[1][2] * z + mp[1][3];
                double bz = mp[2][1] * y + mp[2][2] * z + mp[2][3];
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++) {
                    int i = row + x;
                    if (w != null && !(w[i] > 0)) {
                        m[i] = Float.NaN;
                        continue;
                    }
                    double sx = bx + m00 * x;
                    double sy = by + m10 * x;
                    double sz = bz + m20 * x;
                    if (jac != null) {
                        int pi = y * nx + x;
                        double dx = ux[pi];
                        double dy = uy[pi];
                        double dz = uz[pi];
                        sx += jac[0][0] * dx + jac[0][1] * dy + jac[0][2] * dz;
                        sy += jac[1][0] * dx + jac[1][1] * dy + jac[1][2] * dz;
                        sz += jac[2][0] * dx + jac[2][1] * dy + jac[2][2] * dz;
                    }
                    // inside the span of voxel centres with all 8 neighbours present (NaN-safe comparisons)
                    if (!(sx >= 0 && sy >= 0 && sz >= 0 && sx < hx && sy < hy && sz < hz)) {
                        m[i] = Float.NaN;
                        continue;
                    }
                    int x0 = (int) sx;
                    int y0 = (int) sy;
                    int z0 = (int) sz;
                    float fx = (float) (sx - x0);
                    float fy = (float) (sy - y0);
                    float fz = (float) (sz - z0);
                    float[] p0 = mov[z0];
                    float[] p1 = mov[z0 + 1];
                    int o0 = y0 * mnx + x0;
                    int o1 = o0 + mnx;
                    float c000 = p0[o0];
                    float c100 = p0[o0 + 1];
                    float c010 = p0[o1];
                    float c110 = p0[o1 + 1];
                    float c001 = p1[o0];
                    float c101 = p1[o0 + 1];
                    float c011 = p1[o1];
                    float c111 = p1[o1 + 1];
                    // along x first, then y, then z; the partial derivatives reuse the same differences
                    float a00 = c000 + fx * (c100 - c000);
                    float a10 = c010 + fx * (c110 - c010);
                    float a01 = c001 + fx * (c101 - c001);
                    float a11 = c011 + fx * (c111 - c011);
                    float b0 = a00 + fy * (a10 - a00);
                    float b1 = a01 + fy * (a11 - a01);
                    m[i] = b0 + fz * (b1 - b0);
                    gz[i] = b1 - b0;
                    float dy0 = a10 - a00;
                    float dy1 = a11 - a01;
                    gy[i] = dy0 + fz * (dy1 - dy0);
                    float dx00 = c100 - c000;
                    float dx10 = c110 - c010;
                    float dx01 = c101 - c001;
                    float dx11 = c111 - c011;
                    float e0 = dx00 + fy * (dx10 - dx00);
                    float e1 = dx01 + fy * (dx11 - dx01);
                    gx[i] = e0 + fz * (e1 - e0);
                    inside++;
                    cin += (w == null ? 1 : w[i]) * Math.max(f[i], 0);
                }
            }
        }
        contentInside = cin;
        return inside;
    }

    /**
     * Gradient of F with respect to the 3×4 entries (row-major) of the fixed mm → moving mm matrix, from the dF/dm
     * the metric wrote. Points with a NaN sample contribute nothing.
     */
    void affineGradient(double[] out) {
        // G[s][e] = Σ dm·g_s·ξ_e in voxel units (ξ = level voxel index, 1), summed per row then scaled by y, z
        double[][] g = new double[3][4];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int row = (z * ny + y) * nx;
                double ax = 0;
                double ay = 0;
                double az = 0;
                double bx = 0;
                double by = 0;
                double bz = 0;
                for (int x = 0; x < nx; x++) {
                    int i = row + x;
                    double d = dm[i];
                    if (d == 0 || Float.isNaN(m[i])) {
                        continue;
                    }
                    double vx = d * gx[i];
                    double vy = d * gy[i];
                    double vz = d * gz[i];
                    ax += vx * x;
                    ay += vy * x;
                    az += vz * x;
                    bx += vx;
                    by += vy;
                    bz += vz;
                }
                g[0][0] += ax;
                g[1][0] += ay;
                g[2][0] += az;
                g[0][1] += bx * y;
                g[1][1] += by * y;
                g[2][1] += bz * y;
                g[0][2] += bx * z;
                g[1][2] += by * z;
                g[2][2] += bz * z;
                g[0][3] += bx;
                g[1][3] += by;
                g[2][3] += bz;
            }
        }
        // dm/dT[r][c] = (Pᵀ·g)_r · (Q·ξ)_c
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int a = 0; a < 3; a++) {
                    double h = 0;
                    for (int e = 0; e < 4; e++) {
                        h += g[a][e] * q[c][e];
                    }
                    s += p[a][r] * h;
                }
                out[r * 4 + c] = s;
            }
        }
    }

    /**
     * Gradient of F with respect to the displacement coefficients (3·K³), with T the affine in use: dm/dC[d][k] =
     * (Jᵀ·g)_d·φ_k(x), J = P·T the mm → moving-voxel Jacobian.
     */
    void fieldGradient(double[][] t, int k, double[] out) {
        double[][] jac = Affines.multiply(p, t);
        int k2 = k * k;
        int kk = k2 * k;
        Arrays.fill(out, 0);
        double[] r = new double[3 * k];
        double[] pz = new double[3 * k2];
        for (int z = 0; z < nz; z++) {
            Arrays.fill(pz, 0);
            for (int y = 0; y < ny; y++) {
                Arrays.fill(r, 0);
                int row = (z * ny + y) * nx;
                boolean any = false;
                for (int x = 0; x < nx; x++) {
                    int i = row + x;
                    double d = dm[i];
                    if (d == 0 || Float.isNaN(m[i])) {
                        continue;
                    }
                    any = true;
                    double vx = d * gx[i];
                    double vy = d * gy[i];
                    double vz = d * gz[i];
                    double h0 = jac[0][0] * vx + jac[1][0] * vy + jac[2][0] * vz;
                    double h1 = jac[0][1] * vx + jac[1][1] * vy + jac[2][1] * vz;
                    double h2 = jac[0][2] * vx + jac[1][2] * vy + jac[2][2] * vz;
                    int tx = x * k;
                    for (int a = 0; a < k; a++) {
                        double phi = tables[0][tx + a];
                        r[a] += h0 * phi;
                        r[k + a] += h1 * phi;
                        r[2 * k + a] += h2 * phi;
                    }
                }
                if (!any) {
                    continue;
                }
                for (int d = 0; d < 3; d++) {
                    for (int b = 0; b < k; b++) {
                        double yb = tables[1][y * k + b];
                        for (int a = 0; a < k; a++) {
                            pz[d * k2 + b * k + a] += r[d * k + a] * yb;
                        }
                    }
                }
            }
            for (int d = 0; d < 3; d++) {
                for (int c = 0; c < k; c++) {
                    double zc = tables[2][z * k + c];
                    for (int ba = 0; ba < k2; ba++) {
                        out[d * kk + c * k2 + ba] += pz[d * k2 + ba] * zc;
                    }
                }
            }
        }
    }
}
