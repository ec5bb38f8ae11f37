package org.dopaj.dl.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.Task;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Npy;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Turns a freshly exported SavedModel ({@link ExportedModel}) into a verified model package folder in one call:
 * axis specs derived from the exported tensors, {@code config.dopaj} (task, labels, outputs, plus the caller's keys),
 * the model card, every weight file hashed, and test outputs computed by running the written package through DJL.
 * It then re-runs the test input with TF Java's own {@link SavedModelBundle} (preprocessing and output scale
 * applied as the package says) and refuses the package — deleting it — when the two runtimes differ by more
 * than {@link #AGREEMENT_TOLERANCE}. Writing itself is {@link ModelPackageWriter}'s job (atomic, verified).
 *
 * <p>Tensor layouts (DESIGN §5): the input {@code input} is {@code [batch, x, y, z, channel]} in C order, channels
 * last (2D networks: {@code [batch, x, y, channel]}); {@code cam} has the same spatial axes and one channel;
 * {@code probabilities} of a classifier is {@code [batch, class]}; {@code prediction} of a regressor is
 * {@code [batch, channel]} with one channel name per output.
 */
public final class ModelPackager {
    /** Largest accepted |DJL − TF Java| on the test tensors (both run the same float32 kernels). */
    public static final double AGREEMENT_TOLERANCE = 1e-5;

    private ModelPackager() {
    }

    /**
     * What a package says about itself beyond the tensors.
     *
     * @param id          package id (letters, digits, {@code . _ -})
     * @param name        one-line name
     * @param description a sentence or two
     * @param authors     at least one
     * @param license     SPDX id, e.g. MIT
     * @param modelCard   README.md text: training data and provenance, metrics with commands, intended use, limits
     * @param tags        optional words
     * @param channels    names of the input channels (null: {@code intensity} for one channel, else c0, c1, ...)
     * @param config      extra {@code config.dopaj} keys: {@code labels} (required for classification; for a
     *                    regressor they name the outputs), {@code voxel_size_mm}, {@code output_scale},
     *                    {@code preprocessing: {input: [...]}}, or anything a capability needs
     */
    public record PackageInfo(String id, String name, String description, List<String> authors, String license,
            String modelCard, List<String> tags, List<String> channels, Map<String, ?> config) {
        public PackageInfo {
            authors = authors == null ? List.of() : List.copyOf(authors);
            tags = tags == null ? List.of() : List.copyOf(tags);
            channels = channels == null ? null : List.copyOf(channels);
            config = config == null ? Map.of() : new LinkedHashMap<>(config);
        }
    }

    /**
     * Writes {@code packageDir} from {@code model} and returns it loaded back and verified.
     *
     * @param testInput raw test input {@code [n, ...inputShape]} (before any preprocessing the package declares)
     * @param overwrite replace an existing package folder
     */
    public static ModelPackage pack(ExportedModel model, PackageInfo info, Tensor testInput, Path packageDir,
            boolean overwrite) {
        if (testInput == null) {
            throw new DopajException("model package " + info.id() + ": a test input is required");
        }
        Map<String, Object> config = dopajConfig(model, info);
        ModelPackageWriter w = new ModelPackageWriter(packageDir).id(info.id()).name(info.name())
                .description(info.description()).license(info.license()).modelCard(info.modelCard())
                .tags(info.tags()).tensorflowVersion(model.tensorflowVersion()).savedModel(model.folder())
                .overwrite(overwrite);
        info.authors().forEach(w::author);
        w.input(inputSpec(model, info.channels()), testInput);
        for (TensorSpec s : outputSpecs(model, labelsOf(config))) {
            w.output(s, null); // computed by running the written package through DJL
        }
        ModelPackage pkg = w.config(config).write();
        Map<String, Double> diff;
        try {
            diff = compareWithTfJava(pkg);
        } catch (RuntimeException e) {
            deleteQuietly(pkg.dir());
            throw e;
        }
        for (Map.Entry<String, Double> e : diff.entrySet()) {
            if (!(e.getValue() <= AGREEMENT_TOLERANCE)) {
                deleteQuietly(pkg.dir());
                throw new DopajException("model package " + packageDir + ": output '" + e.getKey()
                        + "' from DJL differs from TF Java by " + e.getValue() + " (> " + AGREEMENT_TOLERANCE
                        + "); package removed");
            }
        }
        return pkg;
    }

    /** The input's axis description for an exported model: batch, x[, y[, z]], channel. */
    public static TensorSpec inputSpec(ExportedModel model, List<String> channels) {
        long[] shape = model.inputShape();
        List<AxisSpec> axes = new ArrayList<>();
        axes.add(AxisSpec.batch());
        axes.addAll(spatialAxes(shape, model.inputName()));
        int c = Math.toIntExact(shape[shape.length - 1]);
        List<String> names = channels;
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                names.add(c == 1 ? "intensity" : "c" + i);
            }
        }
        if (names.size() != c) {
            throw new DopajException("input '" + model.inputName() + "' has " + c + " channels but " + names.size()
                    + " channel names were given: " + names);
        }
        axes.add(AxisSpec.channel(names.toArray(String[]::new)));
        return new TensorSpec(model.inputName(), "raw input, C order, channels last", axes, null, null);
    }

    /** The outputs' axis descriptions, in signature order. {@code labels} name regression outputs (may be null). */
    public static List<TensorSpec> outputSpecs(ExportedModel model, List<String> labels) {
        List<TensorSpec> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : model.outputs().entrySet()) {
            String id = e.getKey();
            long[] shape = e.getValue();
            List<AxisSpec> axes = new ArrayList<>();
            axes.add(AxisSpec.batch());
            String description;
            if (id.equals(model.camOutput())) {
                axes.addAll(spatialAxes(shape, id));
                axes.add(AxisSpec.channel("cam"));
                description = "Grad-CAM in [0,1] on the input grid (relative within each sample)";
            } else if (model.task() instanceof Task.Classification) {
                axes.add(AxisSpec.index("class", Math.toIntExact(shape[1])));
                description = "class probabilities (softmax), in the order of config.dopaj.labels";
            } else if (model.task() instanceof Task.Regression r) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < r.outputs(); i++) {
                    names.add(labels != null && labels.size() == r.outputs() ? labels.get(i)
                            : r.outputs() == 1 ? "value" : "value" + i);
                }
                axes.add(AxisSpec.channel(names.toArray(String[]::new)));
                description = "predicted value(s)";
            } else {
                axes.addAll(spatialAxes(shape, id));
                axes.add(AxisSpec.index("class", Math.toIntExact(shape[shape.length - 1])));
                description = "per-voxel class probabilities (softmax over the last axis)";
            }
            out.add(new TensorSpec(id, description, axes, null, null));
        }
        return out;
    }

    private static List<AxisSpec> spatialAxes(long[] shape, String tensor) {
        int spatial = shape.length - 2;
        if (spatial < 1 || spatial > 3) {
            throw new DopajException("tensor '" + tensor + "' has " + spatial + " spatial axes; 1 to 3 are supported");
        }
        String[] ids = {"x", "y", "z"};
        List<AxisSpec> axes = new ArrayList<>();
        for (int d = 0; d < spatial; d++) {
            if (shape[d + 1] < 1) {
                throw new DopajException("tensor '" + tensor + "' has no fixed size along " + ids[d]);
            }
            axes.add(AxisSpec.space(ids[d], Math.toIntExact(shape[d + 1])));
        }
        return axes;
    }

    private static Map<String, Object> dopajConfig(ExportedModel model, PackageInfo info) {
        Map<String, Object> c = new LinkedHashMap<>();
        String task = model.task() instanceof Task.Classification ? "classification"
                : model.task() instanceof Task.Regression ? "regression" : "segmentation";
        Object given = info.config().get("task");
        if (given != null && !task.equals(given)) {
            throw new DopajException("model package " + info.id() + ": config task '" + given
                    + "' contradicts the exported model's task '" + task + "'");
        }
        c.put("task", task);
        c.putAll(info.config());
        c.put("task", task);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("prediction", model.task().predictionName());
        if (model.camOutput() != null) {
            outputs.put("cam", model.camOutput());
        }
        c.put("outputs", outputs);
        c.put("signature", model.signatureKey());
        if (model.task() instanceof Task.Classification k) {
            List<String> labels = labelsOf(c);
            if (labels == null || labels.size() != k.classes()) {
                throw new DopajException("model package " + info.id() + ": a classifier of " + k.classes()
                        + " classes needs " + k.classes() + " labels in config, got " + labels);
            }
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<String> labelsOf(Map<String, ?> config) {
        Object l = config.get("labels");
        if (l == null) {
            return null;
        }
        if (!(l instanceof List<?> list)) {
            throw new DopajException("config labels must be a list of names, got " + l);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /**
     * Runs the package's test input through TF Java's own {@link SavedModelBundle} (after the package's
     * preprocessing; output scale applied) and returns, per output, the largest |difference| to the stored test
     * output, which DJL computed.
     */
    public static Map<String, Double> compareWithTfJava(ModelPackage pkg) {
        TensorFlowRuntime.init();
        if (pkg.inputs().size() != 1) {
            throw new DopajException("model " + pkg.id() + ": the TF Java cross-check handles one input");
        }
        TensorSpec in = pkg.inputs().get(0);
        Tensor raw = Npy.read(pkg.dir().resolve(in.testTensor()));
        Tensor x = pkg.preprocessing(in.id()).apply(raw, in);
        Map<String, Tensor> tf = runTfJava(pkg.savedModelDir(), pkg.signature(), in.id(), x);
        Map<String, Double> diff = new LinkedHashMap<>();
        for (TensorSpec o : pkg.outputs()) {
            Tensor stored = Npy.read(pkg.dir().resolve(o.testTensor()));
            Tensor got = tf.get(o.id());
            if (got == null) {
                throw new DopajException("model " + pkg.id() + ": TF Java returned no output '" + o.id() + "'");
            }
            double scale = pkg.outputScale(o.id());
            float[] v = got.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] * scale);
            }
            diff.put(o.id(), stored.maxAbsDiff(Tensor.of(v, got.shape())));
        }
        return diff;
    }

    /** Every output of {@code signature} for one float input, through TF Java (no DJL). */
    public static Map<String, Tensor> runTfJava(Path savedModel, String signature, String inputName, Tensor input) {
        TensorFlowRuntime.init();
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(input.shape()), DataBuffers.of(input.data(), true, false));
                Result r = bundle.function(signature).call(Map.of(inputName, x))) {
            for (Map.Entry<String, org.tensorflow.Tensor> e : r) {
                if (e.getValue() instanceof TFloat32 t) {
                    float[] v = new float[Math.toIntExact(t.shape().size())];
                    t.copyTo(DataBuffers.of(v, false, false));
                    out.put(e.getKey(), Tensor.of(v, t.shape().asArray()));
                }
            }
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (var s = java.nio.file.Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the caller's exception says what went wrong
        }
    }
}
