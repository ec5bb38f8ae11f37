package org.dopaj.dl.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An empirical ROC curve as built by {@link Classification#roc}: point k is the (1 − specificity,
 * sensitivity) obtained when subjects scoring at least as positively as {@code thresholds[k]} are called
 * positive. Arrays are owned by the record; the accessors return them directly for speed, do not modify.
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds, long[] tp, long[] fp, long positives,
                       long negatives, Direction direction) {

    public int size() {
        return fpr.length;
    }

    /** Area under the curve by the trapezoid rule (equals the Mann–Whitney AUC, ties counting ½). */
    public double auc() {
        double a = 0;
        for (int k = 1; k < fpr.length; k++) {
            a += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }
        return a;
    }

    /** Points for a JSON report; the infinite first threshold is written as null. */
    public Map<String, Object> toMap() {
        List<Double> f = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        List<Double> th = new ArrayList<>();
        for (int k = 0; k < fpr.length; k++) {
            f.add(fpr[k]);
            t.add(tpr[k]);
            th.add(Json.safe(thresholds[k]));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auc", auc());
        m.put("direction", direction == Direction.HIGHER_IS_POSITIVE ? "higher" : "lower");
        m.put("fpr", f);
        m.put("tpr", t);
        m.put("thresholds", th);
        return m;
    }
}
