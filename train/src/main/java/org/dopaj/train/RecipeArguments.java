package org.dopaj.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;

/**
 * The checked, typed arguments of one recipe run: every declared {@link RecipeArgument} with its value from the
 * config or its default. Built by {@link #of}, which refuses unknown keys, wrong types and values outside a choice
 * with one line naming the key; the getters then only hand out what was checked.
 */
public final class RecipeArguments {
    private final String where;
    private final Map<String, RecipeArgument> declared = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    private RecipeArguments(String where) {
        this.where = where;
    }

    /**
     * Checks {@code given} (the YAML map under {@code arguments:}; may be null) against {@code declared}; relative
     * paths are resolved against {@code base} (the config file's folder).
     */
    public static RecipeArguments of(String where, List<RecipeArgument> declared, Map<String, ?> given, Path base) {
        RecipeArguments a = new RecipeArguments(where);
        for (RecipeArgument d : declared) {
            a.declared.put(d.name(), d);
        }
        Map<String, ?> in = given == null ? Map.of() : given;
        for (String k : in.keySet()) {
            if (!a.declared.containsKey(k)) {
                throw new DopajException(where + ": unknown argument '" + k + "' (allowed: "
                        + String.join(", ", a.declared.keySet().stream().sorted().toList()) + ")");
            }
        }
        for (RecipeArgument d : declared) {
            Object v = in.get(d.name());
            if (v == null) {
                if (d.required()) {
                    throw new DopajException(where + ": argument '" + d.name() + "' is required (" + d.help() + ")");
                }
                v = d.dflt();
            }
            a.values.put(d.name(), v == null ? null : a.convert(d, v, base));
        }
        return a;
    }

    /** A copy with {@code name} set to {@code value} (checked like a config value; paths against {@code base}). */
    public RecipeArguments with(String name, Object value, Path base) {
        RecipeArgument d = declared.get(name);
        if (d == null) {
            throw new DopajException(where + ": this recipe has no argument '" + name + "'");
        }
        RecipeArguments a = new RecipeArguments(where);
        a.declared.putAll(declared);
        a.values.putAll(values);
        a.values.put(name, a.convert(d, value, base));
        return a;
    }

    /** Whether the recipe declares {@code name}. */
    public boolean declares(String name) {
        return declared.containsKey(name);
    }

    private Object convert(RecipeArgument d, Object v, Path base) {
        String key = where + ": argument '" + d.name() + "'";
        switch (d.type()) {
            case INTEGER -> {
                if (!(v instanceof Integer || v instanceof Long)) {
                    throw new DopajException(key + " must be a whole number, got '" + v + "'");
                }
                return ((Number) v).longValue();
            }
            case NUMBER -> {
                double x = Double.NaN;
                if (v instanceof Number n) {
                    x = n.doubleValue();
                } else if (v instanceof String s) {
                    try {
                        x = Double.parseDouble(s.strip()); // YAML 1.1 reads 1e-3 (no dot) as text
                    } catch (NumberFormatException e) {
                        x = Double.NaN;
                    }
                }
                if (!Double.isFinite(x)) {
                    throw new DopajException(key + " must be a number, got '" + v + "'");
                }
                return x;
            }
            case FLAG -> {
                if (!(v instanceof Boolean b)) {
                    throw new DopajException(key + " must be true or false, got '" + v + "'");
                }
                return b;
            }
            case TEXT -> {
                if (v instanceof Map || v instanceof List) {
                    throw new DopajException(key + " must be a single value, got " + v);
                }
                return String.valueOf(v);
            }
            case CHOICE -> {
                String s = String.valueOf(v);
                if (v instanceof Map || v instanceof List || !d.choices().contains(s)) {
                    throw new DopajException(key + " must be one of " + String.join(", ", d.choices()) + ", got '" + v + "'");
                }
                return s;
            }
            case PATH -> {
                if (!(v instanceof String || v instanceof Path) || String.valueOf(v).isBlank()) {
                    throw new DopajException(key + " must be a path, got '" + v + "'");
                }
                Path p = Path.of(String.valueOf(v));
                return (p.isAbsolute() || base == null ? p : base.resolve(p)).normalize();
            }
            case PATHS -> {
                if (!(v instanceof List<?> list) || list.isEmpty()) {
                    throw new DopajException(key + " must be a non-empty list of paths, got " + v);
                }
                List<Path> out = new ArrayList<>();
                for (Object o : list) {
                    out.add((Path) convert(new RecipeArgument(d.name(), RecipeArgument.Type.PATH, null, null, false,
                            d.help()), o, base));
                }
                return Collections.unmodifiableList(out);
            }
            case TEXTS -> {
                if (!(v instanceof List<?> list) || list.isEmpty()
                        || list.stream().anyMatch(o -> o == null || o instanceof Map || o instanceof List)) {
                    throw new DopajException(key + " must be a non-empty list of words, got " + v);
                }
                List<String> out = new ArrayList<>();
                for (Object o : list) {
                    out.add(String.valueOf(o));
                }
                return Collections.unmodifiableList(out);
            }
            default -> throw new IllegalStateException(d.type().toString());
        }
    }

    private Object get(String name, RecipeArgument.Type type) {
        RecipeArgument d = declared.get(name);
        if (d == null || d.type() != type && !(type == RecipeArgument.Type.TEXT && d.type() == RecipeArgument.Type.CHOICE)) {
            throw new IllegalArgumentException("recipe argument " + name + " is not declared as " + type);
        }
        return values.get(name);
    }

    public long longValue(String name) {
        return (Long) get(name, RecipeArgument.Type.INTEGER);
    }

    /** A whole-number argument that must fit an int and be at least {@code min}. */
    public int integer(String name, int min) {
        long v = longValue(name);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new DopajException(where + ": argument '" + name + "' must be at least " + min + ", got " + v);
        }
        return (int) v;
    }

    public double number(String name) {
        return (Double) get(name, RecipeArgument.Type.NUMBER);
    }

    /** A number argument that must be above zero. */
    public double positive(String name) {
        double v = number(name);
        if (!(v > 0)) {
            throw new DopajException(where + ": argument '" + name + "' must be > 0, got " + v);
        }
        return v;
    }

    public boolean flag(String name) {
        return (Boolean) get(name, RecipeArgument.Type.FLAG);
    }

    /** A text or choice argument. */
    public String text(String name) {
        return (String) get(name, RecipeArgument.Type.TEXT);
    }

    public Path path(String name) {
        return (Path) get(name, RecipeArgument.Type.PATH);
    }

    @SuppressWarnings("unchecked")
    public List<String> texts(String name) {
        return (List<String>) get(name, RecipeArgument.Type.TEXTS);
    }

    /** A {@link RecipeArgument.Type#PATHS} argument; empty when not given. */
    @SuppressWarnings("unchecked")
    public List<Path> paths(String name) {
        List<Path> p = (List<Path>) get(name, RecipeArgument.Type.PATHS);
        return p == null ? List.of() : p;
    }

    /** Every argument with its value (defaults included), in declaration order: for {@code --check} and JSON. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v instanceof Path p ? p.toString()
                : v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Path ? l.stream().map(String::valueOf).toList()
                : v));
        return m;
    }

    /** Where these arguments come from, for error lines. */
    public String where() {
        return where;
    }
}
