package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The training augmentations' invariants: the deformation (v3) moves values without inventing them. */
class MsaAugmentationTest {
    @Test
    void theDeformationKeepsAConstantMapAndStaysWithinTheInputRange() {
        float[] flat = new float[MsaCnn.SIZE * 2];
        java.util.Arrays.fill(flat, 0.7f);
        float[] w = MsaTraining.warp(flat, 2, new Random(3));
        for (float v : w) {
            assertEquals(0.7f, v, 1e-5f);
        }
        Random r = new Random(4);
        float[] x = new float[MsaCnn.SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] y = MsaTraining.warp(x, 1, new Random(5));
        double diff = 0;
        for (int i = 0; i < y.length; i++) {
            assertTrue(y[i] >= -1e-6f && y[i] <= 1 + 1e-6f);
            diff += Math.abs(y[i] - x[i]);
        }
        assertTrue(diff / y.length > 0.01, "the map moved");
    }
}
