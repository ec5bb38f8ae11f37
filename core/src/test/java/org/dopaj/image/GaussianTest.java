package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class GaussianTest {
    @Test
    void constantImageStaysConstantUpToTheBorders() {
        Grid g = Grid.of(21, 17, 13, 1.0, 1.5, 2.0);
        Volume v = Volume.allocate(g, 2);
        for (float[] p : v.planes()) {
            java.util.Arrays.fill(p, 37.5f);
        }
        Volume s = Gaussian.smooth(v, 8);
        for (float[] p : s.planes()) {
            for (float x : p) {
                assertEquals(37.5f, x, 37.5f * 1e-5f);
            }
        }
    }

    /** Full width at half maximum of a sampled profile, by linear interpolation at half height, in samples. */
    private static double fwhm(double[] prof, int c) {
        double half = prof[c] / 2;
        int r = c;
        while (prof[r + 1] > half) {
            r++;
        }
        double right = r + (prof[r] - half) / (prof[r] - prof[r + 1]);
        int l = c;
        while (prof[l - 1] > half) {
            l--;
        }
        double left = l - (prof[l] - half) / (prof[l] - prof[l - 1]);
        return right - left;
    }

    @Test
    void impulseResponseHasTheRequestedFwhmAndSum() {
        Grid g = Grid.of(61, 45, 35, 1.0, 1.5, 2.0);
        Volume v = Volume.allocate(g);
        int cx = 30;
        int cy = 22;
        int cz = 17;
        v.set(cx, cy, cz, 1f);
        double[] f = {8, 6, 10};
        Volume s = Gaussian.smooth(v, f[0], f[1], f[2]);
        double[] px = new double[61];
        double[] py = new double[45];
        double[] pz = new double[35];
        for (int i = 0; i < 61; i++) {
            px[i] = s.get(i, cy, cz);
        }
        for (int i = 0; i < 45; i++) {
            py[i] = s.get(cx, i, cz);
        }
        for (int i = 0; i < 35; i++) {
            pz[i] = s.get(cx, cy, i);
        }
        assertEquals(f[0], fwhm(px, cx) * 1.0, 0.02 * f[0]);
        assertEquals(f[1], fwhm(py, cy) * 1.5, 0.02 * f[1]);
        assertEquals(f[2], fwhm(pz, cz) * 2.0, 0.02 * f[2]);
        double sum = 0;
        for (float[] p : s.planes()) {
            for (float x : p) {
                sum += x;
            }
        }
        assertEquals(1.0, sum, 1e-5);
        assertEquals(1f, v.get(cx, cy, cz), 0f, "input modified");
    }

    @Test
    void matchesBruteForceRenormalisedConvolution() {
        Grid g = Grid.of(9, 8, 7, 1.0, 1.3, 1.7);
        Volume v = TestVolumes.random(g, 1, 11);
        double[] fw = {3, 4, 5};
        Volume s = Gaussian.smooth(v, fw[0], fw[1], fw[2]);
        double[] sig = new double[3];
        for (int a = 0; a < 3; a++) {
            sig[a] = fw[a] / Gaussian.FWHM_PER_SIGMA / g.voxelMm()[a];
        }
        int[] r = new int[3];
        for (int a = 0; a < 3; a++) {
            r[a] = (int) Math.ceil(4 * sig[a]);
        }
        for (int z = 0; z < 7; z++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 9; x++) {
                    double num = 0;
                    double den = 0;
                    for (int k = 0; k < 7; k++) {
                        for (int j = 0; j < 8; j++) {
                            for (int i = 0; i < 9; i++) {
                                if (Math.abs(i - x) > r[0] || Math.abs(j - y) > r[1] || Math.abs(k - z) > r[2]) {
                                    continue;
                                }
                                double w = Math.exp(-0.5 * ((i - x) * (i - x) / (sig[0] * sig[0])
                                        + (j - y) * (j - y) / (sig[1] * sig[1]) + (k - z) * (k - z) / (sig[2] * sig[2])));
                                num += w * v.get(i, j, k);
                                den += w;
                            }
                        }
                    }
                    assertEquals(num / den, s.get(x, y, z), 1e-4, "at " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void zeroFwhmCopiesAndFramesStaySeparate() {
        Grid g = Grid.of(6, 5, 4, 1, 1, 1);
        Volume v = TestVolumes.random(g, 1, 3);
        Volume c = Gaussian.smooth(v, 0);
        assertNotSame(v, c);
        assertNotSame(v.plane(0), c.plane(0));
        for (int z = 0; z < 4; z++) {
            assertArrayEquals(v.plane(z), c.plane(z), 0f);
        }
        Volume v4 = Volume.allocate(g, 2);
        v4.set(3, 2, 2, 0, 100f);
        Volume s4 = Gaussian.smooth(v4, 3);
        for (int z = 0; z < 4; z++) {
            for (float x : s4.plane(z, 1)) {
                assertEquals(0f, x, 0f, "smoothing leaked across frames");
            }
        }
        // only x smoothed: other rows untouched
        Volume sx = Gaussian.smooth(v4, 3, 0, 0);
        assertEquals(0f, sx.get(3, 1, 2, 0), 0f);
        assertEquals(0f, sx.get(3, 2, 1, 0), 0f);
        assertThrows(DopajException.class, () -> Gaussian.smooth(v, -1));
    }

    @Test
    void kernelIsNormalisedAndTruncatedAtFourSigma() {
        float[] k = Gaussian.kernel(2.5);
        assertEquals(11, k.length);
        double s = k[0];
        for (int d = 1; d < k.length; d++) {
            s += 2 * k[d];
        }
        assertEquals(1.0, s, 1e-6);
    }
}
