package org.dopaj.dl.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * The preprocessing a package declares for one input ({@code config.dopaj.preprocessing.<input id>}): an ordered
 * list of steps applied per sample (each batch element on its own) before the tensor is handed to TensorFlow.
 * The input is never modified; {@link #apply} returns a new tensor.
 *
 * <ul>
 *   <li>{@code divide_by_mean} — x / mean(x) (refused when the mean is 0 or not finite);</li>
 *   <li>{@code flip_axis: y} — reverse along an axis, named by its id or by its index in the input's
 *       {@code axes} list (batch = 0, i.e. numpy's axis on the batched tensor);</li>
 *   <li>{@code percentile_normalize: {min_percentile: 1, max_percentile: 99.8}} — (x − p_lo)/(p_hi − p_lo);</li>
 *   <li>{@code zero_mean_unit_variance} — (x − mean)/std (std floored at 1e-6);</li>
 *   <li>{@code scale_linear: {gain: g, offset: o}} — g·x + o.</li>
 * </ul>
 */
public final class Preprocessing {
    /** One step: its yaml name, its parameters (as written) and the function. */
    public record Step(String name, Object parameters) {
    }

    private final String inputId;
    private final List<Step> steps;

    private Preprocessing(String inputId, List<Step> steps) {
        this.inputId = inputId;
        this.steps = List.copyOf(steps);
    }

    /** No preprocessing. */
    public static Preprocessing none(String inputId) {
        return new Preprocessing(inputId, List.of());
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Parses the yaml list for {@code spec}; {@code where} names the place for error messages. */
    static Preprocessing parse(Object yaml, TensorSpec spec, String where) {
        if (yaml == null) {
            return none(spec.id());
        }
        if (!(yaml instanceof List)) {
            throw new DopajException(where + " must be a list of steps");
        }
        List<Step> steps = new ArrayList<>();
        for (Object o : (List<?>) yaml) {
            String name;
            Object params;
            if (o instanceof String) {
                name = (String) o;
                params = null;
            } else if (o instanceof Map && ((Map<?, ?>) o).size() == 1) {
                Map.Entry<?, ?> e = ((Map<?, ?>) o).entrySet().iterator().next();
                name = String.valueOf(e.getKey());
                params = e.getValue();
            } else {
                throw new DopajException(where + ": step " + o + " must be a name or a one-key map");
            }
            steps.add(validate(name, params, spec, where));
        }
        return new Preprocessing(spec.id(), steps);
    }

    private static Step validate(String name, Object params, TensorSpec spec, String where) {
        switch (name) {
            case "divide_by_mean":
            case "zero_mean_unit_variance":
                return new Step(name, null);
            case "flip_axis": {
                if (params == null) {
                    throw new DopajException(where + ": flip_axis needs an axis id or index");
                }
                int ax = spec.axisIndex(String.valueOf(params));
                if (ax < 0 || spec.axes().get(ax).isBatch()) {
                    throw new DopajException(where + ": flip_axis '" + params + "' is not a non-batch axis of "
                            + spec.describeShape());
                }
                return new Step(name, params);
            }
            case "percentile_normalize": {
                Map<?, ?> m = params instanceof Map ? (Map<?, ?>) params : Map.of();
                double lo = number(m.get("min_percentile"), 1.0, where + ".percentile_normalize.min_percentile");
                double hi = number(m.get("max_percentile"), 99.8, where + ".percentile_normalize.max_percentile");
                if (!(lo >= 0 && hi <= 100 && lo < hi)) {
                    throw new DopajException(where + ": percentile_normalize needs 0 ≤ min_percentile < max_percentile ≤ 100");
                }
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("min_percentile", lo);
                p.put("max_percentile", hi);
                return new Step(name, p);
            }
            case "scale_linear": {
                Map<?, ?> m = params instanceof Map ? (Map<?, ?>) params : Map.of();
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("gain", number(m.get("gain"), 1.0, where + ".scale_linear.gain"));
                p.put("offset", number(m.get("offset"), 0.0, where + ".scale_linear.offset"));
                return new Step(name, p);
            }
            default:
                throw new DopajException(where + ": unknown preprocessing step '" + name + "' (known: divide_by_mean, "
                        + "flip_axis, percentile_normalize, zero_mean_unit_variance, scale_linear)");
        }
    }

    static double number(Object o, double dflt, String where) {
        if (o == null) {
            return dflt;
        }
        if (o instanceof Number) {
            return ((Number) o).doubleValue();
        }
        throw new DopajException(where + " must be a number, got '" + o + "'");
    }

    /** Applies every step to each sample of {@code t} (batch axis 0); returns a new tensor. */
    public Tensor apply(Tensor t, TensorSpec spec) {
        if (steps.isEmpty()) {
            return t;
        }
        float[] out = t.data().clone();
        long[] shape = t.shape();
        int batchAxis = spec.axes().isEmpty() || !spec.axes().get(0).isBatch() ? -1 : 0;
        int nb = batchAxis == 0 ? (int) shape[0] : 1;
        int per = out.length / Math.max(nb, 1);
        for (Step s : steps) {
            for (int b = 0; b < nb; b++) {
                int off = b * per;
                switch (s.name()) {
                    case "divide_by_mean": {
                        double sum = 0;
                        for (int i = off; i < off + per; i++) {
                            sum += out[i];
                        }
                        double mean = sum / per;
                        if (mean == 0 || !Double.isFinite(mean)) {
                            throw new DopajException("input '" + inputId + "': divide_by_mean impossible, sample " + b
                                    + " has mean " + mean);
                        }
                        for (int i = off; i < off + per; i++) {
                            out[i] = (float) (out[i] / mean);
                        }
                        break;
                    }
                    case "zero_mean_unit_variance": {
                        double sum = 0;
                        double sq = 0;
                        for (int i = off; i < off + per; i++) {
                            sum += out[i];
                            sq += (double) out[i] * out[i];
                        }
                        double mean = sum / per;
                        double std = Math.sqrt(Math.max(sq / per - mean * mean, 0));
                        std = Math.max(std, 1e-6);
                        for (int i = off; i < off + per; i++) {
                            out[i] = (float) ((out[i] - mean) / std);
                        }
                        break;
                    }
                    case "percentile_normalize": {
                        Map<?, ?> p = (Map<?, ?>) s.parameters();
                        float[] sorted = Arrays.copyOfRange(out, off, off + per);
                        Arrays.sort(sorted);
                        double lo = percentile(sorted, ((Number) p.get("min_percentile")).doubleValue());
                        double hi = percentile(sorted, ((Number) p.get("max_percentile")).doubleValue());
                        double range = Math.max(hi - lo, 1e-6);
                        for (int i = off; i < off + per; i++) {
                            out[i] = (float) ((out[i] - lo) / range);
                        }
                        break;
                    }
                    case "scale_linear": {
                        Map<?, ?> p = (Map<?, ?>) s.parameters();
                        double g = ((Number) p.get("gain")).doubleValue();
                        double o = ((Number) p.get("offset")).doubleValue();
                        for (int i = off; i < off + per; i++) {
                            out[i] = (float) (g * out[i] + o);
                        }
                        break;
                    }
                    case "flip_axis":
                        flip(out, shape, spec.axisIndex(String.valueOf(s.parameters())), off, per);
                        break;
                    default:
                        throw new IllegalStateException(s.name());
                }
            }
        }
        return Tensor.of(out, shape);
    }

    /** Linear-interpolated percentile (numpy's default) of sorted values. */
    static double percentile(float[] sorted, double pct) {
        double pos = pct / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        double f = pos - i;
        return sorted[i] * (1 - f) + sorted[j] * f;
    }

    /** Reverses {@code axis} inside one sample (values off..off+per of a C-order array of {@code shape}). */
    static void flip(float[] a, long[] shape, int axis, int off, int per) {
        int n = (int) shape[axis];
        int inner = 1;
        for (int k = axis + 1; k < shape.length; k++) {
            inner *= (int) shape[k];
        }
        int block = n * inner;
        for (int base = off; base < off + per; base += block) {
            for (int i = 0; i < n / 2; i++) {
                int p = base + i * inner;
                int q = base + (n - 1 - i) * inner;
                for (int k = 0; k < inner; k++) {
                    float tmp = a[p + k];
                    a[p + k] = a[q + k];
                    a[q + k] = tmp;
                }
            }
        }
    }

    List<Object> toYaml() {
        List<Object> l = new ArrayList<>();
        for (Step s : steps) {
            l.add(s.parameters() == null ? s.name() : Map.of(s.name(), s.parameters()));
        }
        return l;
    }
}
