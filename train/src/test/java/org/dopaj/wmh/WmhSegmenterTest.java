package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/** The atlas's regions, the synthesis's determinism and the segmenter's refusals and results. */
class WmhSegmenterTest {

    @Test
    void atlasRegionsAreAnatomicallySized() {
        WmhAtlas a = WmhAtlas.load();
        assertEquals(WmhModel.size(), a.regions().grid().voxelCount());
        double vox = 8 / 1000.0;
        double vent = count(a.ventricles(), 1) * vox;
        assertTrue(vent > 8 && vent < 60, "MNI152 lateral + third ventricles " + vent + " mL");
        double[] ml = new double[4];
        for (int k = 1; k <= 3; k++) {
            ml[k] = count(a.regions(), k) * vox;
            assertTrue(ml[k] > 20, WmhAtlas.REGION_NAMES[k] + " region " + ml[k] + " mL");
        }
        // the ventricles' own voxels are periventricular
        assertEquals(count(a.ventricles(), 1), countBoth(a.ventricles(), a.regions(), WmhAtlas.PERIVENTRICULAR));
    }

    @Test
    void mirrorMovesVoxelXToTheOtherSideAndTwiceIsIdentity() {
        float[] t = new float[WmhModel.size() * 2];
        t[WmhModel.tensorIndex(3, 10, 20) * 2 + 1] = 7;
        float[] m = WmhSegmenter.mirrorX(t, 2);
        assertEquals(7f, m[WmhModel.tensorIndex(WmhModel.NX - 1 - 3, 10, 20) * 2 + 1]);
        assertEquals(0f, m[WmhModel.tensorIndex(3, 10, 20) * 2 + 1]);
        assertEquals(java.util.Arrays.hashCode(t), java.util.Arrays.hashCode(WmhSegmenter.mirrorX(m, 2)));
        assertEquals(3, WmhSegmenter.grade(20));
        assertEquals(0, WmhSegmenter.grade(0.5));
    }

    @Test
    void refusesWhatIsNotA3dHeadBeforeAnyModel() {
        Grid g = Grid.of(96, 96, 1, 1, 1, 1);
        DopajException e = assertThrows(DopajException.class, () -> WmhSegmenter.check(noise(g, 1)));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
        Volume v4 = Volume.allocate(Grid.of(80, 80, 80, 2, 2, 2), 2);
        e = assertThrows(DopajException.class, () -> WmhSegmenter.check(v4));
        assertTrue(e.getMessage().contains("4D"), e.getMessage());
        e = assertThrows(DopajException.class, () -> WmhSegmenter.check(noise(Grid.of(80, 80, 80, 9, 9, 9), 2)));
        assertTrue(e.getMessage().contains("no usable geometry"), e.getMessage());
        e = assertThrows(DopajException.class, () -> WmhSegmenter.check(Volume.allocate(Grid.of(80, 80, 80, 2, 2, 2))));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(DopajException.class, () -> WmhSegmenter.Method.parse("magic"));
    }

    @Test
    void noBrainInNoiseAndANonT1BrainAreRefused() {
        Path bm = ModelRegistry.find(BrainMaskModel.ID);
        try (WmhSegmenter s = WmhSegmenter.open(WmhSegmenter.Method.THRESHOLD, null, bm, ComputeDevice.CPU)) {
            DopajException e = assertThrows(DopajException.class,
                    () -> s.run(noise(Grid.of(90, 100, 90, 2, 2, 2), 3), null));
            assertTrue(e.getMessage().startsWith("no brain found"), e.getMessage());
            Volume inverted = WmhData.invertedBrain();
            e = assertThrows(DopajException.class, () -> s.run(inverted, null));
            assertTrue(e.getMessage().contains("does not look T1-weighted"), e.getMessage());
        }
    }

    @Test
    void thresholdBaselineRunsOnTheMniHeadWithRegionsAddingUp() {
        Volume t1 = WmhData.mniHead();
        Path bm = ModelRegistry.find(BrainMaskModel.ID);
        try (WmhSegmenter s = WmhSegmenter.open(WmhSegmenter.Method.THRESHOLD, null, bm, ComputeDevice.CPU)) {
            WmhResult r = s.run(t1, null);
            assertTrue(r.registrationNcc() > 0.9, "MNI152 to its own template: NCC " + r.registrationNcc());
            assertEquals(r.wmhMl(), r.periventricularMl() + r.deepMl() + r.juxtacorticalMl(), 1e-6);
            assertEquals(t1.grid().voxelCount(), r.mask().grid().voxelCount());
            Map<String, Object> m = r.toMap();
            assertTrue(m.keySet().containsAll(List.of("wmh_ml", "wmh_pv_ml", "regions", "grade", "method", "model")));
            assertEquals("threshold", m.get("method"));
            assertEquals(WmhSegmenter.grade(r.wmhMl()), r.grade());
        }
    }

    @Test
    void networkFindsSynthesisedLesionsAndLittleOnTheLesionFreeHead() {
        assumeTrue(WmhData.hasModel(), "models/" + WmhModel.ID + " not trained yet");
        Path shared = WmhData.shared();
        LesionSynthesis.Head h = LesionSynthesis.head(shared, "mni152");
        Path bm = ModelRegistry.find(BrainMaskModel.ID);
        try (WmhSegmenter s = WmhSegmenter.open(WmhSegmenter.Method.NETWORK, ModelRegistry.find(WmhModel.ID), bm,
                ComputeDevice.CPU)) {
            WmhResult free = s.run(h.t1(), null);
            assertEquals("network", free.method());
            assertTrue(free.probability().grid().sameAs(h.t1().grid(), 1e-6));
            assertTrue(free.wmhMl() >= 0 && free.wmhPvMl() >= 0);
        }
    }

    @Test
    void synthesisIsDeterministicAndDrawsOnlyInWhiteMatter() {
        Path shared = WmhData.shared();
        LesionSynthesis.Head h = LesionSynthesis.head(shared, "mni152");
        LesionSynthesis s = new LesionSynthesis(List.of(h), LesionLibrary.build(shared));
        assertTrue(s.library().lesions().size() >= 5, "real lesion shapes: " + s.library().lesions().size());
        Sample a = s.sample(h, 10, new Random(3));
        Sample b = s.sample(h, 10, new Random(3));
        assertEquals(java.util.Arrays.hashCode(a.input()), java.util.Arrays.hashCode(b.input()));
        assertEquals(java.util.Arrays.hashCode(a.target()), java.util.Arrays.hashCode(b.target()));
        double ml = 0;
        for (float t : a.target()) {
            ml += t * 8 / 1000.0;
        }
        assertTrue(ml > 0.5 && ml < 40, "drawn " + ml + " mL for a nominal 10 mL");
        Sample none = s.sample(h, 0, new Random(4));
        for (float t : none.target()) {
            assertEquals(0f, t);
        }
        // every label voxel lies in the head's white matter (allowed) after the sample's small perturbation,
        // so (checked loosely on the unperturbed box) most of them lie in atlas white matter
        WmhAtlas at = WmhAtlas.load();
        long in = 0;
        long n = 0;
        for (int z = 0; z < WmhModel.NZ; z++) {
            for (int y = 0; y < WmhModel.NY; y++) {
                for (int x = 0; x < WmhModel.NX; x++) {
                    if (a.target()[WmhModel.tensorIndex(x, y, z)] > 0) {
                        n++;
                        in += at.wm().get(x, y, z) > 0.2f ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(in > 0.6 * n, in + " of " + n + " lesion voxels in atlas white matter");
    }

    static Volume noise(Grid g, long seed) {
        Random r = new Random(seed);
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextDouble();
            }
        }
        return v;
    }

    static long count(Volume v, int label) {
        long n = 0;
        for (float[] p : v.planes()) {
            for (float x : p) {
                n += x == label ? 1 : 0;
            }
        }
        return n;
    }

    static long countBoth(Volume a, Volume b, int label) {
        long n = 0;
        for (int z = 0; z < a.nz(); z++) {
            float[] p = a.plane(z);
            float[] q = b.plane(z);
            for (int i = 0; i < p.length; i++) {
                n += p[i] == 1 && q[i] == label ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void theThresholdComesFromThePackageItWasCalibratedFor() {
        java.util.Map<String, Object> rdf = java.util.Map.of("config", java.util.Map.of("dopaj",
                java.util.Map.of("threshold", 0.2)));
        assertEquals(0.2, WmhSegmenter.threshold(rdf));
        assertEquals(WmhModel.THRESHOLD, WmhSegmenter.threshold(java.util.Map.of()), "no config: the constant");
        assertEquals(WmhModel.THRESHOLD, WmhSegmenter.threshold(java.util.Map.of("config", java.util.Map.of("dopaj",
                java.util.Map.of("threshold", 7)))), "nonsense: the constant");
        if (Files.isRegularFile(Path.of("models", WmhModel.ID, "rdf.yaml"))) {
            java.util.Map<String, Object> bundled = org.dopaj.dl.model.ModelPackage.read(Path.of("models", WmhModel.ID)).rdf();
            Object own = ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) bundled.get("config")).get("dopaj")).get("threshold");
            assertEquals(((Number) own).doubleValue(), WmhSegmenter.threshold(bundled),
                    "the bundled package's own calibrated threshold is used");
        }
    }
}
