package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/**
 * The VBM-style recipe on the MNI152 T1 itself (its GD must be the template's own smoothed GM) and on the same head
 * made 10 % larger on every axis (modulation must report 1.1³ ≈ 1.33 times the grey matter).
 */
class GmDensityTest {
    static double sum(Volume v) {
        double s = 0;
        for (float x : v.toArray()) {
            s += x;
        }
        return s;
    }

    @Test
    void templateGivesItsOwnGreyMatterAndALargerHeadMoreOfIt() {
        MniTemplates t = MniTemplates.load(MsaSharedData.dir());
        GmDensity.Result r = GmDensity.run(t.t1(), t);
        Volume ref = Gaussian.smooth(t.gm(), 8);
        float[] x = r.gd().toArray();
        float[] y = ref.toArray();
        float[] m = t.brainMask().toArray();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (m[i] > 0.5f) {
                sx += x[i];
                sy += y[i];
                sxx += x[i] * (double) x[i];
                syy += y[i] * (double) y[i];
                sxy += x[i] * (double) y[i];
                n++;
            }
        }
        double corr = (sxy - sx * sy / n) / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
        assertTrue(corr > 0.95, "GD vs the template's smoothed FAST GM: r = " + corr);
        assertTrue(Math.abs(sx / sy - 1) < 0.1, "mean GD ratio " + sx / sy);
        assertTrue(r.gmMl() > 650 && r.gmMl() < 1000, "GM volume " + r.gmMl() + " mL");
        // the same voxels with 2.2 mm spacing: a head 10 % larger per axis
        Grid g = t.t1().grid();
        double[][] a = g.affine();
        double[][] big = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                big[i][j] = a[i][j] * 1.1;
            }
        }
        big[3][3] = 1;
        Volume larger = Volume.of(new Grid(g.nx(), g.ny(), g.nz(), new double[] {2.2, 2.2, 2.2}, big),
                t.t1().toArray());
        GmDensity.Result r2 = GmDensity.run(larger, t);
        double ratio = sum(r2.gmModulated()) / sum(r.gmModulated());
        assertTrue(ratio > 1.2 && ratio < 1.45, "modulated GM ratio " + ratio + " (1.331 expected); " + r2.notes());
        assertTrue(r2.gmMl() / r.gmMl() > 1.2, "native GM volume ratio " + r2.gmMl() / r.gmMl());
    }
}
