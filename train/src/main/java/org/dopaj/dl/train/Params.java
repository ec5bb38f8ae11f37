package org.dopaj.dl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dopaj.DopajException;

/**
 * The parameters of one named entry of a training config (a network, a data generator, an augmentation), read
 * from YAML with typed getters whose errors name the config key ({@code network.block_filters must be ...}).
 * {@link #requireOnly} refuses unknown keys so a typo never passes silently.
 */
public final class Params {
    private final String where;
    private final Map<String, Object> values;

    public Params(String where, Map<String, ?> values) {
        this.where = where;
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /** Where these parameters sit in the config, e.g. {@code network}. */
    public String where() {
        return where;
    }

    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Refuses any key outside {@code allowed}. */
    public Params requireOnly(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw new DopajException(where + ": unknown key '" + k + "' (allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public double number(String key, double dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        double d = Double.NaN;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.strip()); // YAML 1.1 reads 1e-3 (no dot) as text
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
        }
        if (!Double.isFinite(d)) {
            throw new DopajException(where + "." + key + " must be a number, got '" + v + "'");
        }
        return d;
    }

    public int integer(String key, int dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new DopajException(where + "." + key + " must be a whole number, got '" + v + "'");
        }
        return Math.toIntExact(((Number) v).longValue());
    }

    public long longValue(String key, long dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new DopajException(where + "." + key + " must be a whole number, got '" + v + "'");
        }
        return ((Number) v).longValue();
    }

    public String text(String key, String dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Map || v instanceof List) {
            throw new DopajException(where + "." + key + " must be a single value, got " + v);
        }
        return String.valueOf(v);
    }

    public int[] integers(String key, int[] dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt == null ? null : dflt.clone();
        }
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new DopajException(where + "." + key + " must be a non-empty list of whole numbers, got " + v);
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Integer n)) {
                throw new DopajException(where + "." + key + " must be a list of whole numbers, got " + v);
            }
            out[i] = n;
        }
        return out;
    }

    public List<String> texts(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw new DopajException(where + "." + key + " must be a list, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** A nested map, or null. */
    @SuppressWarnings("unchecked")
    public Params child(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new DopajException(where + "." + key + " must be a map, got " + v);
        }
        return new Params(where + "." + key, (Map<String, ?>) v);
    }
}
