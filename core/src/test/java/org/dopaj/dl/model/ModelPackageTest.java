package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.dl.runtime.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, validation and checksum refusal of model packages, on a tiny SavedModel exported by TF Java. */
class ModelPackageTest {
    @TempDir
    static Path root;
    static ModelPackage good;

    @BeforeAll
    static void writeOnce() throws Exception {
        good = TinyModels.writePackage(root, "tiny", Map.of("preprocessing",
                Map.of("image", List.of("divide_by_mean", Map.of("flip_axis", "y")))));
    }

    /** A fresh copy of the good package to break. */
    private static Path copy(String name) throws Exception {
        Path dst = root.resolve(name);
        try (Stream<Path> s = Files.walk(good.dir())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(good.dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dst;
    }

    @Test
    void rewritingAPackageKeepsItsTrainingRecipe() throws Exception {
        Path dir = root.resolve("recipe");
        ModelPackage first = TinyModels.writePackage(dir, "tiny", Map.of());
        Files.writeString(first.dir().resolve(ModelPackageWriter.TRAIN_CONFIG), "recipe: nigrosome\n");
        org.dopaj.FileTrees.delete(dir.resolve("tiny-export"));
        ModelPackage again = TinyModels.writePackage(dir, "tiny", Map.of(), true);
        assertEquals("recipe: nigrosome\n", Files.readString(again.dir().resolve(ModelPackageWriter.TRAIN_CONFIG)),
                "a retrained package keeps the train.yaml it was retrained from");
        assertTrue(again.verify().isEmpty(), "the recipe is not package content: checksums still verify");
    }

    @Test
    void writtenPackageLoadsWithEveryField() throws Exception {
        ModelPackage p = ModelPackage.load(good.dir());
        assertEquals("tiny", p.id());
        assertEquals("regression", p.task());
        assertEquals("serving_default", p.signature());
        assertEquals("score", p.predictionOutput());
        assertEquals("cam", p.camOutput());
        assertEquals(List.of("saved_model.pb", "variables/variables.data-00000-of-00001", "variables/variables.index"),
                List.copyOf(p.files().keySet()));
        assertEquals(2, p.preprocessing("image").steps().size());
        assertEquals("[batch, x=4, y=4, z=3, channel=1]", p.input("image").describeShape());
        assertTrue(p.verify().isEmpty());
        // tree hash = sha256 over sha256sum-style lines sorted by path
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : p.files().entrySet()) {
            sb.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        assertEquals(java.util.HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8))),
                p.weightsSha256());
        Tensor testIn = Npy.read(p.dir().resolve(p.input("image").testTensor()));
        assertEquals(TinyModels.image(1, 3), testIn);
    }

    @Test
    void corruptWeightChecksumIsRefusedWithTheFileName() throws Exception {
        Path d = copy("corrupt");
        Path idx = d.resolve("saved_model/variables/variables.data-00000-of-00001");
        byte[] b = Files.readAllBytes(idx);
        b[b.length - 1] ^= 0x01;
        Files.write(idx, b);
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("weight file variables/variables.data-00000-of-00001 checksum mismatch"),
                e.getMessage());
    }

    @Test
    void missingWeightFileIsRefused() throws Exception {
        Path d = copy("missing");
        Files.delete(d.resolve("saved_model/variables/variables.index"));
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("weight file variables/variables.index missing"), e.getMessage());
    }

    @Test
    void unlistedFileAndCorruptTestTensorAreRefused() throws Exception {
        Path d = copy("extra");
        Files.writeString(d.resolve("saved_model/variables/extra.bin"), "x");
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("not listed in config.dopaj.files"), e.getMessage());
        Path d2 = copy("badtest");
        Files.writeString(d2.resolve("test_output_score.npy"), "garbage");
        e = assertThrows(DopajException.class, () -> ModelPackage.load(d2));
        assertTrue(e.getMessage().contains("test tensor test_output_score.npy checksum mismatch"), e.getMessage());
    }

    @Test
    void editedFilesMapWithoutTreeHashIsRefused() throws Exception {
        Path d = copy("tree");
        Path rdf = d.resolve("rdf.yaml");
        String text = Files.readString(rdf);
        // drop a file from the list and the folder: files and folder agree, but the tree hash no longer does
        Files.delete(d.resolve("saved_model/variables/variables.index"));
        Files.writeString(rdf, text.replaceAll("(?m)^\\s+variables/variables.index: [0-9a-f]+\\n", ""));
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("does not match the tree hash"), e.getMessage());
    }

    @Test
    void malformedOrIncompleteYamlIsRefusedWithReason() throws Exception {
        Path d = copy("malformed");
        Path rdf = d.resolve("rdf.yaml");
        String text = Files.readString(rdf);
        Files.writeString(rdf, text.replace("license: MIT", "license: [MIT"));
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("malformed YAML at line"), e.getMessage());
        Files.writeString(rdf, text.replace("license: MIT\n", ""));
        e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("missing 'license'"), e.getMessage());
        Files.writeString(rdf, text.replace("task: regression", "task: astrology"));
        e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("task must be classification, regression or segmentation"), e.getMessage());
        Files.writeString(rdf, text.replace("prediction: score", "prediction: sbr"));
        e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("names 'sbr', which is not among outputs [score, cam]"), e.getMessage());
        Files.delete(rdf);
        e = assertThrows(DopajException.class, () -> ModelPackage.load(d));
        assertTrue(e.getMessage().contains("has no rdf.yaml"), e.getMessage());
    }

    @Test
    void externalSourceIsExpandedAndVerifiedButNeverCopied() throws Exception {
        Path weights = root.resolve("elsewhere/tiny-savedmodel");
        TinyModels.exportSavedModel(weights);
        System.setProperty("dopaj.test.weights", root.resolve("elsewhere").toString());
        try {
            ModelPackage p = new ModelPackageWriter(root.resolve("ext")).id("ext").name("External").description("d")
                    .author("a").license("GPL-3.0").modelCard("# card\n")
                    .externalSource("${dopaj.test.weights}/tiny-savedmodel", weights, "https://example.org/tiny")
                    .input(TinyModels.inputSpec(), TinyModels.image(1, 0))
                    .output(TensorSpec.of("score", null, AxisSpec.batch(), AxisSpec.channel("s")), null)
                    .config(Map.of("task", "regression", "outputs", Map.of("prediction", "score")))
                    .write();
            assertFalse(Files.exists(p.dir().resolve("saved_model")), "weights must not be copied");
            assertEquals(weights.toAbsolutePath().normalize(), p.savedModelDir());
            assertEquals("https://example.org/tiny", p.weightsSource());
            assertTrue(p.weightsPresent());
            assertNotNull(p.output("score").testTensor());
            System.clearProperty("dopaj.test.weights");
            ModelPackage unresolved = ModelPackage.read(p.dir());
            assertFalse(unresolved.weightsPresent());
            DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(p.dir()));
            assertTrue(e.getMessage().contains("${dopaj.test.weights}, which is not set"), e.getMessage());
        } finally {
            System.clearProperty("dopaj.test.weights");
        }
    }

    @Test
    void writerRefusesToOverwriteAndLeavesNoTempFolder() throws Exception {
        DopajException e = assertThrows(DopajException.class, () -> new ModelPackageWriter(good.dir()).id("tiny")
                .name("n").description("d").author("a").license("MIT").modelCard("c")
                .savedModel(good.savedModelDir()).input(TinyModels.inputSpec(), TinyModels.image(1, 0))
                .output(TensorSpec.of("score", null, AxisSpec.batch(), AxisSpec.channel("s")), null)
                .config(Map.of("task", "regression", "outputs", Map.of("prediction", "score"))).write());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        try (Stream<Path> s = Files.list(root)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
        }
    }
}
