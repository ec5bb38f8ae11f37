package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A uniform water cylinder (radius 80 mm, μ 0.15 /cm): without correction the classic cupping (centre well below the
 * rim), with Chang's correction (or attenuation modelled in OSEM) flat within 10 %.
 */
class AttenuationTest {
    private static Volume act;
    private static Volume mu;
    private static SpectCamera.Acquisition acq;
    private static CameraParameters base;

    @BeforeAll
    static void acquire() {
        Grid g = Phantoms.grid(95, 61);
        act = Phantoms.fill(g, Phantoms.cylinder(80, 50, 1));
        mu = Phantoms.fill(g, Phantoms.cylinder(80, 50, 0.15));
        base = CameraParameters.builder().matrix(64).voxelMm(4).angles(60).scatter(0, 60).penetration(0, 150)
                .totalCounts(5e7).poissonNoise(false).butterworth(10, 1.0).osem(4, 6).postFilterFwhmMm(0)
                .changMuPerCm(0.15).changOutline(ChangOutline.MU_MAP).build();
        acq = SpectCamera.acquire(act, mu, Affines.identity(), base, 1);
    }

    /** Mean over a transaxial disc or ring (radii in mm) within 20 mm of the central slice. */
    private static double ring(Volume img, double r0, double r1) {
        return Phantoms.mean(img, (x, y, z) -> {
            double r = Math.hypot(x, y);
            return r >= r0 && r <= r1 && Math.abs(z) <= 20 ? 1 : 0;
        });
    }

    private static Volume recon(Reconstruction r, AttenuationCorrection ac, ChangOutline outline) {
        CameraParameters p = base.toBuilder().reconstruction(r).attenuationCorrection(ac).changOutline(outline).build();
        return SpectCamera.reconstruct(acq, p).image();
    }

    @Test
    void uncorrectedImagesShowCupping() {
        for (Reconstruction r : Reconstruction.values()) {
            Volume img = recon(r, AttenuationCorrection.NONE, ChangOutline.MU_MAP);
            double centre = ring(img, 0, 15);
            double rim = ring(img, 55, 68);
            assertTrue(centre < 0.8 * rim, r + ": centre " + centre + " should be well below the rim " + rim);
        }
    }

    @Test
    void correctedImagesAreFlat() {
        Object[][] cases = {
            {Reconstruction.FBP, AttenuationCorrection.CHANG, ChangOutline.MU_MAP},
            {Reconstruction.FBP, AttenuationCorrection.CHANG, ChangOutline.EMISSION},
            {Reconstruction.OSEM, AttenuationCorrection.CHANG, ChangOutline.MU_MAP},
            {Reconstruction.OSEM, AttenuationCorrection.MODELLED, ChangOutline.MU_MAP},
        };
        for (Object[] c : cases) {
            Volume img = recon((Reconstruction) c[0], (AttenuationCorrection) c[1], (ChangOutline) c[2]);
            double[] means = new double[7];
            double lo = Double.MAX_VALUE;
            double hi = 0;
            double all = 0;
            for (int k = 0; k < means.length; k++) {
                means[k] = ring(img, k * 10, k * 10 + 10);
                lo = Math.min(lo, means[k]);
                hi = Math.max(hi, means[k]);
                all += means[k] / means.length;
            }
            String what = c[0] + " " + c[1] + " " + c[2] + ": ring means " + java.util.Arrays.toString(means);
            assertTrue(hi / all < 1.10 && lo / all > 0.90, what + " not flat within 10 %");
        }
    }
}
