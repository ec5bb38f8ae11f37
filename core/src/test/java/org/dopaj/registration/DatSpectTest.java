package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.registration.Registration.Options;
import org.dopaj.registration.Registration.Result;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;

/**
 * The first intended use: a DaT-SPECT scan in scanner space (128×128×90 voxels of 3.3 mm, head turned and moved)
 * to a DaT-SPECT template on the MNI 2 mm grid. Template: the noiseless normal {@link SpectPhantom} activity at
 * 10 mm FWHM; scans: the phantom at stage 0 and at stage 3 (striatal binding largely lost, so the template's
 * brightest feature is missing), 10 mm FWHM, 2 million Poisson counts.
 */
class DatSpectTest {

    private static Volume scan(AffineTransform fixedToMoving, double stage, long seed) {
        Grid g = TestObjects.spectGrid();
        // activity(T⁻¹·y) at every scanner voxel y: evaluate the phantom on the grid moved back by T
        Grid moved = g.withAffine(Affines.multiply(fixedToMoving.inverse().matrix(), g.affine()));
        SpectPhantom.Params p = SpectPhantom.Params.builder().stage(stage).seed(seed).build();
        Volume v = Gaussian.smooth(SpectPhantom.activity(moved, p).withGrid(g), 10);
        double sum = 0;
        for (float[] pl : v.planes()) {
            for (float a : pl) {
                sum += a;
            }
        }
        double k = 2e6 / sum;
        SplittableRandom r = new SplittableRandom(seed);
        for (float[] pl : v.planes()) {
            for (int i = 0; i < pl.length; i++) {
                double lambda = pl[i] * k; // normal approximation of Poisson counts
                pl[i] = (float) Math.max(0, lambda + Math.sqrt(lambda) * r.nextGaussian());
            }
        }
        return v;
    }

    @Test
    void normalAndAbnormalScansRegisterToANormalTemplate() {
        SpectPhantom.Params normal = SpectPhantom.Params.builder().ideal().build();
        Volume template = Gaussian.smooth(SpectPhantom.activity(HeadPhantom.mni2mm(), normal), 10);
        double[][][] cases = {
                {{-30, 25, 35}, {-18, 12, 15}, {0}},
                {{35, -20, -30}, {15, -18, -12}, {3}},
        };
        for (double[][] c : cases) {
            AffineTransform truth = TestObjects.motion(c[0], c[1], new double[]{1, 1, 1}, new double[3]);
            Result r = Registration.register(scan(truth, c[2][0], 7), template, Options.defaults().withMinNcc(0.7));
            double err = TestObjects.meanErrorMm(r.fixedToMoving(), truth);
            assertTrue(err < 3, "stage " + c[2][0] + ": mean error " + err + " mm");
            r.requireOk("the DaT-SPECT template", "is this a brain DaT-SPECT image?");
        }
    }
}
