package org.dopaj.dl.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    // 5 positives (0.9, 0.8, 0.6, 0.55, 0.5) and 5 negatives (0.7, 0.5, 0.4, 0.3, 0.1); one tie across classes at 0.5.
    static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.5, 0.4, 0.3, 0.1};
    static final int[] LABELS = {1, 1, 0, 1, 1, 0, 1, 0, 0, 0};

    @Test
    void confusionAtThresholdByHand() {
        // score ≥ 0.6 positive: TP = {0.9, 0.8, 0.6}, FP = {0.7}, FN = {0.55, 0.5}, TN = 4
        Confusion c = Classification.confusion(SCORES, LABELS, 0.6, Direction.HIGHER_IS_POSITIVE);
        assertEquals(new Confusion(3, 1, 4, 2), c);
        assertEquals(0.7, c.accuracy(), 1e-15);
        assertEquals(0.6, c.sensitivity(), 1e-15);
        assertEquals(0.8, c.specificity(), 1e-15);
        assertEquals(0.75, c.ppv(), 1e-15);
        assertEquals(4.0 / 6, c.npv(), 1e-15);
    }

    @Test
    void aucByHandWithTieCountedHalf() {
        // pairs positive > negative: 0.9→5, 0.8→5, 0.6→4, 0.55→4, 0.5→3 + ½ (tie with the negative 0.5) = 21.5 of 25
        assertEquals(21.5 / 25, Classification.auc(SCORES, LABELS, Direction.HIGHER_IS_POSITIVE), 1e-15);
        RocCurve roc = Classification.roc(SCORES, LABELS, Direction.HIGHER_IS_POSITIVE);
        assertEquals(0.86, roc.auc(), 1e-15);
        // one point per distinct score plus the origin
        assertEquals(10, roc.size());
        assertArrayEquals(new double[]{0, 0, 0, 0.2, 0.2, 0.2, 0.4, 0.6, 0.8, 1}, roc.fpr(), 1e-15);
        assertArrayEquals(new double[]{0, 0.2, 0.4, 0.4, 0.6, 0.8, 1, 1, 1, 1}, roc.tpr(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, roc.thresholds()[0]);
        assertNull(((java.util.List<?>) roc.toMap().get("thresholds")).get(0));
    }

    @Test
    void youdenTieGoesToHigherSensitivityAndThresholdIsMidway() {
        // J = 0.6 at score 0.55 (sens 0.8, spec 0.8) and at score 0.5 (sens 1.0, spec 0.6): the tie rule picks 0.5,
        // and the threshold sits midway to the next lower score 0.4
        Classification.Cutoff cut = Classification.youden(SCORES, LABELS, Direction.HIGHER_IS_POSITIVE);
        assertEquals(0.45, cut.threshold(), 1e-15);
        assertEquals(1.0, cut.sensitivity(), 1e-15);
        assertEquals(0.6, cut.specificity(), 1e-15);
        assertEquals(0.6, cut.youdenJ(), 1e-12);
        assertEquals(new Confusion(5, 2, 3, 0), cut.confusion());
    }

    @Test
    void lowSbrIsPositive() {
        // putamen SBR: Parkinsonian (1) when LOW
        double[] sbr = {1.2, 1.5, 2.1, 2.4, 3.0, 3.4};
        int[] parkinsonian = {1, 1, 0, 1, 0, 0};
        // positives lower than negatives: 1.2→3, 1.5→3, 2.4→2 of 9 pairs
        assertEquals(8.0 / 9, Classification.auc(sbr, parkinsonian, Direction.LOWER_IS_POSITIVE), 1e-15);
        assertEquals(1.0 / 9, Classification.auc(sbr, parkinsonian, Direction.HIGHER_IS_POSITIVE), 1e-15);
        assertEquals(8.0 / 9, Classification.roc(sbr, parkinsonian, Direction.LOWER_IS_POSITIVE).auc(), 1e-15);
        // J = 2/3 at SBR ≤ 1.5 (sens 2/3, spec 1) and at SBR ≤ 2.4 (sens 1, spec 2/3): higher sensitivity wins,
        // threshold midway between 2.4 and 3.0
        Classification.Cutoff cut = Classification.youden(sbr, parkinsonian, Direction.LOWER_IS_POSITIVE);
        assertEquals(2.7, cut.threshold(), 1e-15);
        assertEquals(new Confusion(3, 1, 2, 0), cut.confusion());
        assertArrayEquals(new boolean[]{true, true, true, true, false, false},
                Classification.apply(sbr, 2.7, Direction.LOWER_IS_POSITIVE));
        assertEquals("lower", cut.toMap().get("direction"));
    }

    @Test
    void trapezoidEqualsMannWhitneyOnRandomTiedScores() {
        Random rnd = new Random(7);
        for (int rep = 0; rep < 50; rep++) {
            int n = 5 + rnd.nextInt(40);
            double[] s = new double[n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(6); // many ties
                l[i] = i < 2 ? i : rnd.nextInt(2);
            }
            // brute force over all pairs
            double wins = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (l[i] == 1 && l[j] == 0) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = wins / pairs;
            assertEquals(expected, Classification.auc(s, l, Direction.HIGHER_IS_POSITIVE), 1e-12);
            RocCurve roc = Classification.roc(s, l, Direction.HIGHER_IS_POSITIVE);
            assertEquals(expected, roc.auc(), 1e-12);
            // the Youden threshold reproduces its ROC point when applied
            Classification.Cutoff cut = Classification.youden(s, l, Direction.HIGHER_IS_POSITIVE);
            double bestJ = Double.NEGATIVE_INFINITY;
            for (int k = 1; k < roc.size(); k++) {
                bestJ = Math.max(bestJ, roc.tpr()[k] - roc.fpr()[k]);
            }
            assertEquals(bestJ, cut.youdenJ(), 1e-12);
        }
    }

    @Test
    void undefinedRatesAreNaNAndNullInJson() {
        Confusion c = new Confusion(0, 2, 3, 0);
        assertTrue(Double.isNaN(c.sensitivity()));
        assertNull(c.toMap().get("sensitivity"));
        assertEquals(0.6, c.specificity(), 1e-15);
    }

    @Test
    void badInputIsRefusedWithClearMessage() {
        DopajException e = assertThrows(DopajException.class,
                () -> Classification.auc(new double[]{1, 2}, new int[]{1, 2}, Direction.HIGHER_IS_POSITIVE));
        assertTrue(e.getMessage().contains("label 1 is 2"), e.getMessage());
        e = assertThrows(DopajException.class,
                () -> Classification.auc(new double[]{1, 2}, new int[]{1, 1}, Direction.HIGHER_IS_POSITIVE));
        assertTrue(e.getMessage().contains("both classes"), e.getMessage());
        assertThrows(DopajException.class,
                () -> Classification.roc(new double[]{1, Double.NaN}, new int[]{1, 0}, Direction.HIGHER_IS_POSITIVE));
        assertThrows(DopajException.class, () -> Classification.auc(new double[]{1}, new int[]{1, 0}, Direction.LOWER_IS_POSITIVE));
        assertEquals(Direction.LOWER_IS_POSITIVE, Direction.parse("Lower"));
        assertThrows(DopajException.class, () -> Direction.parse("sideways"));
    }
}
