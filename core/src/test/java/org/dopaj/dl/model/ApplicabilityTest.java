package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

/** The applicability record: YAML round trip, input and prediction checks, calibration rate. */
class ApplicabilityTest {
    private static Map<String, Double> stats(double a, double b) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void roundTripAndChecks() {
        Applicability ap = new Applicability("def-v1", Map.of("a", new double[]{0, 1}, "b", new double[]{-1, 1}),
                new double[]{0.5, 4.5}, Map.of("n", 3));
        Applicability back = Applicability.parse(ap.toYaml(), "test");
        assertEquals(ap, back);
        assertEquals(List.of("input_statistics", "target_range"), back.checks());
        assertTrue(back.checkInput("def-v1", stats(0.5, 0)).isEmpty());
        List<String> w = back.checkInput("def-v1", stats(1.5, 0));
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("input unlike the model's training data") && w.get(0).contains("a 1.5"), w.get(0));
        assertTrue(back.checkPrediction("SBR", 4.5).isEmpty());
        String p = back.checkPrediction("SBR", 9.17).get(0);
        assertTrue(p.contains("9.170") && p.contains("not clamped"), p);
        assertTrue(Applicability.NONE.checkInput("x", Map.of()).isEmpty());
        assertTrue(Applicability.NONE.checkPrediction("SBR", 99).isEmpty());
        // bounds for another statistics definition are a refusal, not a silent pass
        assertThrows(DopajException.class, () -> back.checkInput("def-v2", stats(0.5, 0)));
    }

    @Test
    void malformedIsRefusedNamingTheKey() {
        DopajException e = assertThrows(DopajException.class, () -> Applicability.parse(
                Map.of("statistics", "s", "input_bounds", Map.of("cv", List.of(2.0, 1.0))), "rdf config.dopaj.applicability"));
        assertTrue(e.getMessage().contains("input_bounds.cv"), e.getMessage());
        assertThrows(DopajException.class, () -> Applicability.parse(Map.of("target_range", List.of(1.0)), "x"));
    }

    @Test
    void calibrationFlagsAboutOnePercentOrLessOfFreshInDistributionSamples() {
        SplittableRandom r = new SplittableRandom(1);
        List<Map<String, Double>> cal = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            cal.add(stats(r.nextGaussian(), r.nextDouble()));
        }
        Applicability ap = new Applicability("d", Applicability.calibrate(cal, 0.001, 0.05), null, Map.of());
        int flagged = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            if (!ap.checkInput("d", stats(r.nextGaussian(), r.nextDouble())).isEmpty()) {
                flagged++;
            }
        }
        assertTrue(flagged <= 0.01 * n, "flagged " + flagged + " of " + n);
        assertTrue(!ap.checkInput("d", stats(8, 0.5)).isEmpty());
    }
}
