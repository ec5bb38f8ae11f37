package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The atlas and physics generator families on the real atlases of ../shared/data (skipped without them). */
class DatFamilyTest {
    static Path shared;

    @BeforeAll
    static void data() {
        shared = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data");
        assumeTrue(Files.isRegularFile(shared.resolve("atlas/AICHAmc.nii.gz"))
                        && Files.isRegularFile(shared.resolve("atlas/mni_basal_ganglia.nii.gz")),
                "../shared/data/atlas not found: the DaT-SPECT family tests are skipped");
    }

    @Test
    void bilateralAtlasLabelsAreSplitIntoLeftAndRightAndDiseaseLowersOneSide() {
        AtlasDatSampler s = DatFamily.AICHA.sampler(shared);
        AtlasDatSampler.Phantom a = s.draw(11, 0);
        assertArrayEquals(a.activity().toArray(), s.draw(11, 0).activity().toArray(), "same seed, same subject");
        SbrResult n = SbrQuantifier.defaults().quantify(a.activity());
        // both putamina hot in a normal subject (AICHA's putamen labels are bilateral: split at x = 0)
        assertTrue(n.sbr().get(VoiSet.PUTAMEN_L) > 0.8 && n.sbr().get(VoiSet.PUTAMEN_R) > 0.8, n.sbr().toString());
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            SbrResult p = SbrQuantifier.defaults().quantify(s.draw(20 + i, 1).activity());
            mean += Math.min(p.sbr().get(VoiSet.PUTAMEN_L), p.sbr().get(VoiSet.PUTAMEN_R)) / 4;
        }
        double normal = Math.min(n.sbr().get(VoiSet.PUTAMEN_L), n.sbr().get(VoiSet.PUTAMEN_R));
        assertTrue(mean < 0.8 * normal, "parkinsonian putamen " + mean + " vs normal " + normal);
        // attenuation map: soft tissue 1, skull above 1, air 0
        float max = 0;
        for (float[] pl : a.mu().planes()) {
            for (float v : pl) {
                max = Math.max(max, v);
            }
        }
        assertTrue(max > 1.4f && max < 2f, "bone μ relative to tissue " + max);
    }

    @Test
    void aPhysicsSubjectIsReconstructedInScannerSpaceAndNormalisedBack() {
        AtlasDatSampler s = DatFamily.ICBM.sampler(shared);
        DatSubjectSampler.Subject sub = DatFamily.ICBM.draw(s, 7_000_003L, 1, PhysicsCamera.load());
        assertTrue(sub.image().grid().sameAs(DatTemplate.load().grid(), 1e-6), "normalised onto the MNI grid");
        assertEquals("physics", sub.parameters().get("camera"));
        double ncc = (double) sub.parameters().get("registration_ncc");
        assertTrue(ncc >= DatNormaliser.MIN_REGISTERED_NCC, "registration NCC " + ncc);
        SbrResult r = SbrQuantifier.defaults().quantify(sub.image());
        System.out.printf("SPECT-MEASURE physics subject: NCC %.3f, putamen SBR L %.2f R %.2f, caudate L %.2f R %.2f%n",
                ncc, r.sbr().get(VoiSet.PUTAMEN_L), r.sbr().get(VoiSet.PUTAMEN_R), r.sbr().get(VoiSet.CAUDATE_L),
                r.sbr().get(VoiSet.CAUDATE_R));
        assertTrue(r.sbr().get(VoiSet.CAUDATE_L) > 0.3 && r.sbr().get(VoiSet.CAUDATE_R) > 0.3, "striatum found");
        assertFalse(r.warnings().stream().anyMatch(w -> w.contains("not be spatially normalised")), r.warnings().toString());
    }

    @Test
    void calibrationSoftensOverconfidenceWithoutChangingTheLabel() {
        double[] p = {0.99, 0.98, 0.97, 0.02, 0.01, 0.9, 0.1, 0.95};
        int[] y = {1, 1, 0, 0, 0, 0, 1, 1}; // over-confident: some confident answers are wrong
        double t = DatCalibration.fitTemperature(p, y);
        assertTrue(t > 1, "temperature " + t);
        double[] q = DatCalibration.apply(p, t);
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i] >= 0.5, q[i] >= 0.5, "label unchanged");
        }
        assertTrue(DatCalibration.ece(q, y) < DatCalibration.ece(p, y), "ECE falls");
        assertEquals(0.7, DatCalibration.apply(0.7, 1.0), 1e-9);
    }
}
