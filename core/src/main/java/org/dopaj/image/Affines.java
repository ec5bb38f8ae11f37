package org.dopaj.image;

import org.dopaj.DopajException;

/** Small 4×4 affine helpers: inversion, composition, orientation codes. */
public final class Affines {
    private Affines() {
    }

    public static double[][] identity() {
        return new double[][]{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    }

    /** a·b for 4×4 matrices. */
    public static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int m = 0; m < 4; m++) {
                    s += a[r][m] * b[m][k];
                }
                c[r][k] = s;
            }
        }
        return c;
    }

    /** Inverse of an affine 4×4 (last row 0 0 0 1); refuses a singular one. */
    public static double[][] invert(double[][] a) {
        double[][] m = new double[3][3];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(a[r], 0, m[r], 0, 3);
        }
        double[][] mi = invert3(m);
        double[][] inv = new double[4][4];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(mi[r], 0, inv[r], 0, 3);
            inv[r][3] = -(mi[r][0] * a[0][3] + mi[r][1] * a[1][3] + mi[r][2] * a[2][3]);
        }
        inv[3][3] = 1;
        return inv;
    }

    static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    static double[][] invert3(double[][] m) {
        double det = det3(m);
        if (Math.abs(det) < 1e-12 || !Double.isFinite(det)) {
            throw new DopajException("affine is singular (determinant " + det + "): cannot map mm to voxels");
        }
        double[][] r = new double[3][3];
        r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
        r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
        r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
        r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
        r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
        r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
        r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
        r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
        r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
        return r;
    }

    /**
     * Orientation code of an affine, as nibabel's {@code aff2axcodes}: the rotation part is made orthogonal
     * (polar decomposition), then each voxel axis takes the world axis it is most aligned with, largest
     * alignment first. World axes +x,+y,+z are R, A, S (RAS+ scanner space, as NIfTI defines it).
     */
    public static String orientation(double[][] affine) {
        double[][] m = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
            if (n == 0) {
                n = 1;
            }
            for (int r = 0; r < 3; r++) {
                m[r][c] = affine[r][c] / n;
            }
        }
        double[][] p = polar(m);
        String[] pos = {"R", "A", "S"};
        String[] neg = {"L", "P", "I"};
        char[] code = new char[3];
        boolean[] rowUsed = new boolean[3];
        boolean[] colUsed = new boolean[3];
        for (int step = 0; step < 3; step++) {
            int br = -1;
            int bc = -1;
            double best = -1;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    if (!rowUsed[r] && !colUsed[c] && Math.abs(p[r][c]) > best) {
                        best = Math.abs(p[r][c]);
                        br = r;
                        bc = c;
                    }
                }
            }
            rowUsed[br] = true;
            colUsed[bc] = true;
            code[bc] = (p[br][bc] >= 0 ? pos[br] : neg[br]).charAt(0);
        }
        return new String(code);
    }

    /** Orthogonal factor of a 3×3 matrix by Newton's iteration X ← (X + X⁻ᵀ)/2. */
    static double[][] polar(double[][] m) {
        double[][] x = new double[3][];
        for (int r = 0; r < 3; r++) {
            x[r] = m[r].clone();
        }
        if (Math.abs(det3(x)) < 1e-12) {
            return x; // degenerate: use as is
        }
        for (int it = 0; it < 50; it++) {
            double[][] inv = invert3(x);
            double diff = 0;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    double v = 0.5 * (x[r][c] + inv[c][r]);
                    diff = Math.max(diff, Math.abs(v - x[r][c]));
                    x[r][c] = v;
                }
            }
            if (diff < 1e-13) {
                break;
            }
        }
        return x;
    }
}
