package org.dopaj.dl.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dopaj.DopajException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code dopaj models install SOURCE} and Plugins›DopaJ›Models›Install: copies a model into the user's model folder
 * ({@link ModelRegistry#userModelsDir()}) so it needs nothing outside that folder afterwards. SOURCE may be
 *
 * <ul>
 * <li>a model package folder (rdf.yaml + weights): copied with its rdf.yaml; weights it references outside itself
 *     ({@code config.dopaj.external_source}) are copied in and the rdf.yaml rewritten to point at the copy;</li>
 * <li>a bare TensorFlow SavedModel folder ({@code saved_model.pb}, no rdf.yaml) that {@link KnownModels} recognises by
 *     the tree hash of its files: DopaJ writes the rdf.yaml (preprocessing, output scale, licence, citation, training
 *     data) and a card; an unknown bare SavedModel is refused (it needs an rdf.yaml: docs/model-package.md);</li>
 * <li>a folder holding several of these (e.g. the mri_dat repository: {@code net_vgg_left/}, {@code net_vgg_right/}):
 *     each is installed, and a {@code LICENSE*} file beside them is copied into each package;</li>
 * <li>a {@code .zip} of any of these (e.g. a BioImage Model Zoo package): extracted to a temporary folder first
 *     (entries that would land outside it, and links, are refused).</li>
 * </ul>
 *
 * Refused, naming the file, before anything is installed: a checksum that does not match, a path in rdf.yaml pointing
 * outside the package, a file that is a link out of the source folder. Every installed package is loaded back and
 * verified before it is moved into place; an existing id is replaced only with {@code force}.
 */
public final class ModelInstaller {
    /** Said by every install (CLI and Fiji): a checksum proves which files, not that they are harmless. */
    public static final String EXECUTABLE_NOTICE = "a TensorFlow SavedModel is executable code: it runs with your rights"
            + " (it can read and write your files); install only models from sources you trust";

    private ModelInstaller() {
    }

    /** One installed package: where, and whether it was recognised as a known published model. */
    public record Installed(String id, Path dir, boolean recognised, String license, String trainingData) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("dir", dir.toString());
            m.put("recognised", recognised);
            m.put("license", license);
            m.put("training_data", trainingData);
            return m;
        }
    }

    /** Installs everything SOURCE holds into {@code userDir}. */
    public static List<Installed> install(Path source, Path userDir, boolean force) {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new DopajException(source + ": no such file or folder");
        }
        Path tmpZip = null;
        try {
            Path src = source.toAbsolutePath().normalize();
            if (Files.isRegularFile(src) && src.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
                tmpZip = Files.createTempDirectory("dopaj-install-");
                unzip(src, tmpZip);
                src = singleChild(tmpZip);
            } else if (!Files.isDirectory(src)) {
                throw new DopajException(source + ": not a folder or a .zip");
            }
            refuseLinksOut(src);
            List<Path> units = units(src);
            if (units.isEmpty()) {
                throw new DopajException(source + ": holds no model (no rdf.yaml, no saved_model.pb)");
            }
            Path license = licenseFile(src);
            // check everything first, so that a bad second model does not leave the first installed alone
            List<Runnable> todo = new ArrayList<>();
            List<Installed> out = new ArrayList<>();
            for (Path u : units) {
                Prepared p = prepare(u);
                Path dest = userDir.resolve(p.id);
                if (Files.exists(dest) && !force) {
                    throw new DopajException(dest + ": a model '" + p.id + "' is already installed (remove it, or"
                            + " install with --force)");
                }
                todo.add(() -> out.add(p.write(userDir, license, force)));
            }
            for (Runnable r : todo) {
                r.run();
            }
            return out;
        } catch (IOException e) {
            throw new DopajException("cannot install " + source + ": " + e.getMessage(), e);
        } finally {
            if (tmpZip != null) {
                try {
                    ModelPackageWriter.deleteTree(tmpZip);
                } catch (IOException ignored) {
                    // a leftover temp folder is harmless
                }
            }
        }
    }

    /** Removes an installed package (from the user folder only; bundled ones cannot be removed). */
    public static Path remove(String id, Path userDir) {
        for (Path d : ModelRegistry.packageDirs(userDir)) {
            String pid;
            try {
                pid = ModelPackage.read(d).id();
            } catch (DopajException e) {
                pid = d.getFileName().toString();
            }
            if (pid.equals(id) || d.getFileName().toString().equals(id)) {
                try {
                    ModelPackageWriter.deleteTree(d);
                } catch (IOException e) {
                    throw new DopajException("cannot remove " + d + ": " + e.getMessage(), e);
                }
                return d;
            }
        }
        Path bundled = ModelRegistry.modelsDir();
        if (bundled != null && Files.isDirectory(bundled.resolve(id))) {
            throw new DopajException("model '" + id + "' is bundled with DopaJ (" + bundled.resolve(id) + "), not installed:"
                    + " it cannot be removed");
        }
        throw new DopajException("no installed model '" + id + "' in " + userDir);
    }

    // ---------------------------------------------------------------- what to install

    private static List<Path> units(Path src) throws IOException {
        if (Files.isRegularFile(src.resolve(ModelPackage.RDF)) || Files.isRegularFile(src.resolve("saved_model.pb"))) {
            return List.of(src);
        }
        List<Path> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(src)) {
            s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.isRegularFile(d.resolve(ModelPackage.RDF))
                            || Files.isRegularFile(d.resolve("saved_model.pb")))
                    .sorted().forEach(l::add);
        }
        return l;
    }

    private static Path licenseFile(Path src) throws IOException {
        try (Stream<Path> s = Files.list(src)) {
            return s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toUpperCase(java.util.Locale.ROOT)
                    .startsWith("LICENSE")).sorted().findFirst().orElse(null);
        }
    }

    /** A unit checked and ready to write. */
    private record Prepared(String id, Path unit, ModelPackage pkg, KnownModels.Known known) {
        Installed write(Path userDir, Path license, boolean force) {
            try {
                Files.createDirectories(userDir);
                Path dest = userDir.resolve(id);
                ModelPackage done;
                if (known != null && pkg == null) {
                    done = writeKnown(known, unit, dest, force);
                    if (license != null) {
                        Files.copy(license, dest.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
                    }
                } else {
                    done = copyPackage(pkg, dest, license, force);
                }
                return new Installed(done.id(), done.dir(), known != null, done.license(), done.trainingData());
            } catch (IOException e) {
                throw new DopajException("cannot install " + unit + ": " + e.getMessage(), e);
            }
        }
    }

    private static Prepared prepare(Path unit) throws IOException {
        if (Files.isRegularFile(unit.resolve(ModelPackage.RDF))) {
            ModelPackage p = ModelPackage.read(unit);
            List<String> problems = p.verify();
            if (!problems.isEmpty()) {
                throw new DopajException(unit + " refused: " + problems.get(0));
            }
            if (p.externalSource() != null) {
                refuseLinksOut(p.savedModelDir());
            }
            KnownModels.Known k = KnownModels.byTreeHash(p.weightsSha256());
            return new Prepared(p.id(), unit, p, k);
        }
        Map<String, String> files = ModelPackageWriter.hashTree(unit);
        String tree = ModelPackage.treeHash(files);
        KnownModels.Known k = KnownModels.byTreeHash(tree);
        if (k == null) {
            throw new DopajException(unit + ": a TensorFlow SavedModel DopaJ does not know (tree sha256 " + tree + "):"
                    + " write an rdf.yaml for it (docs/model-package.md) and install that folder");
        }
        return new Prepared(k.id(), unit, null, k);
    }

    private static ModelPackage writeKnown(KnownModels.Known k, Path savedModel, Path dest, boolean force) {
        // a deterministic positive test patch, so `models verify --run` can re-run the installed model
        int n = 50 * 50 * 20;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int a = i / 1000;
            int b = (i / 20) % 50;
            int c = i % 20;
            x[i] = (float) (100 + 30 * Math.sin(a * 0.21) * Math.cos(b * 0.17) + 10 * Math.cos(c * 0.4));
        }
        TensorSpec in = TensorSpec.of(k.inputId(), "SMWI nigral patch, raw intensities", AxisSpec.batch(),
                AxisSpec.space("x", 50), AxisSpec.space("y", 50), AxisSpec.space("z", 20), AxisSpec.channel("smwi"));
        TensorSpec out = TensorSpec.of(k.outputId(), "striatal DaT SBR", AxisSpec.batch(), AxisSpec.channel("sbr"));
        ModelPackageWriter w = new ModelPackageWriter(dest).id(k.id()).name(k.name()).description(k.description())
                .license(k.license()).tags(List.of("smwi", "nigrosome", "dat-spect", "sbr", "regression", "third-party"))
                .modelCard(k.card()).tensorflowVersion(k.tfVersion()).savedModel(savedModel)
                .input(in, Tensor.of(x, 1, 50, 50, 20, 1)).output(out, null).config(k.config()).overwrite(force);
        for (String a : k.authors()) {
            w.author(a);
        }
        return w.write();
    }

    /** Copies a package (bringing external weights in), rewrites rdf.yaml when needed, verifies, moves into place. */
    @SuppressWarnings("unchecked")
    private static ModelPackage copyPackage(ModelPackage p, Path dest, Path license, boolean force) throws IOException {
        Path parent = dest.getParent();
        Path tmp = Files.createTempDirectory(parent, "." + dest.getFileName() + ".tmp-");
        try {
            copyTree(p.dir(), tmp);
            Map<String, Object> rdf = null;
            if (p.externalSource() != null) {
                copyTree(p.savedModelDir(), tmp.resolve("saved_model"));
                try (InputStream in = Files.newInputStream(tmp.resolve(ModelPackage.RDF))) {
                    rdf = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
                }
                Map<String, Object> dj = (Map<String, Object>) ((Map<String, Object>) rdf.get("config")).get("dopaj");
                dj.remove("external_source");
                Map<String, Object> tf = (Map<String, Object>) ((Map<String, Object>) rdf.get("weights"))
                        .get("tensorflow_saved_model_bundle");
                dj.putIfAbsent("original_source", tf.get("source"));
                tf.put("source", "saved_model");
            }
            KnownModels.Known k = KnownModels.byTreeHash(p.weightsSha256());
            if (k != null) {
                // recognised: fill in what the package left unsaid (its own entries win)
                if (rdf == null) {
                    try (InputStream in = Files.newInputStream(tmp.resolve(ModelPackage.RDF))) {
                        rdf = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
                    }
                }
                Map<String, Object> dj = (Map<String, Object>) ((Map<String, Object>) rdf.get("config")).get("dopaj");
                for (String key : List.of("capability", "training_data", "version", "applicability", "cite")) {
                    dj.putIfAbsent(key, k.config().get(key));
                }
            }
            if (rdf != null) {
                writeYaml(tmp.resolve(ModelPackage.RDF), rdf);
            }
            if (license != null && !Files.exists(tmp.resolve("LICENSE"))) {
                Files.copy(license, tmp.resolve("LICENSE"));
            }
            ModelPackage.load(tmp);
            if (Files.exists(dest)) {
                if (!force) {
                    throw new DopajException(dest + ": already installed (use --force)");
                }
                ModelPackageWriter.deleteTree(dest);
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return ModelPackage.load(dest);
        } finally {
            if (tmp != null) {
                ModelPackageWriter.deleteTree(tmp);
            }
        }
    }

    private static void writeYaml(Path f, Map<String, Object> rdf) throws IOException {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(120);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("# DopaJ model package (BioImage Model Zoo 0.5 fields + config.dopaj); see docs/model-package.md\n");
            new Yaml(o).dump(rdf, w);
        }
    }

    // ---------------------------------------------------------------- files

    /** Refuses any file or folder under {@code dir} that is a link resolving outside {@code dir}, naming it. */
    static void refuseLinksOut(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (Files.isSymbolicLink(f)) {
                    Path t;
                    try {
                        t = f.toRealPath();
                    } catch (IOException e) {
                        throw new DopajException(f + " refused: a link to nothing (" + e.getMessage() + ")");
                    }
                    if (!t.startsWith(real)) {
                        throw new DopajException(f + " refused: a link out of " + dir + " (to " + t + ")");
                    }
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = from.relativize(p).toString();
                if (ModelPackage.hidden(rel.replace('\\', '/'))) {
                    continue;
                }
                Path t = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        Path base = dir.toRealPath();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                Path t = base.resolve(e.getName()).normalize();
                if (!t.startsWith(base) || e.getName().startsWith("/")) {
                    throw new DopajException(zip + " refused: entry " + e.getName() + " points outside the package");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(z, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A zip holding one top folder (and nothing else) is that folder. */
    private static Path singleChild(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().equals("__MACOSX")).toList();
            return l.size() == 1 && Files.isDirectory(l.get(0)) ? l.get(0) : dir;
        }
    }
}
