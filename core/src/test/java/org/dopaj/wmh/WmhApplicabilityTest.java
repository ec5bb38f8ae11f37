package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.model.Applicability;
import org.dopaj.dl.model.ModelPackage;
import org.junit.jupiter.api.Test;

class WmhApplicabilityTest {
    private static final WmhModel.Normalisation Z = WmhModel.Normalisation.BRAIN_Z;

    /** A z-scored box with white matter at {@code wm}, cortex at {@code cortex}, ventricles at {@code vent}. */
    static float[] box(WmhAtlas atlas, float wm, float cortex, float vent) {
        float[] z = new float[WmhModel.size()];
        for (int k = 0; k < WmhModel.NZ; k++) {
            for (int y = 0; y < WmhModel.NY; y++) {
                for (int x = 0; x < WmhModel.NX; x++) {
                    int i = x + y * WmhModel.NX;
                    float v = atlas.ventricles().plane(k)[i] > 0.5f ? vent : atlas.cortex().plane(k)[i] > 0.5f ? cortex
                            : atlas.wm().plane(k)[i] > 0.9f ? wm + 0.2f * ((x + y + k) % 2) : 0;
                    z[WmhModel.tensorIndex(x, y, k)] = v;
                }
            }
        }
        return z;
    }

    @Test
    void statisticsReadTheTissuesOfTheBox() {
        WmhAtlas atlas = WmhAtlas.load();
        Map<String, Double> s = WmhApplicability.statistics(box(atlas, 1f, -1f, -2f), atlas);
        assertEquals(List.of("wm_z", "cortex_z", "ventricle_z", "wm_iqr"), List.copyOf(s.keySet()));
        assertEquals(-1, s.get("cortex_z"), 1e-6);
        assertEquals(-2, s.get("ventricle_z"), 1e-6);
        assertTrue(s.get("wm_z") >= 1 - 1e-6 && s.get("wm_z") <= 1.2 + 1e-6, "wm " + s.get("wm_z"));
        assertEquals(0.2, s.get("wm_iqr"), 1e-6);
    }

    @Test
    void anInputUnlikeTheBoundsIsFlaggedAndOneLikeThemIsNot() {
        WmhAtlas atlas = WmhAtlas.load();
        Applicability a = new Applicability(WmhApplicability.DEFINITION, Map.of("wm_z", new double[] {0.5, 1.5},
                "cortex_z", new double[] {-1.5, -0.5}, "ventricle_z", new double[] {-2.5, -1.5}, "wm_iqr",
                new double[] {0, 0.5}), null, Map.of());
        assertTrue(WmhApplicability.check(a, box(atlas, 1f, -1f, -2f), atlas, Z).isEmpty());
        List<String> w = WmhApplicability.check(a, box(atlas, -1f, 1f, 2f), atlas, Z);
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("ventricle_z"), w.get(0));
        assertTrue(WmhApplicability.check(Applicability.NONE, box(atlas, -1f, 1f, 2f), atlas, Z).isEmpty(),
                "a package without bounds checks nothing");
    }

    @Test
    void theBundledModelFlagsAnInvertedContrastButNotATypicalT1Box() {
        Path pkg = Path.of("models", WmhModel.ID);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(pkg.resolve("rdf.yaml")), "no bundled WMH model");
        ModelPackage p = ModelPackage.read(pkg);
        Applicability a = p.applicability();
        assertFalse(a.checks().isEmpty(), "the bundled package carries input bounds");
        WmhModel.Normalisation n = WmhModel.Normalisation.of(p.rdf());
        assertEquals(n.applicabilityDefinition(), a.statistics(), "the bounds are for the package's own input");
        WmhAtlas atlas = WmhAtlas.load();
        assertFalse(WmhApplicability.check(a, box(atlas, -1f, 1f, 2f), atlas, n).isEmpty(), "CSF bright: not a T1");
    }
}
