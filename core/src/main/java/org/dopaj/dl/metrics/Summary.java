package org.dopaj.dl.metrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * Mean ± sample standard deviation (n − 1) of a figure over repeated splits, e.g. "AUC 0.912 ± 0.034
 * (n = 10)". With one value the SD is undefined (NaN, JSON null, printed "n/a").
 */
public record Summary(int n, double mean, double sd, double min, double max) {

    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new DopajException("cannot summarise an empty list of values");
        }
        double s = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new DopajException("cannot summarise a non-finite value (" + v + ")");
            }
            s += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = s / values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN;
        return new Summary(values.length, mean, sd, min, max);
    }

    public static Summary of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** "mean ± sd" with {@code decimals} decimals and a point as decimal separator. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        String sdText = Double.isFinite(sd) ? String.format(Locale.ROOT, f, sd) : "n/a";
        return String.format(Locale.ROOT, f, mean) + " ± " + sdText;
    }

    @Override
    public String toString() {
        return format(3) + " (n = " + n + ")";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("mean", mean);
        m.put("sd", Json.safe(sd));
        m.put("min", min);
        m.put("max", max);
        return m;
    }
}
