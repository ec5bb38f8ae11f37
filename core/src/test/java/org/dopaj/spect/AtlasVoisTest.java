package org.dopaj.spect;

import static org.dopaj.spect.SbrQuantifierTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.io.Nifti;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AtlasVoisTest {
    private static final Grid MNI = HeadPhantom.mni2mm();

    @Test
    void parsesSpec() {
        Map<String, int[]> m = AtlasVois.parseSpec(" caudate_l=71, caudate_r=72,putamen_l=73,putamen_r=74,reference=43+44+45");
        assertArrayEquals(new int[]{43, 44, 45}, m.get("reference"));
        assertArrayEquals(new int[]{71}, m.get("caudate_l"));
        assertMessage(() -> AtlasVois.parseSpec("caudate_l=71,caudate_r=72,putamen_l=73,putamen_r=74"), "'reference' is missing");
        assertMessage(() -> AtlasVois.parseSpec("thalamus=1"), "unknown region 'thalamus'");
        assertMessage(() -> AtlasVois.parseSpec("caudate_l=a"), "'a'");
        assertMessage(() -> AtlasVois.parseSpec("caudate_l"), "region=label");
        assertMessage(() -> AtlasVois.parseSpec("caudate_l=1,caudate_l=2"), "twice");
        assertMessage(() -> AtlasVois.parseSpec(""), "empty");
    }

    /** A synthetic 1 mm RAS atlas: SpectVois labels ×10 (+1 for every other voxel row of the reference). */
    private static Volume syntheticAtlas() {
        double[][] a = {{1, 0, 0, -91}, {0, 1, 0, -127}, {0, 0, 1, -73}, {0, 0, 0, 1}};
        Grid g = new Grid(183, 219, 183, new double[]{1, 1, 1}, a);
        Volume v = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] mm = g.toMm(x, y, z);
                    // shift the anatomy 2.5 mm so atlas and image voxels do not coincide
                    int lab = SpectVois.labelAt(mm[0] - 2.5, mm[1] + 1.5, mm[2]);
                    v.set(x, y, z, lab == 0 ? 0 : lab * 10 + (lab == SpectVois.REFERENCE ? y % 2 : 0));
                }
            }
        }
        return v;
    }

    @Test
    void sbrFromAtlasEqualsBruteForce() {
        Volume atlas = syntheticAtlas();
        String spec = "caudate_l=10,caudate_r=20,putamen_l=30+50,putamen_r=40+60,putamen_ant_l=30,putamen_post_l=50,"
                + "reference=70+71";
        VoiSet vois = AtlasVois.fromLabels(atlas, AtlasVois.parseSpec(spec));
        // a noisy image on the MNI grid
        Volume img = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).seed(3).build()).image();
        SbrResult r = SbrQuantifier.defaults().withHottestVoxels(7).quantify(img, vois);
        // independent brute force: each MNI voxel centre → nearest atlas voxel
        Map<String, int[]> regions = Map.of("caudate_l", new int[]{10}, "putamen_l", new int[]{30, 50},
                "putamen_r", new int[]{40, 60}, "putamen_post_l", new int[]{50}, "striatum_r", new int[]{20, 40, 60},
                "reference", new int[]{70, 71});
        Map<String, double[]> sums = new java.util.HashMap<>();
        regions.keySet().forEach(k -> sums.put(k, new double[2]));
        Map<String, java.util.List<Float>> vals = new java.util.HashMap<>();
        regions.keySet().forEach(k -> vals.put(k, new java.util.ArrayList<>()));
        Grid ag = atlas.grid();
        for (int z = 0; z < MNI.nz(); z++) {
            for (int y = 0; y < MNI.ny(); y++) {
                for (int x = 0; x < MNI.nx(); x++) {
                    double[] mm = MNI.toMm(x, y, z);
                    double[] v = ag.toVoxel(mm[0], mm[1], mm[2]);
                    long i = Math.round(v[0]);
                    long j = Math.round(v[1]);
                    long k = Math.round(v[2]);
                    if (i < 0 || j < 0 || k < 0 || i >= ag.nx() || j >= ag.ny() || k >= ag.nz()) {
                        continue;
                    }
                    int lab = (int) atlas.get((int) i, (int) j, (int) k);
                    for (Map.Entry<String, int[]> e : regions.entrySet()) {
                        for (int l : e.getValue()) {
                            if (l == lab) {
                                sums.get(e.getKey())[0] += img.get(x, y, z);
                                sums.get(e.getKey())[1]++;
                                vals.get(e.getKey()).add(img.get(x, y, z));
                            }
                        }
                    }
                }
            }
        }
        double ref = sums.get("reference")[0] / sums.get("reference")[1];
        assertEquals(ref, r.referenceMean(), 1e-6 * ref);
        for (String k : regions.keySet()) {
            if (k.equals("reference")) {
                continue;
            }
            double expect = (sums.get(k)[0] / sums.get(k)[1] - ref) / ref;
            assertEquals(expect, r.sbr().get(k), 1e-6, k);
            java.util.List<Float> s = new java.util.ArrayList<>(vals.get(k));
            s.sort(java.util.Collections.reverseOrder());
            double top = 0;
            for (int n = 0; n < 7; n++) {
                top += s.get(n);
            }
            assertEquals((top / 7 - ref) / ref, r.hottestSbr().get(k), 1e-6, k + " hottest");
            assertEquals((long) sums.get(k)[1], r.voxels().get(k), k);
        }
        assertEquals(r.sbr().get("putamen_l") > 0, true);
        assertMessage(() -> AtlasVois.fromLabels(atlas, AtlasVois.parseSpec(spec.replace("reference=70+71",
                "reference=70+99"))), "label 99 (region reference)");
    }

    /** With the real AAL atlas: SBRs of a phantom measured in AAL VOIs vs our VOIs (numbers for the docs). */
    @Test
    void aalAtlasOnPhantom() throws Exception {
        Path aal = Path.of(System.getProperty("dopaj.shared", "../shared"), "data/atlas/aal.nii.gz");
        Assumptions.assumeTrue(Files.isRegularFile(aal), "../shared/data/atlas/aal.nii.gz absent: skipping AAL SBR check");
        VoiSet vois = AtlasVois.fromLabels(Nifti.readVolume(aal), AtlasVois.parseSpec(AtlasVois.AAL_SPEC));
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().ideal().build());
        SbrResult withAal = SbrQuantifier.defaults().quantify(ph.image(), vois);
        SbrResult ours = SbrQuantifier.defaults().quantify(ph.image());
        for (String k : new String[]{"caudate_l", "putamen_l", "striatum_l"}) {
            System.out.printf(Locale.ROOT, "SPECT-MEASURE ideal normal phantom %s SBR: truth %.3f, our VOIs %.3f, AAL VOIs %.3f%n",
                    k, ph.truth().sbr().get(k), ours.sbr().get(k), withAal.sbr().get(k));
        }
        assertEquals(ph.truth().sbr().get("putamen_l"), ours.sbr().get("putamen_l"), 1e-3);
        // AAL's caudate is larger than ours (it reaches the nucleus accumbens and spills over the ventricle wall), so
        // it averages in background: lower SBR, but every region stays well above the reference
        assertEquals(true, withAal.sbr().get("caudate_l") < ph.truth().sbr().get("caudate_l"));
        for (String k : new String[]{"caudate_l", "caudate_r", "putamen_l", "putamen_r"}) {
            assertEquals(true, withAal.sbr().get(k) > 1.5 && withAal.sbr().get(k) < 3.2, k);
        }
    }
}
