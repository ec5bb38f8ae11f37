package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/**
 * Line sources along the rotation axis and beside it: the projected width follows the collimator model
 * FWHM(d) = √(Rint² + (g0 + g1·d)²) at the source's distance d from the collimator, and the reconstructed width grows
 * with the radius of rotation.
 */
class ResolutionTest {
    private static final double VOXEL = 2;

    /** A 2 mm × 2 mm × 40 mm rod at (x0, 0). */
    private static Volume rod(double x0) {
        Grid g = Phantoms.grid(81, 31);
        return Phantoms.fill(g, (x, y, z) -> Math.abs(x - x0) < 0.5 && Math.abs(y) < 0.5 && Math.abs(z) <= 20 ? 1 : 0);
    }

    private static CameraParameters.Builder camera(Collimator col, double ror) {
        return CameraParameters.builder().matrix(96).voxelMm(VOXEL).angles(8).radiusMm(ror).collimator(col)
                .scatter(0, 60).penetration(0, 150).totalCounts(1e7).poissonNoise(false)
                .reconstruction(Reconstruction.FBP).attenuationCorrection(AttenuationCorrection.NONE)
                .butterworth(10, 2.4).postFilterFwhmMm(0);
    }

    /** Transaxial profile (over bins, summed over the middle rows) of the projection at angle index a, and its variance in mm². */
    private static double projectedVariance(SpectCamera.Acquisition acq, int a) {
        Volume p = acq.projections().counts();
        int nb = p.nx();
        double[] prof = new double[nb];
        int mid = p.ny() / 2;
        for (int row = mid - 3; row <= mid + 3; row++) {
            for (int b = 0; b < nb; b++) {
                prof[b] += p.get(b, row, a);
            }
        }
        return Phantoms.variance(prof) * VOXEL * VOXEL;
    }

    private static double modelVariance(Collimator col, double d) {
        double f = col.fwhmMm(d) / Gaussian.FWHM_PER_SIGMA;
        return f * f;
    }

    @Test
    void projectedWidthFollowsTheCollimatorModel() {
        for (Collimator col : Collimator.values()) {
            // on the axis every angle sees the source at d = radius of rotation: compare two radii
            double[] ror = {130, 250};
            double[] v = new double[2];
            for (int k = 0; k < 2; k++) {
                SpectCamera.Acquisition acq = SpectCamera.acquire(rod(0), null, Affines.identity(),
                        camera(col, ror[k]).build(), 1);
                v[k] = projectedVariance(acq, 0);
            }
            double modelDiff = modelVariance(col, 250) - modelVariance(col, 130);
            assertEquals(modelDiff, v[1] - v[0], 0.06 * modelDiff, col + ": variance growth from 130 to 250 mm");
            // the source's own width (2 mm rod, bilinear sampling) adds about a voxel²/6 … voxel²/3
            double extra = v[0] - modelVariance(col, 130);
            assertTrue(extra > 0 && extra < VOXEL * VOXEL, col + ": excess variance " + extra + " mm²");

            // beside the axis (x = +40 mm): near the detector at 0°, far from it at 180°
            SpectCamera.Acquisition off = SpectCamera.acquire(rod(40), null, Affines.identity(),
                    camera(col, 150).build(), 1);
            double near = projectedVariance(off, 0);
            double far = projectedVariance(off, 4);
            double model = modelVariance(col, 190) - modelVariance(col, 110);
            assertEquals(model, far - near, 0.08 * model, col + ": variance 180° vs 0° for a source 40 mm off axis");
        }
    }

    @Test
    void reconstructedWidthGrowsWithTheRadiusOfRotation() {
        double[] fwhm = new double[2];
        double[] ror = {130, 250};
        for (int k = 0; k < 2; k++) {
            CameraParameters p = camera(Collimator.LEHR, ror[k]).angles(64).build();
            Volume img = SpectCamera.acquireAndReconstruct(rod(0), null, Affines.identity(), p, 1).image();
            int z = img.nz() / 2;
            int c = img.nx() / 2;
            double[] prof = new double[img.nx()];
            for (int x = 0; x < img.nx(); x++) {
                // the axis lies between voxels c − 1 and c: average the two rows beside it
                prof[x] = 0.5 * (img.get(x, c - 1, z) + img.get(x, c, z));
            }
            fwhm[k] = Phantoms.fwhm(prof) * VOXEL;
            double model = Collimator.LEHR.fwhmMm(ror[k]);
            assertTrue(fwhm[k] > 0.9 * model && fwhm[k] < 1.3 * model,
                    "FBP FWHM " + fwhm[k] + " mm at ROR " + ror[k] + " vs system " + model + " mm");
        }
        assertTrue(fwhm[1] > fwhm[0] + 3, "FWHM must grow with the radius: " + fwhm[0] + " → " + fwhm[1]);
    }
}
