package org.dopaj.nigrosome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelInstaller;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Bad patches and volumes are refused in one line; the default pair is chosen by evidence; the installed mri_dat pair
 * through DopaJ gives its authors' numbers; a sagittal slab is cropped axially.
 */
class NigrosomeApplicabilityTest {
    @TempDir
    Path tmp;

    private static Volume patch(float v) {
        Volume p = Volume.allocate(Grid.of(50, 50, 20, 0.5, 0.5, 1));
        for (float[] q : p.planes()) {
            java.util.Arrays.fill(q, v);
        }
        return p;
    }

    @Test
    void patchesNoSmwiCanGiveAreRefused() {
        assertTrue(assertThrows(DopajException.class, () -> PatchStatistics.requireUsable(patch(0), "left patch"))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(DopajException.class, () -> PatchStatistics.requireUsable(patch(7), "left patch"))
                .getMessage().contains("constant"));
        Volume neg = patch(5);
        neg.set(3, 4, 5, -1);
        assertTrue(assertThrows(DopajException.class, () -> PatchStatistics.requireUsable(neg, "left patch"))
                .getMessage().contains("negative"));
        Volume nan = patch(5);
        nan.set(3, 4, 5, Float.NaN);
        assertThrows(DopajException.class, () -> PatchStatistics.requireUsable(nan, "left patch"));
        Volume ok = patch(5);
        ok.set(3, 4, 5, 9);
        PatchStatistics.requireUsable(ok, "left patch");
        Map<String, Double> s = PatchStatistics.of(ok);
        assertEquals(List.of("cv", "p01", "p99", "grad_xy", "grad_z", "centre"), List.copyOf(s.keySet()));
    }

    @Test
    void volumesNoSmwiCanBeAreRefused() {
        Volume v = Volume.allocate(Grid.of(60, 60, 30, 0.5, 0.5, 1));
        assertTrue(assertThrows(DopajException.class, () -> SmwiInput.require3d(v, "x.nii")).getMessage()
                .contains("empty"));
        v.set(1, 1, 1, -3);
        v.set(2, 1, 1, 4);
        assertTrue(assertThrows(DopajException.class, () -> SmwiInput.require3d(v, "x.nii")).getMessage()
                .contains("negative"));
        double[][] flat = {{0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}};
        Volume g = Volume.allocate(new Grid(60, 60, 30, new double[]{0.5, 0.5, 1}, flat));
        g.set(1, 1, 1, 4);
        assertTrue(assertThrows(DopajException.class, () -> SmwiInput.require3d(g, "y.nii")).getMessage()
                .contains("geometry"));
    }

    @Test
    void sagittalSlabIsCroppedAxially() {
        Assumptions.assumeTrue(GreTexture.sharedDir() != null, "../shared absent");
        // the same anatomy on an axial grid and a sagittal one (i = posterior→anterior, j = inferior→superior, k = R→L)
        Grid ax = SmwiPhysicsPhantom.grid(new double[]{0.5, 0.5, 1});
        double[][] a = {{0, 0, -1, 24}, {0.5, 0, 0, -20}, {0, 0.5, 0, -15}, {0, 0, 0, 1}};
        Grid sag = new Grid(80, 60, 48, new double[]{0.5, 0.5, 1}, a);
        int[] o = NigrosomeCropper.axisOrder(sag);
        assertEquals(List.of(2, 0, 1), List.of(o[0], o[1], o[2]));
        assertTrue(NigrosomeCropper.isAxial(ax) && !NigrosomeCropper.isAxial(sag));
        SmwiPhantom.Result pa = SmwiPhysicsPhantom.generate(ax, 3.5, 3.5, 11, true);
        SmwiPhantom.Result ps = SmwiPhysicsPhantom.generate(sag, 3.5, 3.5, 11, true);
        NigrosomeCropper c = new NigrosomeCropper();
        Volume ca = c.crop(pa.smwi(), pa.nigrosomes().left()).volume();
        Volume cs = c.crop(ps.smwi(), ps.nigrosomes().left()).volume();
        // crop axes point to +x, +y, +z; the sagittal crop's grid is axial
        double[][] b = cs.grid().affine();
        assertEquals(0.5, b[0][0], 1e-9);
        assertEquals(0.5, b[1][1], 1e-9);
        assertEquals(1.0, b[2][2], 1e-9);
        double corr = correlation(ca, cs);
        assertTrue(corr > 0.6, "axial and reoriented sagittal crops of the same anatomy correlate: " + corr);
    }

    private static double correlation(Volume a, Volume b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void defaultIsTheInstalledRealPatientPairAndItGivesTheAuthorsNumbers() {
        String s = System.getProperty("dopaj.shared");
        Path mri = s == null ? null : Paths.get(s, "data/thirdparty-models/mri_dat");
        Assumptions.assumeTrue(mri != null && Files.isDirectory(mri), "../shared absent");
        String old = System.getProperty(ModelRegistry.USER_PROPERTY);
        try {
            System.setProperty(ModelRegistry.USER_PROPERTY, tmp.resolve("empty").toString());
            SbrRegressor.Choice none = SbrRegressor.defaultChoice();
            assertTrue(none.left().toString().contains(SbrRegressor.BUNDLED) && none.reason().contains("phantoms"),
                    none.reason());
            Path user = tmp.resolve("user");
            System.setProperty(ModelRegistry.USER_PROPERTY, user.toString());
            ModelInstaller.install(mri, user, false);
            SbrRegressor.Choice ch = SbrRegressor.defaultChoice();
            assertTrue(ch.left().startsWith(user) && ch.reason().contains("real patients"), ch.reason());
            TensorFlowRuntime.init();
            try (SbrRegressor reg = SbrRegressor.load(ch.left(), ch.right(), ComputeDevice.CPU)) {
                for (Side side : Side.values()) {
                    Tensor t = org.dopaj.dl.model.MriDatPackageMaker.syntheticPatch(side == Side.LEFT ? 5 : 6);
                    SbrRegressor.SideResult r = reg.predictPatch(side, reg.patchFromTensor(t, side));
                    double authors = authors(mri.resolve("net_vgg_" + side.label()), t.data(), side == Side.RIGHT);
                    System.out.printf("[installed mri_dat %s] DopaJ %.7f, authors' recipe in TF Java %.7f%n",
                            side.label(), r.sbr(), authors);
                    assertEquals(authors, r.sbr(), 1e-4);
                    assertTrue(reg.describe(side).get("training_data").equals("real_patients"));
                }
            }
        } finally {
            if (old == null) {
                System.clearProperty(ModelRegistry.USER_PROPERTY);
            } else {
                System.setProperty(ModelRegistry.USER_PROPERTY, old);
            }
        }
    }

    /** smwi_dat.py: patch / mean; right: np.flip(axis=2) of [1,50,50,20,1]; predict; × 6.84. */
    private static double authors(Path savedModel, float[] patch, boolean right) {
        float[] x = patch.clone();
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / (sum / x.length));
        }
        float[] y = x.clone();
        if (right) {
            for (int a = 0; a < 50; a++) {
                for (int b = 0; b < 50; b++) {
                    System.arraycopy(x, (a * 50 + (49 - b)) * 20, y, (a * 50 + b) * 20, 20);
                }
            }
        }
        try (SavedModelBundle m = SavedModelBundle.load(savedModel.toString(), "serve");
             TFloat32 in = TFloat32.tensorOf(Shape.of(1, 50, 50, 20, 1), DataBuffers.of(y, true, false));
             Result r = m.call(Map.of("input_1", in))) {
            return ((TFloat32) r.get("dense").orElseThrow()).getFloat(0, 0) * 6.84f;
        }
    }
}
