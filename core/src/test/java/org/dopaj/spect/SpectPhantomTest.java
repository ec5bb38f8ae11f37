package org.dopaj.spect;

import static org.dopaj.spect.SbrQuantifierTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.dopaj.image.Stats;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Test;

class SpectPhantomTest {
    private static SpectPhantom.Params.Builder base() {
        return SpectPhantom.Params.builder();
    }

    @Test
    void sameSeedSameVoxels() {
        SpectPhantom.Params p = base().stage(1.5).shiftMm(1, -2, 3).rotationDeg(2, 0, -3).seed(42).build();
        Volume a = SpectPhantom.generate(p).image();
        Volume b = SpectPhantom.generate(p).image();
        assertArrayEquals(a.toArray(), b.toArray());
        Volume c = SpectPhantom.generate(base().stage(1.5).shiftMm(1, -2, 3).rotationDeg(2, 0, -3).seed(43).build()).image();
        assertFalse(Arrays.equals(a.toArray(), c.toArray()));
        assertTrue(a.grid().sameAs(HeadPhantom.mni2mm(), 1e-9));
    }

    @Test
    void normalPatternAndAgeDecline() {
        Map<String, Double> t60 = SpectPhantom.generate(base().ideal().age(60).build()).truth().sbr();
        Map<String, Double> t80 = SpectPhantom.generate(base().ideal().age(80).build()).truth().sbr();
        assertEquals(SpectPhantom.NORMAL_CAUDATE_SBR_60, t60.get("caudate_l"), 1e-5);
        assertEquals(SpectPhantom.NORMAL_PUTAMEN_SBR_60, t60.get("putamen_r"), 1e-5);
        double s = t60.get("striatum_l");
        assertTrue(s > 2.5 && s < 3.5, "normal striatal SBR " + s);
        assertEquals(0.90, t80.get("striatum_l") / s, 1e-4, "5 % per decade");
        assertEquals(t60.get("putamen_l"), t60.get("putamen_r"), 1e-9, "normal is symmetric");
    }

    @Test
    void parkinsonianLossIsPosteriorAsymmetricAndSparesCaudateEarly() {
        Map<String, Double> normal = SpectPhantom.generate(base().ideal().build()).truth().sbr();
        for (double stage : new double[]{0.5, 1, 2, 3, 4}) {
            SpectPhantom.Phantom ph = SpectPhantom.generate(base().ideal().stage(stage)
                    .moreAffected(SpectPhantom.Side.RIGHT).build());
            Map<String, Double> t = ph.truth().sbr();
            SbrResult r = SbrQuantifier.defaults().quantify(ph.image());
            System.out.printf(Locale.ROOT, "SPECT-MEASURE stage %.1f (right more affected) true SBR: put_ant_r %.2f"
                            + " put_post_r %.2f caud_r %.2f put_l %.2f caud_l %.2f; measured put asym %.1f %%, P/C r %.2f%n",
                    stage, t.get("putamen_ant_r"), t.get("putamen_post_r"), t.get("caudate_r"), t.get("putamen_l"),
                    t.get("caudate_l"), r.putamenAsymmetryPct(), r.putamenCaudateRatioR());
            assertTrue(t.get("putamen_r") < normal.get("putamen_r"));
            assertTrue(t.get("putamen_post_r") < t.get("putamen_ant_r"), "posterior < anterior at stage " + stage);
            assertTrue(t.get("putamen_r") <= t.get("putamen_l"), "more affected side lower");
            assertTrue(r.sbr().get("putamen_post_r") < r.sbr().get("putamen_ant_r"));
            assertTrue(r.putamenCaudateRatioR() < 2.9 / 3.2, "putamen lost faster than caudate");
            if (stage <= 1) {
                assertEquals(normal.get("putamen_l"), t.get("putamen_l"), 1e-9, "less affected side spared at stage ≤ 1");
                // caudate loss at most 7.5 % while posterior putamen lost ≥ 20 %
                assertTrue(t.get("caudate_r") >= 0.92 * normal.get("caudate_r"));
            }
        }
        // mirrored side
        Map<String, Double> l = SpectPhantom.generate(base().ideal().stage(2).build()).truth().sbr();
        Map<String, Double> r = SpectPhantom.generate(base().ideal().stage(2)
                .moreAffected(SpectPhantom.Side.RIGHT).build()).truth().sbr();
        assertEquals(l.get("putamen_l"), r.get("putamen_r"), 1e-6);
        // noisy blurred phantoms keep the ordering in measured SBR
        SbrResult pd = SbrQuantifier.defaults().quantify(SpectPhantom.generate(base().stage(2).seed(5).build()).image());
        SbrResult hc = SbrQuantifier.defaults().quantify(SpectPhantom.generate(base().seed(5).build()).image());
        System.out.printf(Locale.ROOT, "SPECT-MEASURE 10 mm, 2e6 counts: putamen_l SBR normal %.2f, stage 2 %.2f%n",
                hc.sbr().get("putamen_l"), pd.sbr().get("putamen_l"));
        assertTrue(pd.sbr().get("putamen_l") < 0.7 * hc.sbr().get("putamen_l"));
        assertTrue(pd.sbr().get("putamen_post_l") < pd.sbr().get("putamen_ant_l"));
    }

    @Test
    void blurLowersMeasuredSbr() {
        SpectPhantom.Params.Builder b = base().ideal();
        double truth = SpectPhantom.generate(b.build()).truth().sbr().get("striatum_l");
        double prev = Double.POSITIVE_INFINITY;
        for (double fwhm : new double[]{0, 8, 12, 18}) {
            SbrResult r = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.fwhmMm(fwhm).build()).image());
            double s = r.sbr().get("striatum_l");
            double p = r.sbr().get("putamen_l");
            double h = r.hottestSbr().get("putamen_l");
            System.out.printf(Locale.ROOT, "SPECT-MEASURE FWHM %2.0f mm: striatum_l SBR %.3f (%.1f %% of truth %.3f),"
                            + " putamen_l %.3f, putamen_l hottest-1mL %.3f%n", fwhm, s, 100 * s / truth, truth, p, h);
            assertTrue(s < prev);
            prev = s;
            if (fwhm == 8) {
                assertTrue(s < 0.9 * truth);
            }
        }
    }

    @Test
    void noiseScaleAndMisregistration() {
        SpectPhantom.Params.Builder b = base().fwhmMm(10).poissonNoise(false);
        SbrResult clean = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.build()).image());
        SbrResult scaled = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.globalScale(37.5).build()).image());
        assertEquals(clean.sbr().get("putamen_l"), scaled.sbr().get("putamen_l"), 1e-5, "SBR ignores calibration");
        Volume img = SpectPhantom.generate(b.globalScale(1).build()).image();
        assertEquals(2e6, Stats.of(img).mean() * img.grid().voxelCount(), 2e6 * 1e-4, "total counts");
        Volume noisy = SpectPhantom.generate(b.poissonNoise(true).seed(9).build()).image();
        for (float v : noisy.plane(40)) {
            assertEquals(Math.rint(v), v, 0.0, "Poisson counts are integers");
        }
        SbrResult n = SbrQuantifier.defaults().quantify(noisy);
        SbrResult moved = SbrQuantifier.defaults().quantify(SpectPhantom.generate(b.poissonNoise(false)
                .shiftMm(3, 3, -3).rotationDeg(5, -5, 5).build()).image());
        System.out.printf(Locale.ROOT, "SPECT-MEASURE 10 mm FWHM putamen_l SBR: noiseless %.3f, Poisson 2e6 counts %.3f,"
                        + " moved 3 mm/5° %.3f; reference mean %.2f counts/voxel%n", clean.sbr().get("putamen_l"),
                n.sbr().get("putamen_l"), moved.sbr().get("putamen_l"), n.referenceMean());
        assertEquals(clean.sbr().get("putamen_l"), n.sbr().get("putamen_l"), 0.05 * clean.sbr().get("putamen_l"));
        assertTrue(moved.sbr().get("putamen_l") < clean.sbr().get("putamen_l"));
        assertTrue(moved.sbr().get("putamen_l") > 0.7 * clean.sbr().get("putamen_l"));
    }

    @Test
    void truthSidecarAndParameterChecks() {
        SpectPhantom.Phantom ph = SpectPhantom.generate(base().ideal().stage(1).age(70).seed(11).build());
        String json = new Gson().toJson(ph.truth().toMap());
        assertTrue(json.contains("\"synthetic\":true") && json.contains("\"seed\":11") && json.contains("\"true_sbr\""), json);
        assertTrue(json.contains("\"more_affected_side\":\"left\""), json);
        assertMessage(() -> base().age(10).build(), "age");
        assertMessage(() -> base().stage(5).build(), "stage");
        assertMessage(() -> base().fwhmMm(-1).build(), "fwhm_mm");
        assertMessage(() -> base().totalCounts(10).build(), "total_counts");
        assertMessage(() -> base().globalScale(0).build(), "global_scale");
        SpectPhantom.Params p = base().shiftMm(1, 2, 3).build();
        p.shiftMm()[0] = 99;
        assertEquals(1, p.shiftMm()[0], "params are immutable");
    }
}
