package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class StatsNormalizeTest {
    /** numpy.percentile(a, p) (method "linear") by a full sort. */
    private static double numpyPercentile(float[] a, double p) {
        float[] s = a.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * p / 100;
        int k = (int) Math.floor(h);
        return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k];
    }

    private static Volume sample(long seed) {
        Grid g = Grid.of(17, 13, 7, 1, 1, 1);
        Volume v = Volume.allocate(g, 2);
        Random r = new Random(seed);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                // many duplicates, a skewed tail
                p[i] = r.nextInt(10) == 0 ? (float) (r.nextGaussian() * 300) : r.nextInt(40);
            }
        }
        return v;
    }

    @Test
    void percentilesMatchTheSortDefinition() {
        Volume v = sample(1);
        float[] all = new float[17 * 13 * 7 * 2];
        int k = 0;
        for (float[] p : v.planes()) {
            for (float x : p) {
                all[k++] = x;
            }
        }
        double[] pct = {99.5, 0, 0.5, 50, 37.3, 100, 99.5};
        double[] got = Stats.percentiles(v, null, pct);
        for (int i = 0; i < pct.length; i++) {
            assertEquals(numpyPercentile(all, pct[i]), got[i], 1e-9, "p" + pct[i]);
        }
        // tiny arrays: numpy.percentile([1,2,3,4], 10) == 1.3
        Volume t = Volume.of(Grid.of(4, 1, 1, 1, 1, 1), new float[]{4, 2, 1, 3});
        assertEquals(1.3, Stats.percentile(t, null, 10), 1e-6);
        assertEquals(2.5, Stats.percentile(t, null, 50), 1e-9);
        assertThrows(DopajException.class, () -> Stats.percentile(t, null, 101));
    }

    @Test
    void statsWithinAMaskSkipNonFiniteVoxels() {
        Volume v = sample(2);
        Volume mask = Volume.allocate(v.grid());
        v.set(1, 1, 1, 0, Float.NaN);
        v.set(2, 1, 1, 1, Float.POSITIVE_INFINITY);
        v.set(12, 3, 3, 0, Float.NaN); // outside the mask: not counted
        for (int z = 0; z < 7; z++) {
            for (int y = 0; y < 13; y++) {
                for (int x = 0; x < 17; x++) {
                    if (x < 9 && y > 0 && y < 7) {
                        mask.set(x, y, z, x == 4 ? Float.NaN : 1f); // NaN mask voxels are outside
                    }
                }
            }
        }
        double s = 0;
        double s2 = 0;
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (int t = 0; t < 2; t++) {
            for (int z = 0; z < 7; z++) {
                for (int y = 1; y < 7; y++) {
                    for (int x = 0; x < 9; x++) {
                        float a = v.get(x, y, z, t);
                        if (x == 4 || !Float.isFinite(a)) {
                            continue;
                        }
                        n++;
                        s += a;
                        s2 += (double) a * a;
                        mn = Math.min(mn, a);
                        mx = Math.max(mx, a);
                    }
                }
            }
        }
        Stats st = Stats.of(v, mask);
        assertEquals(n, st.count());
        assertEquals(2, st.nonFinite());
        assertEquals(mn, st.min(), 0);
        assertEquals(mx, st.max(), 0);
        assertEquals(s / n, st.mean(), 1e-9);
        assertEquals(Math.sqrt(s2 / n - (s / n) * (s / n)), st.sd(), 1e-6);
        assertEquals(3, Stats.of(v).nonFinite());
        assertThrows(DopajException.class, () -> Stats.of(v, Volume.allocate(Grid.of(3, 3, 3, 1, 1, 1))));
    }

    @Test
    void percentileScalingClipsToUnitRange() {
        Volume v = sample(3);
        v.set(0, 0, 0, 0, Float.NaN);
        double[] p = Stats.percentiles(v, null, 0.5, 99.5);
        Volume n = Normalize.percentile(v, null, 0.5, 99.5);
        int low = 0;
        int high = 0;
        for (int q = 0; q < v.planes().length; q++) {
            float[] a = v.planes()[q];
            float[] b = n.planes()[q];
            for (int i = 0; i < a.length; i++) {
                if (Float.isNaN(a[i])) {
                    assertTrue(Float.isNaN(b[i]));
                    continue;
                }
                double want = Math.min(1, Math.max(0, (a[i] - p[0]) / (p[1] - p[0])));
                assertEquals(want, b[i], 1e-6);
                low += b[i] == 0 ? 1 : 0;
                high += b[i] == 1 ? 1 : 0;
            }
        }
        assertTrue(low > 0 && high > 0, "clipping never happened");
        Volume flat = Volume.allocate(Grid.of(4, 4, 4, 1, 1, 1));
        assertThrows(DopajException.class, () -> Normalize.percentile(flat, null, 1, 99));
    }

    @Test
    void zScoreAndMeanScalingUseTheMask() {
        Volume v = sample(4);
        Volume mask = Volume.allocate(v.grid());
        for (int z = 2; z < 5; z++) {
            for (int i = 0; i < 100; i++) {
                mask.plane(z)[i] = 1;
            }
        }
        Stats z = Stats.of(Normalize.zScore(v, mask), mask);
        assertEquals(0, z.mean(), 1e-6);
        assertEquals(1, z.sd(), 1e-6);
        Stats m = Stats.of(Normalize.divideByMean(v, mask), mask);
        assertEquals(1, m.mean(), 1e-6);
        Stats outside = Stats.of(Normalize.zScore(v, mask));
        assertTrue(Math.abs(outside.mean()) > 1e-3 || Math.abs(outside.sd() - 1) > 1e-3,
                "statistics should come from the mask only");
        assertThrows(DopajException.class, () -> Normalize.zScore(Volume.allocate(v.grid()), null));
    }
}
