package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.train.TrainRecipe;
import org.dopaj.train.TrainRecipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dopaj train} with a recipe config: every bundled model's {@code models/<id>/train.yaml} passes
 * {@code --check}, bad configs fail with one line, and the nigrosome recipe trains and packages end to end in seconds.
 */
class TrainRecipeCliTest {
    @TempDir
    Path tmp;

    /** Published third-party models: no DopaJ training, no train.yaml. */
    private static final String THIRD_PARTY_PREFIX = "mri-dat-nigral-vgg-";

    private static String expectedRecipe(String id) {
        if (id.startsWith("brainmask-")) {
            return "brain-mask";
        } else if (id.startsWith("wmh-")) {
            return "wmh";
        } else if (id.startsWith("msa-")) {
            return "msa";
        } else if (id.startsWith("nigrosome-vgg3d-")) {
            return "nigrosome";
        } else if (id.equals("spect-dat-cnn")) {
            return "spect-dat-cnn";
        }
        throw new AssertionError("models/" + id + ": a bundled model without a known training recipe");
    }

    @Test
    void everyBundledModelHasAValidTrainConfig() throws Exception {
        List<Path> dirs;
        try (var s = Files.list(Path.of("models"))) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve(ModelPackage.RDF))).sorted().toList();
        }
        assertTrue(dirs.size() >= 16, "model folders found: " + dirs);
        List<String> checked = new ArrayList<>();
        for (Path d : dirs) {
            String id = d.getFileName().toString();
            Path cfg = d.resolve("train.yaml");
            if (id.startsWith(THIRD_PARTY_PREFIX)) {
                assertFalse(Files.exists(cfg), id + " is a published third-party model: DopaJ does not train it");
                continue;
            }
            assertTrue(Files.isRegularFile(cfg), "models/" + id + " lacks train.yaml");
            CliRun r = CliRun.of("train", "--check", cfg, "--json");
            assertEquals(0, r.code(), id + ": " + r.err());
            JsonObject j = r.json();
            assertTrue(j.get("valid").getAsBoolean());
            assertEquals(expectedRecipe(id), j.get("recipe").getAsString(), id);
            assertEquals(id, j.get("model").getAsString(), id + ": model names its own folder");
            JsonObject args = j.getAsJsonObject("arguments");
            JsonArray plan = j.getAsJsonArray("plan");
            assertTrue(plan.size() >= 2, id + ": trains and packages: " + plan);
            switch (expectedRecipe(id)) {
                case "msa" -> {
                    assertEquals(id, args.get("task").getAsString() + "-pd-" + args.get("modality").getAsString());
                    assertEquals(0, args.get("split").getAsInt(), "the bundled package is split 0");
                    assertEquals(16, args.get("epochs").getAsInt());
                    assertEquals(960, args.get("pool").getAsInt());
                    assertEquals(1e-3, args.get("lr").getAsDouble(), 1e-12);
                    // the config reproduces the bundled package: its input normalisation and its training family
                    java.util.Map<String, Object> pkg = dopajConfig(d);
                    assertEquals(pkg.get("input_normalisation"), args.get("normalisation").getAsString(), id);
                    assertEquals(pkg.get("training_family"), args.get("family").getAsString(), id);
                }
                case "nigrosome" -> {
                    assertEquals(id, args.get("prefix").getAsString() + id.substring(id.lastIndexOf('-')));
                    assertEquals(d.getParent().toAbsolutePath().normalize().toString(), args.get("models").getAsString());
                    assertEquals(1000, args.get("phantoms").getAsInt());
                    assertEquals(22, args.get("epochs").getAsInt());
                    assertTrue(args.get("log_input").getAsBoolean(), "model 2.1 takes ln of the crop");
                    assertEquals("8/24/48", args.get("filters").getAsString());
                }
                case "brain-mask" -> {
                    assertEquals(11, args.get("seed").getAsInt());
                    assertEquals(1600, args.get("samples").getAsInt());
                    assertEquals(d.toAbsolutePath().normalize().toString(), args.get("output").getAsString());
                }
                case "wmh" -> {
                    assertEquals(13, args.get("seed").getAsInt());
                    assertEquals(180, args.get("samples").getAsInt());
                    assertEquals(70, args.get("epochs").getAsInt());
                    // the config reproduces the bundled package: its calibrated threshold and its input normalisation
                    java.util.Map<String, Object> pkg = dopajConfig(d);
                    assertEquals(((Number) pkg.get("threshold")).doubleValue(), args.get("threshold").getAsDouble());
                    assertEquals(pkg.get("input_normalisation"), args.get("normalisation").getAsString());
                    assertEquals(d.toAbsolutePath().normalize().toString(), args.get("output").getAsString());
                }
                case "spect-dat-cnn" -> {
                    assertEquals(2019, args.get("seed").getAsInt());
                    // the config reproduces the bundled package: its temperature and, with an anchor, the anchored head
                    java.util.Map<String, Object> pkg = dopajConfig(d);
                    assertEquals(((Number) pkg.get("temperature")).doubleValue(), args.get("temperature").getAsDouble(),
                            1e-9);
                    assertEquals(pkg.containsKey("anchor") ? "anchored" : "joint", args.get("head").getAsString());
                    assertEquals(d.toAbsolutePath().normalize().toString(), args.get("output").getAsString());
                }
                default -> throw new AssertionError(id);
            }
            checked.add(id);
        }
        assertEquals(14, checked.size(), "bundled DopaJ models checked: " + checked);
        // the human-readable form names the steps and says nothing was trained
        CliRun text = CliRun.of("train", "--dry-run", Path.of("models/wmh-unet3d/train.yaml"));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("recipe wmh") && text.out().contains("nothing was trained")
                && text.out().contains("1. train wmh-unet3d: seed 13, 70 epochs x 180"), text.out());
    }

    @Test
    void wmhLeaveOneHeadOutFoldsTrainWithoutTheirHeadAndCalibrateOnIt() {
        for (String head : List.of("brainchop", "colin27")) {
            Path cfg = Path.of("docs/validation/wmh-loho/" + head + ".yaml");
            CliRun train = CliRun.of("train", "--dry-run", cfg);
            assertEquals(0, train.code(), train.err());
            String step = train.out().lines().filter(l -> l.contains("1. train")).findFirst().orElseThrow();
            String heads = step.substring(step.indexOf(" heads ") + 7, step.indexOf(", Adam"));
            assertEquals(List.of("mni152", "icbm2009a", "colin27", "brainchop").stream().filter(h -> !h.equals(head))
                    .toList(), List.of(heads.split(", ")), step);
            CliRun cal = CliRun.of("train", "--dry-run", cfg, "--action", "calibrate");
            assertEquals(0, cal.code(), cal.err());
            assertTrue(cal.out().contains("through the whole pipeline on " + head + ", 2 seed(s)"), cal.out());
        }
        // the bundled model's threshold: chosen on the pooled tables of the folds, each on the head it never saw
        CliRun bundled = CliRun.of("train", "--dry-run", Path.of("models/wmh-unet3d/train.yaml"), "--action", "calibrate");
        assertEquals(0, bundled.code(), bundled.err());
        assertTrue(bundled.out().contains("(fold brainchop.yaml)") && bundled.out().contains("(fold colin27.yaml)")
                && bundled.out().contains("chosen on the pooled fold tables"), bundled.out());
    }

    @Test
    void everyRecipeIsReachableAndDeclaresTypedArguments() {
        assertEquals(List.of("brain-mask", "wmh", "msa", "nigrosome", "spect-dat-cnn"), TrainRecipes.names());
        for (TrainRecipe r : TrainRecipes.all()) {
            assertFalse(r.arguments().isEmpty(), r.name());
            assertEquals(r.arguments().size(), r.arguments().stream().map(a -> a.name()).distinct().count(), r.name());
        }
    }

    private Path config(String text) throws Exception {
        Path f = tmp.resolve("train.yaml");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static final String WMH = """
            recipe: wmh
            model: wmh-test
            arguments:
              shared: shared
              run: runs/wmh
              output: out
              card: card.md
            """;

    @Test
    void badRecipeConfigsFailWithOneLine() throws Exception {
        Files.writeString(tmp.resolve("card.md"), "# card\n");
        assertEquals(0, CliRun.of("train", "--check", config(WMH)).code());
        CliRun.of("train", "--check", config(WMH.replace("model:", "modle:"))).failure("unknown key 'modle'");
        CliRun.of("train", "--check", config(WMH + "  epoch: 3\n")).failure("unknown argument 'epoch'", "epochs");
        CliRun.of("train", "--check", config(WMH + "  epochs: ten\n")).failure("argument 'epochs'", "whole number", "ten");
        CliRun.of("train", "--check", config(WMH + "  minutes: soon\n")).failure("argument 'minutes'", "number");
        CliRun.of("train", "--check", config(WMH + "  resume: maybe\n")).failure("argument 'resume'", "true or false");
        CliRun.of("train", "--check", config(WMH + "  action: fit\n")).failure("argument 'action'", "calibrate");
        CliRun.of("train", "--check", config(WMH + "  epochs: 0\n")).failure("argument 'epochs'", "at least 1");
        CliRun.of("train", "--check", config(WMH + "  threshold: 1.5\n")).failure("argument 'threshold'", "between 0 and 1");
        CliRun.of("train", "--check", config(WMH + "  normalisation: zscore\n")).failure("argument 'normalisation'",
                "tissue-anchored-v2");
        CliRun.of("train", "--check", config(WMH.replace("  card: card.md\n", ""))).failure("argument 'card' is required");
        CliRun.of("train", "--check", config(WMH.replace("card.md", "nocard.md"))).failure("argument 'card'", "no file");
        CliRun.of("train", "--check", config(WMH.replace("recipe: wmh", "recipe: wmhh"))).failure("unknown training recipe",
                "brain-mask", "spect-dat-cnn");
        CliRun.of("train", "--check", config(WMH + "  preview: 3\n")).failure("argument 'preview'", "path");
        CliRun.of("train", "--check", config(WMH + "  held_out: [niivue_otsu, brainhcop]\n")).failure("unknown head brainhcop",
                "colin27");
        CliRun.of("train", "--check", config(WMH + "  held_out: [mni152, icbm2009a, colin27, brainchop, niivue_otsu]\n"))
                .failure("every head is held out");
        CliRun.of("train", "--check", config(WMH + "  calibration_heads: [colin]\n"), "--action", "calibrate")
                .failure("argument 'calibration_heads'", "unknown head colin");
        // without folds, the heads it was trained on
        CliRun plain = CliRun.of("train", "--check", config(WMH), "--action", "calibrate");
        assertTrue(plain.out().contains("on mni152, icbm2009a, colin27, brainchop, "), plain.out());
        CliRun.of("train", "--check", config(WMH + "  calibration_folds: [nofold.yaml]\n"), "--action", "calibrate")
                .failure("argument 'calibration_folds'", "nofold.yaml");
        CliRun.of("train", "--check", config(WMH + "  calibration_folds: fold.yaml\n"), "--action", "calibrate")
                .failure("argument 'calibration_folds'", "list of paths");
        CliRun.of("train", "--check", config(WMH), "--action", "fit").failure("argument 'action'");
        CliRun.of("train", "--check", config(WMH), "--action", "preview").failure("action preview needs argument 'preview'");
        CliRun.of("train", "--check", config(WMH.replace("recipe: wmh", "recipe: msa"))).failure("unknown argument",
                "recipe msa");
        CliRun.of("train", "--check", config("""
                recipe: msa
                arguments: {jobs: [msa:gd-md:x], run: r, data: d, shared: s, models: m, summary: s.json}
                """)).failure("TASK:MODALITY:SPLIT", "msa:gd-md:x");
        // the held-out generator family can never be a training family
        CliRun.of("train", "--check", config("""
                recipe: msa
                arguments: {family: icbm, run: r, data: d, shared: s, models: m, summary: s.json}
                """)).failure("argument 'family'", "icbm");
        CliRun.of("train", "--check", config("""
                recipe: msa
                arguments: {resume: true, run: r, data: d, shared: s, models: m, summary: s.json}
                """)).failure("unknown argument 'resume'");
        CliRun.of("train", "--check", config("""
                recipe: msa
                arguments: {run: r, data: d, shared: s, models: m, summary: s.json}
                """), "--resume").failure("recipe msa has no --resume");
        CliRun.of("train", "--check", config("""
                recipe: spect-dat-cnn
                arguments: {families: [aal, nosuch], run: r, data: d, shared: s, output: o, card: c.md}
                """)).failure("argument 'families'", "nosuch");
        CliRun.of("train", "--check", config("""
                recipe: nigrosome
                arguments: {work: w, models: m, eval_phantoms: 2}
                """)).failure("eval_phantoms", "at least 3");
        CliRun.of("train", "--check", config("""
                recipe: nigrosome
                arguments: [work, models]
                """)).failure("arguments must be a map");
        // a recipe run stops before any work when its data are missing
        CliRun.of("train", config(WMH)).failure("shared data folder", "does not exist");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void genericConfigsStillCheckAndRefuseRecipeOptions() throws Exception {
        Path f = config("""
                id: blobs-check
                network: tiny3d
                input_shape: [16, 16, 16, 1]
                task: classification
                labels: [a, b]
                data: {generated: {kind: blobs3d, n: 8, seed: 1}}
                output: out
                """);
        JsonObject j = CliRun.of("train", "--check", f, "--json").json();
        assertEquals("blobs-check", j.get("id").getAsString());
        assertTrue(j.getAsJsonArray("plan").get(0).getAsString().startsWith("train blobs-check: network tiny3d"));
        assertFalse(Files.exists(tmp.resolve("out")), "--check trains nothing");
        CliRun.of("train", f, "--action", "train").failure("--action belongs to a recipe config");
    }

    /**
     * The nigrosome smoke runs use the default, realistic phantom when its real GRE texture (../shared/data) is there,
     * else the first (box) generator, which needs no data: the machinery is tested either way.
     */
    static final String GENERATOR = org.dopaj.nigrosome.GreTexture.sharedDir() != null ? "physics" : "box";
    static final String GENERATOR_LINE = "  generator: " + GENERATOR + "\n";

    /** The nigrosome recipe end to end: crops, one epoch, both packages, evaluation; a few seconds. */
    @Test
    void nigrosomeRecipeTrainsAndPackagesEndToEnd() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models").resolve("smoke-left"));
        Path cfg = dir.resolve("train.yaml");
        Files.writeString(cfg, """
                recipe: nigrosome
                model: smoke-left
                arguments:
                  work: ../../runs/smoke
                  models: ..
                  prefix: smoke
                  phantoms: 6
                  epochs: 1
                  batch: 4
                  threads: 2
                  calibration_phantoms: 6
                  eval_phantoms: 3
                """ + GENERATOR_LINE, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), "placeholder", StandardCharsets.UTF_8);
        CliRun.of("train", cfg).failure("smoke-left exists", "--force"); // refused before any work: overwrite not asked for
        assertFalse(Files.exists(tmp.resolve("runs")), "nothing trained");
        CliRun r = CliRun.of("train", cfg, "--json", "--force");
        JsonObject j = r.json();
        assertEquals("ok", j.get("status").getAsString());
        assertEquals("nigrosome", j.get("recipe").getAsString());
        assertEquals(1, j.get("epochs_done").getAsInt());
        assertTrue(r.err().contains("dopaj train: epoch 1/1"), r.err());
        for (String side : new String[] {"left", "right"}) {
            Path p = tmp.resolve("models").resolve("smoke-" + side);
            ModelPackage pk = ModelPackage.load(p);
            assertEquals("smoke-" + side, pk.id());
        }
        assertTrue(Files.isDirectory(tmp.resolve("models/smoke-left/saved_model")));
        assertTrue(Files.isRegularFile(cfg), "the config stays in the package folder it made");
        assertTrue(j.getAsJsonObject("evaluation") != null, j.toString());
    }

    /**
     * The brain-mask recipe end to end (one epoch of two synthetic samples, 64 validation samples, export, package) into
     * the folder holding its config, which the new package replaces: the config is put back. About 15 s; needs
     * ../shared/data.
     */
    @Test
    void brainMaskRecipeTrainsAndPackagesIntoItsOwnFolder() throws Exception {
        Path shared = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shared.resolve(
                org.dopaj.brainmask.TrainBrainMask.BRAINCHOP_T1)) && Files.isDirectory(shared.resolve("mni152_2mm"))
                && Files.isDirectory(shared.resolve("icbm2009a")), "../shared/data absent: skipping the brain-mask recipe run");
        Path dir = Files.createDirectories(tmp.resolve("models").resolve("brainmask-smoke"));
        Files.writeString(dir.resolve("README.md"), "# Brain mask (recipe smoke test)\n", StandardCharsets.UTF_8);
        Path cfg = dir.resolve("train.yaml");
        String text = """
                # one epoch of two samples
                recipe: brain-mask
                model: brainmask-smoke
                arguments:
                  shared: SHARED
                  run: ../../runs/bm
                  seed: 3
                  epochs: 1
                  samples: 2
                  batch: 2
                  threads: 2
                  output: .
                  card: ../../card.md
                """.replace("SHARED", shared.toAbsolutePath().toString());
        Files.writeString(cfg, text, StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("card.md"), "# Brain mask (recipe smoke test)\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("old-file.txt"), "replaced with the folder", StandardCharsets.UTF_8);
        CliRun r = CliRun.of("train", cfg);
        assertEquals(0, r.code(), r.err());
        assertEquals(dir.toAbsolutePath().normalize().toString(), r.out().strip(), "stdout holds the package folder");
        assertTrue(r.err().contains("epoch 1/1"), r.err());
        ModelPackage p = ModelPackage.load(dir);
        assertEquals(org.dopaj.brainmask.BrainMaskModel.ID, p.id());
        assertFalse(Files.exists(dir.resolve("old-file.txt")), "the package replaced the folder");
        assertEquals(text, Files.readString(cfg, StandardCharsets.UTF_8), "the config is back in its folder");
        assertTrue(Files.readString(dir.resolve(ModelPackage.RDF), StandardCharsets.UTF_8)
                .contains("dopaj train models/brainmask-deeplabv3plus/train.yaml (recipe brain-mask: seed 3, epochs 1"));
        // one step alone: package again from the same checkpoint
        CliRun again = CliRun.of("train", cfg, "--action", "package", "--json");
        JsonObject j = again.json();
        assertEquals(dir.toAbsolutePath().normalize().toString(), j.getAsJsonArray("packages").get(0).getAsString());
        assertFalse(j.has("epochs_run"), "package alone trains nothing: " + j);
        assertTrue(Files.isRegularFile(cfg));
    }

    /** {@code dopaj nigrosome-train} is the nigrosome recipe with command-line options: same checks, same run. */
    @Test
    void nigrosomeTrainIsTheRecipeWithOptions() {
        CliRun.of("nigrosome-train", "--epochs", "ten").failure("--epochs");
        CliRun.of("nigrosome-train", "--lr", "0", "--work", tmp.resolve("w")).failure("argument 'lr' must be > 0");
        CliRun.of("nigrosome-train", "--generator", "paint", "--work", tmp.resolve("w")).failure("argument 'generator'",
                "physics, box");
        CliRun.of("nigrosome-train", "--eval-phantoms", "2", "--work", tmp.resolve("w")).failure("eval_phantoms");
        assertFalse(Files.exists(tmp.resolve("w")), "nothing generated before the arguments are checked");
        JsonObject j = CliRun.of("nigrosome-train", "--work", tmp.resolve("w"), "--models", tmp.resolve("m"),
                "--phantoms", "6", "--epochs", "1", "--batch", "4", "--no-bundle", "--generator", GENERATOR).json();
        assertEquals(1, j.get("epochs_done").getAsInt());
        assertFalse(j.has("packages"), "--no-bundle writes no package: " + j);
        assertTrue(Files.isDirectory(tmp.resolve("w/run/best")));
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> dopajConfig(Path packageDir) {
        java.util.Map<String, Object> rdf = org.dopaj.dl.model.ModelPackage.read(packageDir).rdf();
        return (java.util.Map<String, Object>) ((java.util.Map<String, Object>) rdf.get("config")).get("dopaj");
    }
}
