package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample.Interpolation;
import org.dopaj.image.Volume;
import org.dopaj.registration.Registration.Model;
import org.dopaj.registration.Registration.Options;
import org.dopaj.registration.Registration.Result;
import org.junit.jupiter.api.Test;
import org.dopaj.progress.ProgressListener;

/**
 * Recovery of known motions of the synthetic brain-like object ({@link TestObjects}) from a SPECT-like grid
 * (128×128×90, 3.3 mm, LPS, tilted) to the MNI 2 mm grid, with noise.
 */
class RegistrationTest {
    private static final double[] ONE = {1, 1, 1};
    private static final double[] NO_SHEAR = {0, 0, 0};

    private static Volume moving(AffineTransform truth, long seed) {
        return TestObjects.render(TestObjects.spectGrid(), truth, null, 0.3, seed);
    }

    @Test
    void recoversLargeRigidMotions() {
        double[][][] cases = {
                {{30, -40, 20}, {20, -15, 10}},
                {{-40, 25, -35}, {-20, 20, -20}},
                {{40, 40, -10}, {5, -20, 20}},
        };
        Options o = Options.defaults().withModel(Model.RIGID);
        int seed = 1;
        for (double[][] c : cases) {
            AffineTransform truth = TestObjects.motion(c[0], c[1], ONE, NO_SHEAR);
            Result r = Registration.register(moving(truth, seed++), TestObjects.fixed(), o);
            double err = TestObjects.meanErrorMm(r.fixedToMoving(), truth);
            assertTrue(err < 2, "mean error " + err + " mm for shift/rotation " + java.util.Arrays.deepToString(c));
            assertTrue(r.quality().ok(), r.quality().reason());
            assertTrue(r.ncc() > 0.9, "NCC " + r.ncc());
            assertEquals(1, r.overlap(), 1e-3);
            // rigid: unit scales, no shear
            assertArrayEquals(ONE, r.parameters().scale(), 1e-9);
        }
    }

    @Test
    void recoversAffineMotions() {
        double[][][] cases = {
                {{20, -30, 15}, {12, -8, 15}, {1.1, 0.92, 1.05}, {0.03, -0.02, 0.02}},
                {{-35, 10, 30}, {-18, 10, -6}, {0.9, 1.08, 0.93}, {-0.02, 0.03, 0}},
        };
        int seed = 11;
        for (double[][] c : cases) {
            AffineTransform truth = TestObjects.motion(c[0], c[1], c[2], c[3]);
            Result r = Registration.register(moving(truth, seed++), TestObjects.fixed(), Options.defaults());
            double err = TestObjects.meanErrorMm(r.fixedToMoving(), truth);
            assertTrue(err < 3, "mean error " + err + " mm");
            assertTrue(r.quality().ok(), r.quality().reason());
            assertArrayEquals(c[2], r.parameters().scale(), 0.03);
        }
    }

    @Test
    void sameImageGivesIdentity() {
        Volume fixed = TestObjects.fixed();
        Result r = Registration.register(fixed, fixed, Options.defaults());
        assertTrue(TestObjects.meanErrorMm(r.fixedToMoving(), AffineTransform.identity()) < 0.2);
        assertTrue(r.ncc() > 0.999, "NCC " + r.ncc());
        assertTrue(r.converged());
        // deterministic: the same inputs give the same numbers, bit for bit
        Result again = Registration.register(fixed, fixed, Options.defaults());
        assertEquals(r.fixedToMoving(), again.fixedToMoving());
        assertEquals(r.ncc(), again.ncc());
    }

    @Test
    void mutualInformationCopesWithInvertedContrast() {
        AffineTransform truth = TestObjects.motion(new double[]{-25, 30, 10}, new double[]{-12, 8, 15}, ONE,
                NO_SHEAR);
        Volume m = moving(truth, 21);
        for (float[] p : m.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = 8 - 1.5f * p[i]; // another "modality": bright background, dark striatum
            }
        }
        Options o = Options.defaults().withModel(Model.RIGID).withMetric(Registration.Metric.MUTUAL_INFORMATION)
                .withMinNcc(-1);
        Result r = Registration.register(m, TestObjects.fixed(), o);
        double err = TestObjects.meanErrorMm(r.fixedToMoving(), truth);
        assertTrue(err < 2, "mean error " + err + " mm");
        assertTrue(r.ncc() < -0.9, "the NCC report keeps its sign: " + r.ncc());
    }

    @Test
    void fixedWeightRestrictsTheMetric() {
        Volume fixed = TestObjects.fixed();
        Volume mask = Volume.allocate(fixed.grid());
        for (int z = 0; z < fixed.nz(); z++) {
            for (int y = 0; y < fixed.ny(); y++) {
                for (int x = 0; x < fixed.nx(); x++) {
                    double[] p = fixed.grid().toMm(x, y, z);
                    mask.set(x, y, z, TestObjects.inBrain(p[0], p[1], p[2]) ? 1 : 0);
                }
            }
        }
        AffineTransform truth = TestObjects.motion(new double[]{15, -20, 25}, new double[]{10, 12, -15}, ONE,
                NO_SHEAR);
        Result r = Registration.register(moving(truth, 31), fixed, Options.defaults().withFixedWeight(mask));
        double err = TestObjects.meanErrorMm(r.fixedToMoving(), truth);
        assertTrue(err < 3, "mean error " + err + " mm");
        assertTrue(r.quality().ok(), r.quality().reason());
    }

    @Test
    void inverseAndResamplingRoundTrip() {
        AffineTransform truth = TestObjects.motion(new double[]{10, 20, -15}, new double[]{-10, 5, 18}, ONE,
                NO_SHEAR);
        Volume m = TestObjects.render(TestObjects.spectGrid(), truth, null, 0, 0);
        Result r = Registration.register(m, TestObjects.fixed(), Options.defaults().withModel(Model.RIGID));
        double[][] id = r.movingToFixed().compose(r.fixedToMoving()).matrix();
        for (int row = 0; row < 4; row++) {
            assertArrayEquals(Affines.identity()[row], id[row], 1e-9);
        }
        assertEquals(r.movingGrid(), m.grid());
        // moving → fixed grid: looks like the fixed image
        Volume onFixed = r.toFixed(m, Interpolation.LINEAR);
        assertTrue(onFixed.grid().sameAs(TestObjects.fixed().grid(), 1e-9));
        assertTrue(correlation(onFixed, TestObjects.fixed(), null) > 0.98);
        // … and back onto the moving grid: close to the moving image where the fixed grid covered it
        Volume back = r.toMoving(onFixed, Interpolation.LINEAR);
        assertTrue(back.grid().sameAs(m.grid(), 1e-9));
        Volume covered = r.toMoving(ones(TestObjects.fixed().grid()), Interpolation.NEAREST);
        assertTrue(correlation(back, m, covered) > 0.98);
        // a label map survives nearest-neighbour resampling as labels
        Volume labels = r.toMoving(ones(TestObjects.fixed().grid()), Interpolation.NEAREST);
        for (float[] p : labels.planes()) {
            for (float v : p) {
                assertTrue(v == 0 || v == 1);
            }
        }
    }

    @Test
    void reportsProgressAndCanBeCancelled() {
        AffineTransform truth = TestObjects.motion(new double[]{5, 5, 5}, new double[]{5, 0, 0}, ONE, NO_SHEAR);
        Volume m = moving(truth, 41);
        List<Double> fractions = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Registration.register(m, TestObjects.fixed(), Options.defaults(), (f, msg) -> {
            fractions.add(f);
            messages.add(msg);
        });
        assertTrue(fractions.size() >= 4, messages.toString());
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1), fractions.toString());
        }
        assertEquals(1.0, fractions.get(fractions.size() - 1));
        assertTrue(messages.stream().anyMatch(s -> s.contains("affine")), messages.toString());

        int[] polls = {0};
        ProgressListener cancelSoon = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public boolean cancelled() {
                return ++polls[0] > 3;
            }
        };
        DopajException e = assertThrows(DopajException.class,
                () -> Registration.register(m, TestObjects.fixed(), Options.defaults(), cancelSoon));
        assertEquals("registration cancelled", e.getMessage());
    }

    @Test
    void refusesBadInputs() {
        Volume fixed = TestObjects.fixed();
        Volume four = Volume.allocate(fixed.grid(), 2);
        assertThrows(DopajException.class, () -> Registration.register(four, fixed, Options.defaults()));
        Volume nan = Volume.allocate(Grid.of(20, 20, 20, 4, 4, 4));
        nan.set(1, 2, 3, Float.NaN);
        DopajException e = assertThrows(DopajException.class,
                () -> Registration.register(nan, fixed, Options.defaults()));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        Volume wrongWeight = Volume.allocate(Grid.of(20, 20, 20, 4, 4, 4));
        assertThrows(DopajException.class,
                () -> Registration.register(fixed, fixed, Options.defaults().withFixedWeight(wrongWeight)));
        assertThrows(DopajException.class, () -> Options.defaults().withLevelsMm(4, 8));
        assertThrows(DopajException.class, () -> Options.defaults().withScaleRange(1.2, 1.1));
    }

    private static Volume ones(Grid g) {
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            java.util.Arrays.fill(p, 1);
        }
        return v;
    }

    /** Pearson correlation over voxels where mask (if given) is 1. */
    static double correlation(Volume a, Volume b, Volume mask) {
        double n = 0;
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int z = 0; z < a.nz(); z++) {
            float[] pa = a.plane(z);
            float[] pb = b.plane(z);
            float[] pm = mask == null ? null : mask.plane(z);
            for (int i = 0; i < pa.length; i++) {
                if (pm != null && pm[i] != 1) {
                    continue;
                }
                n++;
                sa += pa[i];
                sb += pb[i];
                saa += pa[i] * (double) pa[i];
                sbb += pb[i] * (double) pb[i];
                sab += pa[i] * (double) pb[i];
            }
        }
        double ca = saa - sa * sa / n;
        double cb = sbb - sb * sb / n;
        return (sab - sa * sb / n) / Math.sqrt(ca * cb);
    }
}
