package org.dopaj.dl.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * What a model knows, as stored in {@code config.dopaj.applicability} of its rdf.yaml, and the check of one input and
 * one prediction against it. Any network can carry one; the capability computes the input statistics (their names and
 * definitions belong to the capability, e.g. {@code org.dopaj.nigrosome.PatchStatistics}) and asks {@link #check}.
 *
 * <pre>
 * applicability:
 *   statistics: nigrosome-patch-v1          # which definition of the statistics the bounds are for
 *   input_bounds: {cv: [0.08, 0.41], p01: [0.2, 0.8], ...}   # per statistic: [low, high], inclusive
 *   calibration: {source: ..., n: 1000, flagged_fraction: 0.004, quantiles: [0.001, 0.999]}
 *   target_range: [0.5, 4.5]                # training targets (after output_scale); outside = warning
 * </pre>
 *
 * A missing bound or range is not checked (said by {@link #checks()}); nothing is ever clamped: a flagged prediction is
 * reported as it came, with its warning.
 */
public record Applicability(String statistics, Map<String, double[]> inputBounds, double[] targetRange,
                            Map<String, Object> calibration) {

    /** Nothing known: no check. */
    public static final Applicability NONE = new Applicability(null, Map.of(), null, Map.of());

    public Applicability {
        inputBounds = Map.copyOf(inputBounds);
        calibration = calibration == null ? Map.of() : calibration;
    }

    /** Reads {@code config.dopaj.applicability} (absent → {@link #NONE}); a malformed one is refused naming the key. */
    @SuppressWarnings("unchecked")
    public static Applicability parse(Object o, String where) {
        if (o == null) {
            return NONE;
        }
        if (!(o instanceof Map)) {
            throw new DopajException(where + " must be a mapping");
        }
        Map<String, Object> m = (Map<String, Object>) o;
        String stats = m.get("statistics") == null ? null : String.valueOf(m.get("statistics"));
        Map<String, double[]> b = new LinkedHashMap<>();
        Object ib = m.get("input_bounds");
        if (ib != null) {
            if (!(ib instanceof Map) || stats == null) {
                throw new DopajException(where + ".input_bounds must be a mapping {statistic: [low, high]} and needs"
                        + " 'statistics' (the definition they are for)");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) ib).entrySet()) {
                b.put(String.valueOf(e.getKey()), pair(e.getValue(), where + ".input_bounds." + e.getKey()));
            }
        }
        double[] tr = m.get("target_range") == null ? null : pair(m.get("target_range"), where + ".target_range");
        Map<String, Object> cal = m.get("calibration") instanceof Map ? (Map<String, Object>) m.get("calibration") : Map.of();
        return new Applicability(stats, b, tr, cal);
    }

    private static double[] pair(Object o, String where) {
        if (!(o instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Number) || !(l.get(1) instanceof Number)) {
            throw new DopajException(where + " must be [low, high], got " + o);
        }
        double lo = ((Number) l.get(0)).doubleValue();
        double hi = ((Number) l.get(1)).doubleValue();
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new DopajException(where + " must be finite with low ≤ high, got " + o);
        }
        return new double[]{lo, hi};
    }

    /** The YAML form (for {@link ModelPackageWriter} and installers). */
    public Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (statistics != null) {
            m.put("statistics", statistics);
        }
        if (!inputBounds.isEmpty()) {
            Map<String, Object> b = new LinkedHashMap<>();
            inputBounds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.put(e.getKey(), List.of(e.getValue()[0], e.getValue()[1])));
            m.put("input_bounds", b);
        }
        if (targetRange != null) {
            m.put("target_range", List.of(targetRange[0], targetRange[1]));
        }
        if (!calibration.isEmpty()) {
            m.put("calibration", calibration);
        }
        return m;
    }

    /** Which checks this model can do: "input_statistics", "target_range" (empty: none). */
    public List<String> checks() {
        List<String> l = new ArrayList<>();
        if (!inputBounds.isEmpty()) {
            l.add("input_statistics");
        }
        if (targetRange != null) {
            l.add("target_range");
        }
        return l;
    }

    /**
     * Statistics outside their bounds, one message each ("input unlike the training data: cv 0.62 outside 0.08–0.41").
     * {@code stats} must come from the definition named by {@link #statistics()}; a bound whose statistic is missing
     * is a programming error.
     */
    public List<String> checkInput(String definition, Map<String, Double> stats) {
        List<String> w = new ArrayList<>();
        List<String> out = outside(definition, stats);
        if (!out.isEmpty()) {
            w.add("input unlike the model's training data (" + String.join("; ", out) + ")");
        }
        return w;
    }

    /**
     * The statistics outside their bounds, one "name value outside low–high" each (empty when none or when nothing
     * is known); a capability may refuse an input that fails most of them ({@link #checkInput} only warns).
     */
    public List<String> outside(String definition, Map<String, Double> stats) {
        List<String> out = new ArrayList<>();
        if (inputBounds.isEmpty()) {
            return out;
        }
        if (!definition.equals(statistics)) {
            throw new DopajException("applicability bounds are for statistics '" + statistics + "', the input was"
                    + " described with '" + definition + "'");
        }
        for (Map.Entry<String, double[]> e : inputBounds.entrySet()) {
            Double v = stats.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("statistic " + e.getKey() + " not computed");
            }
            double[] b = e.getValue();
            if (!(v >= b[0] && v <= b[1])) {
                out.add(String.format(Locale.ROOT, "%s %.3g outside %.3g–%.3g", e.getKey(), v, b[0], b[1]));
            }
        }
        return out;
    }

    /** A warning when {@code prediction} lies outside the training targets, else none. */
    public List<String> checkPrediction(String what, double prediction) {
        if (targetRange == null || (prediction >= targetRange[0] && prediction <= targetRange[1])) {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT, "%s %.3f outside the range the model was trained on (%.3g–%.3g);"
                + " not clamped", what, prediction, targetRange[0], targetRange[1]));
    }

    /**
     * Bounds from calibration statistics: per statistic the {@code q} and {@code 1 − q} empirical quantiles, widened by
     * {@code margin} × (their distance), so that with K statistics at most about 2·K·q of in-distribution inputs are
     * flagged (q = 0.001, K ≤ 5 → ≤ 1 %; the held-out rate is measured, not assumed).
     */
    public static Map<String, double[]> calibrate(List<Map<String, Double>> samples, double q, double margin) {
        if (samples.isEmpty()) {
            throw new DopajException("no calibration samples");
        }
        Map<String, double[]> b = new LinkedHashMap<>();
        for (String k : samples.get(0).keySet()) {
            double[] v = samples.stream().mapToDouble(s -> s.get(k)).sorted().toArray();
            double lo = quantile(v, q);
            double hi = quantile(v, 1 - q);
            double w = (hi - lo) * margin;
            b.put(k, new double[]{lo - w, hi + w});
        }
        return b;
    }

    /** Linear-interpolated empirical quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Applicability a && java.util.Objects.equals(statistics, a.statistics)
                && Arrays.equals(targetRange, a.targetRange) && inputBounds.keySet().equals(a.inputBounds.keySet())
                && inputBounds.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), a.inputBounds.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(statistics, inputBounds.keySet(), Arrays.hashCode(targetRange));
    }
}
