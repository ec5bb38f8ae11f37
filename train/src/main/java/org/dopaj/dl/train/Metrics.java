package org.dopaj.dl.train;

import org.dopaj.dl.graph.Task;

/**
 * The per-sample validation metric the training loop reports: accuracy (1 if the arg-max class
 * is the label), mean absolute error, or mean Dice of the foreground classes of the arg-max
 * segmentation. Full evaluation metrics live in {@code org.dopaj.dl.metrics}.
 */
final class Metrics {

    private Metrics() {
    }

    static double sampleMetric(Task task, float[] prediction, float[] target) {
        if (task instanceof Task.Classification) {
            return argMax(prediction, 0, prediction.length) == Math.round(target[0]) ? 1 : 0;
        }
        if (task instanceof Task.Regression) {
            double s = 0;
            for (int i = 0; i < prediction.length; i++) {
                s += Math.abs(prediction[i] - target[i]);
            }
            return s / prediction.length;
        }
        int k = ((Task.Segmentation) task).classes();
        int n = target.length;
        long[] inter = new long[k];
        long[] predCount = new long[k];
        long[] trueCount = new long[k];
        for (int i = 0; i < n; i++) {
            int p = argMax(prediction, i * k, k);
            int t = Math.round(target[i]);
            predCount[p]++;
            if (t >= 0 && t < k) {
                trueCount[t]++;
                if (p == t) {
                    inter[t]++;
                }
            }
        }
        double sum = 0;
        for (int c = 1; c < k; c++) {
            long denominator = predCount[c] + trueCount[c];
            sum += denominator == 0 ? 1.0 : 2.0 * inter[c] / denominator;
        }
        return sum / (k - 1);
    }

    private static int argMax(float[] v, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
