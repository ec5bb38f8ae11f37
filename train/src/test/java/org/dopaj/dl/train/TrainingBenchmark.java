package org.dopaj.dl.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Not a test (no *Test suffix, so CI skips it): times a training step, the export and one inference
 * with CAM for the capability-sized networks, on random data. Run:
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.dl.train.TrainingBenchmark [threads]}
 */
public final class TrainingBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        run(new ModelSpec("spect-vgg3d", new long[] {91, 109, 91, 1}, new Task.Classification(2, 1),
                Networks.vgg3d(new int[] {16, 32, 64, 128, 192}, 2, 0.5f, 0, 2)), 2, threads);
        run(new ModelSpec("nigrosome-vgg3d", new long[] {50, 50, 20, 1}, new Task.Regression(1, 0),
                Networks.vgg3d(new int[] {16, 32, 64}, 2, 0.3f, 32, 1)), 8, threads);
        run(new ModelSpec("brainmask-deeplab", new long[] {128, 128, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE),
                Networks.deepLabV3Plus(32, 3, new int[] {2, 4, 6}, 2)), 8, threads);
    }

    private static void run(ModelSpec spec, int batchSize, int threads) throws Exception {
        Random rng = new Random(1);
        List<Sample> batch = new ArrayList<>();
        int targetSize = spec.task() instanceof Task.Segmentation ? spec.inputSize() : 1;
        for (int i = 0; i < batchSize; i++) {
            float[] x = new float[spec.inputSize()];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextGaussian();
            }
            float[] t = new float[targetSize];
            for (int j = 0; j < t.length; j++) {
                t[j] = rng.nextInt(2);
            }
            batch.add(new Sample(x, t));
        }
        Path dir = Files.createTempDirectory("dopaj-bench");
        long t0 = System.nanoTime();
        double stepMs;
        long params;
        try (TrainingGraph g = TrainingGraph.create(spec, 1, threads)) {
            double buildS = (System.nanoTime() - t0) / 1e9;
            g.step(batch, 1e-3, 0);
            int n = 3;
            long t1 = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                g.step(batch, 1e-3, i);
            }
            stepMs = (System.nanoTime() - t1) / 1e6 / n;
            params = g.model().net().parameterCount();
            g.save(dir.resolve("ckpt"));
            System.out.printf("%s: %d parameters, graph build+init %.2f s, training step (batch %d) %.0f ms%n",
                    spec.name(), params, buildS, batchSize, stepMs);
        }
        long t2 = System.nanoTime();
        ExportedModel m = ModelExporter.export(spec, dir.resolve("ckpt"), dir.resolve("saved"));
        double exportS = (System.nanoTime() - t2) / 1e9;
        try (SavedModelBundle b = SavedModelBundle.load(m.folder().toString(), "serve")) {
            long[] shape = spec.batchInputShape();
            shape[0] = 1;
            float[] x = batch.get(0).input();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                try (TFloat32 xt = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false))) {
                    long t3 = System.nanoTime();
                    try (Result r = b.function("serving_default").call(Map.of("input", xt))) {
                        best = Math.min(best, (System.nanoTime() - t3) / 1e6);
                    }
                }
            }
            System.out.printf("%s: export %.2f s, SavedModel inference of 1 sample (outputs %s) best of 4: %.1f ms%n",
                    spec.name(), exportS, m.outputs().keySet(), best);
        }
    }
}
