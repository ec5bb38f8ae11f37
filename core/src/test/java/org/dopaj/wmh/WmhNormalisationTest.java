package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class WmhNormalisationTest {
    /** A box with the atlas white matter at {@code wm}, cortex at {@code cortex}, a 'lesion' voxel and CSF elsewhere. */
    static Volume box(WmhAtlas atlas, float wm, float cortex, float csf) {
        Volume b = Volume.allocate(WmhModel.box());
        for (int z = 0; z < WmhModel.NZ; z++) {
            float[] p = b.plane(z);
            float[] w = atlas.wm().plane(z);
            float[] c = atlas.cortex().plane(z);
            float[] g = atlas.gm().plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] = w[i] > 0.9f ? wm : c[i] > 0 && g[i] > 0.7f ? cortex : csf;
            }
        }
        return b;
    }

    @Test
    void tissueAnchoredInputPutsWhiteMatterAtZeroAndCortexAtMinusOne() {
        WmhAtlas atlas = WmhAtlas.load();
        float[] t = WmhSegmenter.normalise(box(atlas, 120, 90, 30), atlas, WmhModel.Normalisation.TISSUE);
        Map<String, Double> s = WmhApplicability.statistics(t, atlas);
        assertEquals(0, s.get("wm_z"), 1e-6);
        assertEquals(-1, s.get("cortex_z"), 1e-6);
        // CSF (30) is three white-minus-cortex contrasts below white matter
        assertTrue(java.util.stream.IntStream.range(0, t.length).anyMatch(i -> Math.abs(t[i] + 3) < 1e-6));
        // white matter and cortex are fixed by this normalisation: the applicability check reads what is left
        assertEquals(java.util.List.of("ventricle_z", "wm_iqr"), java.util.List.copyOf(
                WmhApplicability.statistics(t, atlas, WmhModel.Normalisation.TISSUE).keySet()));
    }

    @Test
    void tissueAnchoredInputDoesNotSeeTheScannersGainOrOffset() {
        WmhAtlas atlas = WmhAtlas.load();
        float[] a = WmhSegmenter.normalise(box(atlas, 120, 90, 30), atlas, WmhModel.Normalisation.TISSUE);
        float[] b = WmhSegmenter.normalise(box(atlas, 120 * 7.5f + 200, 90 * 7.5f + 200, 30 * 7.5f + 200), atlas,
                WmhModel.Normalisation.TISSUE);
        assertArrayEquals(a, b, 1e-5f);
    }

    @Test
    void aPackageNamesItsNormalisationAndOldPackagesGetTheFirstOne() {
        assertEquals(WmhModel.Normalisation.BRAIN_Z, WmhModel.Normalisation.of(Map.of("id", "x")));
        assertEquals(WmhModel.Normalisation.TISSUE, WmhModel.Normalisation.of(
                Map.of("config", Map.of("dopaj", Map.of("input_normalisation", "tissue-anchored-v2")))));
        DopajException e = assertThrows(DopajException.class, () -> WmhModel.Normalisation.of(
                Map.of("config", Map.of("dopaj", Map.of("input_normalisation", "histogram-v9")))));
        assertTrue(e.getMessage().contains("histogram-v9"), e.getMessage());
    }
}
