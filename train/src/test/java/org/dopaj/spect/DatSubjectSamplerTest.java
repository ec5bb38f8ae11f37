package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Test;

/** Randomised training subjects and the classifier's input convention. */
class DatSubjectSamplerTest {

    @Test
    void sameSeedSameVoxelsOtherSeedOtherSubject() {
        DatSubjectSampler.Subject a = DatSubjectSampler.draw(42, DatSubjectSampler.PARKINSONIAN);
        DatSubjectSampler.Subject b = DatSubjectSampler.draw(42, DatSubjectSampler.PARKINSONIAN);
        DatSubjectSampler.Subject c = DatSubjectSampler.draw(43, DatSubjectSampler.PARKINSONIAN);
        assertArrayEquals(a.image().toArray(), b.image().toArray());
        assertFalse(java.util.Arrays.equals(a.image().toArray(), c.image().toArray()));
        assertEquals(a.parameters(), b.parameters());
        assertTrue(a.stage() > 0 && a.stage() <= 4, "parkinsonian severity " + a.stage());
        assertTrue(a.fwhmMm() >= 8 && a.fwhmMm() <= 18);
        assertEquals(true, a.parameters().get("synthetic"));
        assertEquals(0.0, DatSubjectSampler.draw(44, DatSubjectSampler.NORMAL).stage());
    }

    @Test
    void parkinsonianSubjectsHaveLowerPutamenThanNormalsOnAverage() {
        double normal = 0;
        double pd = 0;
        for (int i = 0; i < 6; i++) {
            SbrResult n = SbrQuantifier.defaults().quantify(DatSubjectSampler.draw(100 + i, 0).image());
            SbrResult p = SbrQuantifier.defaults().quantify(DatSubjectSampler.draw(200 + i, 1).image());
            normal += Math.min(n.sbr().get("putamen_l"), n.sbr().get("putamen_r")) / 6;
            pd += Math.min(p.sbr().get("putamen_l"), p.sbr().get("putamen_r")) / 6;
        }
        System.out.printf("SPECT-MEASURE sampler: mean min putamen SBR normal %.3f, parkinsonian %.3f%n", normal, pd);
        assertTrue(pd < 0.8 * normal, "normal " + normal + " parkinsonian " + pd);
    }

    @Test
    void lossModelCoversSymmetricBilateralAndAsymmetricLossPosteriorFirst() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int symmetric = 0;
        int asymmetric = 0;
        for (int i = 0; i < 600; i++) {
            DiseasePattern.Loss l = DiseasePattern.Loss.draw(r, DiseasePattern.Ranges.BROAD);
            boolean more = l.leftMore();
            double mean = (l.putamen(more, 0) + l.putamen(more, 1)) / 2;
            assertTrue(mean >= DiseasePattern.MIN_MEAN_LOSS - 1e-9 && l.posterior() <= 0.98, "mean loss " + mean);
            // posterior-predominant on both sides; caudate spared relative to the posterior putamen
            assertTrue(l.putamen(more, 1) >= l.putamen(more, 0) - 1e-12);
            assertTrue(l.putamen(!more, 1) >= l.putamen(!more, 0) - 1e-12);
            assertTrue(l.caudate(more) <= l.putamen(more, 1) + 1e-12);
            assertTrue(l.putamen(!more, 1) <= l.putamen(more, 1) + 1e-12, "the more affected side is the more affected");
            symmetric += l.symmetry() >= 0.8 ? 1 : 0;
            asymmetric += l.symmetry() < 0.6 ? 1 : 0;
            // the less affected side is never spared (generator v5): early PD loses binding on both sides
            assertTrue(l.symmetry() >= 0.4 - 1e-12, "symmetry " + l.symmetry());
        }
        // a third drawn symmetric (0.8..1), plus the share of U(0.4, 0.8) above 0.8 (none): 200 ± 35
        assertEquals(200, symmetric, 35);
        assertTrue(asymmetric > 120, "clearly asymmetric cases too: " + asymmetric);
        assertEquals(0.0, DiseasePattern.Loss.NONE.putamen(true, 1));
        assertEquals(0.0, DatSubjectSampler.draw(6, 0).stage());
    }

    @Test
    void atlasSamplerUsesTheAtlasStriatumAndRefusesAMissingLabel() {
        // an atlas made of DopaJ's own VOIs stands in for AAL here (the real atlas is in ../shared)
        Volume atlas = SpectVois.rasterise(HeadPhantom.mni2mm());
        int[] caud = {SpectVois.CAUDATE_L, SpectVois.CAUDATE_R};
        AtlasDatSampler a = new AtlasDatSampler(atlas, caud, new int[] {SpectVois.PUTAMEN_POST_L, SpectVois.PUTAMEN_POST_R});
        assertArrayEquals(a.draw(3, 1).activity().toArray(), a.draw(3, 1).activity().toArray());
        double normal = 0;
        double pd = 0;
        for (int i = 0; i < 4; i++) {
            SbrResult n = SbrQuantifier.defaults().quantify(DatFamily.AAL.draw(a, 10 + i, 0, null).image());
            SbrResult p = SbrQuantifier.defaults().quantify(DatFamily.AAL.draw(a, 20 + i, 1, null).image());
            normal += Math.min(n.sbr().get("putamen_l"), n.sbr().get("putamen_r")) / 4;
            pd += Math.min(p.sbr().get("putamen_l"), p.sbr().get("putamen_r")) / 4;
        }
        assertTrue(pd < 0.85 * normal, "normal " + normal + " parkinsonian " + pd);
        DopajException e = assertThrows(DopajException.class, () -> new AtlasDatSampler(atlas, caud, new int[] {73, 74}));
        assertTrue(e.getMessage().contains("atlas lacks"), e.getMessage());
    }

    @Test
    void smoothedVersionIsBlurredFurther() {
        DatSubjectSampler.Subject s = DatSubjectSampler.draw(7, 0);
        double a = SbrQuantifier.defaults().quantify(s.image()).sbr().get("striatum_l");
        double b = SbrQuantifier.defaults().quantify(s.smoothed()).sbr().get("striatum_l");
        assertTrue(b < a, "18 mm extra smoothing lowers the striatal SBR: " + a + " -> " + b);
    }

    @Test
    void normaliseGivesAnSbrMapAndRefusesANonPositiveReference() {
        Grid g = HeadPhantom.mni2mm();
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            java.util.Arrays.fill(p, 4f);
        }
        v.set(30, 50, 40, 12f);
        Volume m = DatCnn.normalise(v);
        assertEquals(0f, m.get(10, 10, 10), 1e-6f);
        assertEquals(2f, m.get(30, 50, 40), 1e-6f);
        assertEquals(4f, v.get(10, 10, 10), "input untouched");
        Volume zero = Volume.allocate(g);
        DopajException e = assertThrows(DopajException.class, () -> DatCnn.normalise(zero));
        assertTrue(e.getMessage().contains("reference VOI mean"), e.getMessage());
        assertThrows(DopajException.class, () -> DatCnn.normalise(Volume.allocate(Grid.of(10, 10, 10, 2, 2, 2))));
    }

    @Test
    void pooledIsTheBlockAverageWithPartialEdgeBlocks() {
        Grid g = HeadPhantom.mni2mm();
        Volume v = Volume.allocate(g);
        java.util.Random r = new java.util.Random(3);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
        }
        float[] t = DatCnn.pooled(v);
        assertEquals(DatCnn.PX * DatCnn.PY * DatCnn.PZ, t.length);
        // block (3, 7, 5): voxels x 6..7, y 14..15, z 10..11; tensor order [x][y][z]
        double s = 0;
        for (int z = 10; z < 12; z++) {
            for (int y = 14; y < 16; y++) {
                for (int x = 6; x < 8; x++) {
                    s += v.get(x, y, z);
                }
            }
        }
        assertEquals(s / 8, t[(3 * DatCnn.PY + 7) * DatCnn.PZ + 5], 1e-6);
        // last block along x holds only voxel x = 90
        double e = (v.get(90, 0, 0) + v.get(90, 1, 0) + v.get(90, 0, 1) + v.get(90, 1, 1)) / 4;
        assertEquals(e, t[(45 * DatCnn.PY) * DatCnn.PZ], 1e-6);
    }

    @Test
    void networkHasAboutThreeMillionParameters() {
        try (ModelGraph m = ModelGraph.build(DatNetwork.exportSpec(), NetBuilder.Mode.INFERENCE, 0)) {
            long n = m.net().parameterCount();
            System.out.println("SPECT-MEASURE DaT CNN parameters " + n);
            assertTrue(n > 2_500_000 && n < 3_300_000, "parameters " + n);
            assertArrayEquals(new long[] {-1, 2}, m.prediction().shape().asArray());
        }
        try (ModelGraph m = ModelGraph.build(DatNetwork.trainingSpec(), NetBuilder.Mode.INFERENCE, 0)) {
            assertEquals(DatCnn.PX, m.input().shape().size(1));
        }
    }

    @Test
    void flipShiftMirrorsAndMovesTheFourMillimetreMap() {
        float[] x = new float[DatCnn.PX * DatCnn.PY * DatCnn.PZ];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        int ny = DatCnn.PY;
        int nz = DatCnn.PZ;
        float[] f = DatCnnTraining.flipShift(x, true, 0, 0, 0);
        assertEquals(x[(45 * ny + 3) * nz + 4], f[(0 * ny + 3) * nz + 4]);
        assertArrayEquals(x, DatCnnTraining.flipShift(f, true, 0, 0, 0), "mirroring twice is the identity");
        float[] s = DatCnnTraining.flipShift(x, false, 1, 0, -1);
        assertEquals(x[(9 * ny + 20) * nz + 31], s[(10 * ny + 20) * nz + 30]);
        assertEquals(x[(0 * ny + 20) * nz + 31], s[(0 * ny + 20) * nz + 31 - 1], "edge repeated");
    }
}
