package org.dopaj.dl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class AgreementTest {
    /*
     * Hand computation, predicted x = 1 2 3 4 5, reference y = 1.5 2 2.5 4.5 4:
     *   x̄ = 3, ȳ = 2.9; deviations x: −2 −1 0 1 2, y: −1.4 −0.9 −0.4 1.6 1.1
     *   Σdx² = 10, Σdy² = 6.7, Σdxdy = 2.8 + 0.9 + 0 + 1.6 + 2.2 = 7.5
     *   s_x² = 2, s_y² = 1.34, s_xy = 1.5 (divided by n = 5)
     *   ρc = 2·1.5 / (2 + 1.34 + 0.1²) = 3 / 3.35 = 0.895522388…
     *   r = 7.5 / √(10·6.7) = 0.916270832…
     *   errors x − y: −0.5 0 0.5 −0.5 1 → MAE = 2.5/5 = 0.5, RMSE = √(1.75/5) = 0.591607978…, bias = 0.1
     *   reference range 4.5 − 1.5 = 3 → normalised RMSE 0.197202659…, normalised MAE 0.1666…
     * CI (Fisher z, Lin 1989) in the DescTools form se(z) = se(ρc)/(1 − ρc²),
     *   se(ρc)² = [(1−r²)ρc²(1−ρc²)/r² + 2ρc³(1−ρc)u²/r − ρc⁴u⁴/(2r²)]/(n−2), u = (ȳ−x̄)/(s_x s_y)^½ = −0.0781567…
     *   → se(z) = 0.516090262…, CI = tanh(atanh(ρc) ± 1.959964·se(z)) = (0.411669842, 0.985526408)
     */
    static final double[] X = {1, 2, 3, 4, 5};
    static final double[] Y = {1.5, 2, 2.5, 4.5, 4};

    @Test
    void handComputedExample() {
        Agreement.Result a = Agreement.of(X, Y);
        assertEquals(3 / 3.35, a.ccc(), 1e-14);
        assertEquals(7.5 / Math.sqrt(67), a.pearson(), 1e-14);
        assertEquals(0.5, a.mae(), 1e-14);
        assertEquals(Math.sqrt(0.35), a.rmse(), 1e-14);
        assertEquals(0.1, a.bias(), 1e-14);
        assertEquals(Math.sqrt(0.35) / 3, a.normalisedRmse(), 1e-14);
        assertEquals(0.5 / 3, a.normalisedMae(), 1e-14);
        assertEquals(0.41166984220963676, a.cccLow(), 1e-12);
        assertEquals(0.9855264078090802, a.cccHigh(), 1e-12);
        assertEquals(5, a.n());
    }

    @Test
    void perfectAgreementAndShiftedCopies() {
        double[] y = {1, 2, 3, 4};
        Agreement.Result same = Agreement.of(y, y);
        assertEquals(1, same.ccc(), 1e-15);
        assertTrue(Double.isNaN(same.cccLow()), "CI undefined at ρc = 1");
        assertNull(same.toMap().get("ccc_ci95_low"));
        // a constant shift keeps r = 1 but lowers ρc: 2·1.25/(1.25+1.25+1) = 2.5/3.5
        double[] shifted = {2, 3, 4, 5};
        Agreement.Result s = Agreement.of(shifted, y);
        assertEquals(1, s.pearson(), 1e-15);
        assertEquals(2.5 / 3.5, s.ccc(), 1e-15);
        assertEquals(1, s.bias(), 1e-15);
        assertTrue(s.cccLow() < s.ccc() && s.ccc() < s.cccHigh());
    }

    @Test
    void refusesMismatchedOrNonFinite() {
        assertThrows(DopajException.class, () -> Agreement.of(new double[]{1, 2}, new double[]{1, 2, 3}));
        assertThrows(DopajException.class, () -> Agreement.of(new double[]{1, Double.NaN}, new double[]{1, 2}));
        assertThrows(DopajException.class, () -> Agreement.of(new double[]{1}, new double[]{1}));
    }
}
