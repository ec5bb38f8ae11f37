package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.junit.jupiter.api.Test;

class AffineTransformTest {

    @Test
    void parametersRoundTripAboutACentre() {
        SplittableRandom r = new SplittableRandom(3);
        double[] c = {5, -17, 12};
        for (int i = 0; i < 50; i++) {
            AffineTransform.Parameters p = new AffineTransform.Parameters(
                    new double[]{r.nextDouble(-40, 40), r.nextDouble(-40, 40), r.nextDouble(-40, 40)},
                    new double[]{r.nextDouble(-80, 80), r.nextDouble(-80, 80), r.nextDouble(-170, 170)},
                    new double[]{r.nextDouble(0.6, 1.6), r.nextDouble(0.6, 1.6), r.nextDouble(0.6, 1.6)},
                    new double[]{r.nextDouble(-0.2, 0.2), r.nextDouble(-0.2, 0.2), r.nextDouble(-0.2, 0.2)});
            AffineTransform t = AffineTransform.of(p, c);
            AffineTransform.Parameters q = t.decompose(c);
            assertArrayEquals(p.translationMm(), q.translationMm(), 1e-9);
            assertArrayEquals(p.rotationDeg(), q.rotationDeg(), 1e-9);
            assertArrayEquals(p.scale(), q.scale(), 1e-12);
            assertArrayEquals(p.shear(), q.shear(), 1e-12);
            // the centre is a parameterisation choice: the same map decomposes about the origin too
            assertTrue(AffineTransform.of(t.decompose()).maxDifferenceMm(t, new double[]{-90, -90, -90},
                    new double[]{90, 90, 90}) < 1e-9);
        }
    }

    @Test
    void rotationOrderIsXThenYThenZ() {
        // 90° about x then 90° about z: +y → +z (by Rx) → stays +z (Rz); +x → +x (Rx) → +y (Rz)
        AffineTransform t = AffineTransform.of(AffineTransform.Parameters.rigid(new double[3],
                new double[]{90, 0, 90}));
        assertArrayEquals(new double[]{0, 0, 1}, t.apply(0, 1, 0), 1e-12);
        assertArrayEquals(new double[]{0, 1, 0}, t.apply(1, 0, 0), 1e-12);
        // right-handed: 10° about z turns +x towards +y
        AffineTransform z = AffineTransform.of(AffineTransform.Parameters.rigid(new double[]{1, 2, 3},
                new double[]{0, 0, 10}));
        double[] p = z.apply(1, 0, 0);
        assertEquals(1 + Math.cos(Math.toRadians(10)), p[0], 1e-12);
        assertEquals(2 + Math.sin(Math.toRadians(10)), p[1], 1e-12);
        assertEquals(3, p[2], 1e-12);
    }

    @Test
    void shearThenScaleThenRotate() {
        AffineTransform t = AffineTransform.of(new AffineTransform.Parameters(new double[3], new double[3],
                new double[]{2, 3, 4}, new double[]{0.5, 0, 0}));
        // S: (0,1,0) → (0.5,1,0); Z: → (1,3,0)
        assertArrayEquals(new double[]{1, 3, 0}, t.apply(0, 1, 0), 1e-12);
    }

    @Test
    void composeInverseAndApply() {
        AffineTransform a = AffineTransform.of(new AffineTransform.Parameters(new double[]{10, -5, 3},
                new double[]{12, -7, 25}, new double[]{1.1, 0.9, 1.05}, new double[]{0.02, -0.03, 0.01}));
        AffineTransform b = AffineTransform.translation(4, 5, 6);
        double[] x = {13, -40, 22};
        assertArrayEquals(a.apply(b.apply(x)), a.compose(b).apply(x), 1e-9);
        assertArrayEquals(x, a.inverse().apply(a.apply(x)), 1e-9);
        double[][] id = a.compose(a.inverse()).matrix();
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(Affines.identity()[r], id[r], 1e-12);
        }
        assertEquals(1.1 * 0.9 * 1.05, a.determinant(), 1e-12);
        assertEquals(a, AffineTransform.of(a.matrix()));
    }

    @Test
    void reflectionShowsAsNegativeXScale() {
        double[][] m = Affines.identity();
        m[0][0] = -1;
        m[1][3] = 7;
        AffineTransform t = AffineTransform.of(m);
        AffineTransform.Parameters p = t.decompose();
        assertEquals(-1, p.scale()[0], 1e-12);
        assertTrue(AffineTransform.of(p).maxDifferenceMm(t, new double[]{-1, -1, -1}, new double[]{1, 1, 1}) < 1e-12);
    }

    @Test
    void refusesSingularOrNonAffineMatrices() {
        double[][] singular = Affines.identity();
        singular[2][2] = 0;
        assertThrows(DopajException.class, () -> AffineTransform.of(singular));
        double[][] projective = Affines.identity();
        projective[3][0] = 0.1;
        assertThrows(DopajException.class, () -> AffineTransform.of(projective));
        double[][] nan = Affines.identity();
        nan[0][3] = Double.NaN;
        assertThrows(DopajException.class, () -> AffineTransform.of(nan));
    }
}
