package org.dopaj.dl.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * Agreement between predicted and reference values of a continuous quantity (e.g. SBR predicted from
 * nigral MRI against SBR measured on DaT-SPECT): Lin's concordance correlation coefficient with its 95 %
 * confidence interval, Pearson r, MAE, RMSE, mean bias and range-normalised errors.
 *
 * <p>Lin's ρc = 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²) with moments divided by n (Lin 1989). The 95 % CI
 * uses Fisher's z = atanh(ρc) with the asymptotic variance of Lin (1989, eq. for var(Ẑ); corrected 2000):
 * <pre>
 * var(z) = 1/(n−2) · [ (1−r²)ρc² / ((1−ρc²) r²)
 *                     + 2ρc³(1−ρc) u² / (r (1−ρc²)²)
 *                     − ρc⁴ u⁴ / (2 r² (1−ρc²)²) ]
 * u = (x̄ − ȳ) / √(s_x s_y)
 * </pre>
 * (as in R epiR::epi.ccc and DescTools::CCC "z-transform"), and CI = tanh(z ± 1.959964·√var(z)).
 * The CI is NaN (JSON null) when n &lt; 3, r = 0 or |ρc| = 1, where the formula is undefined.
 */
public final class Agreement {
    /** Two-sided 97.5 % quantile of the standard normal distribution. */
    static final double Z975 = 1.959963984540054;

    private Agreement() {
    }

    /**
     * All agreement figures of {@code predicted} against {@code reference}.
     */
    public static Result of(double[] predicted, double[] reference) {
        check(predicted, reference);
        int n = predicted.length;
        double mx = mean(predicted);
        double my = mean(reference);
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double abs = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double dx = predicted[i] - mx;
            double dy = reference[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
            double e = predicted[i] - reference[i];
            abs += Math.abs(e);
            sq += e * e;
            min = Math.min(min, reference[i]);
            max = Math.max(max, reference[i]);
        }
        // population (1/n) moments, as in Lin 1989
        double vx = sxx / n;
        double vy = syy / n;
        double cxy = sxy / n;
        double ccc = 2 * cxy / (vx + vy + (mx - my) * (mx - my));
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
        double[] ci = cccInterval(ccc, r, mx, my, vx, vy, n);
        double mae = abs / n;
        double rmse = Math.sqrt(sq / n);
        double range = max - min;
        return new Result(n, ccc, ci[0], ci[1], r, mae, rmse, mx - my,
                range > 0 ? rmse / range : Double.NaN, range > 0 ? mae / range : Double.NaN, min, max);
    }

    /** Lin's concordance correlation coefficient alone. */
    public static double concordance(double[] predicted, double[] reference) {
        return of(predicted, reference).ccc();
    }

    /** Pearson's product-moment correlation r (NaN when either set is constant). */
    public static double pearson(double[] predicted, double[] reference) {
        return of(predicted, reference).pearson();
    }

    static double[] cccInterval(double ccc, double r, double mx, double my, double vx, double vy, int n) {
        if (n < 3 || !Double.isFinite(r) || r == 0 || !(Math.abs(ccc) < 1)) {
            return new double[]{Double.NaN, Double.NaN};
        }
        double u2 = (mx - my) * (mx - my) / Math.sqrt(vx * vy);
        double p2 = ccc * ccc;
        double q = 1 - p2;
        double var = ((1 - r * r) * p2 / (q * r * r)
                + 2 * ccc * p2 * (1 - ccc) * u2 / (r * q * q)
                - p2 * p2 * u2 * u2 / (2 * r * r * q * q)) / (n - 2);
        if (!(var >= 0)) {
            return new double[]{Double.NaN, Double.NaN};
        }
        double z = atanh(ccc);
        double half = Z975 * Math.sqrt(var);
        return new double[]{Math.tanh(z - half), Math.tanh(z + half)};
    }

    static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static void check(double[] predicted, double[] reference) {
        if (predicted.length != reference.length) {
            throw new DopajException("predicted and reference values differ in number: " + predicted.length + " vs "
                    + reference.length);
        }
        if (predicted.length < 2) {
            throw new DopajException("agreement needs at least 2 pairs of values, got " + predicted.length);
        }
        for (int i = 0; i < predicted.length; i++) {
            if (!Double.isFinite(predicted[i]) || !Double.isFinite(reference[i])) {
                throw new DopajException("pair " + i + " is not finite (predicted " + predicted[i] + ", reference "
                        + reference[i] + ")");
            }
        }
    }

    /**
     * Agreement figures.
     *
     * @param ccc            Lin's concordance correlation coefficient ρc
     * @param cccLow         lower end of its 95 % CI (Fisher z, Lin 1989)
     * @param cccHigh        upper end of its 95 % CI
     * @param pearson        Pearson r
     * @param mae            mean absolute error, mean |p − r|
     * @param rmse           root-mean-square error, √mean (p − r)²
     * @param bias           mean (p − r): positive when predictions run high
     * @param normalisedRmse RMSE / (max − min of the reference values): DopaJ's "normalised error"
     * @param normalisedMae  MAE / (max − min of the reference values)
     * @param referenceMin   smallest reference value
     * @param referenceMax   largest reference value
     */
    public record Result(int n, double ccc, double cccLow, double cccHigh, double pearson, double mae, double rmse,
                         double bias, double normalisedRmse, double normalisedMae, double referenceMin,
                         double referenceMax) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("ccc", Json.safe(ccc));
            m.put("ccc_ci95_low", Json.safe(cccLow));
            m.put("ccc_ci95_high", Json.safe(cccHigh));
            m.put("pearson_r", Json.safe(pearson));
            m.put("mae", mae);
            m.put("rmse", rmse);
            m.put("bias", bias);
            m.put("normalised_rmse", Json.safe(normalisedRmse));
            m.put("normalised_mae", Json.safe(normalisedMae));
            return m;
        }
    }
}
