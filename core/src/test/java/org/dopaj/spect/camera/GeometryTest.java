package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/**
 * A small hot blob at a known patient position appears where patientToScanner puts it, in the projections (at the bin
 * the documented detector convention predicts) and in FBP and OSEM reconstructions (within one voxel); and back in
 * patient space through {@link SpectCamera.Result#inPatientSpace}.
 */
class GeometryTest {
    private static final double[] BLOB = {30, -20, 15};

    private static double[][] placement() {
        double a = Math.toRadians(25);
        double b = Math.toRadians(10);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0, 0}, {Math.sin(a), Math.cos(a), 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        double[][] rx = {{1, 0, 0, 0}, {0, Math.cos(b), -Math.sin(b), 0}, {0, Math.sin(b), Math.cos(b), 0}, {0, 0, 0, 1}};
        double[][] t = Affines.multiply(rz, rx);
        t[0][3] = 5;
        t[1][3] = -8;
        t[2][3] = 12;
        return t;
    }

    private static double[] apply(double[][] t, double[] p) {
        double[] q = new double[3];
        for (int r = 0; r < 3; r++) {
            q[r] = t[r][0] * p[0] + t[r][1] * p[1] + t[r][2] * p[2] + t[r][3];
        }
        return q;
    }

    @Test
    void blobLandsWherePatientToScannerPutsIt() {
        Grid g = Phantoms.grid(61, 51);
        // a weak head-sized cylinder with a hot 6 mm blob
        Volume act = Phantoms.fill(g, (x, y, z) -> {
            double dx = x - BLOB[0];
            double dy = y - BLOB[1];
            double dz = z - BLOB[2];
            double v = x * x + y * y <= 55 * 55 && Math.abs(z) <= 45 ? 0.05 : 0;
            return dx * dx + dy * dy + dz * dz <= 36 ? 10 : v;
        });
        Volume mu = Phantoms.fill(g, Phantoms.cylinder(55, 45, 0.14));
        double[][] t = placement();
        double[] expected = apply(t, BLOB);
        double voxel = 4;
        CameraParameters base = CameraParameters.builder().matrix(64).voxelMm(voxel).angles(60).scatter(0.2, 50)
                .penetration(0.1, 150).totalCounts(1e7).poissonNoise(false).osem(3, 6).postFilterFwhmMm(0)
                .butterworth(8, 0.7).attenuationCorrection(AttenuationCorrection.NONE).build();
        SpectCamera.Acquisition acq = SpectCamera.acquire(act, mu, t, base, 1);

        // projection at angle 0: the detector lies toward +x, its bins run along +y (scanner mm = projection x)
        Volume p = acq.projections().counts();
        assertEquals(0, acq.projections().anglesDeg()[0], 0);
        double sum = 0;
        double sy = 0;
        double sz = 0;
        float max = 0;
        for (int row = 0; row < p.ny(); row++) {
            for (int b = 0; b < p.nx(); b++) {
                max = Math.max(max, p.get(b, row, 0));
            }
        }
        for (int row = 0; row < p.ny(); row++) {
            for (int b = 0; b < p.nx(); b++) {
                float v = p.get(b, row, 0);
                if (v > 0.5 * max) {
                    double[] mm = p.grid().toMm(b, row, 0);
                    sum += v;
                    sy += v * mm[0];
                    sz += v * mm[1];
                }
            }
        }
        assertEquals(expected[1], sy / sum, voxel, "bin position of the blob at 0° (scanner y)");
        assertEquals(expected[2], sz / sum, voxel, "row position of the blob (scanner z)");

        for (Reconstruction r : Reconstruction.values()) {
            SpectCamera.Result res = SpectCamera.reconstruct(acq, base.toBuilder().reconstruction(r).build());
            Grid out = res.image().grid();
            // the rotation axis lies at x = y = 0, in the middle of the matrix
            double[] centre = out.toMm((out.nx() - 1) / 2.0, (out.ny() - 1) / 2.0, 0);
            assertEquals(0, centre[0], 1e-9);
            assertEquals(0, centre[1], 1e-9);
            double[] c = Phantoms.centroid(res.image(), 0.5);
            double d = Math.sqrt(Math.pow(c[0] - expected[0], 2) + Math.pow(c[1] - expected[1], 2)
                    + Math.pow(c[2] - expected[2], 2));
            assertTrue(d < voxel, r + ": blob at " + java.util.Arrays.toString(c) + ", expected "
                    + java.util.Arrays.toString(expected));
            Volume back = res.inPatientSpace(g);
            double[] cp = Phantoms.centroid(back, 0.5);
            double dp = Math.sqrt(Math.pow(cp[0] - BLOB[0], 2) + Math.pow(cp[1] - BLOB[1], 2)
                    + Math.pow(cp[2] - BLOB[2], 2));
            assertTrue(dp < voxel, r + ": blob back in patient space at " + java.util.Arrays.toString(cp));
        }
    }
}
