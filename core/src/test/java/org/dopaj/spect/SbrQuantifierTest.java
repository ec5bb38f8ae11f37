package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Test;

class SbrQuantifierTest {
    private static final Grid MNI = HeadPhantom.mni2mm();
    private static final VoiSet VOIS = SpectVois.mni2mm();

    /** An image whose value is {@code value[label]} at each label (and {@code bg} elsewhere). */
    private static Volume byLabel(double bg, double... value) {
        Volume img = Volume.allocate(MNI);
        Volume l = VOIS.labels();
        for (int z = 0; z < MNI.nz(); z++) {
            float[] lp = l.plane(z);
            float[] ip = img.plane(z);
            for (int i = 0; i < lp.length; i++) {
                int lab = Math.round(lp[i]);
                ip[i] = (float) (lab == 0 ? bg : value[lab]);
            }
        }
        return img;
    }

    @Test
    void sbrOfNoiselessPhantomsMatchesTruth() {
        for (double stage : new double[]{0, 1, 2.5, 4}) {
            for (SpectPhantom.Side side : SpectPhantom.Side.values()) {
                SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().ideal().stage(stage)
                        .moreAffected(side).age(55 + 5 * stage).build());
                SbrResult r = SbrQuantifier.defaults().quantify(ph.image());
                assertFalse(r.resampled());
                for (Map.Entry<String, Double> e : ph.truth().sbr().entrySet()) {
                    double got = r.sbr().get(e.getKey());
                    assertEquals(e.getValue(), got, 0.02 * Math.abs(e.getValue()), e.getKey() + " stage " + stage);
                }
                assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            }
        }
    }

    @Test
    void formulasOfSbrAsymmetryAndRatio() {
        // labels: 1 caudate_l, 2 caudate_r, 3 put_ant_l, 4 put_ant_r, 5 put_post_l, 6 put_post_r, 7 reference
        Volume img = byLabel(7, 0, 40, 50, 30, 35, 20, 25, 10);
        SbrResult r = SbrQuantifier.defaults().quantify(img);
        Map<String, Long> n = r.voxels();
        assertEquals(3.0, r.sbr().get("caudate_l"), 1e-6);
        assertEquals(4.0, r.sbr().get("caudate_r"), 1e-6);
        assertEquals(2.0, r.sbr().get("putamen_ant_l"), 1e-6);
        assertEquals(1.0, r.sbr().get("putamen_post_l"), 1e-6);
        double putL = (30.0 * n.get("putamen_ant_l") + 20.0 * n.get("putamen_post_l"))
                / (n.get("putamen_ant_l") + n.get("putamen_post_l")) / 10 - 1;
        double putR = (35.0 * n.get("putamen_ant_r") + 25.0 * n.get("putamen_post_r"))
                / (n.get("putamen_ant_r") + n.get("putamen_post_r")) / 10 - 1;
        assertEquals(putL, r.sbr().get("putamen_l"), 1e-6);
        assertEquals(putR, r.sbr().get("putamen_r"), 1e-6);
        assertEquals(Math.abs(putR - putL) / ((putL + putR) / 2) * 100, r.putamenAsymmetryPct(), 1e-4);
        assertEquals(putL / 3.0, r.putamenCaudateRatioL(), 1e-6);
        assertEquals(putR / 4.0, r.putamenCaudateRatioR(), 1e-6);
        double strL = (40.0 * n.get("caudate_l") + 30.0 * n.get("putamen_ant_l") + 20.0 * n.get("putamen_post_l"))
                / n.get("striatum_l") / 10 - 1;
        assertEquals(strL, r.sbr().get("striatum_l"), 1e-6);
        assertEquals(10.0, r.referenceMean(), 1e-9);
        // a constant VOI: hottest equals mean
        assertEquals(r.sbr().get("caudate_l"), r.hottestSbr().get("caudate_l"), 1e-6);
        // JSON round trip of the map
        String json = new GsonBuilder().serializeNulls().create().toJson(r.toMap());
        assertTrue(json.contains("\"putamen_asymmetry_pct\""), json);
    }

    @Test
    void undefinedAsymmetryAndRatioAreNullWithWarning() {
        // caudate at the reference level: ratio undefined; putamen below reference on both sides: asymmetry undefined
        Volume img = byLabel(7, 0, 10, 10, 8, 8, 8, 8, 10);
        SbrResult r = SbrQuantifier.defaults().quantify(img);
        assertNull(r.putamenCaudateRatioL());
        assertNull(r.putamenAsymmetryPct());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("ratio (left) undefined")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not clearly above the reference")));
    }

    @Test
    void hottestVoxelMean() {
        Volume img = byLabel(7, 0, 20, 20, 20, 20, 20, 20, 10);
        // make 10 voxels of putamen_post_l hot (100) and 10 more warm (50)
        int hot = 0;
        Volume l = VOIS.labels();
        outer:
        for (int z = 0; z < MNI.nz(); z++) {
            for (int i = 0; i < l.plane(z).length; i++) {
                if (l.plane(z)[i] == SpectVois.PUTAMEN_POST_L) {
                    img.plane(z)[i] = hot < 10 ? 100 : 50;
                    if (++hot == 20) {
                        break outer;
                    }
                }
            }
        }
        SbrResult r10 = SbrQuantifier.defaults().withHottestVoxels(10).quantify(img);
        assertEquals(10, r10.hottestVoxels());
        assertEquals(9.0, r10.hottestSbr().get("putamen_post_l"), 1e-6);
        assertEquals(9.0, r10.hottestSbr().get("putamen_l"), 1e-6);
        assertEquals(9.0, r10.hottestSbr().get("striatum_l"), 1e-6);
        SbrResult r20 = SbrQuantifier.defaults().withHottestVoxels(20).quantify(img);
        assertEquals(6.5, r20.hottestSbr().get("putamen_post_l"), 1e-6);
        SbrResult r30 = SbrQuantifier.defaults().withHottestVoxels(30).quantify(img);
        assertEquals((1000 + 500 + 200) / 30.0 / 10 - 1, r30.hottestSbr().get("putamen_post_l"), 1e-6);
        // the default is 1 mL: 125 voxels of 8 mm³
        assertEquals(125, SbrQuantifier.defaults().quantify(img).hottestVoxels());
        assertEquals(1.0, r10.hottestSbr().get("caudate_l"), 1e-6);
        assertThrows(DopajException.class, () -> SbrQuantifier.defaults().withHottestVoxels(0));
    }

    @Test
    void badInputsAreRefused() {
        SbrQuantifier q = SbrQuantifier.defaults();
        Volume ok = byLabel(7, 0, 20, 20, 20, 20, 20, 20, 10);
        assertMessage(() -> q.quantify(null), "missing");
        assertMessage(() -> q.quantify(Volume.allocate(MNI, 2)), "frames");
        assertMessage(() -> q.quantify(Volume.allocate(Grid.of(91, 109, 1, 2, 2, 2))), "2D");
        assertMessage(() -> q.quantify(Volume.allocate(MNI)), "empty");
        Volume c = Volume.allocate(MNI);
        for (float[] p : c.planes()) {
            java.util.Arrays.fill(p, 5f);
        }
        assertMessage(() -> q.quantify(c), "constant");
        Volume neg = ok.copy();
        neg.set(3, 3, 3, -2f); // beyond 5 % of the maximum (20): not the noise of a filtered back-projection
        assertMessage(() -> q.quantify(neg), "negative");
        Volume fbp = ok.copy();
        fbp.set(3, 3, 3, -0.5f); // within 5 %: kept
        q.quantify(fbp);
        Volume absurd = ok.withGrid(Grid.of(MNI.nx(), MNI.ny(), MNI.nz(), 1e30, 1e30, 1e30));
        assertMessage(() -> q.quantify(absurd), "no usable geometry");
        Volume tiny = ok.copy();
        tiny.set(3, 3, 3, -1e-4f); // rounding noise of a reconstruction is tolerated
        q.quantify(tiny);
        Volume nan = ok.copy();
        nan.set(40, 50, 40, Float.NaN);
        assertMessage(() -> q.quantify(nan), "non-finite");
        Volume noRef = byLabel(7, 0, 20, 20, 20, 20, 20, 20, 0);
        assertMessage(() -> q.quantify(noRef), "reference VOI mean");
        assertEquals(ok.get(3, 3, 3), 7f, "input unchanged");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable ex, String part) {
        DopajException e = assertThrows(DopajException.class, ex);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void imageOnAnotherGridIsResampled() {
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().ideal().fwhmMm(10).build());
        SbrResult direct = SbrQuantifier.defaults().quantify(ph.image());
        // the same image on a 1.5 mm RAS grid (trilinear), measured back on the MNI grid
        double[][] a = {{1.5, 0, 0, -90}, {0, 1.5, 0, -126}, {0, 0, 1.5, -72}, {0, 0, 0, 1}};
        Grid g = new Grid(121, 145, 121, new double[]{1.5, 1.5, 1.5}, a);
        Volume other = org.dopaj.image.Resample.toGrid(ph.image(), g, org.dopaj.image.Resample.Interpolation.LINEAR, 0f);
        SbrResult r = SbrQuantifier.defaults().quantify(other);
        assertTrue(r.resampled());
        System.out.printf(Locale.ROOT, "SPECT-MEASURE resampled 2mm->1.5mm->2mm: putamen_l SBR %.4f vs %.4f direct%n",
                r.sbr().get("putamen_l"), direct.sbr().get("putamen_l"));
        assertEquals(direct.sbr().get("putamen_l"), r.sbr().get("putamen_l"), 0.02 * direct.sbr().get("putamen_l"));
    }

    @Test
    void voisOutsideTheFieldOfView() {
        Volume img = SpectPhantom.generate(SpectPhantom.Params.builder().ideal().fwhmMm(8).build()).image();
        // a field of view that stops at y = -70 mm: the reference (y -94…-66) is cut
        double[][] a = {{-2, 0, 0, 90}, {0, 2, 0, -70}, {0, 0, 2, -72}, {0, 0, 0, 1}};
        Volume part = org.dopaj.image.Resample.toGrid(img, new Grid(91, 81, 91, new double[]{2, 2, 2}, a),
                org.dopaj.image.Resample.Interpolation.LINEAR, 0f);
        SbrResult r = SbrQuantifier.defaults().quantify(part);
        assertTrue(r.resampled());
        assertTrue(r.voxels().get("reference") < VOIS.voxelCounts().get("reference"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("VOI 'reference'")), r.warnings().toString());
        // a field of view without the occipital lobe at all
        double[][] b = {{-2, 0, 0, 90}, {0, 2, 0, -40}, {0, 0, 2, -72}, {0, 0, 0, 1}};
        Volume front = org.dopaj.image.Resample.toGrid(img, new Grid(91, 60, 91, new double[]{2, 2, 2}, b),
                org.dopaj.image.Resample.Interpolation.LINEAR, 0f);
        assertMessage(() -> SbrQuantifier.defaults().quantify(front), "VOI 'reference'");
    }

    @Test
    void zScoresWithAgeAdjustment() {
        Volume img = byLabel(7, 0, 40, 40, 30, 30, 30, 30, 10); // caudate SBR 3, putamen SBR 2
        NormalDatabase db = NormalDatabase.parse("""
                # normal controls (illustrative numbers)
                region,mean,sd,age_slope,ref_age
                caudate_l,3.5,0.5,-0.02,60
                putamen_l,3.0,0.4,-0.02,60
                """, "test.csv");
        SbrResult r = SbrQuantifier.defaults().withNormals(db).withAge(70.0).quantify(img);
        assertEquals((3.0 - (3.5 - 0.2)) / 0.5, r.zScores().get("caudate_l"), 1e-6);
        assertEquals((2.0 - 2.8) / 0.4, r.zScores().get("putamen_l"), 1e-6);
        NormalDatabase plain = NormalDatabase.parse("putamen_asymmetry,5,4\nputamen_l_hottest,3,1\n", "p.csv");
        SbrResult r2 = SbrQuantifier.defaults().withNormals(plain).quantify(img);
        assertEquals(-1.25, r2.zScores().get("putamen_asymmetry"), 1e-6);
        assertEquals(-1.0, r2.zScores().get("putamen_l_hottest"), 1e-6);
        assertMessage(() -> SbrQuantifier.defaults().withNormals(db).quantify(img), "age");
        assertMessage(() -> SbrQuantifier.defaults().withNormals(NormalDatabase.parse("thalamus,1,1", "t.csv"))
                .quantify(img), "unknown region 'thalamus'");
        assertMessage(() -> NormalDatabase.parse("putamen_l,3,0", "b.csv"), "sd must be > 0");
        assertMessage(() -> NormalDatabase.parse("putamen_l,3", "b.csv"), "b.csv line 1");
        assertMessage(() -> NormalDatabase.parse("putamen_l,x,1", "b.csv"), "mean 'x'");
        assertMessage(() -> NormalDatabase.parse("# nothing\n", "e.csv"), "no entry");
    }

    @Test
    void flagsImagesThatDoNotLookNormalised() {
        SpectPhantom.Params.Builder b = SpectPhantom.Params.builder().seed(7);
        SbrResult normal = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.build()).image());
        assertTrue(normal.warnings().isEmpty(), normal.warnings().toString());
        SbrResult small = SbrQuantifier.defaults().quantify(
                SpectPhantom.generate(b.shiftMm(3, -3, 3).rotationDeg(5, -5, 5).build()).image());
        assertTrue(small.warnings().isEmpty(), "±3 mm/±5° is within normalisation error: " + small.warnings());
        SbrResult shifted = SbrQuantifier.defaults().quantify(
                SpectPhantom.generate(b.shiftMm(0, 45, 0).rotationDeg(0, 0, 0).build()).image());
        System.out.println("SPECT-MEASURE warnings for a 45 mm anterior shift: " + shifted.warnings());
        assertTrue(shifted.warnings().stream().anyMatch(w -> w.contains("hottest voxels")), shifted.warnings().toString());
        SbrResult up = SbrQuantifier.defaults().quantify(
                SpectPhantom.generate(b.shiftMm(0, -40, 25).build()).image());
        System.out.println("SPECT-MEASURE warnings for a 47 mm posterior-superior shift: " + up.warnings());
        assertTrue(up.warnings().stream().anyMatch(w -> w.contains("not clearly above")), up.warnings().toString());
        // late-stage disease is not mistaken for a normalisation failure by the hot-spot check
        SbrResult late = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.shiftMm(0, 0, 0).stage(4).build()).image());
        System.out.println("SPECT-MEASURE warnings for stage 4: " + late.warnings());
        assertFalse(late.warnings().stream().anyMatch(w -> w.contains("hottest voxels")), late.warnings().toString());
    }
}
