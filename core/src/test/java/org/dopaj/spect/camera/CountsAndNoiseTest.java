package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/** Recorded counts match the requested total within Poisson error; noise is Poisson and reproducible from its seed. */
class CountsAndNoiseTest {
    private static final Grid GRID = Phantoms.grid(61, 41);
    private static final Volume ACT = Phantoms.fill(GRID, Phantoms.cylinder(50, 30, 1));
    private static final Volume MU = Phantoms.fill(GRID, Phantoms.cylinder(50, 30, 0.15));

    private static CameraParameters.Builder camera() {
        return CameraParameters.builder().matrix(64).voxelMm(4).angles(32).osem(2, 4).scatter(0.3, 50)
                .penetration(0.15, 150);
    }

    @Test
    void totalCountsMatchTheRequest() {
        for (double n : new double[]{2e5, 2e6}) {
            CameraParameters p = camera().totalCounts(n).build();
            double got = SpectCamera.acquire(ACT, MU, Affines.identity(), p, 7).recordedCounts();
            assertEquals(n, got, 4 * Math.sqrt(n), "recorded counts for " + n + " requested");
            double exact = SpectCamera.acquire(ACT, MU, Affines.identity(), camera().totalCounts(n).poissonNoise(false)
                    .build(), 7).recordedCounts();
            assertEquals(n, exact, 1e-5 * n, "noiseless projections hold exactly the requested counts");
        }
    }

    @Test
    void sameSeedSameImageOtherSeedOtherImage() {
        CameraParameters p = camera().totalCounts(1e6).build();
        Volume a = SpectCamera.acquireAndReconstruct(ACT, MU, Affines.identity(), p, 42).image();
        Volume b = SpectCamera.acquireAndReconstruct(ACT, MU, Affines.identity(), p, 42).image();
        Volume c = SpectCamera.acquireAndReconstruct(ACT, MU, Affines.identity(), p, 43).image();
        assertTrue(a.grid().sameAs(b.grid(), 0));
        boolean differs = false;
        for (int z = 0; z < a.nz(); z++) {
            assertArrayEquals(a.plane(z), b.plane(z), "slice " + z + " differs for the same seed");
            differs |= !java.util.Arrays.equals(a.plane(z), c.plane(z));
        }
        assertTrue(differs, "another seed must give other noise");
    }

    @Test
    void poissonDrawsHaveTheRightMeanAndVariance() {
        SplittableRandom r = new SplittableRandom(3);
        for (double lambda : new double[]{0.3, 4, 9.5, 10, 37, 800}) {
            int n = 200_000;
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                long k = Poisson.sample(lambda, r);
                assertFalse(k < 0);
                s += k;
                s2 += (double) k * k;
            }
            double mean = s / n;
            double var = s2 / n - mean * mean;
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean for λ = " + lambda);
            assertEquals(lambda, var, 0.03 * lambda + 0.01, "variance for λ = " + lambda);
        }
    }
}
