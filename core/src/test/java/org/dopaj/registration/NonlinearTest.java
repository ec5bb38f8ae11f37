package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Grid;
import org.dopaj.image.Resample.Interpolation;
import org.dopaj.image.Volume;
import org.dopaj.registration.Registration.Options;
import org.dopaj.registration.Registration.Result;
import org.junit.jupiter.api.Test;

/** The optional low-dimensional non-linear part: the field itself, its inverse, and what it adds to a fit. */
class NonlinearTest {
    private static final int K = 3;

    /**
     * A smooth warp of a few mm (x displacement varying along x, y along y, z along x and z, and along y), used as
     * the inverse warp of a rendered image.
     */
    private static DisplacementField warp() {
        double[] c = new double[3 * K * K * K];
        c[1] = 4;                 // u_x, kx = 1
        c[27 + 2 * 3] = -3;       // u_y, ky = 2
        c[54 + 9 + 1] = 3;        // u_z, kz = 1, kx = 1
        c[54 + 3] = 2;            // u_z, ky = 1
        return new DisplacementField(TestObjects.fixed().grid(), K, c);
    }

    @Test
    void fieldBasics() {
        Grid box = TestObjects.fixed().grid();
        double[] c = new double[3 * K * K * K];
        c[0] = 5; // a translation: always dropped
        c[1] = 2;
        DisplacementField u = new DisplacementField(box, K, c);
        assertEquals(0, u.coefficients()[0]);
        // u_x = 2·√2·cos(π(s + ½)/n) along voxel axis i: at the box centre it is 0, at voxel 0 nearly 2√2
        double[] mid = box.toMm((box.nx() - 1) / 2.0, 50, 40);
        assertArrayEquals(new double[]{0, 0, 0}, u.displacementMm(mid[0], mid[1], mid[2]), 1e-9);
        double[] edge = box.toMm(-0.5, 50, 40);
        assertEquals(2 * Math.sqrt(2), u.displacementMm(edge[0], edge[1], edge[2])[0], 1e-9);
        // membrane energy: analytic value equals a finite-difference average of |∇u|² over the box
        DisplacementField w = warp();
        double sum = 0;
        int n = 0;
        double h = 0.5;
        for (int z = 0; z < box.nz(); z += 4) {
            for (int y = 0; y < box.ny(); y += 4) {
                for (int x = 0; x < box.nx(); x += 4) {
                    double[] p = box.toMm(x, y, z);
                    for (int a = 0; a < 3; a++) {
                        double[] pp = p.clone();
                        double[] pm = p.clone();
                        pp[a] += h;
                        pm[a] -= h;
                        double[] up = w.displacementMm(pp[0], pp[1], pp[2]);
                        double[] um = w.displacementMm(pm[0], pm[1], pm[2]);
                        for (int d = 0; d < 3; d++) {
                            double g = (up[d] - um[d]) / (2 * h);
                            sum += g * g;
                        }
                    }
                    n++;
                }
            }
        }
        assertEquals(sum / n, w.membraneEnergy(), 0.05 * w.membraneEnergy());
        assertTrue(w.gradientBound() < 1);
        // the tabulated separable evaluation (a grid parallel to the box) agrees with the direct one
        Grid coarse = org.dopaj.image.Resample.gridWithVoxelSize(box, 6, 6, 6);
        Volume v = w.toVolume(coarse);
        double[] p = coarse.toMm(7, 21, 9);
        assertArrayEquals(w.displacementMm(p[0], p[1], p[2]),
                new double[]{v.get(7, 21, 9, 0), v.get(7, 21, 9, 1), v.get(7, 21, 9, 2)}, 1e-5);
    }

    @Test
    void inverseTableInvertsTheWarp() {
        DisplacementField u = warp();
        Warp.InverseTable inv = new Warp.InverseTable(u);
        double[] v = new double[3];
        for (double[] z : new double[][]{{0, 0, 0}, {-50, 30, 20}, {40, -80, -30}, {10, -100, 60}}) {
            inv.lookup(z[0], z[1], z[2], v);
            double[] x = {z[0] + v[0], z[1] + v[1], z[2] + v[2]};
            double[] d = u.displacementMm(x[0], x[1], x[2]);
            // x + u(x) returns to z
            assertArrayEquals(z, new double[]{x[0] + d[0], x[1] + d[1], x[2] + d[2]}, 0.05);
        }
    }

    @Test
    void refinementReducesTheErrorOfAWarpedImage() {
        DisplacementField truthField = warp();
        AffineTransform truth = TestObjects.motion(new double[]{10, -20, 15}, new double[]{8, -5, 12},
                new double[]{1.05, 0.97, 1}, new double[3]);
        // 4.4 mm voxels, like many SPECT reconstructions
        Volume m = TestObjects.render(TestObjects.spectGrid(96, 64, 4.4), truth, truthField, 0.3, 3);
        Result warped = Registration.register(m, TestObjects.fixed(), Options.defaults().withNonlinear(true));
        assertTrue(warped.hasField());
        assertTrue(warped.quality().ok(), warped.quality().reason());
        // the warp is fitted with the affine held fixed, so the same result without its field is the affine fit
        Result affine = new Result(warped.fixedToMoving(), warped.movingToFixed(), null, Double.NaN, 1, 0, true, 0,
                warped.quality(), warped.fixedGrid(), warped.movingGrid());
        double errAffine = TestObjects.meanErrorMm(affine.fixedToMoving(), null, truth, truthField);
        double errWarped = TestObjects.meanErrorMm(warped.fixedToMoving(), warped.field(), truth, truthField);
        assertTrue(errWarped < 0.8 * errAffine, "affine " + errAffine + " mm, with warp " + errWarped + " mm");

        // resampling honours the warp: on the fixed grid it matches the template better, and the round trip
        // comes back to the moving image
        Volume onFixed = warped.toFixed(m, Interpolation.LINEAR);
        double cw = RegistrationTest.correlation(onFixed, TestObjects.fixed(), null);
        double ca = RegistrationTest.correlation(affine.toFixed(m, Interpolation.LINEAR), TestObjects.fixed(), null);
        assertTrue(cw > ca, "correlation with the template: affine " + ca + ", warped " + cw);
        Volume back = warped.toMoving(onFixed, Interpolation.LINEAR);
        // compare where the fixed grid (shrunk by a margin, as the warp moves its edge) covers the moving image
        Volume covered = affine.toMoving(inner(TestObjects.fixed().grid(), 5), Interpolation.NEAREST);
        assertTrue(RegistrationTest.correlation(back, m, covered) > 0.95);
    }

    @Test
    void offByDefault() {
        assertFalse(Options.defaults().nonlinear());
    }

    /** 1 on the grid's voxels at least {@code margin} voxels from its faces, 0 elsewhere. */
    private static Volume inner(Grid g, int margin) {
        Volume v = Volume.allocate(g);
        for (int z = margin; z < g.nz() - margin; z++) {
            for (int y = margin; y < g.ny() - margin; y++) {
                for (int x = margin; x < g.nx() - margin; x++) {
                    v.set(x, y, z, 1);
                }
            }
        }
        return v;
    }
}
