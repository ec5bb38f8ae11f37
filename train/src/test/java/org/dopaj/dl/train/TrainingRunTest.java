package org.dopaj.dl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrainingRun} with image files: NIfTI volumes listed in a CSV are read with {@code ImageFiles}, laid out with
 * {@code TensorLayout}, trained on, packaged; the CAM mapped back onto a {@link Volume} lies where the blob is in the
 * volume (an axis mix-up would move it). And the whole train → export → package → DJL cycle, repeated in one JVM,
 * leaves no DJL arrays and no native memory growth (graphs, sessions, bundles and models are all closed).
 */
class TrainingRunTest {
    private static final int S = 16;

    @TempDir
    Path tmp;

    /** x, y in the first half, z in the second: not symmetric under swapping axes. */
    private static boolean inBlobRegion(int x, int y, int z) {
        return x < S / 2 && y < S / 2 && z >= S / 2;
    }

    private static Volume blobVolume(int index) {
        Random rng = new Random(0x9E3779B97F4A7C15L * (index + 11));
        Volume v = Volume.allocate(Grid.of(S, S, S, 2, 2, 2));
        double cx = 2 + 4 * rng.nextDouble();
        double cy = 2 + 4 * rng.nextDouble();
        double cz = 10 + 4 * rng.nextDouble();
        for (int z = 0; z < S; z++) {
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                    double blob = index % 2 == 1 ? Math.exp(-r2 / (2 * 1.5 * 1.5)) : 0;
                    v.set(x, y, z, (float) (blob + 0.2 * rng.nextGaussian()));
                }
            }
        }
        return v;
    }

    private Map<String, Object> baseConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "blobs-files");
        c.put("network", "tiny3d");
        c.put("input_shape", List.of(S, S, S, 1));
        c.put("task", "classification");
        c.put("labels", List.of("no_blob", "blob"));
        c.put("cam_class", 1);
        c.put("epochs", 6);
        c.put("batch_size", 8);
        c.put("learning_rate", 0.01);
        c.put("schedule", "cosine");
        c.put("min_learning_rate", 0.001);
        c.put("seed", 3);
        c.put("threads", 2);
        c.put("output", "models/blobs-files");
        c.put("checkpoints", "runs/blobs-files");
        return c;
    }

    @Test
    void csvOfNiftiFilesTrainsAndCamLandsWhereTheBlobIsInTheVolume() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        StringBuilder csv = new StringBuilder("file,label,split\n");
        int n = 80;
        for (int i = 0; i < n; i++) {
            String name = "case" + i + ".nii.gz";
            ImageFiles.write(blobVolume(i), images.resolve(name));
            csv.append(name).append(',').append(i % 2).append(',').append(i < 64 ? "train" : "val").append('\n');
        }
        Files.writeString(tmp.resolve("labels.csv"), csv);
        Map<String, Object> c = baseConfig();
        c.put("data", Map.of("folder", "images", "csv", "labels.csv"));
        TrainingPlan plan = TrainingPlan.parse(c, tmp.resolve("files.yaml"));
        TrainingRun.Outcome o = TrainingRun.execute(plan, false, new Trainer(), null);
        assertEquals(64, o.trainSamples());
        assertEquals(16, o.validationSamples());
        EpochStats best = o.result().history().get(o.result().bestEpoch() - 1);
        System.out.println("files: " + o.summary());
        assertTrue(best.validationMetric() >= 0.9, "validation accuracy " + best.validationMetric());

        double inside = 0;
        double outside = 0;
        try (DopajModel m = DopajModel.load(o.pkg().dir(), ComputeDevice.CPU)) {
            for (int i = 65; i < n; i += 2) { // validation cases with a blob
                Volume v = ImageFiles.read(images.resolve("case" + i + ".nii.gz"));
                Tensor x = TensorLayout.fromVolume(v, m.modelPackage().input("input"));
                Tensor cam = m.predict(Map.of("input", x)).get("cam");
                Volume camVolume = TensorLayout.toVolume(cam, m.modelPackage().output("cam"), v.grid());
                for (int z = 0; z < S; z++) {
                    for (int y = 0; y < S; y++) {
                        for (int xx = 0; xx < S; xx++) {
                            if (inBlobRegion(xx, y, z)) {
                                inside += camVolume.get(xx, y, z);
                            } else {
                                outside += camVolume.get(xx, y, z);
                            }
                        }
                    }
                }
            }
            assertEquals(0, m.liveArrays());
        }
        // the package evaluated through DJL on the same validation rows reproduces the trainer's figure
        Map<String, Object> eval = ModelEvaluation.evaluate(o.pkg().dir(), plan, "validation", ComputeDevice.CPU);
        System.out.println("files: evaluation " + eval);
        assertEquals(16, eval.get("n"));
        assertEquals(best.validationMetric(), (Double) eval.get("accuracy"), 1e-9);
        assertTrue((Double) eval.get("auc") >= 0.9, "AUC " + eval.get("auc"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(org.dopaj.DopajException.class,
                () -> ModelEvaluation.evaluate(o.pkg().dir(), plan, "test", ComputeDevice.CPU)).getMessage()
                .contains("no rows marked test"));

        // a file of the wrong size is refused naming the file
        ImageFiles.write(Volume.allocate(Grid.of(S + 2, S, S, 2, 2, 2)), images.resolve("case0.nii.gz"));
        org.dopaj.DopajException bad = org.junit.jupiter.api.Assertions.assertThrows(org.dopaj.DopajException.class,
                () -> ModelEvaluation.evaluate(o.pkg().dir(), plan, "all", ComputeDevice.CPU));
        assertTrue(bad.getMessage().contains("case0.nii.gz"), bad.getMessage());

        double meanIn = inside / (8 * S * S * S / 8.0);
        double meanOut = outside / (8 * S * S * S * 7 / 8.0);
        System.out.printf("files: CAM on the volume grid, mean in the blob region %.3f, elsewhere %.3f%n", meanIn, meanOut);
        assertTrue(meanIn > 2 * meanOut, "CAM lies where the blob is in the volume: " + meanIn + " vs " + meanOut);
    }

    @Test
    void repeatedTrainExportPackageRunLeavesNoGrowth() throws Exception {
        Map<String, Object> c = baseConfig();
        c.put("epochs", 2);
        c.put("data", Map.of("generated", Map.of("kind", "blobs3d", "n", 32, "seed", 1)));
        TrainingPlan plan = TrainingPlan.parse(c, tmp.resolve("mem.yaml"));
        Tensor probe = Tensor.of(SampleGenerators.blobSample(S, 1, 9, 0.2, 1).input(), 1, S, S, S, 1);
        int rounds = Integer.getInteger("dopaj.leakRounds", 10);
        long[] rss = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            TrainingRun.Outcome o = TrainingRun.execute(plan, false, new Trainer(), null);
            try (DopajModel m = DopajModel.load(o.pkg().dir(), ComputeDevice.CPU)) {
                for (int i = 0; i < 50; i++) {
                    m.predict(Map.of("input", probe));
                }
                assertEquals(0, m.liveArrays(), "DJL arrays left after round " + r);
            }
            System.gc(); // RSS then reflects native memory, not uncollected Java garbage
            rss[r] = rssKb();
        }
        // Rounds 0-1 warm up (JIT, TF allocator pools, DJL engine); compare the lower of the last two rounds with the
        // lower of rounds 2-3. Measured: one TrainingGraph of this network left unclosed after a prediction keeps
        // ~4.5 MB of RSS (a scratch probe: 331.7, 336.5, 341.1, 345.5 ... MB), so leaking one per round adds ~27 MB
        // over the 6 rounds compared; the healthy pipeline drifted 5-12 MB (malloc arenas, JIT code), slowing down.
        long growth = Math.min(rss[rounds - 1], rss[rounds - 2]) - Math.min(rss[2], rss[3]);
        System.out.println("[pipeline leak check] RSS after each train+export+package+50 DJL runs (kB): "
                + Arrays.toString(rss) + "; growth after warm-up " + growth + " kB");
        assertTrue(growth < 16 * 1024, "RSS grew by " + growth + " kB: " + Arrays.toString(rss));
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
