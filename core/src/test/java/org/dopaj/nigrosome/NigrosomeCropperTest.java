package org.dopaj.nigrosome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class NigrosomeCropperTest {
    static final Grid RAS = Grid.of(120, 100, 40, 0.5, 0.5, 1);
    static final Grid LAS = new Grid(120, 100, 40, new double[]{0.5, 0.5, 1},
            new double[][]{{-0.5, 0, 0, 59.5}, {0, 0.5, 0, -10}, {0, 0, 1, 3}, {0, 0, 0, 1}});

    static Centroid at(Grid g, Side side, double i, double j, double k) {
        return new Centroid(side, new Point3(i, j, k), Point3.of(g.toMm(i, j, k)));
    }

    static void assertMm(double[] expected, double[] actual, double tol) {
        for (int a = 0; a < 3; a++) {
            assertEquals(expected[a], actual[a], tol, "axis " + a);
        }
    }

    @Test
    void defaultsFollowTheDesignConvention() {
        NigrosomeCropper c = new NigrosomeCropper();
        assertArrayEquals(new int[]{50, 50, 20}, c.size());
        assertArrayEquals(new double[]{0.5, 0.5, 1}, c.voxelMm());
        assertArrayEquals(new int[]{25, 25, 10}, c.centreIndex());
        assertEquals(NigrosomeCropper.Padding.CROP_MEAN, c.padding());
    }

    @Test
    void markersLandAtTheirOffsetsWithoutInterpolation() {
        for (Grid g : new Grid[]{RAS, LAS}) {
            Volume v = Volume.allocate(g);
            int cx = 60;
            int cy = 47;
            int cz = 19;
            int[][] offsets = {{0, 0, 0}, {-25, 0, 0}, {24, 0, 0}, {0, -25, 0}, {0, 24, 0}, {0, 0, -10}, {0, 0, 9},
                    {3, -7, 2}, {-25, -25, -10}, {24, 24, 9}, {25, 0, 0}, {0, 0, 10}, {-26, 0, 0}, {0, 0, -11}};
            for (int n = 0; n < offsets.length; n++) {
                int[] o = offsets[n];
                v.set(cx + o[0], cy + o[1], cz + o[2], 100 + n);
            }
            Centroid c = at(g, Side.LEFT, cx, cy, cz);
            NigrosomeCrop crop = new NigrosomeCropper().crop(v, c);
            Volume cv = crop.volume();
            assertFalse(crop.interpolated());
            assertEquals(1.0, crop.insideFraction());
            assertArrayEquals(new int[]{50, 50, 20}, cv.grid().dims());
            int found = 0;
            for (int n = 0; n < offsets.length; n++) {
                int[] o = offsets[n];
                int u = 25 + o[0];
                int w = 25 + o[1];
                int s = 10 + o[2];
                if (u >= 0 && u < 50 && w >= 0 && w < 50 && s >= 0 && s < 20) {
                    assertEquals(100 + n, cv.get(u, w, s), "marker " + n + " on " + g.orientation());
                    found++;
                }
            }
            // c+25 in-plane and c+10, c−26, c−11 lie outside the crop: 10 of 14 markers inside, nothing else
            assertEquals(10, found);
            double sum = 0;
            for (float x : cv.toArray()) {
                sum += x;
            }
            double expected = 0;
            for (int n = 0; n < 10; n++) {
                expected += 100 + n;
            }
            assertEquals(expected, sum, 0);
            // the crop's affine puts index (25,25,10) at the centroid, other voxels where they were
            assertMm(g.toMm(cx, cy, cz), cv.grid().toMm(25, 25, 10), 1e-9);
            assertMm(g.toMm(cx + 3, cy - 7, cz + 2), cv.grid().toMm(28, 18, 12), 1e-9);
            assertEquals(g.orientation(), cv.grid().orientation());
        }
    }

    @Test
    void fractionalCentroidIsInterpolatedAndReproducesARamp() {
        Volume v = Volume.allocate(RAS);
        for (int z = 0; z < 40; z++) {
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 120; x++) {
                    v.set(x, y, z, 2f * x + 3f * y + 5f * z);
                }
            }
        }
        Centroid c = at(RAS, Side.RIGHT, 60.25, 50.5, 20.75);
        NigrosomeCrop crop = new NigrosomeCropper().crop(v, c);
        assertTrue(crop.interpolated());
        for (int[] u : new int[][]{{25, 25, 10}, {0, 0, 0}, {49, 49, 19}, {13, 40, 3}}) {
            double expected = 2 * (60.25 + u[0] - 25) + 3 * (50.5 + u[1] - 25) + 5 * (20.75 + u[2] - 10);
            assertEquals(expected, crop.volume().get(u[0], u[1], u[2]), 1e-3);
        }
        assertMm(c.mm().toArray(), crop.volume().grid().toMm(25, 25, 10), 1e-9);
        // the input is unchanged
        assertEquals(2f * 60 + 3f * 50 + 5f * 20, v.get(60, 50, 20));
    }

    /** A Gaussian blob of σ mm centred at scanner position p, sampled on g. */
    static Volume blob(Grid g, double[] p, double sigma) {
        Volume v = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] m = g.toMm(x, y, z);
                    double d2 = 0;
                    for (int a = 0; a < 3; a++) {
                        d2 += (m[a] - p[a]) * (m[a] - p[a]);
                    }
                    v.set(x, y, z, (float) (1000 * Math.exp(-d2 / (2 * sigma * sigma))));
                }
            }
        }
        return v;
    }

    static double[] weightedCentre(Volume v) {
        double[] s = new double[4];
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    double w = v.get(x, y, z);
                    s[0] += w * x;
                    s[1] += w * y;
                    s[2] += w * z;
                    s[3] += w;
                }
            }
        }
        return new double[]{s[0] / s[3], s[1] / s[3], s[2] / s[3]};
    }

    @Test
    void anisotropicInputIsResampledOntoTheModelGrid() {
        // 0.25 mm in-plane, 2 mm slices, origin off zero
        Grid g = new Grid(160, 160, 16, new double[]{0.25, 0.25, 2},
                new double[][]{{0.25, 0, 0, -20}, {0, 0.25, 0, -18}, {0, 0, 2, -14}, {0, 0, 0, 1}});
        Centroid c = at(g, Side.LEFT, 81, 77, 7.5);
        double[] cm = c.mm().toArray();
        double[] p = {cm[0] + 3, cm[1] - 2, cm[2] + 4};
        Volume v = blob(g, p, 1.5);
        NigrosomeCrop crop = new NigrosomeCropper().crop(v, c);
        assertTrue(crop.interpolated());
        assertEquals(1.0, crop.insideFraction());
        assertArrayEquals(new double[]{0.5, 0.5, 1}, crop.volume().grid().voxelMm());
        double[] w = weightedCentre(crop.volume());
        // 3 mm = 6 crop voxels in x, −2 mm = −4 in y, 4 mm = 4 slices
        assertEquals(31, w[0], 0.05);
        assertEquals(21, w[1], 0.05);
        assertEquals(14, w[2], 0.1);
        assertMm(cm, crop.volume().grid().toMm(25, 25, 10), 1e-9);
        assertMm(p, crop.volume().grid().toMm(w[0], w[1], w[2]), 0.1);
    }

    @Test
    void cropAxesFollowAnObliqueInput() {
        // 1 mm voxels rotated 30° about S
        double t = Math.toRadians(30);
        double cs = Math.cos(t);
        double sn = Math.sin(t);
        Grid g = new Grid(70, 70, 40, new double[]{1, 1, 1},
                new double[][]{{cs, -sn, 0, -10}, {sn, cs, 0, -40}, {0, 0, 1, -20}, {0, 0, 0, 1}});
        Centroid c = at(g, Side.RIGHT, 35, 36, 20);
        // blob 4 mm along +i and −3 mm along +j of the input voxel axes, 2 mm up
        double[] off = {4 * cs + 3 * sn, 4 * sn - 3 * cs, 2};
        double[] p = {c.mm().x() + off[0], c.mm().y() + off[1], c.mm().z() + off[2]};
        NigrosomeCrop crop = new NigrosomeCropper().crop(blob(g, p, 1.5), c);
        assertEquals(g.orientation(), crop.volume().grid().orientation());
        double[] w = weightedCentre(crop.volume());
        assertEquals(25 + 8, w[0], 0.1);
        assertEquals(25 - 6, w[1], 0.1);
        assertEquals(10 + 2, w[2], 0.1);
        assertMm(c.mm().toArray(), crop.volume().grid().toMm(25, 25, 10), 1e-9);
    }

    @Test
    void paddingOutsideTheImage() {
        Volume v = Volume.allocate(RAS);
        java.util.Arrays.fill(v.plane(20), 7f);
        for (int z = 0; z < 40; z++) {
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 120; x++) {
                    v.set(x, y, z, 10 + x % 3);
                }
            }
        }
        // x from −15 to 34: 15 of 50 columns outside
        Centroid c = at(RAS, Side.LEFT, 10, 50, 20);
        NigrosomeCropper cropper = new NigrosomeCropper();
        assertEquals(0.7, cropper.insideFraction(RAS, c.voxel()), 1e-12);
        NigrosomeCrop mean = cropper.crop(v, c);
        assertEquals(0.7, mean.insideFraction(), 1e-12);
        double insideSum = 0;
        for (int x = 0; x <= 34; x++) {
            insideSum += 10 + x % 3;
        }
        float expectedPad = (float) (insideSum / 35);
        assertEquals(expectedPad, mean.padValue(), 1e-5);
        assertEquals(expectedPad, mean.volume().get(0, 3, 4));
        assertEquals(expectedPad, mean.volume().get(14, 49, 19));
        assertEquals(10f, mean.volume().get(15, 0, 0));
        NigrosomeCrop zero = new NigrosomeCropper(50, 50, 20, 0.5, 0.5, 1, NigrosomeCropper.Padding.ZERO).crop(v, c);
        assertEquals(0f, zero.volume().get(14, 20, 10));
        assertEquals(11f, zero.volume().get(16, 20, 10));
        assertEquals(0f, zero.padValue());
        // interpolated path: the analytic fraction matches what was filled
        Centroid f = at(RAS, Side.LEFT, 10.5, 50, 20);
        NigrosomeCrop fi = cropper.crop(v, f);
        assertTrue(fi.interpolated());
        assertEquals(cropper.insideFraction(RAS, f.voxel()), fi.insideFraction(), 1e-12);
    }

    @Test
    void refusesCropsMostlyOutsideAndBadInput() {
        Volume v = Volume.allocate(RAS);
        NigrosomeCropper cropper = new NigrosomeCropper();
        // corner: crop spans −25…24 on x and y, 25/50 · 25/50 = 25% inside
        String m = assertThrows(DopajException.class, () -> cropper.crop(v, at(RAS, Side.LEFT, 0, 0, 20))).getMessage();
        assertTrue(m.contains("left") && m.contains("only 25%"), m);
        // a thin slab of 8 slices: 8/20 inside
        Grid slab = Grid.of(120, 100, 8, 0.5, 0.5, 1);
        Volume s = Volume.allocate(slab);
        m = assertThrows(DopajException.class, () -> cropper.crop(s, at(slab, Side.RIGHT, 60, 50, 4))).getMessage();
        assertTrue(m.contains("right") && m.contains("only 40%"), m);
        Centroids both = Centroids.parse("left=30,50,4 right=90,50,4", Units.VOXEL, slab);
        assertThrows(DopajException.class, () -> cropper.checkCoverage(slab, both));
        // 10 slices with the centroid in the middle: exactly half inside is accepted
        Grid slab10 = Grid.of(120, 100, 10, 0.5, 0.5, 1);
        assertEquals(0.5, cropper.crop(Volume.allocate(slab10), at(slab10, Side.LEFT, 30, 50, 5)).insideFraction());
        // NaN inside the crop region is refused; elsewhere it is not read
        Volume n = Volume.allocate(RAS);
        n.set(70, 50, 20, Float.NaN);
        m = assertThrows(DopajException.class, () -> cropper.crop(n, at(RAS, Side.LEFT, 60, 50, 20))).getMessage();
        assertTrue(m.contains("NaN") && m.contains("70,50,20"), m);
        n.set(70, 50, 20, 0);
        n.set(119, 99, 39, Float.NaN);
        cropper.crop(n, at(RAS, Side.LEFT, 60, 50, 10));
        // 4D, wrong grid, outside
        assertThrows(DopajException.class, () -> cropper.crop(Volume.allocate(RAS, 2), at(RAS, Side.LEFT, 60, 50, 20)));
        m = assertThrows(DopajException.class, () -> cropper.crop(v, at(LAS, Side.LEFT, 60, 50, 20))).getMessage();
        assertTrue(m.contains("another image"), m);
        assertThrows(DopajException.class, () -> cropper.crop(v, at(RAS, Side.LEFT, 130, 50, 20)));
        assertThrows(DopajException.class, () -> new NigrosomeCropper(50, 0, 20, 0.5, 0.5, 1, NigrosomeCropper.Padding.ZERO));
        assertThrows(DopajException.class, () -> new NigrosomeCropper(50, 50, 20, 0.5, -1, 1, NigrosomeCropper.Padding.ZERO));
    }

    @Test
    void cropsBothSidesInOrder() {
        Volume v = Volume.allocate(LAS);
        Centroids c = Centroids.fromPoints(List.of(new double[]{30, 50, 20}, new double[]{90, 50, 20}), LAS);
        v.set(30, 50, 20, 1);
        v.set(90, 50, 20, 2);
        List<NigrosomeCrop> crops = new NigrosomeCropper().crop(v, c);
        assertEquals(Side.LEFT, crops.get(0).side());
        // on LAS storage voxel 90 is the patient's left
        assertEquals(2f, crops.get(0).volume().get(25, 25, 10));
        assertEquals(1f, crops.get(1).volume().get(25, 25, 10));
        assertEquals("left", crops.get(0).toMap().get("side"));
        assertEquals(List.of(50, 50, 20), crops.get(0).toMap().get("dims"));
    }

    @Test
    void tensorLayoutIsCOrderWithKFastest() {
        Grid g = new NigrosomeCropper().cropGrid(RAS, new Point3(60, 50, 20));
        Volume v = Volume.allocate(g);
        for (int k = 0; k < 20; k++) {
            for (int j = 0; j < 50; j++) {
                for (int i = 0; i < 50; i++) {
                    v.set(i, j, k, i * 10000 + j * 100 + k);
                }
            }
        }
        float[] t = NigrosomeCropper.toTensorCOrder(v);
        assertEquals(50 * 50 * 20, t.length);
        for (int f = 0; f < t.length; f++) {
            int k = f % 20;
            int j = (f / 20) % 50;
            int i = f / 1000;
            assertEquals(i * 10000 + j * 100 + k, t[f], "flat index " + f);
        }
        assertEquals(10000 + 200 + 3, t[(1 * 50 + 2) * 20 + 3]);
        Volume back = NigrosomeCropper.fromTensorCOrder(t, g);
        assertArrayEquals(v.toArray(), back.toArray());
        assertTrue(back.grid().sameAs(g, 0));
        assertThrows(DopajException.class, () -> NigrosomeCropper.fromTensorCOrder(new float[10], g));
    }
}
