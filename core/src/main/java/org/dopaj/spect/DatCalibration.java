package org.dopaj.spect;

/**
 * Temperature scaling of the classifier's probabilities (Guo et al. 2017): p' = σ(logit(p) / T), one T fitted by
 * maximum likelihood on validation subjects that were not trained on. T > 1 softens over-confident probabilities;
 * the label at 0.5 never changes. The bundled model's T is stored in its rdf.yaml ({@code config.dopaj.temperature})
 * and applied by {@link SpectClassifier}; the leave-one-family-out validation fits T on the training families'
 * validation subjects only ({@link DatLofo}).
 */
public final class DatCalibration {
    private static final int BINS = 10;

    private DatCalibration() {
    }

    /** The temperature in [0.25, 8] minimising the negative log-likelihood of {@code labels} (golden-section on log T). */
    public static double fitTemperature(double[] p, int[] labels) {
        double lo = Math.log(0.25);
        double hi = Math.log(8);
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        for (int it = 0; it < 60; it++) {
            if (nll(p, labels, Math.exp(a)) < nll(p, labels, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
            a = hi - g * (hi - lo);
            b = lo + g * (hi - lo);
        }
        return Math.exp((lo + hi) / 2);
    }

    /** {@code p} calibrated by temperature {@code t}. */
    public static double[] apply(double[] p, double t) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = apply(p[i], t);
        }
        return out;
    }

    /** One probability calibrated by temperature {@code t}. */
    public static double apply(double p, double t) {
        double q = Math.min(1 - 1e-7, Math.max(1e-7, p));
        double z = Math.log(q / (1 - q)) / t;
        return 1 / (1 + Math.exp(-z));
    }

    /** Expected calibration error over 10 equal-width bins. */
    public static double ece(double[] p, int[] labels) {
        double e = 0;
        for (java.util.Map<String, Object> r : reliability(p, labels)) {
            double n = ((Number) r.get("n")).doubleValue();
            e += n / p.length * Math.abs((double) r.get("mean_probability") - (double) r.get("fraction_parkinsonian"));
        }
        return e;
    }

    /** The reliability table: per non-empty bin of 10, its count, mean probability and fraction parkinsonian. */
    public static java.util.List<java.util.Map<String, Object>> reliability(double[] p, int[] labels) {
        double[] sp = new double[BINS];
        double[] sy = new double[BINS];
        int[] n = new int[BINS];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(BINS - 1, (int) (p[i] * BINS));
            sp[b] += p[i];
            sy[b] += labels[i];
            n[b]++;
        }
        java.util.List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            if (n[b] > 0) {
                java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
                r.put("bin", String.format(java.util.Locale.ROOT, "%.1f-%.1f", (double) b / BINS, (double) (b + 1) / BINS));
                r.put("n", n[b]);
                r.put("mean_probability", sp[b] / n[b]);
                r.put("fraction_parkinsonian", sy[b] / n[b]);
                rows.add(r);
            }
        }
        return rows;
    }

    private static double nll(double[] p, int[] labels, double t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-9, Math.max(1e-9, apply(p[i], t)));
            s -= labels[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return s / p.length;
    }
}
