package org.dopaj.brainmask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.dopaj.dl.train.Sample;
import org.dopaj.image.Components;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tissue maps of a real head and the 2.5D synthesis (needs ../shared/data; skips visibly without it). */
class HeadSynthesisTest {
    static Path shared;
    static TissueMaps chop;
    static TissueMaps mni;

    @BeforeAll
    static void load() {
        shared = SharedData.dir();
        assumeTrue(Files.isRegularFile(shared.resolve(TrainBrainMask.BRAINCHOP_T1)),
                "../shared/data/realheads absent: skipping the real-head tissue-map tests");
        chop = TissueMaps.realHead(shared.resolve(TrainBrainMask.BRAINCHOP_T1),
                shared.resolve(TrainBrainMask.BRAINCHOP_MASK));
        mni = TissueMaps.mni152(shared);
    }

    static double ml(Volume v) {
        return Components.count(v) * v.grid().voxelVolumeMm3() / 1000;
    }

    @Test
    void realHeadMapsKeepTheSilverMaskAndNestTheBrainInsideIt() {
        Volume silver = Nifti.readVolume(shared.resolve(TrainBrainMask.BRAINCHOP_MASK));
        long n = 0;
        for (float[] p : silver.planes()) {
            for (float v : p) {
                n += v > 0 ? 1 : 0;
            }
        }
        double silverMl = n * silver.grid().voxelVolumeMm3() / 1000;
        double icv = ml(chop.intracranialVolume());
        double brain = ml(chop.brainVolume());
        assertEquals(silverMl, icv, 0.03 * silverMl, "intracranial volume on the 2 mm grid vs the 1 mm silver mask");
        assertTrue(brain > 0.7 * icv && brain < 0.97 * icv, "brain " + brain + " mL inside " + icv + " mL");
        float[] b = chop.brain();
        float[] i = chop.intracranial();
        for (int k = 0; k < b.length; k++) {
            assertTrue(b[k] == 0 || i[k] == 1, "brain voxel outside the intracranial mask at " + k);
        }
        double[] f = chop.intracranialFractions();
        assertTrue(f[TissueMaps.GM] > 0.2 && f[TissueMaps.WM] > 0.2 && f[TissueMaps.CSF] > 0.05,
                "k-means classes inside the mask: CSF " + f[TissueMaps.CSF] + ", GM " + f[TissueMaps.GM] + ", WM "
                        + f[TissueMaps.WM]);
        double[] h = chop.fractions();
        for (int k : new int[] {TissueMaps.BONE, TissueMaps.FLUID, TissueMaps.MUSCLE, TissueMaps.FAT}) {
            assertTrue(h[k] > 0.01, TissueMaps.NAMES[k] + " covers " + h[k] + " of the head");
        }
    }

    @Test
    void kMeansFindsSortedCentres() {
        float[] v = new float[300];
        float[] f = new float[300];
        float[] head = new float[300];
        Random r = new Random(1);
        for (int k = 0; k < 300; k++) {
            v[k] = (float) ((k % 3) * 10 + r.nextGaussian());
            f[k] = 1;
        }
        double[] c = TissueMaps.kmeans(v, f, head, true, 3);
        assertArrayEquals(new double[] {0, 10, 20}, c, 0.5);
    }

    @Test
    void mniIntracranialMaskHoldsTheBrainAndIsFslsMask() {
        double icv = ml(mni.intracranialVolume());
        double brain = ml(mni.brainVolume());
        assertTrue(icv > 1.05 * brain, "intracranial " + icv + " mL vs brain " + brain + " mL");
        Volume fsl = Nifti.readVolume(shared.resolve(TissueMaps.MNI_MASK));
        assertEquals(ml(fsl), icv, 0.02 * icv);
    }

    @Test
    void samplesAreRepeatableWellFormedAndCarryBothLabels() {
        HeadSynthesis s = new HeadSynthesis(List.of(mni, chop), new double[] {1, 1});
        Sample a = s.sample(5, 3);
        Sample b = s.sample(5, 3);
        assertArrayEquals(a.input(), b.input(), "same seed, same sample");
        int n = BrainMaskModel.SIZE * BrainMaskModel.SIZE;
        assertEquals(n * BrainMaskModel.CHANNELS, a.input().length);
        assertEquals(n, a.target().length);
        long[] labels = new long[3];
        for (int k = 0; k < 24; k++) {
            Sample x = s.sample(9, k);
            for (float v : x.input()) {
                assertTrue(v >= 0 && v <= 3, "normalised input in [0, 3]: " + v);
            }
            for (float t : x.target()) {
                assertTrue(t == 0 || t == 1 || t == 2, "label " + t);
                labels[(int) t]++;
            }
        }
        assertTrue(labels[1] > 0.01 * labels[2], "CSF-shell pixels " + labels[1] + ", brain " + labels[2]);
        assertTrue(labels[2] > 0.1 * 24 * n, "brain pixels " + labels[2]);
    }
}
