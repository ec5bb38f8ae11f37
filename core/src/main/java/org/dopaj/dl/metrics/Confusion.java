package org.dopaj.dl.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 2×2 confusion counts of a binary test against the reference standard, and the figures derived from
 * them. A ratio whose denominator is zero (e.g. sensitivity with no diseased subjects) is NaN, never a
 * made-up 0 or 1; {@link #toMap()} turns NaN into JSON null.
 *
 * @param tp diseased, called positive
 * @param fp healthy, called positive
 * @param tn healthy, called negative
 * @param fn diseased, called negative
 */
public record Confusion(long tp, long fp, long tn, long fn) {

    public Confusion {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("confusion counts must be non-negative");
        }
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    public long positives() {
        return tp + fn;
    }

    public long negatives() {
        return tn + fp;
    }

    /** (TP + TN) / N. */
    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** TP / (TP + FN): true-positive rate, recall. */
    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    /** TN / (TN + FP): true-negative rate. */
    public double specificity() {
        return ratio(tn, tn + fp);
    }

    /** TP / (TP + FP): positive predictive value, precision. */
    public double ppv() {
        return ratio(tp, tp + fp);
    }

    /** TN / (TN + FN): negative predictive value. */
    public double npv() {
        return ratio(tn, tn + fn);
    }

    /** Sensitivity + specificity − 1. */
    public double youdenJ() {
        return sensitivity() + specificity() - 1;
    }

    static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    /** Counts and rates for a JSON report (non-finite rates become null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tp", tp);
        m.put("fp", fp);
        m.put("tn", tn);
        m.put("fn", fn);
        m.put("accuracy", Json.safe(accuracy()));
        m.put("sensitivity", Json.safe(sensitivity()));
        m.put("specificity", Json.safe(specificity()));
        m.put("ppv", Json.safe(ppv()));
        m.put("npv", Json.safe(npv()));
        return m;
    }
}
