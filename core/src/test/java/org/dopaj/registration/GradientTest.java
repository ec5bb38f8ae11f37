package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/** The analytic gradients of the metrics match finite differences (the optimiser relies on them). */
class GradientTest {
    private static final AffineTransform TRUTH = TestObjects.motion(new double[]{6, -4, 3}, new double[]{4, -3, 5},
            new double[]{1.03, 0.97, 1}, new double[]{0.01, 0, -0.02});
    // a pose near, not at, the optimum, so the gradient is well away from 0
    private static final AffineTransform POSE = TestObjects.motion(new double[]{9, -1, 5}, new double[]{1, -6, 8},
            new double[]{1, 1, 1.02}, new double[3]);

    private static Level level() {
        Volume fixed = TestObjects.fixed();
        Grid mg = Resample.gridWithVoxelSize(TestObjects.spectGrid(), 4, 4, 4);
        Volume moving = Gaussian.smooth(TestObjects.render(mg, TRUTH, null, 0, 0), 8);
        Grid sg = Resample.gridWithVoxelSize(fixed.grid(), 8, 8, 8);
        Volume fl = Resample.toGrid(Gaussian.smooth(fixed, 8), sg, Resample.Interpolation.LINEAR, 0f);
        return new Level(8, fl, null, moving, fixed.grid());
    }

    private static double objective(Level lv, double[][] t, double[] coef, int k, boolean mi, boolean grad) {
        lv.sample(t, coef, k);
        return mi ? -lv.mi.value(lv, grad) : 1 - SimilarityMetrics.ncc(lv, grad);
    }

    @Test
    void affineGradientMatchesFiniteDifferences() {
        Level lv = level();
        lv.mi = new SimilarityMetrics.MattesMi(lv, -0.1f, 5f, 32);
        for (boolean mi : new boolean[]{false, true}) {
            double[][] t = POSE.matrix();
            objective(lv, t, null, 0, mi, true);
            double[] g = new double[12];
            lv.affineGradient(g);
            for (int e = 0; e < 12; e++) {
                int r = e / 4;
                int c = e % 4;
                // step: 0.05 mm in a translation, 0.0005 in a linear entry (~0.05 mm at 100 mm)
                double h = c == 3 ? 0.05 : 5e-4;
                double[][] tp = POSE.matrix();
                tp[r][c] += h;
                double fp = objective(lv, tp, null, 0, mi, false);
                double[][] tm = POSE.matrix();
                tm[r][c] -= h;
                double fm = objective(lv, tm, null, 0, mi, false);
                double numeric = (fp - fm) / (2 * h);
                double scale = c == 3 ? 1 : 100; // compare as the change per mm of displacement
                assertEquals(numeric / scale, g[e] / scale, 0.02 * Math.abs(numeric / scale) + (mi ? 2e-4 : 2e-5),
                        (mi ? "MI" : "NCC") + " d/dT[" + r + "][" + c + "]");
            }
        }
    }

    @Test
    void fieldGradientMatchesFiniteDifferences() {
        Level lv = level();
        int k = 3;
        double[] coef = new double[3 * k * k * k];
        coef[1] = 2;      // x displacement varying along x
        coef[27 + 3] = -1.5; // y displacement varying along y
        double[][] t = POSE.matrix();
        objective(lv, t, coef, k, false, true);
        double[] g = new double[coef.length];
        lv.fieldGradient(t, k, g);
        int checked = 0;
        for (int i : new int[]{1, 3, 4, 9, 13, 27 + 1, 27 + 3, 27 + 14, 54 + 9, 54 + 26}) {
            double h = 0.05;
            double[] cp = coef.clone();
            cp[i] += h;
            double fp = objective(lv, t, cp, k, false, false);
            double[] cm = coef.clone();
            cm[i] -= h;
            double fm = objective(lv, t, cm, k, false, false);
            double numeric = (fp - fm) / (2 * h);
            assertEquals(numeric, g[i], 0.03 * Math.abs(numeric) + 2e-5, "d/dc[" + i + "]");
            checked++;
        }
        assertTrue(checked > 0);
    }
}
