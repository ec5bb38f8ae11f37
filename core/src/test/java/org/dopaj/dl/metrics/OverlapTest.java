package org.dopaj.dl.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class OverlapTest {

    private static Volume square(Grid g, int x0, int x1, int y0, int y1) {
        Volume v = Volume.allocate(g);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                v.set(x, y, 0, 1f);
            }
        }
        return v;
    }

    @Test
    void shiftedSquaresByHandWithAnisotropicPixels() {
        // 2D, pixels 2 mm wide (x) × 1 mm high (y). Reference: x 1..3, y 1..3; prediction shifted by one pixel in x.
        Grid g = Grid.of(7, 6, 1, 2, 1, 3);
        Volume ref = square(g, 1, 3, 1, 3);
        Volume pred = square(g, 2, 4, 1, 3);
        Overlap.Result r = Overlap.compare(pred, ref);
        // overlap x 2..3 × y 1..3 = 6 of 9 + 9
        assertEquals(6, r.truePositive());
        assertEquals(12.0 / 18, r.dice(), 1e-15);
        assertEquals(6.0 / 12, r.iou(), 1e-15);
        assertEquals(6.0 / 9, r.precision(), 1e-15);
        assertEquals(6.0 / 9, r.recall(), 1e-15);
        assertEquals(r.dice(), r.f1(), 1e-15);
        // surfaces are the 8 border pixels of each square (4-connectivity in 2D). Directed distances (mm):
        //  prediction→reference: (2,1)0 (3,1)0 (4,1)2 (2,3)0 (3,3)0 (4,3)2 (2,2)1 (4,2)2
        //  reference→prediction: (1,1)2 (2,1)0 (3,1)0 (1,3)2 (2,3)0 (3,3)0 (1,2)2 (3,2)1
        // union: eight 0, two 1, six 2 → 95th percentile at position 0.95·15 = 14.25 → 2; max 2
        double[] d = Overlap.symmetricSurfaceDistances(foreground(pred), foreground(ref), g);
        Arrays.sort(d);
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2}, d, 1e-12);
        assertEquals(2, r.hd95Mm(), 1e-12);
        assertEquals(2, r.hausdorffMm(), 1e-12);
    }

    @Test
    void percentileIsNumpyLinear() {
        // numpy.percentile([1,2,3,4], 95) = 3.85, ([0,10], 50) = 5
        assertEquals(3.85, Overlap.percentileSorted(new double[]{1, 2, 3, 4}, 95), 1e-12);
        assertEquals(5, Overlap.percentileSorted(new double[]{0, 10}, 50), 1e-12);
        assertEquals(7, Overlap.percentileSorted(new double[]{7}, 95), 0);
    }

    @Test
    void surfaceOfCubeIsItsShell() {
        boolean[] m = new boolean[125];
        for (int z = 1; z <= 3; z++) {
            for (int y = 1; y <= 3; y++) {
                for (int x = 1; x <= 3; x++) {
                    m[x + 5 * y + 25 * z] = true;
                }
            }
        }
        boolean[] s = Overlap.surface(m, 5, 5, 5);
        int count = 0;
        for (boolean b : s) {
            count += b ? 1 : 0;
        }
        assertEquals(26, count);
        assertTrue(!s[2 + 5 * 2 + 25 * 2], "the centre voxel is inside");
        // touching the image border counts as surface (outside = background)
        boolean[] full = new boolean[27];
        Arrays.fill(full, true);
        boolean[] sf = Overlap.surface(full, 3, 3, 3);
        assertTrue(sf[0] && !sf[13]);
    }

    @Test
    void hd95MatchesBruteForceOnRandomMasks() {
        Random rnd = new Random(5);
        for (int rep = 0; rep < 20; rep++) {
            int[] dm = {6 + rnd.nextInt(6), 5 + rnd.nextInt(6), 1 + rnd.nextInt(6)};
            double[] vox = {0.5 + rnd.nextDouble() * 2, 0.5 + rnd.nextDouble() * 2, 0.5 + rnd.nextDouble() * 3};
            Grid g = Grid.of(dm[0], dm[1], dm[2], vox[0], vox[1], vox[2]);
            int n = dm[0] * dm[1] * dm[2];
            boolean[] a = new boolean[n];
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextDouble() < 0.3;
                b[i] = rnd.nextDouble() < 0.25;
            }
            a[0] = true;
            b[n - 1] = true;
            boolean[] sa = Overlap.surface(a, dm[0], dm[1], dm[2]);
            boolean[] sb = Overlap.surface(b, dm[0], dm[1], dm[2]);
            double[] brute = concat(directed(sa, sb, dm, vox), directed(sb, sa, dm, vox));
            Arrays.sort(brute);
            double[] fast = Overlap.symmetricSurfaceDistances(a, b, g);
            Arrays.sort(fast);
            assertArrayEquals(brute, fast, 1e-5); // float32 distance maps
            Overlap.Result r = Overlap.compare(a, b, g);
            // numpy-style linear percentile of the brute-force union
            double h = 0.95 * (brute.length - 1);
            int lo = (int) h;
            double expected = brute[lo] + (h - lo) * (brute[Math.min(lo + 1, brute.length - 1)] - brute[lo]);
            assertEquals(expected, r.hd95Mm(), 1e-5);
            assertEquals(brute[brute.length - 1], r.hausdorffMm(), 1e-5);
        }
    }

    @Test
    void matchesScipyMedpyRecipeOnEllipsoids() {
        // reference values from docs/scripts/hd95_scipy_check.py (scipy distance_transform_edt + numpy.percentile)
        int nx = 91;
        int ny = 109;
        int nz = 91;
        Grid g = Grid.of(nx, ny, nz, 1, 1, 1.5);
        boolean[] ref = new boolean[nx * ny * nz];
        boolean[] pred = new boolean[ref.length];
        double cx = nx / 2.0;
        double cy = ny / 2.0;
        double cz = nz / 2.0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    ref[i] = sq((x - cx) / (0.4 * nx)) + sq((y - cy) / (0.4 * ny)) + sq((z - cz) / (0.4 * nz)) < 1;
                    pred[i] = sq((x - cx - 2) / (0.41 * nx)) + sq((y - cy) / (0.39 * ny)) + sq((z - cz + 1) / (0.4 * nz)) < 1;
                }
            }
        }
        Overlap.Result r = Overlap.compare(pred, ref, g);
        assertEquals(2.692582403567, r.hd95Mm(), 1e-5);
        assertEquals(3.354101966250, r.hausdorffMm(), 1e-5);
        assertEquals(0.952045052346, r.dice(), 1e-9);
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void emptyMasks() {
        Grid g = Grid.of(4, 4, 2, 1, 1, 1);
        Volume empty = Volume.allocate(g);
        Overlap.Result both = Overlap.compare(empty, Volume.allocate(g));
        assertEquals(1, both.dice());
        assertEquals(1, both.iou());
        assertEquals(0, both.hd95Mm());
        Volume one = Volume.allocate(g);
        one.set(1, 1, 1, 1f);
        Overlap.Result r = Overlap.compare(empty, one);
        assertEquals(0, r.dice());
        assertEquals(0, r.precision());
        assertEquals(0, r.recall());
        assertEquals(Double.POSITIVE_INFINITY, r.hd95Mm());
        assertTrue(r.toMap().containsKey("hd95_mm"));
        assertNull(r.toMap().get("hd95_mm"), "infinite HD95 is JSON null");
        // Gson refuses NaN/Infinity by default: the map must serialise as is
        String json = new com.google.gson.GsonBuilder().serializeNulls().create().toJson(r.toMap());
        assertTrue(json.contains("\"hd95_mm\":null"), json);
        assertEquals(Double.POSITIVE_INFINITY, Overlap.compare(one, empty).hd95Mm());
        // identical masks
        Overlap.Result same = Overlap.compare(one, one.copy());
        assertEquals(1, same.dice());
        assertEquals(0, same.hd95Mm());
    }

    @Test
    void differentGridsAreRefused() {
        Volume a = Volume.allocate(Grid.of(4, 4, 2, 1, 1, 1));
        Volume b = Volume.allocate(Grid.of(4, 4, 2, 1, 1, 2));
        DopajException e = assertThrows(DopajException.class, () -> Overlap.compare(a, b));
        assertTrue(e.getMessage().contains("different grids"), e.getMessage());
        Volume c = Volume.allocate(Grid.of(4, 5, 2, 1, 1, 1));
        assertThrows(DopajException.class, () -> Overlap.compare(a, c));
    }

    @Test
    void inputsAreNotModified() {
        Grid g = Grid.of(5, 5, 3, 1, 1, 1);
        Volume a = square(g, 1, 3, 1, 3);
        Volume b = square(g, 0, 2, 0, 2);
        float[] before = a.toArray();
        Overlap.compare(a, b);
        assertArrayEquals(before, a.toArray());
    }

    private static boolean[] foreground(Volume v) {
        float[] a = v.toArray();
        boolean[] m = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i] != 0;
        }
        return m;
    }

    private static double dist2(int i, int j, int[] dm, double[] vox) {
        int xi = i % dm[0];
        int yi = (i / dm[0]) % dm[1];
        int zi = i / (dm[0] * dm[1]);
        int xj = j % dm[0];
        int yj = (j / dm[0]) % dm[1];
        int zj = j / (dm[0] * dm[1]);
        double dx = (xi - xj) * vox[0];
        double dy = (yi - yj) * vox[1];
        double dz = (zi - zj) * vox[2];
        return dx * dx + dy * dy + dz * dz;
    }

    private static double[] directed(boolean[] from, boolean[] to, int[] dm, double[] vox) {
        return java.util.stream.IntStream.range(0, from.length).filter(i -> from[i]).mapToDouble(i -> {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < to.length; j++) {
                if (to[j]) {
                    best = Math.min(best, dist2(i, j, dm, vox));
                }
            }
            return Math.sqrt(best);
        }).toArray();
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
