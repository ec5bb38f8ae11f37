package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelInstaller}: the published mri_dat SavedModels are recognised by checksum and installed with their
 * authors' preprocessing, scale, licence and citation; tampered, escaping and linked packages are refused naming the
 * file; remove. The mri_dat cases skip when ../shared is absent.
 */
class ModelInstallerTest {
    @TempDir
    Path tmp;

    private static Path mriDat() {
        String s = System.getProperty("dopaj.shared");
        Path d = s == null ? null : Paths.get(s, "data/thirdparty-models/mri_dat");
        Assumptions.assumeTrue(d != null && Files.isDirectory(d), "../shared/data absent: skipping mri_dat install");
        return d;
    }

    @Test
    void installsTheMriDatFolderAsTwoRecognisedPackages() {
        Path user = tmp.resolve("user");
        List<ModelInstaller.Installed> done = ModelInstaller.install(mriDat(), user, false);
        assertEquals(2, done.size());
        for (ModelInstaller.Installed i : done) {
            assertTrue(i.recognised());
            assertEquals("GPL-3.0", i.license());
            assertEquals(ModelPackage.TRAINING_REAL, i.trainingData());
            ModelPackage p = ModelPackage.load(i.dir());
            assertTrue(p.dir().startsWith(user.toAbsolutePath()));
            assertEquals(6.84, p.outputScale("dense"), 0);
            assertEquals("nigrosome-sbr", p.capability());
            assertTrue(Files.isRegularFile(i.dir().resolve("LICENSE")), "GPL text kept with the weights");
            assertTrue(p.savedModelDir().startsWith(i.dir()), "weights copied in, nothing read from outside");
            String steps = p.preprocessing("input_1").steps().toString();
            assertTrue(steps.contains("divide_by_mean"), steps);
            assertEquals(i.id().endsWith("right"), steps.contains("flip_axis"), steps);
            assertEquals(List.of("target_range"), p.applicability().checks());
            assertTrue(String.valueOf(p.rdf()).contains("mri_dat"), "citation written");
        }
        // same id again: refused unless forced
        DopajException e = assertThrows(DopajException.class, () -> ModelInstaller.install(mriDat(), user, false));
        assertTrue(e.getMessage().contains("already installed"), e.getMessage());
        assertEquals(2, ModelInstaller.install(mriDat(), user, true).size());
        // an installed package can be installed again from its folder (keeps its rdf.yaml), and removed
        Path other = tmp.resolve("other");
        ModelInstaller.install(user.resolve("mri-dat-nigral-vgg-left"), other, false);
        assertTrue(Files.isRegularFile(other.resolve("mri-dat-nigral-vgg-left/rdf.yaml")));
        ModelInstaller.remove("mri-dat-nigral-vgg-left", other);
        assertFalse(Files.exists(other.resolve("mri-dat-nigral-vgg-left")));
        assertThrows(DopajException.class, () -> ModelInstaller.remove("mri-dat-nigral-vgg-left", other));
    }

    @Test
    void zipOfABareSavedModelIsRecognised() throws IOException {
        Path zip = tmp.resolve("net_vgg_left.zip");
        zipFolder(mriDat().resolve("net_vgg_left"), zip, "net_vgg_left/");
        List<ModelInstaller.Installed> done = ModelInstaller.install(zip, tmp.resolve("user"), false);
        assertEquals("mri-dat-nigral-vgg-left", done.get(0).id());
    }

    @Test
    void unknownSavedModelNeedsAnRdf() throws IOException {
        Path sm = tmp.resolve("sm");
        Files.createDirectories(sm.resolve("variables"));
        Files.writeString(sm.resolve("saved_model.pb"), "not a model");
        DopajException e = assertThrows(DopajException.class, () -> ModelInstaller.install(sm, tmp.resolve("u"), false));
        assertTrue(e.getMessage().contains("does not know") && e.getMessage().contains("rdf.yaml"), e.getMessage());
    }

    /** A copy of a bundled package (weights inside it) to tamper with. */
    private Path copyOfBundled() throws IOException {
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
        return dst;
    }

    @Test
    void tamperedWeightsAreRefusedNamingTheFile() throws IOException {
        Path pkg = copyOfBundled();
        Path idx = pkg.resolve("saved_model/variables/variables.index");
        byte[] b = Files.readAllBytes(idx);
        b[b.length / 2] ^= 1;
        Files.write(idx, b);
        DopajException e = assertThrows(DopajException.class, () -> ModelInstaller.install(pkg, tmp.resolve("u"), false));
        assertTrue(e.getMessage().contains("variables/variables.index") && e.getMessage().contains("checksum"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("u/nigrosome-vgg3d-left")), "nothing installed");
    }

    @Test
    void linksOutAndPathsOutAreRefused() throws IOException {
        Path pkg = copyOfBundled();
        Path outside = tmp.resolve("outside.txt");
        Files.writeString(outside, "secret");
        Files.createSymbolicLink(pkg.resolve("notes.txt"), outside);
        DopajException e = assertThrows(DopajException.class, () -> ModelInstaller.install(pkg, tmp.resolve("u"), false));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("link out"), e.getMessage());
        Files.delete(pkg.resolve("notes.txt"));
        // documentation pointing outside the package
        Path rdf = pkg.resolve(ModelPackage.RDF);
        Files.writeString(rdf, Files.readString(rdf).replace("documentation: README.md", "documentation: ../outside.txt"));
        e = assertThrows(DopajException.class, () -> ModelInstaller.install(pkg, tmp.resolve("u"), false));
        assertTrue(e.getMessage().contains("../outside.txt") || e.getMessage().contains("outside"), e.getMessage());
        // a package whose README is a link out is refused at load too, naming it
        Files.writeString(rdf, Files.readString(rdf).replace("documentation: ../outside.txt", "documentation: README.md"));
        Files.delete(pkg.resolve("README.md"));
        Files.createSymbolicLink(pkg.resolve("README.md"), outside);
        e = assertThrows(DopajException.class, () -> ModelPackage.load(pkg));
        assertTrue(e.getMessage().contains("README.md") && e.getMessage().contains("link out"), e.getMessage());
    }

    @Test
    void zipSlipIsRefused() throws IOException {
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("../../evil.txt"));
            z.write(1);
            z.closeEntry();
        }
        DopajException e = assertThrows(DopajException.class, () -> ModelInstaller.install(zip, tmp.resolve("u"), false));
        assertTrue(e.getMessage().contains("evil.txt") && e.getMessage().contains("outside"), e.getMessage());
    }

    private static void zipFolder(Path dir, Path zip, String prefix) throws IOException {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os);
             Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                z.putNextEntry(new ZipEntry(prefix + dir.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, z);
                z.closeEntry();
            }
        }
    }
}
