package org.dopaj.dl.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.Task;

/**
 * Named generators of labelled training samples for {@code dopaj train} configs
 * ({@code data: {generated: {kind: NAME, n: N, seed: S, ...}}}). Built in: {@code blobs3d}; the capabilities add
 * theirs (e.g. {@code spect}, {@code smwi}) with {@link #register}. A generator must be repeatable: the same
 * (seed, index) gives the same sample.
 */
public final class SampleGenerators {

    /** Makes {@code n} samples of {@code inputShape} (channels last, tensor order) for {@code task}. */
    @FunctionalInterface
    public interface Generator {
        Dataset generate(int n, long seed, long[] inputShape, Task task, Params params);
    }

    private static final Map<String, Generator> GENERATORS = new TreeMap<>();

    static {
        register("blobs3d", SampleGenerators::blobs3d);
    }

    private SampleGenerators() {
    }

    public static synchronized void register(String kind, Generator generator) {
        if (kind == null || !kind.matches("[A-Za-z0-9_.-]+") || generator == null) {
            throw new DopajException("generator name must be letters, digits, '.', '_' or '-', got '" + kind + "'");
        }
        GENERATORS.put(kind, generator);
    }

    public static synchronized List<String> names() {
        return List.copyOf(GENERATORS.keySet());
    }

    public static Dataset generate(String kind, int n, long seed, long[] inputShape, Task task, Params params) {
        Generator g;
        synchronized (SampleGenerators.class) {
            g = GENERATORS.get(kind);
        }
        if (g == null) {
            throw new DopajException("data generator '" + kind + "' is unknown (known: " + String.join(", ", names()) + ")");
        }
        return g.generate(n, seed, inputShape, task, params);
    }

    /**
     * {@code blobs3d}: s³ volumes of Gaussian noise (σ {@code noise}, default 0.2); every odd-numbered sample (label 1)
     * carries a bright Gaussian blob (peak {@code amplitude}, default 1; width 1.5·s/16 voxels) centred at a random
     * point of the first octant (all three coordinates between s/8 and 3s/8), even-numbered samples (label 0) none.
     * Input shape must be [s, s, s, 1] with s ≥ 8, task a two-class classification. Layout: tensor order
     * [x][y][z], z fastest.
     */
    static Dataset blobs3d(int n, long seed, long[] shape, Task task, Params p) {
        p.requireOnly(Set.of("kind", "n", "seed", "noise", "amplitude"));
        if (shape.length != 4 || shape[0] != shape[1] || shape[1] != shape[2] || shape[3] != 1 || shape[0] < 8) {
            throw new DopajException(p.where() + ": blobs3d needs input_shape [s, s, s, 1] with s >= 8, got "
                    + Arrays.toString(shape));
        }
        if (!(task instanceof Task.Classification c) || c.classes() != 2) {
            throw new DopajException(p.where() + ": blobs3d makes a two-class classification (no blob / blob)");
        }
        int s = (int) shape[0];
        double noise = p.number("noise", 0.2);
        double amplitude = p.number("amplitude", 1.0);
        return Dataset.generated(n, i -> blobSample(s, i, seed, noise, amplitude));
    }

    /** Sample {@code index} of a blobs3d data set (see {@link #blobs3d}). */
    public static Sample blobSample(int s, int index, long seed, double noise, double amplitude) {
        // spread (seed, index) so that neighbouring indices do not start from neighbouring Random states
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + (index + 1L) * 0xBF58476D1CE4E5B9L);
        int label = index % 2;
        float[] v = new float[s * s * s];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (noise * rng.nextGaussian());
        }
        if (label == 1) {
            double cx = s / 8.0 + s / 4.0 * rng.nextDouble();
            double cy = s / 8.0 + s / 4.0 * rng.nextDouble();
            double cz = s / 8.0 + s / 4.0 * rng.nextDouble();
            double sigma = 1.5 * s / 16.0;
            for (int x = 0; x < s; x++) {
                for (int y = 0; y < s; y++) {
                    for (int z = 0; z < s; z++) {
                        double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                        v[(x * s + y) * s + z] += (float) (amplitude * Math.exp(-r2 / (2 * sigma * sigma)));
                    }
                }
            }
        }
        return new Sample(v, new float[] {label});
    }
}
