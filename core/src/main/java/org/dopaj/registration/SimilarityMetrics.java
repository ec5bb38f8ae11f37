package org.dopaj.registration;

import java.util.Arrays;

/**
 * The similarity metrics over a {@link Level}'s current samples. Each returns the similarity and, when asked,
 * writes dF/dm for the objective F that the optimiser minimises (F = 1 − NCC, or F = −MI) into {@code level.dm}.
 * Only points with a sample (inside the moving image, weight > 0) take part: the metrics are over the overlap.
 */
final class SimilarityMetrics {
    private SimilarityMetrics() {
    }

    /**
     * Weighted normalised cross-correlation in [−1, 1]; NaN when either image is constant over the overlap
     * (then dm is 0). F = 1 − NCC, dF/dm_i = −w_i·[(f_i − f̄)/√(S_ff·S_mm) − NCC·(m_i − m̄)/S_mm].
     */
    static double ncc(Level lv, boolean gradient) {
        float[] f = lv.f;
        float[] m = lv.m;
        int n = f.length;
        double sw = 0;
        double sf = 0;
        double sm = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isNaN(m[i])) {
                double w = lv.weight(i);
                sw += w;
                sf += w * f[i];
                sm += w * m[i];
            }
        }
        if (gradient) {
            Arrays.fill(lv.dm, 0);
        }
        if (!(sw > 0)) {
            return Double.NaN;
        }
        double fm = sf / sw;
        double mm = sm / sw;
        double sff = 0;
        double smm = 0;
        double sfm = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isNaN(m[i])) {
                double w = lv.weight(i);
                double a = f[i] - fm;
                double b = m[i] - mm;
                sff += w * a * a;
                smm += w * b * b;
                sfm += w * a * b;
                m2 += w * (double) m[i] * m[i];
            }
        }
        // a constant image is only constant up to float rounding after smoothing: compare with its magnitude
        if (!(sff > 0) || !(smm > 1e-8 * m2)) {
            return Double.NaN;
        }
        double root = Math.sqrt(sff * smm);
        double r = sfm / root;
        if (gradient) {
            double a = 1 / root;
            double b = r / smm;
            double[] dm = lv.dm;
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(m[i])) {
                    dm[i] = -lv.weight(i) * (a * (f[i] - fm) - b * (m[i] - mm));
                }
            }
        }
        return r;
    }

    /**
     * Mattes mutual information (Mattes et al., IEEE TMI 2003): a joint histogram of {@code bins}×{@code bins}
     * with a zero-order (box) Parzen window on the fixed intensity and a cubic B-spline window on the moving one,
     * which makes MI differentiable in the moving samples. The fixed bins are computed once per level.
     */
    static final class MattesMi {
        private final int bins;
        private final int[] fixedBin;
        private final double mMin;
        private final double mScale;
        private final double[] joint;
        private final double[] pf;
        private final double[] pm;

        MattesMi(Level lv, float movingMin, float movingMax, int bins) {
            this.bins = bins;
            float[] f = lv.f;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < f.length; i++) {
                if (lv.weight(i) > 0) {
                    lo = Math.min(lo, f[i]);
                    hi = Math.max(hi, f[i]);
                }
            }
            double fs = hi > lo ? bins / ((double) hi - lo) : 0;
            fixedBin = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                fixedBin[i] = Math.min(bins - 1, Math.max(0, (int) ((f[i] - lo) * fs)));
            }
            mMin = movingMin;
            mScale = movingMax > movingMin ? (bins - 1) / ((double) movingMax - movingMin) : 0;
            joint = new double[bins * (bins + 4)];
            pf = new double[bins];
            pm = new double[bins + 4];
        }

        /** MI in nats (≥ 0); F = −MI. NaN when no point overlaps. */
        double value(Level lv, boolean gradient) {
            float[] m = lv.m;
            int n = m.length;
            int cols = bins + 4;
            Arrays.fill(joint, 0);
            double sw = 0;
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(m[i])) {
                    continue;
                }
                double w = lv.weight(i);
                double t = position(m[i]);
                int k0 = (int) t - 1;
                int base = fixedBin[i] * cols;
                for (int j = 0; j < 4; j++) {
                    joint[base + k0 + j] += w * bspline3(k0 + j - t);
                }
                sw += w;
            }
            if (gradient) {
                Arrays.fill(lv.dm, 0);
            }
            if (!(sw > 0)) {
                return Double.NaN;
            }
            Arrays.fill(pf, 0);
            Arrays.fill(pm, 0);
            for (int a = 0; a < bins; a++) {
                for (int b = 0; b < cols; b++) {
                    double v = joint[a * cols + b] / sw;
                    joint[a * cols + b] = v;
                    pf[a] += v;
                    pm[b] += v;
                }
            }
            double mi = 0;
            for (int a = 0; a < bins; a++) {
                for (int b = 0; b < cols; b++) {
                    double v = joint[a * cols + b];
                    if (v > 0) {
                        mi += v * Math.log(v / (pf[a] * pm[b]));
                    }
                }
            }
            if (gradient) {
                // dMI/dm_i = (w_i/W)·Σ_κ dβ3(κ − t_i)/dm·log(p(ι_i,κ)/p_m(κ)); the marginal terms sum to 0
                double[] dm = lv.dm;
                for (int i = 0; i < n; i++) {
                    if (Float.isNaN(m[i])) {
                        continue;
                    }
                    double raw = (m[i] - mMin) * mScale + 2;
                    if (raw <= 2 || raw >= bins + 1) {
                        continue; // clamped: no derivative
                    }
                    int k0 = (int) raw - 1;
                    int base = fixedBin[i] * cols;
                    double s = 0;
                    for (int j = 0; j < 4; j++) {
                        double pj = joint[base + k0 + j];
                        if (pj > 0) {
                            s += -bspline3Derivative(k0 + j - raw) * mScale * Math.log(pj / pm[k0 + j]);
                        }
                    }
                    dm[i] = -lv.weight(i) / sw * s;
                }
            }
            return mi;
        }

        /** Continuous moving bin coordinate, 2 … bins+1 (two padding bins each side for the cubic window). */
        private double position(float v) {
            double t = (v - mMin) * mScale + 2;
            return Math.max(2, Math.min(bins + 1 - 1e-9, t));
        }

        static double bspline3(double u) {
            double a = Math.abs(u);
            if (a < 1) {
                return (4 - 6 * a * a + 3 * a * a * a) / 6;
            }
            if (a < 2) {
                double b = 2 - a;
                return b * b * b / 6;
            }
            return 0;
        }

        static double bspline3Derivative(double u) {
            double a = Math.abs(u);
            if (a < 1) {
                return -2 * u + 1.5 * u * a;
            }
            if (a < 2) {
                double b = 2 - a;
                return -0.5 * b * b * Math.signum(u);
            }
            return 0;
        }
    }
}
