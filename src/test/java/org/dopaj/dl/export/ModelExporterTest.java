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
        TrainingResult result = new Trainer().train(spec, train, validation, config, p -> { });
        List<EpochStats> h = result.history();
        System.out.println("blob3d history: " + h);
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss() * 0.7,
                "training loss falls: " + h.get(0).trainLoss() + " -> " + h.get(h.size() - 1).trainLoss());
        EpochStats best = h.get(result.bestEpoch() - 1);
        assertTrue(best.validationMetric() >= 0.9, "validation accuracy of the best epoch " + best.validationMetric());

        Path exported = tmp.resolve("saved");
        ExportedModel model = ModelExporter.export(spec, result.bestCheckpoint(), exported);
        assertTrue(Files.isRegularFile(exported.resolve("saved_model.pb")));
        assertEquals("serving_default", model.signatureKey());
        assertArrayEquals(new long[] {-1, 16, 16, 16, 1}, model.inputShape());
        assertArrayEquals(new long[] {-1, 2}, model.outputs().get("probabilities"));
        assertArrayEquals(new long[] {-1, 16, 16, 16, 1}, model.outputs().get("cam"));
        assertEquals(List.of("probabilities", "cam"), List.copyOf(model.outputs().keySet()));
        assertTrue(model.parameterCount() > 0);

        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < validation.size(); i++) {
            inputs.add(validation.get(i).input());
        }
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
}
