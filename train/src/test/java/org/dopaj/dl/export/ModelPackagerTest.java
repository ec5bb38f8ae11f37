package org.dopaj.dl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Task;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.dl.train.Architectures;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.EpochStats;
import org.dopaj.dl.train.Params;
import org.dopaj.dl.train.SampleGenerators;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingGraph;
import org.dopaj.dl.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 end to end: a tiny 3D CNN learns the blobs3d task, is exported with Grad-CAM, packaged, reloaded through
 * DJL ({@link DopajModel}); DJL agrees with TF Java's own SavedModelBundle on probabilities and CAM; the CAM points at
 * the blob octant; the package verifies and a corrupted weight file is refused.
 */
class ModelPackagerTest {
    private static final int S = 16;
    private static final int VOXELS = S * S * S;

    @TempDir
    Path tmp;

    @Test
    void trainedNetworkIsPackagedAndDjlAgreesWithTfJava() throws Exception {
        Task task = new Task.Classification(2, 1);
        long[] shape = {S, S, S, 1};
        ModelSpec spec = new ModelSpec("blobs3d-tiny", shape, task,
                Architectures.create("tiny3d", new Params("network", Map.of()), shape, task));
        Params gen = new Params("data.generated", Map.of());
        Dataset train = SampleGenerators.generate("blobs3d", 64, 1, shape, task, gen).cached();
        Dataset validation = SampleGenerators.generate("blobs3d", 32, 2, shape, task, gen).cached();
        TrainingConfig config = TrainingConfig.defaults(tmp.resolve("ckpt")).withEpochs(6).withBatchSize(8)
                .withSeed(11).withSchedule(new LearningRateSchedule.Cosine(1e-2, 1e-3)).withThreads(2);

        double untrained;
        try (TrainingGraph g = TrainingGraph.create(spec, 11, 2)) {
            untrained = accuracy(g.predict(inputs(validation)), validation);
        }
        TrainingResult result = new Trainer().train(spec, train, validation, config, null);
        List<EpochStats> h = result.history();
        double first = h.get(0).trainLoss();
        double last = h.get(h.size() - 1).trainLoss();
        double accuracy = h.get(result.bestEpoch() - 1).validationMetric();
        System.out.printf("packager: training loss %.4f -> %.4f; validation accuracy untrained %.3f, best epoch %d: %.3f%n",
                first, last, untrained, result.bestEpoch(), accuracy);
        assertTrue(last < 0.7 * first, "training loss falls: " + first + " -> " + last);
        assertTrue(untrained <= 0.75, "untrained network is near chance: " + untrained);
        assertTrue(accuracy >= 0.9, "validation accuracy " + accuracy);

        ExportedModel exported = ModelExporter.export(spec, result.bestCheckpoint(), tmp.resolve("export"));
        float[] two = new float[2 * VOXELS];
        System.arraycopy(validation.get(0).input(), 0, two, 0, VOXELS);
        System.arraycopy(validation.get(1).input(), 0, two, VOXELS, VOXELS);
        ModelPackager.PackageInfo info = new ModelPackager.PackageInfo("blobs3d-tiny", "Blob detector (test)",
                "Tiny 3D CNN that tells noise from noise plus a blob in the first octant.", List.of("DopaJ tests"),
                "MIT", "# Blob detector\nTest model; research use only.\n", List.of("test"), null,
                Map.of("labels", List.of("no_blob", "blob"), "voxel_size_mm", List.of(1.0, 1.0, 1.0)));
        Path dir = tmp.resolve("models/blobs3d-tiny");
        ModelPackage pkg = ModelPackager.pack(exported, info, Tensor.of(two, 2, S, S, S, 1), dir, false);

        // the package as written: axes, config, test tensors, checksums
        ModelPackage loaded = ModelPackage.load(dir);
        assertEquals("classification", loaded.task());
        assertEquals(List.of("no_blob", "blob"), loaded.labels());
        assertEquals("probabilities", loaded.predictionOutput());
        assertEquals("cam", loaded.camOutput());
        assertEquals("[batch, x=16, y=16, z=16, channel=1]", loaded.input("input").describeShape());
        assertEquals("[batch, class=2]", loaded.output("probabilities").describeShape());
        assertEquals("[batch, x=16, y=16, z=16, channel=1]", loaded.output("cam").describeShape());
        assertEquals(pkg.weightsSha256(), loaded.weightsSha256());
        assertTrue(Files.isRegularFile(dir.resolve("test_output_cam.npy")));
        assertTrue(Files.readString(dir.resolve("rdf.yaml")).contains("format_version: 0.5.3"));

        // DJL (through the package) vs TF Java's own SavedModelBundle, on all validation samples
        int n = validation.size();
        float[] flat = new float[n * VOXELS];
        for (int i = 0; i < n; i++) {
            System.arraycopy(validation.get(i).input(), 0, flat, i * VOXELS, VOXELS);
        }
        Tensor batch = Tensor.of(flat, n, S, S, S, 1);
        Map<String, Tensor> djl;
        try (DopajModel m = DopajModel.load(dir, ComputeDevice.CPU)) {
            djl = m.predict(Map.of("input", batch));
            assertEquals(0, m.liveArrays(), "no DJL arrays left after prediction");
            Map<String, Double> self = m.selfTest();
            self.values().forEach(d -> assertTrue(d <= 1e-5, "self test " + self));
        }
        Map<String, Tensor> tf = ModelPackager.runTfJava(dir.resolve("saved_model"), "serving_default", "input", batch);
        double dProb = djl.get("probabilities").maxAbsDiff(tf.get("probabilities"));
        double dCam = djl.get("cam").maxAbsDiff(tf.get("cam"));
        System.out.printf("packager: max |DJL - TF Java| probabilities %.3g, cam %.3g%n", dProb, dCam);
        assertTrue(dProb <= 1e-5, "probabilities agree: " + dProb);
        assertTrue(dCam <= 1e-5, "CAM agrees: " + dCam);

        Tensor cam = djl.get("cam");
        assertArrayEquals(new long[] {n, S, S, S, 1}, cam.shape(), "CAM has the input's shape");
        float[] c = cam.data();
        double inside = 0;
        double outside = 0;
        long nIn = 0;
        long nOut = 0;
        for (int i = 0; i < n; i++) {
            if (Math.round(validation.get(i).target()[0]) != 1) {
                continue;
            }
            for (int x = 0; x < S; x++) {
                for (int y = 0; y < S; y++) {
                    for (int z = 0; z < S; z++) {
                        float v = c[i * VOXELS + (x * S + y) * S + z];
                        if (x < S / 2 && y < S / 2 && z < S / 2) {
                            inside += v;
                            nIn++;
                        } else {
                            outside += v;
                            nOut++;
                        }
                    }
                }
            }
        }
        double meanIn = inside / nIn;
        double meanOut = outside / nOut;
        System.out.printf("packager: DJL CAM mean inside blob octant %.3f, outside %.3f%n", meanIn, meanOut);
        assertTrue(meanIn > 2 * meanOut, "CAM peaks in the blob octant: " + meanIn + " vs " + meanOut);

        // a corrupted weight file is refused, naming the file and the reason
        Path bad = tmp.resolve("models/blobs3d-corrupt");
        copyTree(dir, bad);
        Path weights = bad.resolve("saved_model/variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(weights, bytes);
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(bad));
        System.out.println("packager: corrupted weights refused: " + e.getMessage());
        assertTrue(e.getMessage().contains("variables.data-00000-of-00001") && e.getMessage().contains("checksum"),
                e.getMessage());
        assertThrows(DopajException.class, () -> DopajModel.load(bad, ComputeDevice.CPU).close());

        // packing again into the same folder is refused unless asked to overwrite
        assertThrows(DopajException.class, () -> ModelPackager.pack(exported, info, Tensor.of(two, 2, S, S, S, 1), dir, false));
    }

    @Test
    void classifierWithoutLabelsIsRefused() {
        ExportedModel m = new ExportedModel(tmp, "serve", "serving_default", "input", new long[] {-1, 4, 4, 4, 1},
                Map.of("probabilities", new long[] {-1, 2}), null, new Task.Classification(2, 1), 10, "2.16.1");
        ModelPackager.PackageInfo info = new ModelPackager.PackageInfo("x", "x", "x", List.of("a"), "MIT", "card",
                null, null, Map.of());
        DopajException e = assertThrows(DopajException.class,
                () -> ModelPackager.pack(m, info, Tensor.zeros(1, 4, 4, 4, 1), tmp.resolve("p"), false));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
    }

    private static List<float[]> inputs(Dataset d) {
        List<float[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(d.get(i).input());
        }
        return out;
    }

    private static double accuracy(float[][] p, Dataset d) {
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            ok += (p[i][1] > p[i][0] ? 1 : 0) == Math.round(d.get(i).target()[0]) ? 1 : 0;
        }
        return ok / (double) d.size();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
