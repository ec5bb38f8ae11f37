package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj train CONFIG} on a tiny blobs3d config, then {@code dopaj models verify DIR --run}; cancel and resume. */
class TrainCliTest {
    @TempDir
    Path tmp;

    private static final String CONFIG = """
            # tiny blob detector: 16^3 noise, class 1 has a blob in the first octant
            id: blobs-cli
            name: Blob detector (CLI test)
            description: Tiny 3D CNN trained by dopaj train in TrainCliTest.
            authors: [DopaJ tests]
            license: MIT
            network: {name: tiny3d, filters: [8, 16], dropout: 0.2}
            input_shape: [16, 16, 16, 1]
            task: classification
            labels: [no_blob, blob]
            cam_class: 1
            data:
              generated: {kind: blobs3d, n: 96, seed: 5}
              validation_fraction: 0.25
            epochs: EPOCHS
            batch_size: 8
            learning_rate: 1e-2
            schedule: cosine
            min_learning_rate: 1e-3
            seed: 7
            threads: 2
            augmentation: [{intensity_scale: {range: 0.05}}]
            voxel_size_mm: [1, 1, 1]
            output: models/blobs-cli
            checkpoints: runs/blobs-cli
            """;

    private record Run(int code, String out, String err) {
    }

    private static Run run(CliCommand cmd, String... args) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = cmd == null ? Main.run(List.of(args), po, pe) : cmd.run(List.of(args), po, pe);
        }
        Run r = new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        if (code == 0) {
            System.out.print(r.err); // training progress; the refusals the tests provoke are asserted, not printed
        }
        return r;
    }

    @Test
    void trainsPackagesAndVerifies() throws Exception {
        Path cfg = tmp.resolve("blobs.yaml");
        Files.writeString(cfg, CONFIG.replace("EPOCHS", "6"));
        Run r = run(null, "train", cfg.toString(), "--json");
        assertEquals(0, r.code, r.err);
        JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
        System.out.println("train --json: " + r.out);
        Path dir = Path.of(j.get("package").getAsString());
        assertEquals(tmp.resolve("models/blobs-cli"), dir);
        assertEquals("ok", j.get("status").getAsString());
        assertTrue(j.get("parameters").getAsLong() > 1000);
        assertEquals(6, j.get("epochs_run").getAsInt());
        double first = j.getAsJsonObject("first_epoch").get("train_loss").getAsDouble();
        double last = j.getAsJsonObject("final_epoch").get("train_loss").getAsDouble();
        assertTrue(last < 0.7 * first, "loss falls: " + first + " -> " + last);
        assertTrue(j.getAsJsonObject("best").get("validation_metric").getAsDouble() >= 0.9, r.out);
        assertTrue(j.getAsJsonObject("djl_vs_tf_java_max_abs_diff").get("cam").getAsDouble() <= 1e-5);
        assertTrue(r.err.contains("epoch 1/6") && r.err.contains("ETA"), "progress lines on stderr: " + r.err);

        ModelPackage p = ModelPackage.load(dir);
        assertEquals(List.of("no_blob", "blob"), p.labels());
        assertTrue(Files.readString(dir.resolve("README.md")).contains("dopaj train blobs.yaml"));

        Run v = run(null, "models", "verify", dir.toString(), "--run", "--json");
        assertEquals(0, v.code, v.err);
        assertTrue(JsonParser.parseString(v.out).getAsJsonObject().get("ok").getAsBoolean(), v.out);

        // dopaj evaluate model: the package through DJL on the config's validation split = the trainer's figure
        Run ev = run(null, "evaluate", "model", dir.toString(), "--config", cfg.toString(), "--json");
        assertEquals(0, ev.code, ev.err);
        JsonObject e = JsonParser.parseString(ev.out).getAsJsonObject();
        assertEquals(j.getAsJsonObject("best").get("validation_metric").getAsDouble(),
                e.get("accuracy").getAsDouble(), 1e-9, ev.out);
        assertTrue(e.has("notice"), ev.out);
    }

    @Test
    void cancelledRunKeepsCheckpointsAndResumes() throws Exception {
        Path cfg = tmp.resolve("blobs.yaml");
        Files.writeString(cfg, CONFIG.replace("EPOCHS", "30"));
        Trainer trainer = new Trainer();
        Path state = tmp.resolve("runs/blobs-cli/last/" + Trainer.STATE_FILE);
        Thread canceller = new Thread(() -> {
            while (!Files.isRegularFile(state)) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
            trainer.cancel(); // as Ctrl-C does, once the first epoch is saved
        });
        canceller.start();
        Run c = run(new TrainCli(trainer), cfg.toString(), "--json");
        canceller.join();
        assertEquals(130, c.code, c.err);
        JsonObject j = JsonParser.parseString(c.out).getAsJsonObject();
        assertEquals("cancelled", j.get("status").getAsString());
        int done = j.get("epochs_run").getAsInt();
        assertTrue(done >= 1 && done < 30, "cancelled part-way: " + done);
        assertFalse(Files.exists(tmp.resolve("models/blobs-cli")), "no package from a cancelled run");
        assertTrue(c.err.contains("--resume"), c.err);

        Files.writeString(cfg, CONFIG.replace("EPOCHS", String.valueOf(done + 2)));
        Run r = run(null, "train", cfg.toString(), "--resume", "--json");
        assertEquals(0, r.code, r.err);
        JsonObject k = JsonParser.parseString(r.out).getAsJsonObject();
        assertEquals(done, k.get("resumed_from_epoch").getAsInt());
        assertEquals(done + 2, k.get("epochs_run").getAsInt());
        assertTrue(Files.isRegularFile(tmp.resolve("models/blobs-cli/rdf.yaml")));
    }

    @Test
    void badConfigsAreRefusedWithOneLine() throws Exception {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, CONFIG.replace("EPOCHS", "2").replace("batch_size:", "batchsize:"));
        Run r = run(null, "train", cfg.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("unknown key 'batchsize'"), r.err);

        Files.writeString(cfg, CONFIG.replace("EPOCHS", "2").replace("name: tiny3d", "name: resnet9"));
        r = run(null, "train", cfg.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("network 'resnet9' is unknown (known: tiny3d, vgg3d"), r.err);

        Files.writeString(cfg, CONFIG.replace("EPOCHS", "2").replace("kind: blobs3d", "kind: spect"));
        r = run(null, "train", cfg.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("data generator 'spect' is unknown"), r.err);
        assertEquals(1, r.err.strip().lines().filter(l -> l.startsWith("dopaj train:") && l.contains("unknown")).count());

        r = run(null, "train", tmp.resolve("missing.yaml").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("does not exist"), r.err);
    }

    @Test
    void anExistingPackageIsReplacedOnlyWithForceAndSaidBeforeTraining() throws Exception {
        Path cfg = tmp.resolve("blobs.yaml");
        Files.writeString(cfg, CONFIG.replace("EPOCHS", "1"));
        Path pkg = Files.createDirectories(tmp.resolve("models/blobs-cli"));
        Files.writeString(pkg.resolve("rdf.yaml"), "an earlier package");
        Run r = run(null, "train", cfg.toString());
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line, before any training: " + r.err);
        assertTrue(r.err.contains("exists") && r.err.contains("--force"), r.err);
        assertEquals("an earlier package", Files.readString(pkg.resolve("rdf.yaml")), "left alone");
        assertFalse(Files.exists(tmp.resolve("runs/blobs-cli")), "no training started");
    }
}
