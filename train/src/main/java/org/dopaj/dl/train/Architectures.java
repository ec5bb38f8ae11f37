package org.dopaj.dl.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;

/**
 * Named network architectures for {@code dopaj train} configs ({@code network: NAME} or
 * {@code network: {name: NAME, ...parameters}}). Built in: {@code tiny3d} (the engine's test network) and
 * {@code vgg3d}; capabilities add theirs with {@link #register}.
 */
public final class Architectures {

    /** Builds a network from its config parameters, the sample shape (channels last) and the task. */
    @FunctionalInterface
    public interface Factory {
        Network create(Params params, long[] inputShape, Task task);
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>();

    static {
        register("tiny3d", Architectures::tiny3d);
        register("vgg3d", Architectures::vgg3d);
    }

    private Architectures() {
    }

    /** Adds (or replaces) an architecture under {@code name}. */
    public static synchronized void register(String name, Factory factory) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+") || factory == null) {
            throw new DopajException("architecture name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        FACTORIES.put(name, factory);
    }

    public static synchronized List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** The network called {@code name}, or a one-line error listing the known names. */
    public static Network create(String name, Params params, long[] inputShape, Task task) {
        Factory f;
        synchronized (Architectures.class) {
            f = FACTORIES.get(name);
        }
        if (f == null) {
            throw new DopajException("network '" + name + "' is unknown (known: " + String.join(", ", names()) + ")");
        }
        return f.create(params, inputShape, task);
    }

    /** Logits of a classifier, or the values of a regressor. */
    static int outputsOf(Task task, String where) {
        if (task instanceof Task.Classification c) {
            return c.classes();
        }
        if (task instanceof Task.Regression r) {
            return r.outputs();
        }
        throw new DopajException(where + ": this network classifies or regresses; it cannot segment");
    }

    private static void require3d(long[] inputShape, String where) {
        if (inputShape.length != 4) {
            throw new DopajException(where + ": needs a 3D input_shape [x, y, z, channels], got " + Arrays.toString(inputShape));
        }
    }

    /**
     * conv-BN-ReLU({@code filters[0]}) → max-pool 2 → conv-BN-ReLU({@code filters[1]}) [CAM] → global mean →
     * dropout → dense. Parameters: {@code filters} (default [8, 16]), {@code dropout} (0.2).
     */
    static Network tiny3d(Params p, long[] inputShape, Task task) {
        p.requireOnly(Set.of("name", "filters", "dropout"));
        require3d(inputShape, p.where());
        int[] filters = p.integers("filters", new int[] {8, 16});
        if (filters.length != 2 || filters[0] < 1 || filters[1] < 1) {
            throw new DopajException(p.where() + ".filters must be two positive numbers, got " + Arrays.toString(filters));
        }
        float dropout = (float) p.number("dropout", 0.2);
        int outputs = outputsOf(task, p.where());
        return (net, x) -> {
            x = net.convBnRelu3d(x, filters[0], 3);
            x = net.maxPool3d(x, 2);
            x = net.convBnRelu3d(x, filters[1], 3);
            net.markCamLayer(x);
            x = net.globalAvgPool(x);
            x = net.dropout(x, dropout);
            return net.dense(x, outputs, true);
        };
    }

    /**
     * {@link Networks#vgg3d}. Parameters: {@code block_filters} (default [16, 32, 64]), {@code convs_per_block}
     * (2), {@code dropout} (0.3), {@code hidden_units} (0 = none).
     */
    static Network vgg3d(Params p, long[] inputShape, Task task) {
        p.requireOnly(Set.of("name", "block_filters", "convs_per_block", "dropout", "hidden_units"));
        require3d(inputShape, p.where());
        return Networks.vgg3d(p.integers("block_filters", new int[] {16, 32, 64}), p.integer("convs_per_block", 2),
                (float) p.number("dropout", 0.3), p.integer("hidden_units", 0), outputsOf(task, p.where()));
    }
}
