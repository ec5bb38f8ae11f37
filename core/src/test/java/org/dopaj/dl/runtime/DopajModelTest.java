package org.dopaj.dl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.Npy;
import org.dopaj.dl.model.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions through DJL against values computed by hand from the tiny model's known weights. */
class DopajModelTest {
    @TempDir
    static Path root;
    static ModelPackage plain;
    static ModelPackage preprocessed;
    static DopajModel model;

    @BeforeAll
    static void setUp() throws Exception {
        plain = TinyModels.writePackage(root, "plain", Map.of("output_scale", 2.0));
        preprocessed = TinyModels.writePackage(root, "pre", Map.of("preprocessing",
                Map.of("image", List.of("divide_by_mean", Map.of("flip_axis", "y")))));
        model = DopajModel.load(plain, ComputeDevice.CPU);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static float sum(Tensor t, int sample) {
        int per = t.size() / (int) t.dim(0);
        float s = 0;
        for (int i = sample * per; i < (sample + 1) * per; i++) {
            s += t.data()[i];
        }
        return s;
    }

    @Test
    void outputsAreReadByNameAndScaled() {
        Tensor img = TinyModels.image(3, 7);
        float[] before = img.data().clone();
        Map<String, Tensor> out = model.predict(Map.of("image", img));
        assertArrayEquals(before, img.data(), "input must not be modified");
        assertEquals(List.of("score", "cam"), List.copyOf(out.keySet()), "package order, not DJL's sorted order");
        Tensor score = out.get("score");
        assertArrayEquals(new long[] {3, 1}, score.shape());
        for (int b = 0; b < 3; b++) {
            // output_scale 2 applies to the prediction output only
            assertEquals(2 * (TinyModels.W * sum(img, b) + TinyModels.B), score.data()[b], 1e-4);
        }
        Tensor cam = out.get("cam");
        assertArrayEquals(img.shape(), cam.shape());
        for (int i = 0; i < cam.size(); i++) {
            assertEquals(TinyModels.W * img.data()[i], cam.data()[i], 1e-6);
        }
        assertEquals(ComputeDevice.CPU, model.device());
    }

    @Test
    void packageTestTensorsReproduce() {
        Tensor in = Npy.read(plain.dir().resolve(plain.input("image").testTensor()));
        Map<String, Tensor> out = model.predict(Map.of("image", in));
        for (String id : List.of("score", "cam")) {
            Tensor expected = Npy.read(plain.dir().resolve(plain.output(id).testTensor()));
            assertEquals(0, expected.maxAbsDiff(out.get(id)), 1e-6, id);
        }
    }

    @Test
    void declaredPreprocessingIsApplied() {
        try (DopajModel m = DopajModel.load(preprocessed, ComputeDevice.AUTO)) {
            Tensor img = TinyModels.image(1, 2);
            Tensor cam = m.predict(Map.of("image", img)).get("cam");
            float mean = sum(img, 0) / img.size();
            for (int x = 0; x < TinyModels.NX; x++) {
                for (int y = 0; y < TinyModels.NY; y++) {
                    for (int z = 0; z < TinyModels.NZ; z++) {
                        float expected = TinyModels.W * img.get(0, x, TinyModels.NY - 1 - y, z, 0) / mean;
                        assertEquals(expected, cam.get(0, x, y, z, 0), 1e-6);
                    }
                }
            }
            // divide_by_mean makes Σ = N, so score = W·N + B whatever the image
            assertEquals(TinyModels.W * img.size() + TinyModels.B, m.predict(img).data()[0], 1e-4);
        }
    }

    @Test
    void wrongShapeOrNameIsRefusedWithExpectedVersusGot() {
        DopajException e = assertThrows(DopajException.class,
                () -> model.predict(Map.of("image", Tensor.zeros(1, 4, 4, 4, 1))));
        assertTrue(e.getMessage().contains("shape [1, 4, 4, 4, 1], expected [batch, x=4, y=4, z=3, channel=1]"),
                e.getMessage());
        e = assertThrows(DopajException.class, () -> model.predict(Map.of("image", Tensor.zeros(4, 4, 3))));
        assertTrue(e.getMessage().contains("rank 3 instead of 5"), e.getMessage());
        e = assertThrows(DopajException.class, () -> model.predict(Map.of("picture", TinyModels.image(1, 0))));
        assertTrue(e.getMessage().contains("input 'image' missing"), e.getMessage());
    }

    @Test
    void gpuRequestWithoutGpuIsRefused() {
        if (TensorFlowRuntime.init().gpuBuild()) {
            return;
        }
        DopajException e = assertThrows(DopajException.class, () -> DopajModel.load(plain, ComputeDevice.GPU));
        assertTrue(e.getMessage().contains("no CUDA build"), e.getMessage());
    }

    @Test
    void signatureMismatchIsRefused() throws Exception {
        Path d = root.resolve("renamed");
        ModelPackage p = TinyModels.writePackage(root, "renamed", Map.of());
        Path rdf = p.dir().resolve("rdf.yaml");
        Files.writeString(rdf, Files.readString(rdf).replace("- id: image", "- id: picture"));
        DopajException e = assertThrows(DopajException.class, () -> DopajModel.load(d, ComputeDevice.CPU));
        assertTrue(e.getMessage().contains("input 'picture' is not in signature serving_default inputs [image]"),
                e.getMessage());
    }

    @Test
    void concurrentCallsShareAFewPredictorsAndAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int seed = t;
                fs.add(pool.submit(() -> {
                    Tensor img = TinyModels.image(1, seed);
                    float expected = 2 * (TinyModels.W * sum(img, 0) + TinyModels.B);
                    for (int i = 0; i < 200; i++) {
                        float got = model.predict(Map.of("image", img)).get("score").data()[0];
                        if (Math.abs(got - expected) > 1e-4) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(model.predictorCount() <= 5, "predictors: " + model.predictorCount());
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    @Test
    void thousandsOfPredictionsLeaveNoArraysAndFlatMemory() throws Exception {
        Tensor img = TinyModels.image(1, 1);
        int perRound = 2000;
        int rounds = 6;
        long[] rss = new long[rounds];
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perRound; i++) {
                model.predict(Map.of("image", img));
            }
            assertEquals(0, model.liveArrays(), "NDArrays left under the model's manager after round " + r);
            System.gc(); // RSS then reflects native memory, not uncollected Java garbage
            rss[r] = rssKb();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Round 0 warms up (JIT, TF allocator pools). RSS then wobbles by up to ~16 MB between rounds (malloc
        // arenas), so compare the lower of the last two rounds with the lower of rounds 1-2: a leak raises both.
        // Over the 6000 predictions in between, a leak of ≥ 3 kB per call (one input+outputs set of TF tensors
        // with handles and bookkeeping) would exceed the 16 MB bound; leaked NDArrays are caught exactly above.
        long growthKb = Math.min(rss[rounds - 1], rss[rounds - 2]) - Math.min(rss[1], rss[2]);
        System.out.println("[leak check] " + rounds * perRound + " predictions in " + ms + " ms; RSS after each "
                + perRound + " (kB): " + java.util.Arrays.toString(rss) + "; growth after warm-up " + growthKb + " kB");
        assertTrue(growthKb < 16 * 1024, "RSS grew by " + growthKb + " kB over " + (rounds - 3) * perRound
                + " predictions: " + java.util.Arrays.toString(rss));
    }

    @Test
    void closedModelRefusesWork() throws Exception {
        DopajModel m = DopajModel.load(plain, ComputeDevice.CPU);
        m.predict(TinyModels.image(1, 0));
        m.close();
        m.close();
        assertThrows(DopajException.class, () -> m.predict(TinyModels.image(1, 0)));
    }
}
