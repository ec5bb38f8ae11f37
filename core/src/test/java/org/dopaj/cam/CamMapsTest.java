package org.dopaj.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class CamMapsTest {

    @Test
    void normaliseMinMaxAndConstantGuard() {
        float[] cam = {2, 4, 6, 10};
        float[] before = cam.clone();
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 1}, CamMaps.normalise(cam), 1e-7f);
        assertArrayEquals(before, cam, "input untouched");
        assertArrayEquals(new float[]{0, 0, 0}, CamMaps.normalise(new float[]{3, 3, 3}));
        assertThrows(DopajException.class, () -> CamMaps.normalise(new float[]{1, Float.NaN}));
    }

    @Test
    void upsampleMatchesHalfPixelConvention() {
        // 1D along x: [0, 1] → 4 samples. Source coordinates (o+0.5)·0.5 − 0.5 = −0.25, 0.25, 0.75, 1.25
        // → clamped 0, 0.25, 0.75, clamped 1 (same as tf.image.resize bilinear, half-pixel centres)
        float[] up = CamMaps.upsample(new float[]{0, 1}, 2, 1, 1, 4, 1, 1);
        assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, up, 1e-7f);
        // 2×2 → 4×4 bilinear: value at output (1,2) = source (0.25, 0.75):
        // c = [[0,1],[2,3]] (x fastest, rows y): f(x,y) = x + 2y → 0.25 + 1.5 = 1.75
        float[] up2 = CamMaps.upsample(new float[]{0, 1, 2, 3}, 2, 2, 1, 4, 4, 1);
        assertEquals(1.75f, up2[1 + 4 * 2], 1e-6f);
        assertEquals(0f, up2[0], 0);
        assertEquals(3f, up2[15], 0);
        // trilinear on a linear field f = x + 10y + 100z is exact inside the clamped border
        int cx = 3;
        int cy = 4;
        int cz = 2;
        float[] c = new float[cx * cy * cz];
        for (int z = 0; z < cz; z++) {
            for (int y = 0; y < cy; y++) {
                for (int x = 0; x < cx; x++) {
                    c[x + cx * (y + cy * z)] = x + 10 * y + 100 * z;
                }
            }
        }
        float[] u = CamMaps.upsample(c, cx, cy, cz, 6, 8, 4);
        // output (3, 4, 2): source x = 3.5·0.5 − 0.5 = 1.25, y = 4.5·0.5 − 0.5 = 1.75, z = 2.5·0.5 − 0.5 = 0.75
        assertEquals(1.25 + 17.5 + 75, u[3 + 6 * (4 + 8 * 2)], 1e-4);
        // same size is the identity
        assertArrayEquals(c, CamMaps.upsample(c, cx, cy, cz, cx, cy, cz), 0f);
    }

    @Test
    void upsampleVolumeOntoGrid() {
        Volume coarse = Volume.of(Grid.of(2, 2, 1, 8, 8, 8), new float[]{0, 1, 2, 3});
        Grid target = Grid.of(4, 4, 1, 4, 4, 8);
        Volume up = CamMaps.upsample(coarse, target);
        assertEquals(target, up.grid());
        assertEquals(1.75f, up.get(1, 2, 0), 1e-6f);
        assertThrows(DopajException.class, () -> CamMaps.upsample(new float[3], 2, 2, 1, 4, 4, 1));
    }

    @Test
    void thresholdPercentileAndClip() {
        float[] cam = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 5, 6, 7, 8, 9, 100}, CamMaps.threshold(cam, 5), 0f);
        // numpy.percentile(cam, 50) = 5, (cam, 90) = 9 (position 9 of 0..10)
        assertEquals(5, CamMaps.percentile(cam, 50), 1e-12);
        assertEquals(9, CamMaps.percentile(cam, 90), 1e-12);
        // numpy.percentile(cam, 95) = 9 + 0.5·(100 − 9) = 54.5
        assertEquals(54.5, CamMaps.percentile(cam, 95), 1e-9);
        float[] clipped = CamMaps.clipPercentiles(cam, 10, 90); // clamp to [1, 9] and rescale
        assertEquals(0, clipped[0], 0);
        assertEquals(0.5f, clipped[5], 1e-7f);
        assertEquals(1, clipped[10], 0);
        assertThrows(DopajException.class, () -> CamMaps.clipPercentiles(cam, 90, 10));
    }
}
