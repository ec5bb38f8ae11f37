package org.dopaj.dl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.train.BlobData;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.EpochStats;
import org.dopaj.dl.train.Sample;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingGraph;
import org.dopaj.dl.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * End to end: a tiny 3D CNN learns the blob task, is exported as a SavedModel with Grad-CAM,
 * reloaded with TF Java, and agrees with the training graph; its CAM points at the blob octant.
 */
class ModelExporterTest {

    @TempDir
    Path tmp;

    @Test
    void tiny3dCnnLearnsExportsAndExplains() throws Exception {
        ModelSpec spec = BlobData.spec();
        Dataset train = Dataset.generated(64, i -> BlobData.sample(i, 1)).cached();
        Dataset validation = Dataset.generated(32, i -> BlobData.sample(i, 2)).cached();
        TrainingConfig config = TrainingConfig.defaults(tmp.resolve("ckpt")).withEpochs(6).withBatchSize(8)
                .withSeed(11).withSchedule(new LearningRateSchedule.Cosine(1e-2, 1e-3)).withThreads(2);
        double untrained;
        try (TrainingGraph g = TrainingGraph.create(spec, 11, 2)) {
            untrained = accuracy(g.predict(inputsOf(validation)), validation);
        }
        TrainingResult result = new Trainer().train(spec, train, validation, config, p -> { });
        List<EpochStats> h = result.history();
        System.out.println("blob3d history: " + h);
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss() * 0.7,
                "training loss falls: " + h.get(0).trainLoss() + " -> " + h.get(h.size() - 1).trainLoss());
        EpochStats best = h.get(result.bestEpoch() - 1);
        System.out.println("blob3d validation accuracy untrained " + untrained + ", best epoch " + best.validationMetric());
        assertTrue(best.validationMetric() >= 0.9, "validation accuracy of the best epoch " + best.validationMetric());
        assertTrue(untrained <= 0.75, "the same network before training is near chance: " + untrained);

        Path exported = tmp.resolve("saved");
        ExportedModel model = ModelExporter.export(spec, result.bestCheckpoint(), exported);
        assertTrue(Files.isRegularFile(exported.resolve("saved_model.pb")));
        assertEquals("serving_default", model.signatureKey());
        assertArrayEquals(new long[] {-1, 16, 16, 16, 1}, model.inputShape());
        assertArrayEquals(new long[] {-1, 2}, model.outputs().get("probabilities"));
        assertArrayEquals(new long[] {-1, 16, 16, 16, 1}, model.outputs().get("cam"));
        assertEquals(List.of("probabilities", "cam"), List.copyOf(model.outputs().keySet()));
        assertTrue(model.parameterCount() > 0);

        List<float[]> inputs = inputsOf(validation);
        float[][] reference;
        try (TrainingGraph g = TrainingGraph.create(spec, 99, 2)) {
            g.restore(result.bestCheckpoint());
            reference = g.predict(inputs);
            assertEquals(model.parameterCount(), g.model().net().parameterCount());
        }

        int n = inputs.size();
        float[] flat = new float[n * 4096];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs.get(i), 0, flat, i * 4096, 4096);
        }
        float[] probs = new float[n * 2];
        float[] cam = new float[n * 4096];
        try (SavedModelBundle bundle = SavedModelBundle.load(exported.toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(n, 16, 16, 16, 1), DataBuffers.of(flat, true, false));
                Result r = bundle.function("serving_default").call(java.util.Map.of("input", x))) {
            Tensor p = r.get("probabilities").orElseThrow();
            Tensor c = r.get("cam").orElseThrow();
            assertArrayEquals(new long[] {n, 2}, p.shape().asArray());
            assertArrayEquals(new long[] {n, 16, 16, 16, 1}, c.shape().asArray());
            ((TFloat32) p).copyTo(DataBuffers.of(probs, false, false));
            ((TFloat32) c).copyTo(DataBuffers.of(cam, false, false));
        }
        double maxDiff = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(probs[i * 2 + k] - reference[i][k]));
            }
        }
        System.out.println("blob3d export vs training graph max |diff| = " + maxDiff);
        assertTrue(maxDiff <= 1e-5, "exported model agrees with the training graph: max diff " + maxDiff);

        double inside = 0;
        double outside = 0;
        int insideCount = 0;
        int outsideCount = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4096; j++) {
                float v = cam[i * 4096 + j];
                assertTrue(v >= 0f && v <= 1f, "CAM in [0,1]: " + v);
            }
            if (Math.round(validation.get(i).target()[0]) != 1) {
                continue;
            }
            for (int z = 0; z < 16; z++) {
                for (int y = 0; y < 16; y++) {
                    for (int xx = 0; xx < 16; xx++) {
                        float v = cam[i * 4096 + (z * 16 + y) * 16 + xx];
                        if (z < 8 && y < 8 && xx < 8) {
                            inside += v;
                            insideCount++;
                        } else {
                            outside += v;
                            outsideCount++;
                        }
                    }
                }
            }
        }
        double meanInside = inside / insideCount;
        double meanOutside = outside / outsideCount;
        System.out.printf("blob3d CAM mean inside blob octant %.3f, outside %.3f%n", meanInside, meanOutside);
        assertTrue(meanInside > 2 * meanOutside, "CAM peaks in the blob octant: " + meanInside + " vs " + meanOutside);
    }

    private static List<float[]> inputsOf(Dataset d) {
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            inputs.add(d.get(i).input());
        }
        return inputs;
    }

    private static double accuracy(float[][] probabilities, Dataset d) {
        int correct = 0;
        for (int i = 0; i < d.size(); i++) {
            int predicted = probabilities[i][1] > probabilities[i][0] ? 1 : 0;
            correct += predicted == Math.round(d.get(i).target()[0]) ? 1 : 0;
        }
        return correct / (double) d.size();
    }

    /**
     * A 2D regressor (target: the brightness of a blob that always sits in the left half) trains,
     * exports with a CAM of its output, and the CAM favours the left half.
     */
    @Test
    void regressorExportsPredictionAndCam() throws Exception {
        int n = 24;
        java.util.function.IntFunction<Sample> make = i -> {
            java.util.Random rng = new java.util.Random(0x9E3779B97F4A7C15L * (i + 1)); // spread seeds: nearby seeds give nearby first draws
            float amp = 0.5f + rng.nextFloat();
            double cy = 4 + 16 * rng.nextDouble();
            double cx = 3 + 6 * rng.nextDouble();
            float[] v = new float[n * n];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double r2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    v[y * n + x] = (float) (amp * Math.exp(-r2 / 8) + 0.05 * rng.nextGaussian());
                }
            }
            return new Sample(v, new float[] {amp});
        };
        org.dopaj.dl.graph.Network net = (b, x) -> {
            x = b.convBnRelu2d(x, 8, 3, 1);
            x = b.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2});
            x = b.avgPool2d(x, new int[] {2, 2}, new int[] {2, 2});
            x = b.relu(b.conv2d(x, 8, 3));
            b.markCamLayer(x);
            return b.dense(b.globalAvgPool(x), 1, true);
        };
        ModelSpec spec = new ModelSpec("amp2d", new long[] {n, n, 1}, new org.dopaj.dl.graph.Task.Regression(1, 0), net);
        Dataset train = Dataset.generated(48, make).cached();
        TrainingResult r = new Trainer().train(spec, train, null,
                TrainingConfig.defaults(tmp.resolve("ckpt")).withEpochs(8).withThreads(2)
                        .withSchedule(new LearningRateSchedule.Constant(3e-3)), null);
        assertTrue(r.history().get(r.history().size() - 1).trainLoss() < r.history().get(0).trainLoss(),
                "regression loss falls: " + r.history());
        ExportedModel m = ModelExporter.export(spec, r.bestCheckpoint(), tmp.resolve("saved"));
        assertEquals(List.of("prediction", "cam"), List.copyOf(m.outputs().keySet()));
        assertArrayEquals(new long[] {-1, n, n, 1}, m.outputs().get("cam"));
        float[] flat = new float[8 * n * n];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(train.get(i).input(), 0, flat, i * n * n, n * n);
        }
        float[] cam = new float[8 * n * n];
        float[] pred = new float[8];
        try (SavedModelBundle bundle = SavedModelBundle.load(tmp.resolve("saved").toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(8, n, n, 1), DataBuffers.of(flat, true, false));
                Result res = bundle.function("serving_default").call(java.util.Map.of("input", x))) {
            ((TFloat32) res.get("prediction").orElseThrow()).copyTo(DataBuffers.of(pred, false, false));
            ((TFloat32) res.get("cam").orElseThrow()).copyTo(DataBuffers.of(cam, false, false));
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < 8; i++) {
            for (int y = 0; y < n; y++) {
                for (int xx = 0; xx < n; xx++) {
                    float v = cam[i * n * n + y * n + xx];
                    assertTrue(v >= 0 && v <= 1);
                    if (xx < n / 2) {
                        left += v;
                    } else {
                        right += v;
                    }
                }
            }
        }
        float[] truth = new float[8];
        for (int i = 0; i < 8; i++) {
            truth[i] = train.get(i).target()[0];
        }
        System.out.printf("amp2d CAM left half %.1f, right half %.1f; predictions %s, truth %s%n", left, right,
                java.util.Arrays.toString(pred), java.util.Arrays.toString(truth));
        assertTrue(left > 1.5 * right, "CAM of the regressor favours the half with the blob");
        for (float p : pred) {
            assertTrue(Float.isFinite(p));
        }
    }
}
