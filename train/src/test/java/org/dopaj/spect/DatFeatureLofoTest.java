package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The large-VOI total of {@link DatFeatureLofo}: blur moves counts, not the total; each side keeps its own. */
class DatFeatureLofoTest {

    @Test
    void theTotalOfASideDoesNotChangeWhenItsBindingIsSpreadInsideItsLargeVoi() {
        int[] left = DatFeatureLofo.LARGE_VOI[0];
        int[] right = DatFeatureLofo.LARGE_VOI[1];
        assertTrue(left.length > 50 && right.length > 50, left.length + " / " + right.length + " voxels");
        for (int i : left) {
            for (int j : right) {
                assertTrue(i != j, "voxel " + i + " in both large VOIs");
            }
        }
        int n = DatCnn.PX * DatCnn.PY * DatCnn.PZ;
        // binding 3 concentrated in one voxel of the left large VOI, or spread evenly over all of it
        float[] sharp = new float[n];
        sharp[left[left.length / 2]] = 3f * left.length;
        float[] spread = new float[n];
        for (int i : left) {
            spread[i] = 3f;
        }
        double[] a = DatFeatureLofo.totals(sharp);
        double[] b = DatFeatureLofo.totals(spread);
        assertEquals(a[0], b[0], 1e-6 * a[0]);
        assertEquals(3 * left.length * 0.064 / DatFeatureLofo.SIDE_STRIATUM_ML, a[0], 1e-6 * a[0]);
        assertEquals(0, a[1]);
        assertEquals(0, b[1]);
        // outside both large VOIs (a corner of the grid) counts nothing
        float[] corner = new float[n];
        corner[0] = 100;
        assertEquals(0, DatFeatureLofo.totals(corner)[0] + DatFeatureLofo.totals(corner)[1]);
    }
}
