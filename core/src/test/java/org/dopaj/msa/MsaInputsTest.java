package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Test;

/** Every refusal of {@link MsaInputs} is one line naming the problem; good maps pass. */
class MsaInputsTest {
    /** A GD-like map: 0.5 in a central ball, 0 elsewhere. */
    static Volume gd() {
        Grid g = HeadPhantom.mni2mm();
        Volume v = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] p = g.toMm(x, y, z);
                    if (p[0] * p[0] + (p[1] + 18) * (p[1] + 18) + (p[2] - 10) * (p[2] - 10) < 60 * 60) {
                        v.set(x, y, z, 0.5f);
                    }
                }
            }
        }
        return v;
    }

    /** An MD-like map in mm²/s: 0.8e-3 in the ball, CSF 3e-3 in a small core. */
    static Volume md(double scale) {
        Volume v = gd();
        for (int z = 0; z < v.nz(); z++) {
            float[] p = v.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] > 0 ? (float) (0.8e-3 * scale) : 0;
            }
        }
        return v;
    }

    static String msg(Runnable r) {
        String m = assertThrows(DopajException.class, r::run).getMessage();
        assertEquals(1, m.lines().count(), "one line: " + m);
        return m;
    }

    @Test
    void goodMapsPass() {
        assertEquals(0, MsaInputs.gd(gd(), "gd").warnings().size());
        assertEquals(0, MsaInputs.md(md(1), "md").warnings().size());
        MsaInputs.sameGrid(gd(), md(1));
    }

    @Test
    void gdOutsideZeroToOnePointFiveIsRefused() {
        Volume v = gd();
        v.set(40, 50, 40, 1.8f);
        assertTrue(msg(() -> MsaInputs.gd(v, "g.nii")).contains("outside [0, 1.5]"));
        Volume w = gd();
        w.set(40, 50, 40, -0.5f);
        assertTrue(msg(() -> MsaInputs.gd(w, "g.nii")).contains("outside [0, 1.5]"));
        assertTrue(msg(() -> MsaInputs.gd(Volume.allocate(HeadPhantom.mni2mm()), "g.nii")).contains("all zero"));
    }

    @Test
    void mdUnitsAreRecognisedAndNamed() {
        assertTrue(msg(() -> MsaInputs.md(md(1000), "m.nii")).contains("µm²/ms"));
        assertTrue(msg(() -> MsaInputs.md(md(1000), "m.nii")).contains("divide the map by 1000"));
        assertTrue(msg(() -> MsaInputs.md(md(1e6), "m.nii")).contains("10⁻⁶ mm²/s"));
        assertTrue(msg(() -> MsaInputs.md(md(10), "m.nii")).contains("outside the physiological range"));
        Volume neg = md(1);
        neg.set(45, 50, 40, -1e-3f);
        assertTrue(msg(() -> MsaInputs.md(neg, "m.nii")).contains("negative"));
    }

    @Test
    void nanIsRefusedWithItsVoxel() {
        Volume v = gd();
        v.set(10, 20, 30, Float.NaN);
        String m = msg(() -> MsaInputs.gd(v, "g.nii"));
        assertTrue(m.contains("non-finite") && m.contains("10"), m);
        Volume w = md(1);
        w.set(11, 21, 31, Float.POSITIVE_INFINITY);
        assertTrue(msg(() -> MsaInputs.md(w, "m.nii")).contains("non-finite"));
    }

    @Test
    void otherGridsAreResampledWhenMniAndRefusedOtherwise() {
        Grid g = HeadPhantom.mni2mm();
        // FSL's 1 mm MNI grid: accepted, resampled, with a warning
        Grid mni1 = new Grid(182, 218, 182, new double[] {1, 1, 1},
                new double[][] {{-1, 0, 0, 90}, {0, 1, 0, -126}, {0, 0, 1, -72}, {0, 0, 0, 1}});
        Volume one = Resample.toGrid(gd(), mni1, Resample.Interpolation.LINEAR, 0);
        MsaInputs.Checked c = MsaInputs.gd(one, "g1.nii");
        assertEquals(91, c.map().nx());
        assertTrue(c.warnings().get(0).contains("resampled"));
        // a native-space crop is not an MNI grid
        Grid crop = Grid.of(64, 64, 40, 1, 1, 3);
        assertTrue(msg(() -> MsaInputs.gd(Resample.toGrid(gd(), crop, Resample.Interpolation.LINEAR, 0), "n.nii"))
                .contains("not an MNI grid"));
        // 91×109×91 with a scanner affine is not MNI either
        Volume shifted = Volume.of(g.withAffine(new double[][] {{2, 0, 0, -20}, {0, 2, 0, -30}, {0, 0, 2, 0},
            {0, 0, 0, 1}}), gd().toArray());
        assertTrue(msg(() -> MsaInputs.gd(shifted, "s.nii")).contains("not the MNI152 2 mm affine"));
        // 4D
        Volume four = Volume.allocate(g, 2);
        assertTrue(msg(() -> MsaInputs.gd(four, "f.nii")).contains("3D"));
    }

    @Test
    void mismatchedGridsAreRefused() {
        Grid mni1 = new Grid(182, 218, 182, new double[] {1, 1, 1},
                new double[][] {{-1, 0, 0, 90}, {0, 1, 0, -126}, {0, 0, 1, -72}, {0, 0, 0, 1}});
        Volume one = Resample.toGrid(md(1), mni1, Resample.Interpolation.LINEAR, 0);
        assertTrue(msg(() -> MsaInputs.sameGrid(gd(), one)).contains("different grids"));
    }
}
