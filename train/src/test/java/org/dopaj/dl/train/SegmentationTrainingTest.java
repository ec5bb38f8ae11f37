package org.dopaj.dl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny DeepLabv3+-style 2D segmenter (separable + atrous convolutions, ASPP, upsampling) learns with soft Dice. */
class SegmentationTrainingTest {

    @TempDir
    Path tmp;

    static final int S = 32;

    /** A noisy image with a bright disc; the target is the disc's mask. */
    static Sample disc(int index) {
        Random rng = new Random(1000 + index);
        double cy = 8 + 16 * rng.nextDouble();
        double cx = 8 + 16 * rng.nextDouble();
        double r = 4 + 4 * rng.nextDouble();
        float[] image = new float[S * S];
        float[] mask = new float[S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                boolean in = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r;
                mask[y * S + x] = in ? 1 : 0;
                image[y * S + x] = (float) ((in ? 1.0 : 0.0) + 0.3 * rng.nextGaussian());
            }
        }
        return new Sample(image, mask);
    }

    /** DeepLabv3+-style: output stride 2, ASPP with atrous rates 2 and 4. */
    static final Network DEEPLAB_TINY = Networks.deepLabV3Plus(16, 1, new int[] {2, 4}, 2);

    @Test
    void separableAtrousSegmenterLearnsWithSoftDice() {
        ModelSpec spec = new ModelSpec("disc2d", new long[] {S, S, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE), DEEPLAB_TINY);
        Dataset data = Dataset.generated(48, SegmentationTrainingTest::disc).cached();
        List<Float> losses = new ArrayList<>();
        try (TrainingGraph g = TrainingGraph.create(spec, 3, 2)) {
            int step = 0;
            for (int epoch = 0; epoch < 5; epoch++) {
                for (int from = 0; from < data.size(); from += 8) {
                    List<Sample> batch = new ArrayList<>();
                    for (int i = from; i < from + 8; i++) {
                        batch.add(data.get(i));
                    }
                    losses.add(g.step(batch, 1e-2, step++));
                }
            }
            float[][] p = g.predict(List.of(data.get(0).input()));
            assertEquals(S * S * 2, p[0].length, "per-pixel probabilities of 2 classes");
        }
        double first = losses.get(0);
        double lastFive = losses.subList(losses.size() - 5, losses.size()).stream().mapToDouble(Float::doubleValue)
                .average().orElseThrow();
        System.out.println("disc2d soft-Dice losses: " + losses);
        assertTrue(lastFive < 0.6 * first, "Dice loss falls: " + first + " -> " + lastFive);
    }

    @Test
    void segmenterTrainsAndExportsWithoutCam() {
        ModelSpec spec = new ModelSpec("disc2d", new long[] {S, S, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE_PLUS_CROSS_ENTROPY), DEEPLAB_TINY);
        Dataset data = Dataset.generated(16, SegmentationTrainingTest::disc).cached();
        TrainingResult r = new Trainer().train(spec, data, data.subset(new int[] {0, 1, 2, 3}),
                TrainingConfig.defaults(tmp.resolve("ckpt")).withEpochs(1).withThreads(2), null);
        double dice = r.history().get(0).validationMetric();
        assertTrue(dice >= 0 && dice <= 1, "validation Dice " + dice);
        ExportedModel m = ModelExporter.export(spec, r.bestCheckpoint(), tmp.resolve("saved"));
        assertArrayEquals(new long[] {-1, S, S, 2}, m.outputs().get("probabilities"));
        assertNull(m.camOutput());
        assertEquals(1, m.outputs().size());
    }
}
