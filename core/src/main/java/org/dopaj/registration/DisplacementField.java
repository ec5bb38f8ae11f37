package org.dopaj.registration;

import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * A smooth displacement u(x) in fixed (template) mm, the low-dimensional non-linear part of a registration: the
 * full map from fixed mm to moving mm is {@code x ↦ T·(x + u(x))} with T the affine.
 *
 * <p>u is a sum of K×K×K separable cosine (DCT-II) basis functions per mm component, defined over the box of the
 * fixed grid's voxels (voxel coordinate s along an axis of n voxels: φ_k(s) = ν_k·cos(π·k·(s + ½)/n), ν_0 = 1,
 * ν_k = √2, so each basis function has mean square 1 over the box and a coefficient is an RMS displacement in
 * mm). The constant term (k = 0,0,0) is a translation, which the affine already has, and is always 0. Beyond the
 * box the cosines continue (mirror-symmetric at the box faces).
 *
 * <p>Coefficient layout: index {@code ((d·K + kz)·K + ky)·K + kx} for mm component d = 0, 1, 2 (x, y, z).
 * Immutable.
 */
public final class DisplacementField {
    private final Grid box;
    private final int k;
    private final double[] coef;
    private final double[][] toVoxel; // fixed mm → box voxel

    DisplacementField(Grid box, int basesPerAxis, double[] coefficients) {
        if (basesPerAxis < 2 || basesPerAxis > 8) {
            throw new DopajException("non-linear bases per axis must be 2…8, got " + basesPerAxis);
        }
        if (coefficients.length != 3 * basesPerAxis * basesPerAxis * basesPerAxis) {
            throw new IllegalArgumentException("expected 3·K³ coefficients");
        }
        this.box = box;
        this.k = basesPerAxis;
        this.coef = coefficients.clone();
        this.coef[0] = 0;
        this.coef[k * k * k] = 0;
        this.coef[2 * k * k * k] = 0;
        this.toVoxel = Affines.invert(box.affine());
    }

    /** The grid whose voxel box carries the basis (the fixed image's grid). */
    public Grid grid() {
        return box;
    }

    /** K, the number of cosine terms per axis. */
    public int basesPerAxis() {
        return k;
    }

    /** The 3·K³ coefficients in mm (a copy; layout in the class comment). */
    public double[] coefficients() {
        return coef.clone();
    }

    /** Largest |coefficient| in mm: a rough size of the warp. */
    public double maxCoefficientMm() {
        double m = 0;
        for (double c : coef) {
            m = Math.max(m, Math.abs(c));
        }
        return m;
    }

    /** u(x, y, z) in mm. */
    public double[] displacementMm(double x, double y, double z) {
        int[] n = box.dims();
        double[] t = new double[3 * k];
        for (int a = 0; a < 3; a++) {
            double s = toVoxel[a][0] * x + toVoxel[a][1] * y + toVoxel[a][2] * z + toVoxel[a][3];
            // cos(jθ) by the Chebyshev recurrence: one cosine per axis
            double c1 = Math.cos(Math.PI * (s + 0.5) / n[a]);
            double prev = 1;
            double cur = c1;
            t[a * k] = 1;
            for (int j = 1; j < k; j++) {
                t[a * k + j] = Math.sqrt(2) * cur;
                double next = 2 * c1 * cur - prev;
                prev = cur;
                cur = next;
            }
        }
        double[] u = new double[3];
        int kk = k * k * k;
        for (int d = 0; d < 3; d++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                for (int b = 0; b < k; b++) {
                    double yz = t[2 * k + c] * t[k + b];
                    int o = d * kk + (c * k + b) * k;
                    for (int a = 0; a < k; a++) {
                        sum += coef[o + a] * t[a] * yz;
                    }
                }
            }
            u[d] = sum;
        }
        return u;
    }

    /**
     * An upper bound on |∇u| (Frobenius norm of the 3×3 Jacobian of u, in mm per mm) anywhere: each basis function's
     * derivative along axis a is at most ν·π·k_a / L_a. Below 1, x ↦ x + u(x) is one-to-one (no folding) and the
     * inverse used by {@link Registration.Result#toMoving} converges.
     */
    public double gradientBound() {
        double[] vox = box.voxelMm();
        int[] n = box.dims();
        int kk = k * k * k;
        double sum = 0;
        for (int d = 0; d < 3; d++) {
            double[] b = new double[3];
            for (int c = 0; c < k; c++) {
                for (int bb = 0; bb < k; bb++) {
                    for (int a = 0; a < k; a++) {
                        double amp = Math.abs(coef[d * kk + (c * k + bb) * k + a]) * nu(a) * nu(bb) * nu(c);
                        b[0] += amp * Math.PI * a / (n[0] * vox[0]);
                        b[1] += amp * Math.PI * bb / (n[1] * vox[1]);
                        b[2] += amp * Math.PI * c / (n[2] * vox[2]);
                    }
                }
            }
            sum += b[0] * b[0] + b[1] * b[1] + b[2] * b[2];
        }
        return Math.sqrt(sum);
    }

    private static double nu(int j) {
        return j == 0 ? 1 : Math.sqrt(2);
    }

    /** u sampled at the voxel centres of {@code g}, as a 3-frame volume (frames: x, y, z components, mm). */
    public Volume toVolume(Grid g) {
        Volume v = Volume.allocate(g, 3);
        if (parallel(box, g)) {
            double[][] t = tables(g);
            int len = g.nx() * g.ny();
            double[][] u = new double[3][len];
            double[] scratch = new double[3 * k * k + 3 * k];
            for (int z = 0; z < g.nz(); z++) {
                plane(coef, k, t, g.nx(), g.ny(), z, u[0], u[1], u[2], scratch);
                for (int d = 0; d < 3; d++) {
                    float[] p = v.plane(z, d);
                    for (int i = 0; i < len; i++) {
                        p[i] = (float) u[d][i];
                    }
                }
            }
            return v;
        }
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] p = g.toMm(x, y, z);
                    double[] u = displacementMm(p[0], p[1], p[2]);
                    for (int d = 0; d < 3; d++) {
                        v.set(x, y, z, d, (float) u[d]);
                    }
                }
            }
        }
        return v;
    }

    /**
     * Membrane energy: the mean over the box of |∇u|² (dimensionless). The basis is orthogonal for it, so it is
     * Σ c²·Σ_a (π·k_a / L_a)² with L_a the box length in mm.
     */
    public double membraneEnergy() {
        return energy(energyWeights(box, k), coef, 1, null);
    }

    /**
     * λ times the energy of {@link #membraneEnergy} for coefficients c (weights from {@link #energyWeights}), with
     * λ times its gradient added to grad (if not null).
     */
    static double energy(double[] weights, double[] c, double lambda, double[] grad) {
        double e = 0;
        for (int i = 0; i < c.length; i++) {
            e += weights[i] * c[i] * c[i];
            if (grad != null) {
                grad[i] += 2 * lambda * weights[i] * c[i];
            }
        }
        return lambda * e;
    }

    static double[] energyWeights(Grid box, int k) {
        double[] len = box.voxelMm();
        int[] n = box.dims();
        int kk = k * k * k;
        double[] w = new double[3 * kk];
        for (int d = 0; d < 3; d++) {
            for (int c = 0; c < k; c++) {
                for (int b = 0; b < k; b++) {
                    for (int a = 0; a < k; a++) {
                        double wx = Math.PI * a / (n[0] * len[0]);
                        double wy = Math.PI * b / (n[1] * len[1]);
                        double wz = Math.PI * c / (n[2] * len[2]);
                        w[d * kk + (c * k + b) * k + a] = wx * wx + wy * wy + wz * wz;
                    }
                }
            }
        }
        return w;
    }

    /** φ_j(s) on an axis of n voxels. */
    static double phi(int j, double s, int n) {
        return j == 0 ? 1 : Math.sqrt(2) * Math.cos(Math.PI * j * (s + 0.5) / n);
    }

    /**
     * Basis tables for a grid whose axes are parallel to the box's: entry [axis][i·K + j] is φ_j at index i of that
     * grid's axis. Refuses an oblique grid (the pyramid grids never are).
     */
    double[][] tables(Grid g) {
        return tables(box, k, g);
    }

    static double[][] tables(Grid box, int k, Grid g) {
        if (!parallel(box, g)) {
            throw new IllegalStateException("grid is not parallel to the displacement field's box");
        }
        double[][] m = Affines.multiply(Affines.invert(box.affine()), g.affine());
        int[] n = g.dims();
        int[] nb = box.dims();
        double[][] t = new double[3][];
        for (int a = 0; a < 3; a++) {
            t[a] = new double[n[a] * k];
            for (int i = 0; i < n[a]; i++) {
                double s = m[a][a] * i + m[a][3];
                for (int j = 0; j < k; j++) {
                    t[a][i * k + j] = phi(j, s, nb[a]);
                }
            }
        }
        return t;
    }

    /** True when g's voxel axes run along the box's (each g axis maps to the same box axis, scaled and shifted). */
    static boolean parallel(Grid box, Grid g) {
        double[][] m = Affines.multiply(Affines.invert(box.affine()), g.affine());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && Math.abs(m[r][c]) > 1e-6 * Math.abs(m[r][r])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * u over one plane z of a box-parallel grid with tables t (from {@link #tables}): writes ux, uy, uz (each nx·ny,
     * x fastest). {@code scratch} holds 3·K² + 3·K doubles.
     */
    static void plane(double[] coef, int k, double[][] t, int nx, int ny, int z, double[] ux, double[] uy,
                      double[] uz, double[] scratch) {
        int kk = k * k * k;
        int k2 = k * k;
        // D[d][b][a] = Σ_c C[d][c][b][a]·Z_c(z)
        for (int d = 0; d < 3; d++) {
            for (int ba = 0; ba < k2; ba++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += coef[d * kk + c * k2 + ba] * t[2][z * k + c];
                }
                scratch[d * k2 + ba] = s;
            }
        }
        int eOff = 3 * k2;
        for (int y = 0; y < ny; y++) {
            // E[d][a] = Σ_b D[d][b][a]·Y_b(y)
            for (int d = 0; d < 3; d++) {
                for (int a = 0; a < k; a++) {
                    double s = 0;
                    for (int b = 0; b < k; b++) {
                        s += scratch[d * k2 + b * k + a] * t[1][y * k + b];
                    }
                    scratch[eOff + d * k + a] = s;
                }
            }
            int row = y * nx;
            for (int x = 0; x < nx; x++) {
                double sx = 0;
                double sy = 0;
                double sz = 0;
                int tx = x * k;
                for (int a = 0; a < k; a++) {
                    double p = t[0][tx + a];
                    sx += scratch[eOff + a] * p;
                    sy += scratch[eOff + k + a] * p;
                    sz += scratch[eOff + 2 * k + a] * p;
                }
                ux[row + x] = sx;
                uy[row + x] = sy;
                uz[row + x] = sz;
            }
        }
    }
}
