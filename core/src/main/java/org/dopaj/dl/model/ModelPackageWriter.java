package org.dopaj.dl.model;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a model package folder: copies the SavedModel (or records an {@code external_source}), hashes every
 * weight file, writes {@code .npy} test tensors, the model card and {@code rdf.yaml}, then loads the result back
 * with full verification. Everything is written into a temporary sibling folder and moved into place at the
 * end, so a failure never leaves a half-written package.
 *
 * <p>Typical use after training/export:
 * <pre>{@code
 * ModelPackage p = new ModelPackageWriter(Path.of("models/dat-spect-cnn"))
 *     .id("dat-spect-cnn").name("DaT-SPECT classifier").description("...")
 *     .author("DopaJ").license("MIT").modelCard(markdown)
 *     .savedModel(exportDir)
 *     .input(TensorSpec.of("image", null, AxisSpec.batch(), AxisSpec.space("x", 91), ...), testInput)
 *     .output(TensorSpec.of("probabilities", null, AxisSpec.batch(), AxisSpec.index("class", 2)), null)
 *     .config(Map.of("task", "classification", "labels", List.of("normal", "reduced"),
 *                    "outputs", Map.of("prediction", "probabilities", "cam", "cam")))
 *     .write();
 * }</pre>
 * A {@code null} test output is computed by running the written package on its test input (CPU).
 */
public final class ModelPackageWriter {
    private final Path packageDir;
    private String id;
    private String name;
    private String description;
    private final List<String> authors = new ArrayList<>();
    private String license;
    private String modelCard;
    private String tensorflowVersion = "2.16.1";
    private Path savedModel;
    private String externalSource;
    private String weightsSourceText;
    private final List<TensorSpec> inputs = new ArrayList<>();
    private final List<Tensor> testInputs = new ArrayList<>();
    private final List<TensorSpec> outputs = new ArrayList<>();
    private final List<Tensor> testOutputs = new ArrayList<>();
    private Map<String, Object> config = new LinkedHashMap<>();
    private List<String> tags = List.of();
    private boolean overwrite;

    /** The training recipe a bundled package's folder may hold ({@code dopaj train models/<id>/train.yaml}). */
    public static final String TRAIN_CONFIG = "train.yaml";

    public ModelPackageWriter(Path packageDir) {
        this.packageDir = packageDir.toAbsolutePath().normalize();
    }

    public ModelPackageWriter id(String v) {
        id = v;
        return this;
    }

    public ModelPackageWriter name(String v) {
        name = v;
        return this;
    }

    public ModelPackageWriter description(String v) {
        description = v;
        return this;
    }

    /** Adds an author (repeatable). */
    public ModelPackageWriter author(String v) {
        authors.add(v);
        return this;
    }

    public ModelPackageWriter license(String spdx) {
        license = spdx;
        return this;
    }

    public ModelPackageWriter tags(List<String> v) {
        tags = List.copyOf(v);
        return this;
    }

    /** The README.md text (model card: data provenance, metrics with commands, intended use, limits). */
    public ModelPackageWriter modelCard(String markdown) {
        modelCard = markdown;
        return this;
    }

    /** TensorFlow version the SavedModel was written with (default 2.16.1, DopaJ's own exports). */
    public ModelPackageWriter tensorflowVersion(String v) {
        tensorflowVersion = v;
        return this;
    }

    /** A SavedModel folder to copy into the package as {@code saved_model/}. */
    public ModelPackageWriter savedModel(Path dir) {
        savedModel = dir;
        return this;
    }

    /**
     * Weights that stay outside the package: {@code text} is written as {@code config.dopaj.external_source}
     * (may use {@code ${dopaj.shared}} / {@code ${user.home}}, or be relative to the package folder);
     * {@code resolved} is where the SavedModel is now, to hash it. {@code originalSource} (a URL) is recorded as
     * {@code weights.tensorflow_saved_model_bundle.source}.
     */
    public ModelPackageWriter externalSource(String text, Path resolved, String originalSource) {
        externalSource = text;
        savedModel = resolved;
        weightsSourceText = originalSource;
        return this;
    }

    /** An input and its raw (not yet preprocessed) test tensor. */
    public ModelPackageWriter input(TensorSpec spec, Tensor testInput) {
        inputs.add(spec);
        testInputs.add(testInput);
        return this;
    }

    /** An output and its expected test tensor (after output_scale), or {@code null} to compute it. */
    public ModelPackageWriter output(TensorSpec spec, Tensor testOutput) {
        outputs.add(spec);
        testOutputs.add(testOutput);
        return this;
    }

    /**
     * The {@code config.dopaj} map: {@code task}, {@code outputs: {prediction, cam}}, and optionally
     * {@code signature}, {@code labels}, {@code voxel_size_mm}, {@code output_scale}, {@code preprocessing}, or any
     * extra key a capability needs. {@code files} and {@code external_source} are filled in by the writer.
     */
    public ModelPackageWriter config(Map<String, ?> dopajConfig) {
        config = new LinkedHashMap<>(dopajConfig);
        return this;
    }

    /** Replace an existing package folder (default: refuse). */
    public ModelPackageWriter overwrite(boolean v) {
        overwrite = v;
        return this;
    }

    /** Writes the package and returns it loaded back with every checksum verified. */
    public ModelPackage write() {
        require(id, "id");
        require(name, "name");
        require(description, "description");
        require(license, "license");
        require(modelCard, "model card");
        if (authors.isEmpty()) {
            throw new DopajException("model package " + packageDir + ": at least one author is needed");
        }
        if (savedModel == null || !Files.isRegularFile(savedModel.resolve("saved_model.pb"))) {
            throw new DopajException("model package " + packageDir + ": no SavedModel (saved_model.pb) in " + savedModel);
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new DopajException("model package " + packageDir + ": needs at least one input and one output");
        }
        if (Files.exists(packageDir) && !overwrite) {
            throw new DopajException("model package " + packageDir + " already exists (overwrite not requested)");
        }
        Path parent = packageDir.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + packageDir.getFileName() + ".tmp-");
            Path weightsDir;
            if (externalSource == null) {
                weightsDir = tmp.resolve("saved_model");
                copyTree(savedModel, weightsDir);
            } else {
                weightsDir = savedModel;
            }
            Map<String, String> files = hashTree(weightsDir);

            List<TensorSpec> ins = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                TensorSpec s = inputs.get(i);
                Tensor t = testInputs.get(i);
                if (t == null) {
                    throw new DopajException("model package " + id + ": input '" + s.id() + "' needs a test tensor");
                }
                s.checkShape(t.shape(), "test input");
                ins.add(writeTest(tmp, "test_input_" + s.id() + ".npy", s, t));
            }
            List<TensorSpec> outs = new ArrayList<>();
            boolean compute = false;
            for (int i = 0; i < outputs.size(); i++) {
                TensorSpec s = outputs.get(i);
                Tensor t = testOutputs.get(i);
                if (t == null) {
                    compute = true;
                    outs.add(s);
                } else {
                    s.checkShape(t.shape(), "test output");
                    outs.add(writeTest(tmp, "test_output_" + s.id() + ".npy", s, t));
                }
            }
            Files.writeString(tmp.resolve("README.md"), modelCard, StandardCharsets.UTF_8);
            writeRdf(tmp, ins, outs, files);
            if (compute) {
                Map<String, Tensor> feed = new LinkedHashMap<>();
                for (int i = 0; i < ins.size(); i++) {
                    feed.put(ins.get(i).id(), testInputs.get(i));
                }
                Map<String, Tensor> got;
                try (DopajModel m = DopajModel.load(ModelPackage.load(tmp), ComputeDevice.CPU)) {
                    got = m.predict(feed);
                }
                List<TensorSpec> done = new ArrayList<>();
                for (TensorSpec s : outs) {
                    done.add(s.testTensor() != null ? s
                            : writeTest(tmp, "test_output_" + s.id() + ".npy", s, got.get(s.id())));
                }
                writeRdf(tmp, ins, done, files);
            }
            ModelPackage.load(tmp);
            try (Stream<Path> s = Files.walk(tmp)) {
                s.forEach(Npy::readableByAll);
            }
            // the committed training recipe beside a bundled package (models/<id>/train.yaml) is not package content:
            // a retrained package keeps it, or "dopaj train" of that very file would delete it
            Path recipe = packageDir.resolve(TRAIN_CONFIG);
            if (Files.isRegularFile(recipe) && !Files.exists(tmp.resolve(TRAIN_CONFIG))) {
                Files.copy(recipe, tmp.resolve(TRAIN_CONFIG), StandardCopyOption.COPY_ATTRIBUTES);
            }
            if (Files.exists(packageDir)) {
                Path old = Files.createTempDirectory(parent, "." + packageDir.getFileName() + ".old-");
                Files.delete(old);
                Files.move(packageDir, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, packageDir, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, packageDir, StandardCopyOption.ATOMIC_MOVE);
            }
            tmp = null;
            return ModelPackage.load(packageDir);
        } catch (IOException e) {
            throw new DopajException("cannot write model package " + packageDir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden .tmp folder is harmless
                }
            }
        }
    }

    private void require(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new DopajException("model package " + packageDir + ": " + what + " is required");
        }
    }

    private static TensorSpec writeTest(Path dir, String file, TensorSpec s, Tensor t) throws IOException {
        Npy.write(dir.resolve(file), t);
        return s.withTestTensor(file, ModelPackage.sha256(dir.resolve(file)));
    }

    private void writeRdf(Path dir, List<TensorSpec> ins, List<TensorSpec> outs, Map<String, String> files)
            throws IOException {
        Map<String, Object> rdf = new LinkedHashMap<>();
        rdf.put("format_version", ModelPackage.FORMAT_VERSION);
        rdf.put("type", "model");
        rdf.put("id", id);
        rdf.put("name", name);
        rdf.put("description", description);
        List<Object> au = new ArrayList<>();
        for (String a : authors) {
            au.add(new LinkedHashMap<>(Map.of("name", a)));
        }
        rdf.put("authors", au);
        rdf.put("license", license);
        rdf.put("documentation", "README.md");
        if (!tags.isEmpty()) {
            rdf.put("tags", tags);
        }
        List<Object> in = new ArrayList<>();
        for (TensorSpec s : ins) {
            in.add(s.toYaml());
        }
        rdf.put("inputs", in);
        List<Object> out = new ArrayList<>();
        for (TensorSpec s : outs) {
            out.add(s.toYaml());
        }
        rdf.put("outputs", out);
        Map<String, Object> tf = new LinkedHashMap<>();
        tf.put("source", externalSource == null ? "saved_model" : weightsSourceText == null ? externalSource : weightsSourceText);
        tf.put("sha256", ModelPackage.treeHash(files));
        tf.put("tensorflow_version", tensorflowVersion);
        rdf.put("weights", new LinkedHashMap<>(Map.of("tensorflow_saved_model_bundle", tf)));
        Map<String, Object> dj = new LinkedHashMap<>(config);
        dj.putIfAbsent("signature", "serving_default");
        if (externalSource != null) {
            dj.put("external_source", externalSource);
        }
        dj.put("files", new TreeMap<>(files));
        rdf.put("config", new LinkedHashMap<>(Map.of("dopaj", dj)));

        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(120);
        Path target = dir.resolve(ModelPackage.RDF);
        Path tmp = Files.createTempFile(dir, ".rdf", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# DopaJ model package (BioImage Model Zoo 0.5 fields + config.dopaj); see docs/model-package.md\n");
            new Yaml(o).dump(rdf, w);
        }
        Npy.readableByAll(tmp);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** sha256 of every non-hidden file under {@code dir}, keyed by relative path with '/'. */
    public static Map<String, String> hashTree(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = ModelPackage.relative(dir, f);
                if (!ModelPackage.hidden(rel)) {
                    m.put(rel, ModelPackage.sha256(f));
                }
            }
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        org.dopaj.FileTrees.delete(dir);
    }
}
