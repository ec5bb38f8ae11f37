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
        assertTrue(a.stage() >= 1 && a.stage() <= 4, "parkinsonian stage " + a.stage());
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
    void earlyWeightedStagesChangeOnlyTheStage() {
        int early = 0;
        int uniform = 0;
        for (int i = 0; i < 400; i++) {
            DatSubjectSampler.Subject u = DatSubjectSampler.draw(5000 + i, 1, DatSubjectSampler.Stages.UNIFORM);
            DatSubjectSampler.Subject e = DatSubjectSampler.draw(5000 + i, 1, DatSubjectSampler.Stages.EARLY_WEIGHTED);
            assertTrue(e.stage() >= 1 && e.stage() <= u.stage() + 1e-12, "1 + 3u² ≤ 1 + 3u");
            assertEquals(u.age(), e.age());
            assertEquals(u.fwhmMm(), e.fwhmMm());
            uniform += u.stage() < 1.5 ? 1 : 0;
            early += e.stage() < 1.5 ? 1 : 0;
        }
        // expected shares below stage 1.5: 1/6 uniform, sqrt(1/6) = 0.41 early-weighted
        assertEquals(400 / 6.0, uniform, 25);
        assertEquals(400 * Math.sqrt(1 / 6.0), early, 30);
        assertEquals(0.0, DatSubjectSampler.draw(6, 0, DatSubjectSampler.Stages.EARLY_WEIGHTED).stage());
    }

    @Test
    void atlasSamplerUsesTheAtlasStriatumAndRefusesAMissingLabel() {
        // an atlas made of DopaJ's own VOIs stands in for AAL here (the real atlas is in ../shared)
        Volume atlas = SpectVois.rasterise(HeadPhantom.mni2mm());
        int[] caud = {SpectVois.CAUDATE_L, SpectVois.CAUDATE_R};
        AtlasDatSampler a = new AtlasDatSampler(atlas, caud, new int[] {SpectVois.PUTAMEN_POST_L, SpectVois.PUTAMEN_POST_R});
        assertArrayEquals(a.draw(3, 1).image().toArray(), a.draw(3, 1).image().toArray());
        double normal = 0;
        double pd = 0;
        for (int i = 0; i < 4; i++) {
            SbrResult n = SbrQuantifier.defaults().quantify(a.draw(10 + i, 0).image());
            SbrResult p = SbrQuantifier.defaults().quantify(a.draw(20 + i, 1).image());
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
        try (ModelGraph m = ModelGraph.build(DatCnn.exportSpec(), NetBuilder.Mode.INFERENCE, 0)) {
            long n = m.net().parameterCount();
            System.out.println("SPECT-MEASURE DaT CNN parameters " + n);
            assertTrue(n > 2_500_000 && n < 3_300_000, "parameters " + n);
            assertArrayEquals(new long[] {-1, 2}, m.prediction().shape().asArray());
        }
        try (ModelGraph m = ModelGraph.build(DatCnn.trainingSpec(), NetBuilder.Mode.INFERENCE, 0)) {
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
