package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

/** Random protocols stay in their documented clinical ranges; contradictions are refused. */
class CameraParametersTest {
    @Test
    void randomProtocolsAreClinical() {
        SplittableRandom r = new SplittableRandom(11);
        int fbp = 0;
        int lehr = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            CameraParameters p = CameraParameters.random(r);
            assertTrue(p.angles() == 120 || p.angles() == 128);
            assertTrue(p.radiusMm() >= 130 && p.radiusMm() <= 170);
            assertTrue(p.voxelMm() >= 2.2 && p.voxelMm() <= 4.7);
            assertEquals(128, p.matrix());
            assertTrue(p.totalCounts() >= 1e6 && p.totalCounts() <= 4e6);
            assertTrue(p.scatterFraction() >= 0.2 && p.scatterFraction() <= 0.45);
            assertTrue(p.muTissuePerCm() >= 0.13 && p.muTissuePerCm() <= 0.15);
            assertTrue(p.changMuPerCm() >= 0.10 && p.changMuPerCm() <= 0.14);
            assertTrue(p.postFilterFwhmMm() >= 0 && p.postFilterFwhmMm() <= 18);
            if (p.reconstruction() == Reconstruction.FBP) {
                fbp++;
                assertTrue(p.butterworthOrder() >= 5 && p.butterworthOrder() <= 10);
                assertTrue(p.butterworthCutoffPerCm() >= 0.3 && p.butterworthCutoffPerCm() <= 0.7);
                assertFalse(p.resolutionRecovery());
                assertTrue(p.attenuationCorrection() != AttenuationCorrection.MODELLED);
            } else {
                int updates = p.iterations() * p.subsets();
                assertTrue(updates >= 20 && updates <= 64, "OSEM updates " + updates);
            }
            if (p.collimator() == Collimator.LEHR) {
                lehr++;
                assertTrue(p.penetrationFraction() >= 0.08);
            } else {
                assertTrue(p.penetrationFraction() <= 0.04);
            }
        }
        assertEquals(0.4, fbp / (double) n, 0.04);
        assertEquals(0.65, lehr / (double) n, 0.04);
        // same generator state, same protocol
        assertEquals(CameraParameters.random(new SplittableRandom(3)), CameraParameters.random(new SplittableRandom(3)));
    }

    @Test
    void collimatorResolutionMatchesVendorFigures() {
        assertEquals(7.4, Collimator.LEHR.fwhmMm(100), 0.2);
        assertEquals(12.0, Collimator.ME.fwhmMm(100), 0.5);
        assertTrue(Collimator.ME.fwhmMm(150) > Collimator.ME.fwhmMm(100));
    }

    @Test
    void contradictionsAreRefused() {
        assertThrows(DopajException.class, () -> CameraParameters.builder().reconstruction(Reconstruction.FBP)
                .attenuationCorrection(AttenuationCorrection.MODELLED).build());
        assertThrows(DopajException.class, () -> CameraParameters.builder().reconstruction(Reconstruction.FBP)
                .resolutionRecovery(true).build());
        assertThrows(DopajException.class, () -> CameraParameters.builder().matrix(127).build());
        assertThrows(DopajException.class, () -> CameraParameters.builder().angles(8).osem(2, 9).build());
    }

    @Test
    void sidecarNamesTheSettingsOfItsAlgorithm() {
        Map<String, Object> fbp = CameraParameters.builder().reconstruction(Reconstruction.FBP).build().toMap();
        assertTrue(fbp.containsKey("butterworth_cutoff_cycles_per_cm"));
        assertFalse(fbp.containsKey("iterations"));
        Map<String, Object> osem = CameraParameters.builder().build().toMap();
        assertEquals(4, osem.get("iterations"));
        assertEquals("LEHR", osem.get("collimator"));
        assertEquals("emission", osem.get("chang_outline"));
    }
}
