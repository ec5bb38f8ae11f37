package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file a package's rdf.yaml names stays inside the package: no absolute path, no {@code ..}, no URL (refused
 * when rdf.yaml is read, before anything is opened or hashed), and no symbolic link out (refused by
 * {@link ModelPackage#load}, for the SavedModel folder itself too).
 */
class ModelPackagePathsTest {
    @TempDir
    Path tmp;

    /** A copy of the bundled nigrosome-vgg3d-left package (weights inside it, 280 kB). */
    private Path copy() throws IOException {
        Path src = Paths.get("models/nigrosome-vgg3d-left").toAbsolutePath();
        Path dst = tmp.resolve("pkg");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        assertEquals(List.of(), ModelPackage.load(dst).verify(), "the copy is a valid package");
        return dst;
    }

    private static void edit(Path pkg, String from, String to) throws IOException {
        Path rdf = pkg.resolve(ModelPackage.RDF);
        String t = Files.readString(rdf);
        assertTrue(t.contains(from), from);
        Files.writeString(rdf, t.replace(from, to));
    }

    private static void refusedOnRead(Path pkg, String... words) {
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.read(pkg));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void testTensorAndDocumentationPathsOutAreRefusedBeforeAnythingIsHashed() throws IOException {
        Path pkg = copy();
        edit(pkg, "source: test_input_input.npy", "source: /etc/passwd");
        refusedOnRead(pkg, "test_tensor.source", "/etc/passwd", "not a relative path inside the package");
        edit(pkg, "source: /etc/passwd", "source: ../../../etc/passwd");
        refusedOnRead(pkg, "../../../etc/passwd", "leaves the package");
        edit(pkg, "source: ../../../etc/passwd", "source: test_input_input.npy");
        edit(pkg, "documentation: README.md", "documentation: /etc/passwd");
        refusedOnRead(pkg, "documentation", "/etc/passwd");
        edit(pkg, "documentation: /etc/passwd", "documentation: https://example.org/card.md");
        refusedOnRead(pkg, "documentation", "is a URL");
    }

    @Test
    void coversAttachmentsAndSampleTensorsAreCheckedToo() throws IOException {
        Path pkg = copy();
        Path rdf = pkg.resolve(ModelPackage.RDF);
        String base = Files.readString(rdf);
        Files.writeString(rdf, base + "covers: [../../secret.png]\n");
        refusedOnRead(pkg, "covers", "../../secret.png");
        Files.writeString(rdf, base + "attachments:\n  - source: /etc/shadow\n");
        refusedOnRead(pkg, "attachments", "/etc/shadow");
        Files.writeString(rdf, base + "attachments:\n  files: [../x.txt]\n");
        refusedOnRead(pkg, "attachments", "../x.txt");
        Files.writeString(rdf, base.replace("  test_tensor:\n    source: test_input_input.npy",
                "  sample_tensor:\n    source: ../sample.png\n  test_tensor:\n    source: test_input_input.npy"));
        refusedOnRead(pkg, "sample_tensor.source", "../sample.png");
        // a cover inside the package is fine, and must exist
        Files.writeString(rdf, base + "covers: [cover.png]\n");
        assertTrue(ModelPackage.read(pkg).verify().toString().contains("cover.png"), "a missing cover is a problem");
        Files.write(pkg.resolve("cover.png"), new byte[]{1});
        assertEquals(List.of(), ModelPackage.load(pkg).verify());
    }

    @Test
    void aSymlinkedWeightFileOrTestTensorIsNotFollowed() throws IOException {
        Path pkg = copy();
        Path idx = pkg.resolve("saved_model/variables/variables.index");
        Path elsewhere = Files.copy(idx, tmp.resolve("variables.index")); // same bytes: the checksum alone would pass
        Files.delete(idx);
        Files.createSymbolicLink(idx, elsewhere);
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(pkg));
        assertTrue(e.getMessage().contains("variables/variables.index") && e.getMessage().contains("link out"),
                e.getMessage());
        Files.delete(idx);
        Files.copy(elsewhere, idx);
        Path t = pkg.resolve("test_input_input.npy");
        Path t2 = Files.copy(t, tmp.resolve("t.npy"));
        Files.delete(t);
        Files.createSymbolicLink(t, t2);
        e = assertThrows(DopajException.class, () -> ModelPackage.load(pkg));
        assertTrue(e.getMessage().contains("test_input_input.npy") && e.getMessage().contains("link out"), e.getMessage());
    }

    @Test
    void aSymlinkedSavedModelFolderIsNotFollowed() throws IOException {
        Path pkg = copy();
        Path sm = pkg.resolve("saved_model");
        Path moved = Files.move(sm, tmp.resolve("elsewhere"));
        Files.createSymbolicLink(sm, moved);
        DopajException e = assertThrows(DopajException.class, () -> ModelPackage.load(pkg));
        assertTrue(e.getMessage().contains("SavedModel folder") && e.getMessage().contains("link out"), e.getMessage());
    }
}
