package org.dopaj.dl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.dopaj.DopajException;

/**
 * Named augmentation hooks for {@code dopaj train} configs ({@code augmentation: [NAME, {NAME: {params}}]}),
 * applied in the order listed to training samples only. Built in: {@code intensity_scale} (multiply by
 * 1 + U(−range, range), default range 0.1) and {@code gaussian_noise} (add N(0, sigma²), default sigma 0.05).
 * Capabilities add theirs (flips that respect anatomy, shifts) with {@link #register}.
 */
public final class Augmentations {

    /** Builds an augmentation from its parameters and the sample shape (channels last). */
    @FunctionalInterface
    public interface Factory {
        Augmentation create(Params params, long[] inputShape);
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>();

    static {
        register("intensity_scale", (p, shape) -> {
            p.requireOnly(Set.of("range"));
            double range = p.number("range", 0.1);
            if (!(range >= 0 && range < 1)) {
                throw new DopajException(p.where() + ".range must lie in [0, 1), got " + range);
            }
            return Augmentation.ofInput((x, rng) -> {
                float f = (float) (1 + range * (2 * rng.nextDouble() - 1));
                float[] y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = x[i] * f;
                }
                return y;
            });
        });
        register("gaussian_noise", (p, shape) -> {
            p.requireOnly(Set.of("sigma"));
            double sigma = p.number("sigma", 0.05);
            if (!(sigma >= 0)) {
                throw new DopajException(p.where() + ".sigma must be >= 0, got " + sigma);
            }
            return Augmentation.ofInput((x, rng) -> {
                float[] y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = (float) (x[i] + sigma * rng.nextGaussian());
                }
                return y;
            });
        });
    }

    private Augmentations() {
    }

    public static synchronized void register(String name, Factory factory) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+") || factory == null) {
            throw new DopajException("augmentation name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        FACTORIES.put(name, factory);
    }

    public static synchronized List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The chain for a config's {@code augmentation} list (entries: a name, or a one-key map name → parameters);
     * null for an empty list.
     */
    @SuppressWarnings("unchecked")
    public static Augmentation chain(List<?> entries, long[] inputShape) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        List<Augmentation> steps = new ArrayList<>();
        for (Object e : entries) {
            String name;
            Map<String, ?> params = Map.of();
            if (e instanceof String s) {
                name = s;
            } else if (e instanceof Map<?, ?> m && m.size() == 1) {
                Map.Entry<?, ?> only = m.entrySet().iterator().next();
                name = String.valueOf(only.getKey());
                if (only.getValue() instanceof Map<?, ?> pm) {
                    params = (Map<String, ?>) pm;
                } else if (only.getValue() != null) {
                    throw new DopajException("augmentation." + name + " needs a map of parameters, got " + only.getValue());
                }
            } else {
                throw new DopajException("augmentation entries are a name or {name: {parameters}}, got " + e);
            }
            Factory f;
            synchronized (Augmentations.class) {
                f = FACTORIES.get(name);
            }
            if (f == null) {
                throw new DopajException("augmentation '" + name + "' is unknown (known: " + String.join(", ", names()) + ")");
            }
            steps.add(f.create(new Params("augmentation." + name, params), inputShape));
        }
        return (sample, rng) -> {
            Sample s = sample;
            for (Augmentation a : steps) {
                s = a.apply(s, rng);
            }
            return s;
        };
    }
}
