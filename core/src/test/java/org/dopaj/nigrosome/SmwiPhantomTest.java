package org.dopaj.nigrosome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class SmwiPhantomTest {

    /** Mean of the image over voxels with the given label. */
    static double labelMean(Volume img, Volume lab, int label) {
        double s = 0;
        long n = 0;
        for (int z = 0; z < img.nz(); z++) {
            float[] p = img.plane(z);
            float[] q = lab.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (q[i] == label) {
                    s += p[i];
                    n++;
                }
            }
        }
        assertTrue(n > 0, "label " + label + " present");
        return s / n;
    }

    @Test
    void sameSeedSameVoxels() {
        SmwiPhantom.Result a = SmwiPhantom.generate(3.0, 2.5, 42);
        SmwiPhantom.Result b = SmwiPhantom.generate(3.0, 2.5, 42);
        assertArrayEquals(a.smwi().toArray(), b.smwi().toArray());
        assertArrayEquals(a.labels().toArray(), b.labels().toArray());
        assertEquals(a.nigrosomes(), b.nigrosomes());
        Gson gson = new Gson();
        assertEquals(gson.toJson(a.toMap()), gson.toJson(b.toMap()));
        SmwiPhantom.Result c = SmwiPhantom.generate(3.0, 2.5, 43);
        assertFalse(java.util.Arrays.equals(a.smwi().toArray(), c.smwi().toArray()));
        assertArrayEquals(new int[]{120, 100, 40}, a.smwi().grid().dims());
        assertArrayEquals(new double[]{0.5, 0.5, 1}, a.smwi().grid().voxelMm());
        a.smwi().requireFinite("phantom");
    }

    @Test
    void nigrosomeBrightensWithSbr() {
        double[] sbr = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0};
        double[] left = new double[sbr.length];
        double[] right = new double[sbr.length];
        SmwiPhantom.Result pd = null;
        SmwiPhantom.Result healthy = null;
        for (int n = 0; n < sbr.length; n++) {
            // the right side stays at SBR 2: only the left nigrosome may change
            SmwiPhantom.Result r = SmwiPhantom.generate(sbr[n], 2.0, 11);
            Volume lab = r.labels();
            Volume leftHalf = Volume.allocate(lab.grid());
            Volume rightHalf = Volume.allocate(lab.grid());
            for (int z = 0; z < lab.nz(); z++) {
                for (int y = 0; y < lab.ny(); y++) {
                    for (int x = 0; x < lab.nx(); x++) {
                        float l = lab.get(x, y, z);
                        (r.smwi().grid().toMm(x, y, z)[0] < 0 ? leftHalf : rightHalf).set(x, y, z, l);
                    }
                }
            }
            left[n] = labelMean(r.smwi(), leftHalf, SmwiPhantom.NIGROSOME);
            right[n] = labelMean(r.smwi(), rightHalf, SmwiPhantom.NIGROSOME);
            if (sbr[n] == 1.0) {
                pd = r;
            }
            if (sbr[n] == 4.0) {
                healthy = r;
            }
        }
        // clamped below SBR_MIN and above SBR_MAX, strictly rising between
        assertEquals(left[0], left[1], 0);
        assertEquals(left[7], left[8], 0);
        for (int n = 1; n < 7; n++) {
            assertTrue(left[n + 1] > left[n] + 10, "SBR " + sbr[n + 1] + ": " + left[n + 1] + " vs " + left[n]);
        }
        for (int n = 1; n < sbr.length; n++) {
            assertEquals(right[0], right[n], 0);
        }
        // healthy: the oval stands out of the SN; at SBR 1 it is about as dark as the SN
        double snPd = labelMean(pd.smwi(), pd.labels(), SmwiPhantom.SUBSTANTIA_NIGRA);
        double snHealthy = labelMean(healthy.smwi(), healthy.labels(), SmwiPhantom.SUBSTANTIA_NIGRA);
        assertTrue(left[7] / snHealthy > 1.25, "healthy nigrosome/SN " + left[7] / snHealthy);
        assertTrue(left[1] / snPd < 1.15, "PD nigrosome/SN " + left[1] / snPd);
        assertEquals(0.0, SmwiPhantom.nigrosomeContrast(1.0));
        assertEquals(0.5, SmwiPhantom.nigrosomeContrast(2.5));
        assertEquals(1.0, SmwiPhantom.nigrosomeContrast(4.0));
    }

    @Test
    void centroidsInsideOnTheNigrosomes() {
        for (long seed = 1; seed <= 5; seed++) {
            SmwiPhantom.Result r = SmwiPhantom.generate(3.5, 3.0, seed);
            Grid g = r.smwi().grid();
            for (Side s : Side.values()) {
                Centroid c = r.nigrosomes().get(s);
                assertTrue(g.contains(c.voxel().x(), c.voxel().y(), c.voxel().z()));
                int[] v = c.nearestVoxel();
                assertEquals(SmwiPhantom.NIGROSOME, r.labels().get(v[0], v[1], v[2]), "seed " + seed + " " + s);
                assertEquals(s == Side.LEFT, c.mm().x() < 0);
                // the whole crop fits in the patch
                assertEquals(1.0, new NigrosomeCropper().insideFraction(g, c.voxel()), 0, "seed " + seed);
            }
            double d = r.nigrosomes().separationMm();
            assertTrue(d > 17 && d < 27, "separation " + d);
        }
    }

    @Test
    void cropsHaveTheOvalAtTheirCentre() {
        NigrosomeCropper cropper = new NigrosomeCropper();
        SmwiPhantom.Result healthy = SmwiPhantom.generate(4.0, 4.0, 5);
        SmwiPhantom.Result pd = SmwiPhantom.generate(1.0, 1.0, 5);
        assertEquals(healthy.nigrosomes(), pd.nigrosomes());
        List<NigrosomeCrop> h = cropper.crop(healthy.smwi(), healthy.nigrosomes());
        List<NigrosomeCrop> p = cropper.crop(pd.smwi(), pd.nigrosomes());
        for (int s = 0; s < 2; s++) {
            Volume hv = h.get(s).volume();
            Volume pv = p.get(s).volume();
            // same seed, same noise: the difference is the nigrosome hyperintensity alone
            double[] w = new double[4];
            for (int z = 0; z < 20; z++) {
                for (int y = 0; y < 50; y++) {
                    for (int x = 0; x < 50; x++) {
                        double d = Math.max(0, hv.get(x, y, z) - pv.get(x, y, z));
                        w[0] += d * x;
                        w[1] += d * y;
                        w[2] += d * z;
                        w[3] += d;
                    }
                }
            }
            assertTrue(w[3] > 0);
            assertEquals(25, w[0] / w[3], 0.3, "side " + s);
            assertEquals(25, w[1] / w[3], 0.3, "side " + s);
            assertEquals(10, w[2] / w[3], 0.3, "side " + s);
            // the labels resampled on the crop grid put the nigrosome at the centre index
            Volume lab = Resample.toGrid(healthy.labels(), hv.grid(), Resample.Interpolation.NEAREST, 0);
            assertEquals(SmwiPhantom.NIGROSOME, lab.get(25, 25, 10));
            // healthy centre brighter than the SN of the same crop; PD centre not
            double hc = mean3(hv);
            double snH = labelMean(hv, lab, SmwiPhantom.SUBSTANTIA_NIGRA);
            double snP = labelMean(pv, lab, SmwiPhantom.SUBSTANTIA_NIGRA);
            assertTrue(hc > 1.5 * snH, "healthy centre " + hc + " SN " + snH);
            assertTrue(mean3(pv) < 1.2 * snP, "PD centre " + mean3(pv) + " SN " + snP);
        }
    }

    static double mean3(Volume v) {
        double s = 0;
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    s += v.get(25 + dx, 25 + dy, 10 + dz);
                }
            }
        }
        return s / 27;
    }

    @Test
    void otherGridsAndRandomCases() {
        // LAS storage: sides still come out right, and point order does not matter
        Grid las = new Grid(120, 100, 40, new double[]{0.5, 0.5, 1},
                new double[][]{{-0.5, 0, 0, 29.75}, {0, 0.5, 0, -24.75}, {0, 0, 1, -19.5}, {0, 0, 0, 1}});
        SmwiPhantom.Result r = SmwiPhantom.generate(las, 3, 2, 9);
        Centroids t = r.nigrosomes();
        assertTrue(t.left().mm().x() < 0 && t.left().voxel().x() > 60);
        Centroids clicked = Centroids.fromPoints(List.of(t.right().voxel().toArray(), t.left().voxel().toArray()), las);
        assertEquals(t.left().voxel(), clicked.left().voxel());
        // same seed on the RAS default grid: the same anatomy in mm
        SmwiPhantom.Result ras = SmwiPhantom.generate(3, 2, 9);
        assertEquals(ras.nigrosomes().left().mm().x(), t.left().mm().x(), 1e-9);
        // random cases: SBRs from the seed, anatomy as generate() gives it
        for (long seed = 100; seed < 105; seed++) {
            SmwiPhantom.Result c = SmwiPhantom.random(seed);
            assertTrue(c.targetSbr() >= 0.8 && c.targetSbr() <= 4.2, "target " + c.targetSbr());
            assertTrue(Math.abs(c.sbrLeft() - c.sbrRight()) / c.targetSbr() <= 0.3 + 1e-12);
            assertEquals(c.parameters(), SmwiPhantom.generate(c.sbrLeft(), c.sbrRight(), seed).parameters());
        }
        Map<String, Object> m = SmwiPhantom.random(3).toMap();
        assertEquals(true, m.get("synthetic"));
        for (String k : new String[]{"seed", "target_sbr", "sbr_left", "sbr_right", "centroids", "parameters",
                "contrast_mapping", "orientation"}) {
            assertTrue(m.containsKey(k), k);
        }
        String json = new Gson().toJson(m);
        assertTrue(json.contains("\"noise_sigma_fraction\""), json);
        String msg = assertThrows(DopajException.class,
                () -> SmwiPhantom.generate(Grid.of(30, 30, 10, 0.5, 0.5, 1), 2, 2, 1)).getMessage();
        assertTrue(msg.contains("too small"), msg);
        assertThrows(DopajException.class, () -> SmwiPhantom.generate(0, 2, 1));
        assertThrows(DopajException.class, () -> SmwiPhantom.generate(2, Double.NaN, 1));
    }
}
