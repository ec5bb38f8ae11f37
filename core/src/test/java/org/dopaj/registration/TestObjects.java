package org.dopaj.registration;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * A smooth, asymmetric brain-like test object defined in fixed (MNI-like) mm, and moving images made from it by
 * known transforms: a soft-edged brain ellipsoid, a bright striatum-like pair that differs left and right, a
 * dimmer caudate-like pair, an off-centre posterior blob and a dark ventricle-like blob. Evaluated analytically
 * at every voxel, so a moving image carries no resampling blur of its own.
 */
final class TestObjects {
    /** Gaussian blobs: centre x, y, z, sigma x, y, z, amplitude. */
    private static final double[][] BLOBS = {
            {-24, 4, 2, 6, 12, 7, 4.0},   // left putamen-like
            {23, 7, 0, 5, 10, 7, 3.0},    // right putamen-like: smaller, dimmer, displaced
            {-13, 14, 10, 4, 7, 6, 3.0},  // left caudate-like
            {13, 12, 10, 4, 7, 6, 2.2},   // right caudate-like
            {30, -62, 28, 12, 10, 9, 1.2}, // off-centre posterior blob
            {0, -10, 18, 6, 18, 6, -0.6}, // ventricle-like dip
    };
    private static final double[] BRAIN_C = {0, -17, 15};
    private static final double[] BRAIN_R = {64, 82, 58};

    private static Volume fixed;

    private TestObjects() {
    }

    /** Object intensity at mm position (x, y, z). */
    static double value(double x, double y, double z) {
        double ex = (x - BRAIN_C[0]) / BRAIN_R[0];
        double ey = (y - BRAIN_C[1]) / BRAIN_R[1];
        double ez = (z - BRAIN_C[2]) / BRAIN_R[2];
        double r = Math.sqrt(ex * ex + ey * ey + ez * ez);
        if (r > 1.6) {
            return 0;
        }
        // soft edge about 6 mm wide
        double v = 1 / (1 + Math.exp((r - 1) * 15));
        for (double[] b : BLOBS) {
            double dx = (x - b[0]) / b[3];
            double dy = (y - b[1]) / b[4];
            double dz = (z - b[2]) / b[5];
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < 30) {
                v += b[6] * Math.exp(-0.5 * d2);
            }
        }
        return v;
    }

    /** True inside the brain ellipsoid (where displacement errors are measured). */
    static boolean inBrain(double x, double y, double z) {
        double ex = (x - BRAIN_C[0]) / BRAIN_R[0];
        double ey = (y - BRAIN_C[1]) / BRAIN_R[1];
        double ez = (z - BRAIN_C[2]) / BRAIN_R[2];
        return ex * ex + ey * ey + ez * ez <= 1;
    }

    /** The object on the MNI 2 mm grid (noise-free, cached: do not modify). */
    static synchronized Volume fixed() {
        if (fixed == null) {
            fixed = render(HeadPhantom.mni2mm(), AffineTransform.identity(), null, 0, 0);
        }
        return fixed;
    }

    /**
     * A SPECT-like grid: 128×128×90 voxels of 3.3 mm, +i = left, +j = posterior, +k = superior (LPS), tilted 8°
     * about the x axis, the field of view centred 10 mm above the origin.
     */
    static Grid spectGrid() {
        return spectGrid(128, 90, 3.3);
    }

    /** As {@link #spectGrid()} with n×n×nz voxels of v mm. */
    static Grid spectGrid(int n, int nz, double v) {
        double c = Math.cos(Math.toRadians(8));
        double s = Math.sin(Math.toRadians(8));
        // columns: directions of +i, +j, +k in RAS mm, times the voxel size
        double[][] a = {
                {-v, 0, 0, 0},
                {0, -v * c, -v * s, 0},
                {0, -v * s, v * c, 0},
                {0, 0, 0, 1}};
        Grid g = Grid.fromAffine(n, n, nz, a);
        double[] mid = g.toMm((n - 1) / 2.0, (n - 1) / 2.0, (nz - 1) / 2.0);
        for (int r = 0; r < 3; r++) {
            a[r][3] = -mid[r] + (r == 2 ? 10 : 0);
        }
        return Grid.fromAffine(n, n, nz, a);
    }

    /**
     * The object seen through {@code fixedToMoving} and an optional warp on {@code grid}: voxel value at y =
     * object(z − v(z)) with z = T⁻¹·y, plus Gaussian noise of sd {@code noise}. The warp is given by its inverse v
     * (one evaluation per voxel); the true fixed → moving map is then x ↦ T·z with z − v(z) = x
     * ({@link #trueMap}).
     */
    static Volume render(Grid grid, AffineTransform fixedToMoving, DisplacementField v, double noise, long seed) {
        Volume out = Volume.allocate(grid);
        double[][] inv = fixedToMoving.inverse().matrix();
        double[][] a = grid.affine();
        double[][] m = Affines.multiply(inv, a); // moving voxel → fixed mm
        int nx = grid.nx();
        int ny = grid.ny();
        IntStream.range(0, grid.nz()).parallel().forEach(z -> {
            float[] p = out.plane(z);
            SplittableRandom rng = new SplittableRandom(seed * 1000 + z);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double fx = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3];
                    double fy = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3];
                    double fz = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3];
                    if (v != null) {
                        double[] d = v.displacementMm(fx, fy, fz);
                        fx -= d[0];
                        fy -= d[1];
                        fz -= d[2];
                    }
                    double val = value(fx, fy, fz);
                    if (noise > 0) {
                        val += noise * gaussian(rng);
                    }
                    p[y * nx + x] = (float) val;
                }
            }
        });
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller, one value per call (enough for tests)
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Mean |T_est(x) − T_true(x)| in mm over brain points of a 4 mm lattice. */
    static double meanErrorMm(AffineTransform est, AffineTransform truth) {
        return meanErrorMm(est, null, truth, null);
    }

    /**
     * Mean distance in mm, over brain points of a 4 mm lattice, between the estimated map x ↦ T·(x + u(x)) and the
     * true one of an image rendered with {@code truth} and inverse warp {@code vTrue} ({@link #trueMap}).
     */
    static double meanErrorMm(AffineTransform est, DisplacementField uEst, AffineTransform truth,
                              DisplacementField vTrue) {
        double sum = 0;
        int n = 0;
        for (double z = -60; z <= 80; z += 4) {
            for (double y = -110; y <= 70; y += 4) {
                for (double x = -70; x <= 70; x += 4) {
                    if (!inBrain(x, y, z)) {
                        continue;
                    }
                    double[] a;
                    if (uEst == null) {
                        a = est.apply(x, y, z);
                    } else {
                        double[] d = uEst.displacementMm(x, y, z);
                        a = est.apply(x + d[0], y + d[1], z + d[2]);
                    }
                    double[] b = trueMap(truth, vTrue, x, y, z);
                    sum += Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])
                            + (a[2] - b[2]) * (a[2] - b[2]));
                    n++;
                }
            }
        }
        return sum / n;
    }

    /** The true fixed → moving map of {@link #render}: T·z with z − v(z) = x (fixed-point iteration). */
    static double[] trueMap(AffineTransform t, DisplacementField v, double x, double y, double z) {
        if (v == null) {
            return t.apply(x, y, z);
        }
        double[] p = {x, y, z};
        for (int it = 0; it < 30; it++) {
            double[] d = v.displacementMm(p[0], p[1], p[2]);
            p = new double[]{x + d[0], y + d[1], z + d[2]};
        }
        return t.apply(p);
    }

    /** The fixed → moving transform of a head turned by rot (°, about the brain centre) and moved by shift (mm). */
    static AffineTransform motion(double[] shiftMm, double[] rotDeg, double[] scale, double[] shear) {
        return AffineTransform.of(new AffineTransform.Parameters(shiftMm, rotDeg, scale, shear), BRAIN_C);
    }
}
