package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class DatLiteratureCheckTest {
    @Test
    void thresholdAccuracyAndMomentsOfLabelledValues() {
        // (value, label): one normal below the best cut, so 5 of 6 at best
        List<double[]> v = List.of(new double[] {0.3, 1}, new double[] {0.4, 1}, new double[] {0.5, 0},
                new double[] {0.6, 1}, new double[] {1.0, 0}, new double[] {1.2, 0});
        assertEquals(5.0 / 6, DatLiteratureCheck.bestThresholdAccuracy(v), 1e-12);
        double[] m = DatLiteratureCheck.moments(v);
        assertEquals(0.9, m[0], 1e-12);
        assertEquals(Math.sqrt((0.16 + 0.01 + 0.09) / 3), m[1], 1e-12);
        assertEquals(1.3 / 3, m[2], 1e-12);
    }

    /**
     * The ellipsoid family measured as a user would lies near PPMI's relative figures (generator v5): normals vary
     * about as much as PPMI controls and parkinsonian subjects keep about 0.37–0.5 of the normal putamen SBR (PPMI 0.37;
     * our VOIs' partial volume keeps a floor). Generator v4 gave 0.26 and 0.55 on 200 subjects: milder disease and
     * wider normals than the literature, which capped any classifier near 0.9.
     */
    @Test
    void ellipsoidFamilyLooksLikePpmiInRelativeTerms() {
        DatLiteratureCheck.Figures f = DatLiteratureCheck.measure(DatFamily.ELLIPSOID, Path.of("unused"), 60);
        System.out.println("SPECT-MEASURE literature check: " + f.row());
        assertEquals(0, f.failed());
        assertTrue(f.normalCv() > 0.10 && f.normalCv() < 0.25, "normal CV " + f.normalCv());
        assertTrue(f.pdFraction() > 0.25 && f.pdFraction() < 0.52, "PD / normal " + f.pdFraction());
        assertTrue(f.pdSdFraction() > 0.06 && f.pdSdFraction() < 0.25, "PD sd / normal " + f.pdSdFraction());
    }
}
