package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/**
 * A 20 mm hot sphere at 4:1 over a water cylinder: the recovered contrast is what partial volume predicts for the
 * system resolution (FBP, OSEM without resolution modelling), higher with resolution recovery, and the excess activity
 * (the "mass" above background) is kept by every reconstruction.
 */
class RecoveryTest {
    private static final double R = 10;

    private static Volume phantom(Grid g, double hot) {
        return Phantoms.fill(g, (x, y, z) -> {
            if (x * x + y * y > 70 * 70 || Math.abs(z) > 50) {
                return 0;
            }
            return x * x + y * y + z * z <= R * R ? hot : 1;
        });
    }

    /** Mean over the sphere of the sphere blurred by a Gaussian of the given FWHM, relative to its height. */
    private static double partialVolumeRecovery(double fwhm) {
        Grid f = Phantoms.grid(41, 41).withAffine(new double[][]{{1, 0, 0, -20}, {0, 1, 0, -20}, {0, 0, 1, -20},
            {0, 0, 0, 1}});
        Volume s = Phantoms.fill(f, (x, y, z) -> x * x + y * y + z * z <= R * R ? 1 : 0);
        Volume b = Gaussian.smooth(s, fwhm);
        return Phantoms.mean(b, (x, y, z) -> x * x + y * y + z * z <= R * R ? 1 : 0);
    }

    private static double sum(Volume v, Phantoms.Shape inside) {
        double s = 0;
        Grid g = v.grid();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] p = g.toMm(x, y, z);
                    if (inside.value(p[0], p[1], p[2]) > 0) {
                        s += v.get(x, y, z);
                    }
                }
            }
        }
        return s;
    }

    @Test
    void contrastRecoveryAndExcessActivity() {
        Grid g = Phantoms.grid(81, 61);
        Volume hot = phantom(g, 4);
        Volume flat = phantom(g, 1);
        Volume mu = Phantoms.fill(g, Phantoms.cylinder(70, 50, 0.15));
        double voxel = 3.9;
        double sumHot = sum(hot, (x, y, z) -> 1);
        double sumFlat = sum(flat, (x, y, z) -> 1);
        // same counts per unit activity in both acquisitions, so the images can be subtracted
        CameraParameters base = CameraParameters.builder().matrix(64).voxelMm(voxel).angles(48).radiusMm(150)
                .scatter(0, 60).penetration(0, 150).totalCounts(1e8).poissonNoise(false).postFilterFwhmMm(0)
                .changOutline(ChangOutline.MU_MAP).changMuPerCm(0.15).build();
        CameraParameters baseFlat = base.toBuilder().totalCounts(1e8 * sumFlat / sumHot).build();
        SpectCamera.Acquisition aHot = SpectCamera.acquire(hot, mu, Affines.identity(), base, 1);
        SpectCamera.Acquisition aFlat = SpectCamera.acquire(flat, mu, Affines.identity(), baseFlat, 1);
        double trueExcess = (sumHot - sumFlat) * 8 / Math.pow(voxel, 3); // in background-voxel units

        CameraParameters[] recon = {
            base.toBuilder().reconstruction(Reconstruction.FBP).butterworth(8, 0.5)
                    .attenuationCorrection(AttenuationCorrection.CHANG).build(),
            base.toBuilder().osem(4, 6).attenuationCorrection(AttenuationCorrection.MODELLED).build(),
            base.toBuilder().osem(8, 6).resolutionRecovery(true).attenuationCorrection(AttenuationCorrection.MODELLED)
                    .build(),
        };
        double[] rc = new double[recon.length];
        Phantoms.Shape sphere = (x, y, z) -> x * x + y * y + z * z <= R * R ? 1 : 0;
        Phantoms.Shape around = (x, y, z) -> x * x + y * y + z * z <= 40 * 40 ? 1 : 0;
        Phantoms.Shape background = (x, y, z) -> Math.hypot(x, y) > 35 && Math.hypot(x, y) < 60 && Math.abs(z) < 30
                ? 1 : 0;
        StringBuilder report = new StringBuilder();
        for (int k = 0; k < recon.length; k++) {
            Volume im = SpectCamera.reconstruct(aHot, recon[k]).image();
            Volume im0 = SpectCamera.reconstruct(aFlat, recon[k].toBuilder().totalCounts(baseFlat.totalCounts())
                    .build()).image();
            rc[k] = (Phantoms.mean(im, sphere) / Phantoms.mean(im0, sphere) - 1) / 3;
            double excess = (sum(im, around) - sum(im0, around)) / Phantoms.mean(im0, background) / trueExcess;
            report.append(String.format(" %s%s: RC %.3f excess %.3f;", recon[k].reconstruction(),
                    recon[k].resolutionRecovery() ? "+RR" : "", rc[k], excess));
            assertTrue(excess > 0.9 && excess < 1.15, "excess activity not kept:" + report);
        }
        double pve = partialVolumeRecovery(Collimator.LEHR.fwhmMm(150));
        report.append(String.format(" partial-volume expectation at %.1f mm: %.3f", Collimator.LEHR.fwhmMm(150), pve));
        assertTrue(Math.abs(rc[0] - pve) < 0.12, "FBP recovery vs partial volume:" + report);
        assertTrue(Math.abs(rc[1] - pve) < 0.12, "OSEM recovery vs partial volume:" + report);
        assertTrue(rc[2] > rc[0] + 0.1 && rc[2] > rc[1] + 0.1, "resolution recovery must recover more:" + report);
        assertTrue(rc[2] < 1.05, "recovery above 1:" + report);
        System.out.println("RecoveryTest:" + report);
    }
}
