package org.dopaj.nigrosome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled nigrosome-vgg3d pair through {@link SbrRegressor}: predictions on phantoms it never saw are ordered
 * (healthy above Parkinsonian) and near the truth, the right side's mirror is undone on its CAM, the training samples
 * are exactly what the packages feed the network, and packages that do not fit are refused.
 */
class SbrRegressorTest {
    static SbrRegressor reg;

    @BeforeAll
    static void load() {
        Path[] p = TinyRegressors.bundled();
        reg = SbrRegressor.load(p[0], p[1], ComputeDevice.CPU);
    }

    @AfterAll
    static void close() {
        reg.close();
    }

    private static Centroids clicked(SmwiPhantom.Result ph) {
        List<double[]> pts = new ArrayList<>();
        for (Side s : Side.values()) {
            int[] v = ph.nigrosomes().get(s).nearestVoxel();
            pts.add(new double[]{v[0], v[1], v[2]});
        }
        return Centroids.fromPoints(pts, ph.smwi().grid());
    }

    /** A realistic 3 T, 0.5×0.5×1 mm phantom (what the bundled model is trained on); needs ../shared for texture. */
    static SmwiPhantom.Result physics(double l, double r, long seed) {
        org.junit.jupiter.api.Assumptions.assumeTrue(GreTexture.sharedDir() != null, "../shared absent (GRE texture)");
        return SmwiPhysicsPhantom.generate(SmwiPhysicsPhantom.grid(new double[]{0.5, 0.5, 1}), l, r, seed, true);
    }

    @Test
    void healthyAboveParkinsonianAndNearTheTruth() {
        // seeds outside the training (1 000 000 …), evaluation (2 000 000 …) and calibration (3 000 000 …) ranges
        for (long seed = 4_000_001; seed <= 4_000_003; seed++) {
            SmwiPhantom.Result healthy = physics(3.5, 3.0, seed);
            SmwiPhantom.Result pd = physics(1.5, 1.2, seed);
            SbrRegressor.Result h = reg.predict(healthy.smwi(), clicked(healthy));
            SbrRegressor.Result d = reg.predict(pd.smwi(), clicked(pd));
            String what = "seed " + seed + ": healthy " + h.left().sbr() + "/" + h.right().sbr() + ", PD " + d.left().sbr()
                    + "/" + d.right().sbr();
            assertTrue(h.left().sbr() > d.left().sbr() + 1.0, what);
            assertTrue(h.right().sbr() > d.right().sbr() + 1.0, what);
            assertEquals(3.5, h.left().sbr(), TOLERANCE, what);
            assertEquals(3.0, h.right().sbr(), TOLERANCE, what);
            assertEquals(1.5, d.left().sbr(), TOLERANCE, what);
            assertEquals(1.2, d.right().sbr(), TOLERANCE, what);
            // the "plausible": the mean of the sides within 0.8 of the truth
            assertEquals(3.25, h.sbrMean(), 0.8, what);
            assertEquals(1.35, d.sbrMean(), 0.8, what);
            assertEquals((h.left().sbr() + h.right().sbr()) / 2, h.sbrMean(), 1e-12);
        }
    }

    /**
     * Largest accepted |prediction − truth| per side: 3 × the held-out RMSE per side of the bundled model (0.44 on the
     * realistic phantoms, docs/validation/nigrosome.md).
     */
    static final double TOLERANCE = 1.35;

    @Test
    void camPeaksAtTheNigrosomeOnBothSidesAfterTheMirrorIsUndone() {
        SmwiPhantom.Result ph = physics(4.0, 4.0, 4_000_010);
        SbrRegressor.Result r = reg.predict(ph.smwi(), clicked(ph));
        for (Side s : Side.values()) {
            Volume cam = r.get(s).cam();
            assertNotNull(cam, "bundled model exports a CAM");
            assertEquals(r.get(s).crop().volume().grid().toMm(25, 25, 10)[0], cam.grid().toMm(25, 25, 10)[0], 1e-9);
            double centre = boxMean(cam, 25, 25, 10, 6, 6, 3);
            double all = boxMean(cam, 25, 25, 10, 25, 25, 10);
            assertTrue(centre > 1.5 * all, s + " CAM: centre " + centre + " vs whole crop " + all);
            // the mirror image of the right CAM must NOT be what peaks (it would if the flip were not undone)
        }
        Volume right = r.right().cam();
        Volume mirrored = SbrRegressor.flip(right, 0);
        double[] com = centreOfMass(right);
        double[] mcom = centreOfMass(mirrored);
        assertEquals(49 - com[0], mcom[0], 1e-3);
    }

    static double boxMean(Volume v, int cx, int cy, int cz, int rx, int ry, int rz) {
        double s = 0;
        int n = 0;
        for (int z = Math.max(0, cz - rz); z < Math.min(v.nz(), cz + rz); z++) {
            for (int y = Math.max(0, cy - ry); y < Math.min(v.ny(), cy + ry); y++) {
                for (int x = Math.max(0, cx - rx); x < Math.min(v.nx(), cx + rx); x++) {
                    s += v.get(x, y, z);
                    n++;
                }
            }
        }
        return s / n;
    }

    static double[] centreOfMass(Volume v) {
        double[] c = new double[3];
        double w = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    double m = v.get(x, y, z);
                    c[0] += m * x;
                    c[1] += m * y;
                    c[2] += m * z;
                    w += m;
                }
            }
        }
        return new double[]{c[0] / w, c[1] / w, c[2] / w};
    }

    @Test
    void trainingSamplesAreExactlyWhatThePackagesFeedTheNetwork() {
        SbrTrainingSet.Settings s = SbrTrainingSet.Settings.defaults(5, 1_000_000);
        int[][] off = new int[2][];
        float[][] samples = SbrTrainingSet.phantomSamples(s, 3, off);
        double[] sbr = SbrTrainingSet.sbrs(s, 3);
        SmwiPhantom.Result ph = SmwiPhantom.generate(sbr[0], sbr[1], 1_000_003);
        for (Side side : Side.values()) {
            ModelPackage p = reg.modelPackage(side);
            TensorSpec in = p.inputs().get(0);
            int[] v = ph.nigrosomes().get(side).nearestVoxel();
            int[] o = off[side.ordinal()];
            assertTrue(Math.abs(o[0]) <= 2 && Math.abs(o[1]) <= 2 && Math.abs(o[2]) <= 1);
            Point3 pv = new Point3(v[0] + o[0], v[1] + o[1], v[2] + o[2]);
            Centroid c = new Centroid(side, pv, Point3.of(ph.smwi().grid().toMm(pv.x(), pv.y(), pv.z())));
            Volume crop = new NigrosomeCropper().crop(ph.smwi(), c).volume();
            float[] fed = p.preprocessing(in.id()).apply(TensorLayout.fromVolume(crop, in), in).data();
            assertArrayEquals(fed, samples[side.ordinal()], side + " sample");
        }
        assertArrayEquals(samples[0], SbrTrainingSet.phantomSamples(s, 3, null)[0], "deterministic");
    }

    @Test
    void trainingSetFolderRoundTripsAndIsReused(@TempDir Path dir) throws Exception {
        SbrTrainingSet.Settings s = SbrTrainingSet.Settings.defaults(3, 1_000_000);
        SbrTrainingSet set = SbrTrainingSet.openOrGenerate(dir, s, null);
        assertEquals(6, set.size());
        var ds = set.dataset();
        float[][] p1 = SbrTrainingSet.phantomSamples(s, 1, null);
        assertArrayEquals(p1[1], ds.get(3).input());
        assertEquals((float) (SbrTrainingSet.sbrs(s, 1)[1] / SbrTrainingSet.TARGET_SCALE), ds.get(3).target()[0], 1e-6f);
        long mtime = Files.getLastModifiedTime(dir.resolve("crops.f32")).toMillis();
        Thread.sleep(20);
        SbrTrainingSet.openOrGenerate(dir, s, null);
        assertEquals(mtime, Files.getLastModifiedTime(dir.resolve("crops.f32")).toMillis(), "reused, not regenerated");
    }

    @Test
    void refusesAPackageWhoseInputIsNotACrop(@TempDir Path dir) {
        Path l = TinyRegressors.wrongShapePackage(dir, "tiny-left", "left", 10, 10, 4);
        Path r = TinyRegressors.bundled()[1];
        DopajException e = assertThrows(DopajException.class, () -> SbrRegressor.load(l, r, ComputeDevice.CPU));
        assertTrue(e.getMessage().contains("[batch, x=10, y=10, z=4, channel=1]")
                && e.getMessage().contains("needs [batch, x=50, y=50, z=20, channel=1]"), e.getMessage());
    }

    @Test
    void refusesSwappedSides() {
        Path[] p = TinyRegressors.bundled();
        DopajException e = assertThrows(DopajException.class, () -> SbrRegressor.load(p[1], p[0], ComputeDevice.CPU));
        assertTrue(e.getMessage().contains("config.dopaj.side is right, but it was given for the left side"),
                e.getMessage());
    }

    @Test
    void pairsAPackageWithItsOtherSide(@TempDir Path dir) throws Exception {
        Path models = Path.of("models").toAbsolutePath();
        Path[] a = SbrRegressor.resolvePair(models.resolve("mri-dat-nigral-vgg-right").toString());
        assertEquals(models.resolve("mri-dat-nigral-vgg-left"), a[0]);
        assertEquals(models.resolve("mri-dat-nigral-vgg-right"), a[1]);
        Path[] b = SbrRegressor.resolvePair(models.resolve("nigrosome-vgg3d-left").toString());
        assertEquals(models.resolve("nigrosome-vgg3d-right"), b[1]);
        // a folder holding exactly one pair
        for (String side : List.of("left", "right")) {
            Path d = Files.createDirectories(dir.resolve("pair/m-" + side));
            for (String f : List.of("rdf.yaml", "README.md")) {
                Files.copy(models.resolve("mri-dat-nigral-vgg-" + side).resolve(f), d.resolve(f));
            }
        }
        Path[] c = SbrRegressor.resolvePair(dir.resolve("pair").toString());
        assertEquals(dir.resolve("pair/m-left"), c[0]);
        assertEquals(dir.resolve("pair/m-right"), c[1]);
        // models/ holds two pairs: ambiguous
        DopajException e = assertThrows(DopajException.class, () -> SbrRegressor.resolvePair(models.toString()));
        assertTrue(e.getMessage().contains("more than one left package"), e.getMessage());
    }

    @Test
    void flipIsItsOwnInverseAndMovesVoxels() {
        Volume v = Volume.allocate(Grid.of(4, 3, 2, 1, 1, 1));
        v.set(0, 1, 0, 5f);
        assertEquals(5f, SbrRegressor.flip(v, 0).get(3, 1, 0));
        assertEquals(5f, SbrRegressor.flip(v, 1).get(0, 1, 0));
        assertEquals(5f, SbrRegressor.flip(v, 2).get(0, 1, 1));
        assertArrayEquals(v.toArray(), SbrRegressor.flip(SbrRegressor.flip(v, 2), 2).toArray());
    }
}
