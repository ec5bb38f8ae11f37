package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.dopaj.dl.runtime.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj models list|verify} and {@code dopaj bench} on a models folder with good and broken packages. */
class ModelsAndBenchCliTest {
    @TempDir
    static Path models;

    @BeforeAll
    static void setUp() throws Exception {
        TinyModels.writePackage(models, "good", Map.of());
        TinyModels.writePackage(models, "corrupt", Map.of());
        Path data = models.resolve("corrupt/saved_model/variables/variables.data-00000-of-00001");
        byte[] b = Files.readAllBytes(data);
        b[0] ^= 0x10;
        Files.write(data, b);
        TinyModels.writePackage(models, "missing", Map.of());
        Files.delete(models.resolve("missing/saved_model/saved_model.pb"));
        Files.createDirectories(models.resolve("malformed"));
        Files.writeString(models.resolve("malformed/rdf.yaml"), "format_version: 0.5.3\ntype: model\nid: [oops\n");
        // the export folders TinyModels leaves beside the packages are not packages (no rdf.yaml): ignored
        System.setProperty("dopaj.models", models.toString());
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("dopaj.models");
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listShowsEachPackageWithItsChecksumStatus() {
        Run r = run("models", "list", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(models.toAbsolutePath().normalize().toString(), o.get("models_dir").getAsString());
        Map<String, JsonObject> byId = new HashMap<>();
        JsonArray arr = o.getAsJsonArray("models");
        for (var e : arr) {
            byId.put(e.getAsJsonObject().get("id").getAsString(), e.getAsJsonObject());
        }
        assertEquals(4, byId.size(), r.out());
        assertEquals("ok", byId.get("good").get("status").getAsString());
        assertEquals("regression", byId.get("good").get("task").getAsString());
        assertEquals("checksum mismatch", byId.get("corrupt").get("status").getAsString());
        assertEquals("weights absent", byId.get("missing").get("status").getAsString());
        assertEquals("invalid", byId.get("malformed").get("status").getAsString());
        Run text = run("models", "list");
        assertTrue(text.out().contains("good") && text.out().contains("checksum mismatch: weight file"), text.out());
    }

    @Test
    void verifyRefusesCorruptMissingAndMalformedWithReason() {
        Run ok = run("models", "verify", "good", "--run");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("good: ok (test tensors reproduce"), ok.out());

        Run corrupt = run("models", "verify", "corrupt");
        assertEquals(2, corrupt.code());
        assertTrue(corrupt.err().contains("corrupt: weight file variables/variables.data-00000-of-00001 checksum mismatch"),
                corrupt.err());

        Run missing = run("models", "verify", models.resolve("missing").toString(), "--json");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("weight file saved_model.pb missing"), missing.err());
        assertEquals(false, JsonParser.parseString(missing.out()).getAsJsonObject().get("ok").getAsBoolean());

        Run malformed = run("models", "verify", models.resolve("malformed").toString());
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("malformed YAML"), malformed.err());

        Run all = run("models", "verify");
        assertEquals(2, all.code(), "one bad package fails the whole verify");

        Run unknown = run("models", "verify", "no-such-model");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no model package 'no-such-model'"), unknown.err());
    }

    @Test
    void benchReportsFiguresForLoadableModelsAndSkipsBrokenOnes() {
        Run r = run("bench", "--json", "--repeat", "20", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("TensorFlow 2.16.1", o.get("engine").getAsString());
        assertEquals("cpu", o.get("device").getAsString());
        assertTrue(o.get("engine_load_ms").getAsDouble() >= 0);
        int measured = 0;
        int skipped = 0;
        for (var e : o.getAsJsonArray("models")) {
            JsonObject m = e.getAsJsonObject();
            if (m.has("skipped")) {
                skipped++;
                continue;
            }
            measured++;
            assertEquals("good", m.get("id").getAsString());
            double med = m.get("latency_median_ms").getAsDouble();
            double p95 = m.get("latency_p95_ms").getAsDouble();
            assertTrue(med > 0 && p95 >= med, m.toString());
            assertTrue(m.get("throughput_per_s").getAsDouble() > 0, m.toString());
            assertTrue(m.get("model_load_ms").getAsDouble() > 0, m.toString());
        }
        assertEquals(1, measured, r.out());
        assertEquals(3, skipped, r.out());
    }

    @Test
    void benchRefusesGpuWithoutCudaBuildAndBadRepeat() {
        if (!TensorFlowRuntime.init().gpuBuild()) {
            Run gpu = run("bench", "good", "--device", "gpu");
            assertEquals(2, gpu.code());
            assertTrue(gpu.err().contains("device gpu: no CUDA build of TensorFlow on the classpath"), gpu.err());
        }
        Run rep = run("bench", "good", "--repeat", "0");
        assertEquals(2, rep.code());
        assertTrue(rep.err().contains("--repeat must be ≥ 1"), rep.err());
        Run dev = run("bench", "good", "--device", "tpu");
        assertEquals(2, dev.code());
        assertTrue(dev.err().contains("device must be auto, cpu or gpu"), dev.err());
    }
}
