package org.dopaj.registration;

import java.util.Arrays;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;

/**
 * An immutable 4×4 affine map from mm to mm (last row 0 0 0 1). In a registration result it maps fixed (template)
 * mm to moving (input) mm: {@code moving(T·x) ≈ fixed(x)}.
 *
 * <p>Parameters (see {@link Parameters}) build the matrix as
 * {@code x' = c + t + R·Z·S·(x − c)} with R = Rz·Ry·Rx (right-handed rotations about the mm axes x, y, z, in
 * degrees; x is applied first), Z = diag(scale) and S the unit upper-triangular shear
 * {@code [[1, xy, xz], [0, 1, yz], [0, 0, 1]]}: a point is sheared, then scaled, then rotated about the centre c,
 * then translated (SPM's spm_matrix order). {@link #decompose} inverts this (a QR decomposition of the linear
 * part), so {@code of(t.decompose(c), c)} reproduces t.
 */
public final class AffineTransform {
    private static final AffineTransform IDENTITY = new AffineTransform(Affines.identity());

    private final double[][] m;

    private AffineTransform(double[][] m) {
        this.m = m;
    }

    /**
     * Translation (mm), rotation (degrees about x, y, z), scale factors (1 = none) and shears (xy, xz, yz; 0 = none).
     * The arrays are copied.
     */
    public record Parameters(double[] translationMm, double[] rotationDeg, double[] scale, double[] shear) {
        public Parameters {
            translationMm = check(translationMm, "translation");
            rotationDeg = check(rotationDeg, "rotation");
            scale = check(scale, "scale");
            shear = check(shear, "shear");
        }

        /** A rigid motion: rotation then translation, unit scale, no shear. */
        public static Parameters rigid(double[] translationMm, double[] rotationDeg) {
            return new Parameters(translationMm, rotationDeg, new double[]{1, 1, 1}, new double[3]);
        }

        private static double[] check(double[] v, String what) {
            if (v == null || v.length != 3) {
                throw new IllegalArgumentException(what + " needs 3 values");
            }
            for (double d : v) {
                if (!Double.isFinite(d)) {
                    throw new DopajException("affine " + what + " must be finite, got " + Arrays.toString(v));
                }
            }
            return v.clone();
        }

        @Override
        public double[] translationMm() {
            return translationMm.clone();
        }

        @Override
        public double[] rotationDeg() {
            return rotationDeg.clone();
        }

        @Override
        public double[] scale() {
            return scale.clone();
        }

        @Override
        public double[] shear() {
            return shear.clone();
        }

        @Override
        public String toString() {
            return String.format("translation %s mm, rotation %s°, scale %s, shear %s", fmt(translationMm),
                    fmt(rotationDeg), fmt(scale), fmt(shear));
        }

        private static String fmt(double[] v) {
            return String.format("(%.3f, %.3f, %.3f)", v[0], v[1], v[2]);
        }
    }

    public static AffineTransform identity() {
        return IDENTITY;
    }

    /** The transform of a 4×4 matrix (copied); the last row must be 0 0 0 1 and the matrix invertible. */
    public static AffineTransform of(double[][] matrix) {
        if (matrix == null || matrix.length != 4) {
            throw new IllegalArgumentException("an affine matrix must be 4×4");
        }
        double[][] c = new double[4][];
        for (int r = 0; r < 4; r++) {
            if (matrix[r].length != 4) {
                throw new IllegalArgumentException("an affine matrix must be 4×4");
            }
            for (double v : matrix[r]) {
                if (!Double.isFinite(v)) {
                    throw new DopajException("affine matrix has a non-finite entry: " + Arrays.deepToString(matrix));
                }
            }
            c[r] = matrix[r].clone();
        }
        if (c[3][0] != 0 || c[3][1] != 0 || c[3][2] != 0 || c[3][3] != 1) {
            throw new DopajException("affine matrix must end with the row 0 0 0 1, got " + Arrays.toString(c[3]));
        }
        Affines.invert(c); // refuses a singular matrix now rather than at first use
        return new AffineTransform(c);
    }

    /** The transform of the parameters about the mm origin. */
    public static AffineTransform of(Parameters p) {
        return of(p, new double[3]);
    }

    /** The transform of the parameters about {@code centreMm}: {@code x' = c + t + R·Z·S·(x − c)}. */
    public static AffineTransform of(Parameters p, double[] centreMm) {
        double[] t = p.translationMm;
        double[] r = p.rotationDeg;
        double[] s = p.scale;
        double[] h = p.shear;
        double[][] lin = linear(r[0], r[1], r[2], s[0], s[1], s[2], h[0], h[1], h[2]);
        return of(withCentre(lin, t, centreMm));
    }

    /** A pure translation. */
    public static AffineTransform translation(double dx, double dy, double dz) {
        double[][] a = Affines.identity();
        a[0][3] = dx;
        a[1][3] = dy;
        a[2][3] = dz;
        return new AffineTransform(a);
    }

    /** R·Z·S as a 3×3 matrix (angles in degrees). */
    static double[][] linear(double rx, double ry, double rz, double sx, double sy, double sz, double hxy,
                             double hxz, double hyz) {
        double[][] rot = rotation(rx, ry, rz);
        // Z·S = [[sx, sx·hxy, sx·hxz], [0, sy, sy·hyz], [0, 0, sz]]
        double[][] zs = {{sx, sx * hxy, sx * hxz}, {0, sy, sy * hyz}, {0, 0, sz}};
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i][j] = rot[i][0] * zs[0][j] + rot[i][1] * zs[1][j] + rot[i][2] * zs[2][j];
            }
        }
        return out;
    }

    /** Rz·Ry·Rx (degrees). */
    static double[][] rotation(double rxDeg, double ryDeg, double rzDeg) {
        double a = Math.toRadians(rxDeg);
        double b = Math.toRadians(ryDeg);
        double c = Math.toRadians(rzDeg);
        double ca = Math.cos(a);
        double sa = Math.sin(a);
        double cb = Math.cos(b);
        double sb = Math.sin(b);
        double cc = Math.cos(c);
        double sc = Math.sin(c);
        return new double[][]{
                {cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa},
                {sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa},
                {-sb, cb * sa, cb * ca}};
    }

    /** The 4×4 matrix of x ↦ c + t + lin·(x − c). */
    static double[][] withCentre(double[][] lin, double[] t, double[] c) {
        double[][] a = Affines.identity();
        for (int i = 0; i < 3; i++) {
            double off = c[i] + t[i];
            for (int j = 0; j < 3; j++) {
                a[i][j] = lin[i][j];
                off -= lin[i][j] * c[j];
            }
            a[i][3] = off;
        }
        return a;
    }

    /** A copy of the 4×4 matrix. */
    public double[][] matrix() {
        double[][] c = new double[4][];
        for (int r = 0; r < 4; r++) {
            c[r] = m[r].clone();
        }
        return c;
    }

    /** Entry (row, column) of the matrix. */
    public double get(int row, int col) {
        return m[row][col];
    }

    /** this ∘ other: apply {@code other} first, then this. */
    public AffineTransform compose(AffineTransform other) {
        return new AffineTransform(Affines.multiply(m, other.m));
    }

    /** The inverse map (the matrix is invertible by construction). */
    public AffineTransform inverse() {
        return new AffineTransform(Affines.invert(m));
    }

    /** The image of the point (x, y, z) in mm. */
    public double[] apply(double x, double y, double z) {
        return new double[]{
                m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3],
                m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3],
                m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3]};
    }

    /** The image of the point p (3 values) in mm. */
    public double[] apply(double[] p) {
        return apply(p[0], p[1], p[2]);
    }

    /** Determinant of the linear part: the volume ratio (negative for a reflection). */
    public double determinant() {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /** Parameters about the mm origin. */
    public Parameters decompose() {
        return decompose(new double[3]);
    }

    /**
     * Parameters about {@code centreMm} such that {@code of(decompose(c), c)} is this transform. The linear part is
     * split as R·Z·S by a QR decomposition (Gram–Schmidt on the columns); a reflection shows as a negative x
     * scale. Rotation angles: ry in [−90°, 90°]; at ry = ±90° (gimbal lock) rx is set to 0.
     */
    public Parameters decompose(double[] centreMm) {
        double[][] q = new double[3][3];
        double[][] u = new double[3][3];
        for (int j = 0; j < 3; j++) {
            double[] v = {m[0][j], m[1][j], m[2][j]};
            for (int k = 0; k < j; k++) {
                double d = q[0][k] * m[0][j] + q[1][k] * m[1][j] + q[2][k] * m[2][j];
                u[k][j] = d;
                for (int i = 0; i < 3; i++) {
                    v[i] -= d * q[i][k];
                }
            }
            double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            u[j][j] = n;
            for (int i = 0; i < 3; i++) {
                q[i][j] = v[i] / n;
            }
        }
        double detQ = q[0][0] * (q[1][1] * q[2][2] - q[1][2] * q[2][1])
                - q[0][1] * (q[1][0] * q[2][2] - q[1][2] * q[2][0])
                + q[0][2] * (q[1][0] * q[2][1] - q[1][1] * q[2][0]);
        if (detQ < 0) {
            // a reflection: fold it into the x scale so that Q is a proper rotation
            for (int i = 0; i < 3; i++) {
                q[i][0] = -q[i][0];
                u[0][i] = -u[0][i];
            }
        }
        double sb = Math.max(-1, Math.min(1, -q[2][0]));
        double ry = Math.asin(sb);
        double rx;
        double rz;
        if (Math.abs(sb) < 1 - 1e-12) {
            rx = Math.atan2(q[2][1], q[2][2]);
            rz = Math.atan2(q[1][0], q[0][0]);
        } else {
            rx = 0;
            rz = Math.atan2(-q[0][1], q[1][1]);
        }
        double[] scale = {u[0][0], u[1][1], u[2][2]};
        double[] shear = {u[0][1] / u[0][0], u[0][2] / u[0][0], u[1][2] / u[1][1]};
        double[] c = centreMm;
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            t[i] = m[i][0] * c[0] + m[i][1] * c[1] + m[i][2] * c[2] + m[i][3] - c[i];
        }
        return new Parameters(t, new double[]{Math.toDegrees(rx), Math.toDegrees(ry), Math.toDegrees(rz)}, scale,
                shear);
    }

    /** Largest distance |this(x) − other(x)| in mm over the corners of the box lo…hi (mm): a map difference. */
    public double maxDifferenceMm(AffineTransform other, double[] lo, double[] hi) {
        double worst = 0;
        for (int corner = 0; corner < 8; corner++) {
            double x = (corner & 1) == 0 ? lo[0] : hi[0];
            double y = (corner & 2) == 0 ? lo[1] : hi[1];
            double z = (corner & 4) == 0 ? lo[2] : hi[2];
            double[] a = apply(x, y, z);
            double[] b = other.apply(x, y, z);
            worst = Math.max(worst, Math.hypot(Math.hypot(a[0] - b[0], a[1] - b[1]), a[2] - b[2]));
        }
        return worst;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffineTransform t && Arrays.deepEquals(m, t.m);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AffineTransform[");
        for (int r = 0; r < 3; r++) {
            b.append(String.format("%s[%.5f %.5f %.5f %.3f]", r == 0 ? "" : " ", m[r][0], m[r][1], m[r][2], m[r][3]));
        }
        return b.append(']').toString();
    }
}
