package org.dopaj.brainmask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.dopaj.dl.train.Sample;
import org.dopaj.image.Components;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tissue maps from the templates and the synthetic training slices: labels make sense, draws are repeatable. */
class BrainSynthesisTest {
    static Path shared;
    static TissueMaps mni;
    static TissueMaps icbm;
    static BrainSynthesis synth;

    @BeforeAll
    static void load() {
        shared = SharedData.dir();
        mni = TissueMaps.mni152(shared);
        icbm = TissueMaps.icbmComposite(shared, mni);
        synth = new BrainSynthesis(List.of(mni, icbm));
    }

    @Test
    void mniBrainLabelsFollowTheTissueConventionAndClassesSumToOne() {
        Volume mask = Nifti.readVolume(shared.resolve(TissueMaps.MNI_MASK));
        Volume brain = mni.brainVolume();
        // the grid gained NECK_VOXELS planes below; the brain is the closed GM+WM inside FSL's generous mask:
        // 10-20 % smaller (FSL's mask carries a shell of extra-cerebral CSF), one piece, no holes
        assertEquals(mask.nz() + TissueMaps.NECK_VOXELS, brain.nz());
        double ratio = (double) Components.count(brain) / Components.count(mask);
        assertTrue(ratio > 0.80 && ratio < 0.90, "tissue brain / FSL mask = " + ratio);
        assertEquals(Components.count(brain), Components.count(Components.fillHoles(brain, 6)));
        assertEquals(Components.count(brain), Components.count(Components.largestComponent(brain, 26)));
        float[][] ch = mni.channels();
        for (int i = 0; i < ch[0].length; i += 97) {
            double s = 0;
            for (float[] c : ch) {
                s += c[i];
            }
            assertEquals(1.0, s, 1e-4, "class weights sum to 1 at voxel " + i);
        }
        double[] f = mni.fractions();
        assertEquals(1.0, Arrays.stream(f).sum(), 1e-6);
        for (int k = 1; k < TissueMaps.CLASSES; k++) {
            assertTrue(f[k] > 0.03, TissueMaps.NAMES[k] + " covers " + f[k] + " of the head");
        }
        // non-brain thresholds on the template's T1 scale
        assertEquals(TissueMaps.BACKGROUND, TissueMaps.nonBrainClass(5000, false));
        assertEquals(TissueMaps.BONE, TissueMaps.nonBrainClass(1000, true));
        assertEquals(TissueMaps.FLUID, TissueMaps.nonBrainClass(2500, true));
        assertEquals(TissueMaps.MUSCLE, TissueMaps.nonBrainClass(4000, true));
        assertEquals(TissueMaps.FAT, TissueMaps.nonBrainClass(8000, true));
        // the head's top lies above the brain's top, as in the template (z up to +108 mm)
        assertTrue(mni.headTopMm() > 80 && mni.headTopMm() < 110, "head top " + mni.headTopMm());
    }

    @Test
    void icbmCompositeHasItsOwnBrainOfPlausibleSize() {
        double ml = Components.count(icbm.brainVolume()) * 8 / 1000.0;
        double mniMl = Components.count(mni.brainVolume()) * 8 / 1000.0;
        assertTrue(ml > 1500 && ml < 2100, "ICBM brain " + ml + " mL");
        assertTrue(Math.abs(ml - mniMl) > 20, "a different brain than MNI's: " + ml + " vs " + mniMl);
    }

    @Test
    void sameSeedSameSampleOtherSeedOtherSample() {
        Sample a = synth.sample(1, 5);
        Sample b = synth.sample(1, 5);
        Sample c = synth.sample(2, 5);
        assertArrayEquals(a.input(), b.input());
        assertArrayEquals(a.target(), b.target());
        assertFalse(Arrays.equals(a.input(), c.input()));
    }

    @Test
    void samplesHaveTheModelShapeBinaryTargetsAndBoundedIntensities() {
        int n = BrainMaskModel.SIZE * BrainMaskModel.SIZE;
        int withBrain = 0;
        Random rng = new Random(3);
        for (int i = 0; i < 40; i++) {
            Sample s = synth.sample(rng);
            assertEquals(n, s.input().length);
            assertEquals(n, s.target().length);
            double brain = 0;
            for (int p = 0; p < n; p++) {
                float t = s.target()[p];
                assertTrue(t == 0 || t == 1);
                brain += t;
                float v = s.input()[p];
                assertTrue(v >= 0 && v <= 3, "intensity " + v);
            }
            if (brain > 0.05 * n) {
                withBrain++;
                // brain pixels are not background-dark on average: the image shows the tissue the label says
                double in = 0;
                for (int p = 0; p < n; p++) {
                    in += s.target()[p] * s.input()[p];
                }
                assertTrue(in / brain > 0.02, "mean brain intensity " + in / brain);
            }
        }
        assertTrue(withBrain >= 15 && withBrain <= 38, "slices with brain: " + withBrain + " of 40");
    }

    @Test
    void brainSitsBelowTheTopOfTheWindowLikeAtInference() {
        // An undeformed T1-like draw is not available directly; check over many draws that the brain's top row
        // lies inside the window (the window is placed from the head's top, as BrainMasker does).
        Random rng = new Random(9);
        int S = BrainMaskModel.SIZE;
        for (int i = 0; i < 30; i++) {
            Sample s = synth.sample(rng);
            for (int c = 0; c < S; c++) {
                assertEquals(0f, s.target()[(S - 1) * S + c], "no brain on the window's top row");
            }
        }
    }

    @Test
    void wholeVolumeSynthesisFollowsTheClassMeans() {
        double[] means = {0, 0.1, 0.5, 0.9, 0.05, 0.2, 0.4, 0.8};
        Volume v = BrainSynthesis.volume(mni, means, 0, 0, 1);
        Volume lab = mni.labelVolume();
        double wm = 0;
        long n = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int i = 0; i < v.plane(z).length; i++) {
                if (lab.plane(z)[i] == TissueMaps.WM && mni.channels()[TissueMaps.WM][z * v.nx() * v.ny() + i] > 0.99f) {
                    wm += v.plane(z)[i];
                    n++;
                }
            }
        }
        assertEquals(0.9, wm / n, 0.01, "pure white-matter voxels take the WM mean");
    }
}
