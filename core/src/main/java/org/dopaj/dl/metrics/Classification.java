package org.dopaj.dl.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * Binary-classification figures from continuous scores and reference labels: confusion at a threshold,
 * ROC curve, ROC AUC and the Youden-optimal threshold. Labels are 1 = positive (diseased, e.g.
 * Parkinsonian) and 0 = negative; every method that uses a threshold takes a {@link Direction}, because a
 * low striatal binding ratio is the positive finding.
 *
 * <p>Conventions (see docs/metrics.md): at threshold t a subject is positive when score ≥ t
 * ({@link Direction#HIGHER_IS_POSITIVE}) or score ≤ t ({@link Direction#LOWER_IS_POSITIVE}). The ROC curve
 * has one point per distinct score (tied scores move the curve diagonally); its trapezoid area equals the
 * Mann–Whitney U statistic / (n₊·n₋) with ties counted ½.
 */
public final class Classification {
    private Classification() {
    }

    /** Calls each score positive or negative at {@code threshold}. */
    public static boolean[] apply(double[] scores, double threshold, Direction direction) {
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = direction.isPositive(scores[i], threshold);
        }
        return out;
    }

    /** Confusion counts of predicted calls against 0/1 labels. */
    public static Confusion confusion(boolean[] predictedPositive, int[] labels) {
        if (predictedPositive.length != labels.length) {
            throw new DopajException("predictions and labels differ in length: " + predictedPositive.length + " vs "
                    + labels.length);
        }
        checkLabels(labels);
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean pos = labels[i] == 1;
            if (predictedPositive[i]) {
                if (pos) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (pos) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    /** Confusion counts of scores thresholded at {@code threshold} in {@code direction}. */
    public static Confusion confusion(double[] scores, int[] labels, double threshold, Direction direction) {
        check(scores, labels);
        return confusion(apply(scores, threshold, direction), labels);
    }

    /**
     * The empirical ROC curve. Point 0 is (0,0) at threshold +∞ (−∞ for LOWER_IS_POSITIVE): nobody positive;
     * then one point per distinct score, from the most to the least positive, at threshold = that score;
     * the last point is (1,1).
     */
    public static RocCurve roc(double[] scores, int[] labels, Direction direction) {
        check(scores, labels);
        int n = scores.length;
        long nPos = Arrays.stream(labels).filter(l -> l == 1).count();
        long nNeg = n - nPos;
        requireBothClasses(nPos, nNeg);
        // order subjects from the most to the least positive score
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(direction.oriented(scores[b]), direction.oriented(scores[a])));
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        double[] thr = new double[n + 1];
        long[] tpAt = new long[n + 1];
        long[] fpAt = new long[n + 1];
        thr[0] = direction == Direction.HIGHER_IS_POSITIVE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        int points = 1;
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < n) {
            double s = scores[order[i]];
            // a group of tied scores is called positive all at once
            while (i < n && scores[order[i]] == s) {
                if (labels[order[i]] == 1) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            tpAt[points] = tp;
            fpAt[points] = fp;
            tpr[points] = (double) tp / nPos;
            fpr[points] = (double) fp / nNeg;
            thr[points] = s;
            points++;
        }
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points),
                Arrays.copyOf(tpAt, points), Arrays.copyOf(fpAt, points), nPos, nNeg, direction);
    }

    /**
     * ROC AUC by the Mann–Whitney statistic: the probability that a random positive subject scores more
     * positively than a random negative one, ties counting ½. Computed from mid-ranks in O(n log n).
     */
    public static double auc(double[] scores, int[] labels, Direction direction) {
        check(scores, labels);
        int n = scores.length;
        double[] oriented = new double[n];
        for (int i = 0; i < n; i++) {
            oriented[i] = direction.oriented(scores[i]);
        }
        double[] ranks = midRanks(oriented);
        long nPos = 0;
        double rankSumPos = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == 1) {
                nPos++;
                rankSumPos += ranks[i];
            }
        }
        long nNeg = n - nPos;
        requireBothClasses(nPos, nNeg);
        double u = rankSumPos - nPos * (nPos + 1) / 2.0;
        return u / ((double) nPos * nNeg);
    }

    /** 1-based ranks with ties given the mean of the ranks they span. */
    static double[] midRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mid;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * The threshold that maximises Youden's J = sensitivity + specificity − 1 over the ROC points.
     *
     * <p>The threshold is placed midway between the score of the chosen ROC point and the next less
     * positive distinct score, so that it separates the two groups robustly and {@link #apply} reproduces
     * exactly the confusion of that ROC point. When the chosen point is the last one (everyone positive), the
     * threshold is that least-positive score itself. Tie rule: among points with equal J (within 1e-12), the
     * one with the higher sensitivity wins (missing disease is the costlier error in screening).
     */
    public static Cutoff youden(double[] scores, int[] labels, Direction direction) {
        RocCurve roc = roc(scores, labels, direction);
        int best = -1;
        double bestJ = Double.NEGATIVE_INFINITY;
        for (int k = 1; k < roc.size(); k++) {
            double j = roc.tpr()[k] - roc.fpr()[k];
            if (j > bestJ + 1e-12 || (Math.abs(j - bestJ) <= 1e-12 && roc.tpr()[k] > roc.tpr()[best])) {
                bestJ = j;
                best = k;
            }
        }
        double t = best + 1 < roc.size() ? (roc.thresholds()[best] + roc.thresholds()[best + 1]) / 2
                : roc.thresholds()[best];
        Confusion c = confusion(scores, labels, t, direction);
        return new Cutoff(t, direction, c);
    }

    /**
     * A threshold with its direction and the confusion it gives.
     */
    public record Cutoff(double threshold, Direction direction, Confusion confusion) {
        public double sensitivity() {
            return confusion.sensitivity();
        }

        public double specificity() {
            return confusion.specificity();
        }

        public double youdenJ() {
            return confusion.youdenJ();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", Json.safe(threshold));
            m.put("direction", direction == Direction.HIGHER_IS_POSITIVE ? "higher" : "lower");
            m.put("youden_j", Json.safe(youdenJ()));
            m.putAll(confusion.toMap());
            return m;
        }
    }

    static void check(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new DopajException("scores and labels differ in length: " + scores.length + " vs " + labels.length);
        }
        if (scores.length == 0) {
            throw new DopajException("no scores given");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new DopajException("score " + i + " is " + scores[i] + ": every score must be a finite number");
            }
        }
        checkLabels(labels);
    }

    static void checkLabels(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new DopajException("label " + i + " is " + labels[i] + ": labels must be 1 (positive) or 0 (negative)");
            }
        }
    }

    private static void requireBothClasses(long nPos, long nNeg) {
        if (nPos == 0 || nNeg == 0) {
            throw new DopajException("ROC needs both classes: got " + nPos + " positive and " + nNeg + " negative labels");
        }
    }
}
