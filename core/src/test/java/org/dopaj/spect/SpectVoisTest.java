package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.dopaj.io.Nifti;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SpectVoisTest {
    private static final Grid MNI = HeadPhantom.mni2mm();

    /** Centroid (mm) and voxel count of the voxels of {@code labels} whose value is in {@code lab}. */
    static double[] centroid(Volume labels, int... lab) {
        double[] s = new double[4];
        Grid g = labels.grid();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (VoiSet.contains(lab, labels.get(x, y, z))) {
                        double[] mm = g.toMm(x, y, z);
                        s[0] += mm[0];
                        s[1] += mm[1];
                        s[2] += mm[2];
                        s[3]++;
                    }
                }
            }
        }
        return new double[]{s[0] / s[3], s[1] / s[3], s[2] / s[3], s[3]};
    }

    @Test
    void centroidsSidesAndSymmetry() {
        Volume l = SpectVois.rasterise(MNI);
        double[] cl = centroid(l, SpectVois.CAUDATE_L);
        double[] cr = centroid(l, SpectVois.CAUDATE_R);
        double[] pl = centroid(l, SpectVois.PUTAMEN_ANT_L, SpectVois.PUTAMEN_POST_L);
        double[] pr = centroid(l, SpectVois.PUTAMEN_ANT_R, SpectVois.PUTAMEN_POST_R);
        double[] pa = centroid(l, SpectVois.PUTAMEN_ANT_R);
        double[] pp = centroid(l, SpectVois.PUTAMEN_POST_R);
        double[] ref = centroid(l, SpectVois.REFERENCE);
        System.out.printf(Locale.ROOT, "SPECT-MEASURE VOI centroids mm: caudate_l (%.1f,%.1f,%.1f) %d vox, putamen_l"
                        + " (%.1f,%.1f,%.1f) %d vox, reference (%.1f,%.1f,%.1f) %d vox%n", cl[0], cl[1], cl[2], (int) cl[3],
                pl[0], pl[1], pl[2], (int) pl[3], ref[0], ref[1], ref[2], (int) ref[3]);
        // left is x < 0 in MNI/RAS mm
        assertTrue(cl[0] < -5 && cr[0] > 5 && pl[0] < -15 && pr[0] > 15);
        assertEquals(0, dist(cl, new double[]{-13, 12, 10}), 6);
        assertEquals(0, dist(pl, new double[]{-25, 2, 0}), 3);
        // mirror symmetry on the symmetric MNI x axis
        assertEquals(cl[3], cr[3]);
        assertEquals(-cl[0], cr[0], 1e-9);
        // the anterior putamen lies closer to the midline than the posterior (16° yaw)
        assertTrue(pa[0] < pp[0] - 3, "anterior " + pa[0] + " posterior " + pp[0]);
        assertTrue(pa[1] > SpectVois.PUTAMEN_SPLIT_Y_MM && pp[1] < SpectVois.PUTAMEN_SPLIT_Y_MM);
        assertTrue(ref[1] < -60 && ref[3] > 2000, "reference is a large occipital region");
        // every voxel labelled left lies at x < 0
        for (int z = 0; z < MNI.nz(); z++) {
            for (int y = 0; y < MNI.ny(); y++) {
                for (int x = 0; x < MNI.nx(); x++) {
                    int lab = Math.round(l.get(x, y, z));
                    if (lab == SpectVois.CAUDATE_L || lab == SpectVois.PUTAMEN_ANT_L || lab == SpectVois.PUTAMEN_POST_L) {
                        assertTrue(MNI.toMm(x, y, z)[0] < 0);
                    }
                }
            }
        }
    }

    @Test
    void rasterisesOnAnyGrid() {
        // a 1 mm RAS grid covering the MNI box: the VOI volumes in mm³ agree with the 2 mm LAS grid within 6 %
        double[][] a = {{1, 0, 0, -90}, {0, 1, 0, -126}, {0, 0, 1, -72}, {0, 0, 0, 1}};
        Grid fine = new Grid(181, 217, 181, new double[]{1, 1, 1}, a);
        assertEquals("RAS", fine.orientation());
        VoiSet f = SpectVois.voiSet(fine);
        VoiSet c = SpectVois.mni2mm();
        Map<String, Long> nf = f.voxelCounts();
        Map<String, Long> nc = c.voxelCounts();
        System.out.println("SPECT-MEASURE VOI voxels on the MNI 2 mm grid: " + nc);
        for (String r : VoiSet.NAMES) {
            double mf = nf.get(r) * 1.0;
            double mc = nc.get(r) * 8.0;
            assertEquals(1, mf / mc, 0.06, r);
        }
        assertEquals(SpectVois.labelNames().size(), 7);
    }

    private static double dist(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static double dice(Volume a, int[] la, Volume b, int[] lb) {
        long na = 0;
        long nb = 0;
        long both = 0;
        for (int z = 0; z < a.nz(); z++) {
            float[] pa = a.plane(z);
            float[] pb = b.plane(z);
            for (int i = 0; i < pa.length; i++) {
                boolean ia = VoiSet.contains(la, pa[i]);
                boolean ib = VoiSet.contains(lb, pb[i]);
                na += ia ? 1 : 0;
                nb += ib ? 1 : 0;
                both += ia && ib ? 1 : 0;
            }
        }
        return 2.0 * both / (na + nb);
    }

    /** Our ellipsoid VOIs against AAL (resampled nearest to the 2 mm grid) and the MNI brain mask. */
    @Test
    void agreesWithAalAtlas() throws Exception {
        Path data = Path.of(System.getProperty("dopaj.shared", "../shared"), "data");
        Path aal = data.resolve("atlas/aal.nii.gz");
        Assumptions.assumeTrue(Files.isRegularFile(aal), "../shared/data/atlas/aal.nii.gz absent: skipping AAL comparison");
        Volume atlas = Resample.toGrid(Nifti.readVolume(aal), MNI, Resample.Interpolation.NEAREST, 0f);
        Volume ours = SpectVois.rasterise(MNI);
        int[][] mine = {{SpectVois.CAUDATE_L}, {SpectVois.CAUDATE_R},
                {SpectVois.PUTAMEN_ANT_L, SpectVois.PUTAMEN_POST_L}, {SpectVois.PUTAMEN_ANT_R, SpectVois.PUTAMEN_POST_R}};
        int[][] theirs = {{71}, {72}, {73}, {74}};
        String[] names = {"caudate_l", "caudate_r", "putamen_l", "putamen_r"};
        for (int i = 0; i < 4; i++) {
            double d = dice(ours, mine[i], atlas, theirs[i]);
            double cd = dist(centroid(ours, mine[i]), centroid(atlas, theirs[i]));
            System.out.printf(Locale.ROOT, "SPECT-MEASURE AAL %s: Dice %.3f, centroid distance %.1f mm%n", names[i], d, cd);
            assertTrue(d > (i < 2 ? 0.5 : 0.6), names[i] + " Dice " + d);
            assertTrue(cd < 6, names[i] + " centroid distance " + cd);
        }
        int[] occ = {43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54};
        double[] r = centroid(ours, SpectVois.REFERENCE);
        long inOcc = 0;
        for (int z = 0; z < MNI.nz(); z++) {
            for (int i = 0; i < ours.plane(z).length; i++) {
                if (ours.plane(z)[i] == SpectVois.REFERENCE && VoiSet.contains(occ, atlas.plane(z)[i])) {
                    inOcc++;
                }
            }
        }
        double fracOcc = inOcc / r[3];
        System.out.printf(Locale.ROOT, "SPECT-MEASURE AAL reference: %.3f of its voxels carry an AAL occipital label"
                + " (43-54); Dice with AAL occipital %.3f%n", fracOcc, dice(ours, new int[]{SpectVois.REFERENCE}, atlas, occ));
        assertTrue(fracOcc > 0.8);
        Path mask = data.resolve("mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz");
        if (Files.isRegularFile(mask)) {
            Volume m = Nifti.readVolume(mask);
            assertTrue(m.grid().sameAs(MNI, 1e-3), "MNI mask grid " + m.grid());
            double inBrain = 0;
            for (int z = 0; z < MNI.nz(); z++) {
                for (int i = 0; i < m.plane(z).length; i++) {
                    if (ours.plane(z)[i] != 0 && m.plane(z)[i] > 0) {
                        inBrain++;
                    }
                }
            }
            double all = centroid(ours, 1, 2, 3, 4, 5, 6, 7)[3];
            System.out.printf(Locale.ROOT, "SPECT-MEASURE all VOIs: %.3f of voxels inside the MNI152 brain mask%n",
                    inBrain / all);
            assertTrue(inBrain / all > 0.98);
        }
    }
}
