package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.model.Applicability;
import org.dopaj.dl.model.ModelPackage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MsaApplicabilityTest {
    static final int N = 46 * 55 * 46;

    /** 27 % brain: half at {@code lo}, half at {@code hi}, the rest 0. */
    static float[] gd(float lo, float hi) {
        float[] g = new float[N];
        int brain = (int) (0.27 * N);
        for (int i = 0; i < brain; i++) {
            g[i] = i % 2 == 0 ? lo : hi;
        }
        return g;
    }

    /** 30 % of the map inside the head: 80 % of it parenchyma at {@code tissue}, 20 % CSF at 2.0 µm²/ms. */
    static float[] md(float tissue) {
        float[] m = new float[N];
        int head = (int) (0.3 * N);
        for (int i = 0; i < head; i++) {
            m[i] = i % 5 == 0 ? 2.0f : tissue;
        }
        return m;
    }

    @Test
    void statisticsOfTheChannelsAModelReads() {
        Map<String, Double> s = MsaApplicability.statistics(gd(0.2f, 0.6f), md(0.8f));
        assertEquals(List.of("gd_extent", "gd_mean", "gd_p90", "md_tissue", "md_csf"), List.copyOf(s.keySet()));
        assertEquals(0.27, s.get("gd_extent"), 1e-3);
        assertEquals(0.4, s.get("gd_mean"), 1e-6);
        assertEquals(0.6, s.get("gd_p90"), 1e-6);
        assertEquals(0.8, s.get("md_tissue"), 1e-6);
        assertEquals(0.2, s.get("md_csf"), 1e-3);
        assertEquals(List.of("md_tissue", "md_csf"), List.copyOf(MsaApplicability.statistics(null, md(0.8f)).keySet()));
    }

    @Test
    void theBundledModelsPassTypicalMapsAndFlagForeignOnes() {
        Path pkg = Path.of("models", MsaCnn.modelId(MsaTask.MSA, MsaModality.GD_MD));
        Assumptions.assumeTrue(Files.isRegularFile(pkg.resolve("rdf.yaml")), "no bundled MSA model");
        Applicability a = ModelPackage.read(pkg).applicability();
        assertFalse(a.checks().isEmpty(), "the bundled package carries input bounds");
        assertTrue(MsaApplicability.check(a, gd(0.2f, 0.6f), md(0.8f)).isEmpty(), "maps like the training maps");
        List<String> w = MsaApplicability.check(a, gd(0.4f, 1.2f), md(0.8f));
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("gd_mean") && w.get(0).contains("gd_p90"), w.get(0));
        assertFalse(MsaApplicability.check(a, gd(0.2f, 0.6f), md(1.3f)).isEmpty(), "MD of another tissue contrast");
    }
}
