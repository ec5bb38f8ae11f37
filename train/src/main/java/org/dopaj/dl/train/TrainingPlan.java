package org.dopaj.dl.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Task;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A training run described by a YAML file ({@code dopaj train CONFIG}; schema in docs/train-config.md): model id and
 * card fields, a named network from {@link Architectures}, the input shape, the task, the data (a named generator
 * from {@link SampleGenerators}, or a folder with a label CSV), the optimisation settings, named augmentations and
 * the output/checkpoint folders. Relative paths are resolved against the config file's folder. Unknown keys are
 * refused, naming the key.
 */
public record TrainingPlan(Path source, String id, String name, String description, List<String> authors,
        String license, List<String> tags, String networkName, Params network, long[] inputShape, Task task,
        List<String> labels, Params generated, Path folder, Path csv, double validationFraction, int epochs,
        int batchSize, double learningRate, LearningRateSchedule schedule, String scheduleText, long seed, int patience,
        int threads, List<?> augmentation, List<Double> voxelSizeMm, Path output, Path checkpoints) {

    private static final Set<String> KEYS = Set.of("id", "name", "description", "authors", "license", "tags",
            "network", "input_shape", "task", "labels", "cam_class", "outputs", "cam_output", "data", "epochs",
            "batch_size", "learning_rate", "schedule", "min_learning_rate", "step_every", "step_factor", "seed",
            "patience", "threads", "augmentation", "voxel_size_mm", "output", "checkpoints");

    public TrainingPlan {
        inputShape = inputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Reads and checks {@code file}. */
    public static TrainingPlan load(Path file) {
        return parse(readDocument(file), file.toAbsolutePath().normalize());
    }

    /** Reads a training config file as a YAML map (either form: generic or {@code recipe:}); one-line errors. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readDocument(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DopajException("training config " + file + " does not exist");
        }
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (MarkedYAMLException e) {
            throw new DopajException("training config " + file + ": malformed YAML at line "
                    + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (IOException e) {
            throw new DopajException("cannot read training config " + file + ": " + e.getMessage());
        }
        if (!(doc instanceof Map)) {
            throw new DopajException("training config " + file + " must be a YAML map of settings");
        }
        return (Map<String, Object>) doc;
    }

    /** Checks a parsed config; {@code source} is the config file (relative paths are resolved against its folder). */
    @SuppressWarnings("unchecked")
    public static TrainingPlan parse(Map<String, Object> doc, Path source) {
        String where = "training config " + source.getFileName();
        Params p = new Params(where, doc).requireOnly(KEYS);
        Path base = source.getParent();
        String id = p.text("id", null);
        if (id == null || !id.matches("[A-Za-z0-9_.-]+")) {
            throw new DopajException(where + ": id is required (letters, digits, '.', '_', '-'), got " + id);
        }
        // network: NAME, or {name: NAME, ...parameters}
        Object net = doc.get("network");
        String networkName;
        Params network;
        if (net instanceof String s) {
            networkName = s;
            network = new Params("network", Map.of());
        } else if (net instanceof Map<?, ?> m && m.get("name") != null) {
            networkName = String.valueOf(m.get("name"));
            network = new Params("network", (Map<String, ?>) m);
        } else {
            throw new DopajException(where + ": network is required: a name (" + String.join(", ", Architectures.names())
                    + ") or {name: NAME, parameters...}");
        }
        int[] shape = p.integers("input_shape", null);
        if (shape == null || shape.length < 2 || Arrays.stream(shape).anyMatch(v -> v < 1)) {
            throw new DopajException(where + ": input_shape is required: positive sizes, channels last, e.g. [16, 16, 16, 1]");
        }
        long[] inputShape = Arrays.stream(shape).asLongStream().toArray();

        String taskName = p.text("task", null);
        List<String> labels = p.texts("labels");
        Task task;
        if ("classification".equals(taskName)) {
            if (labels == null || labels.size() < 2) {
                throw new DopajException(where + ": a classification needs labels: [name of class 0, name of class 1, ...]");
            }
            if (p.has("outputs") || p.has("cam_output")) {
                throw new DopajException(where + ": outputs/cam_output belong to a regression; a classifier has labels and cam_class");
            }
            task = new Task.Classification(labels.size(), p.integer("cam_class", -1));
        } else if ("regression".equals(taskName)) {
            if (p.has("cam_class")) {
                throw new DopajException(where + ": cam_class belongs to a classification; a regressor has cam_output");
            }
            int outputs = p.integer("outputs", labels == null ? 1 : labels.size());
            if (labels != null && labels.size() != outputs) {
                throw new DopajException(where + ": " + labels.size() + " labels for " + outputs + " regression outputs");
            }
            task = new Task.Regression(outputs, p.integer("cam_output", 0));
        } else {
            throw new DopajException(where + ": task must be classification or regression, got " + taskName);
        }

        Params data = p.child("data");
        if (data == null) {
            throw new DopajException(where + ": data is required: {generated: {kind, n, seed}} or {folder: DIR, csv: FILE}");
        }
        data.requireOnly(Set.of("generated", "folder", "csv", "validation_fraction"));
        Params generated = data.child("generated");
        Path folder = null;
        Path csv = null;
        if (generated != null) {
            if (data.has("folder") || data.has("csv")) {
                throw new DopajException(where + ": data has both generated and folder/csv; choose one");
            }
            String kind = generated.text("kind", null);
            if (kind == null || !SampleGenerators.names().contains(kind)) {
                throw new DopajException(kind == null ? "data.generated.kind is required (known: "
                        + String.join(", ", SampleGenerators.names()) + ")" : "data generator '" + kind
                        + "' is unknown (known: " + String.join(", ", SampleGenerators.names()) + ")");
            }
            if (generated.integer("n", 0) < 2) {
                throw new DopajException("data.generated.n must be >= 2 samples");
            }
        } else {
            if (!data.has("folder") || !data.has("csv")) {
                throw new DopajException(where + ": data needs generated: {...} or both folder and csv");
            }
            folder = base.resolve(data.text("folder", null)).normalize();
            csv = base.resolve(data.text("csv", null)).normalize();
        }
        double validationFraction = data.number("validation_fraction", 0.25);
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new DopajException("data.validation_fraction must lie in [0, 1), got " + validationFraction);
        }

        double lr = p.number("learning_rate", 1e-3);
        String scheduleText = p.text("schedule", "constant");
        LearningRateSchedule schedule = switch (scheduleText) {
            case "constant" -> new LearningRateSchedule.Constant(lr);
            case "cosine" -> new LearningRateSchedule.Cosine(lr, p.number("min_learning_rate", 0));
            case "step" -> new LearningRateSchedule.Step(lr, p.integer("step_every", 10), p.number("step_factor", 0.5));
            default -> throw new DopajException(where + ": schedule must be constant, cosine or step, got " + scheduleText);
        };
        if (!scheduleText.equals("cosine") && p.has("min_learning_rate")
                || !scheduleText.equals("step") && (p.has("step_every") || p.has("step_factor"))) {
            throw new DopajException(where + ": min_learning_rate belongs to schedule: cosine, step_every/step_factor to schedule: step");
        }
        Object aug = doc.get("augmentation");
        if (aug != null && !(aug instanceof List)) {
            throw new DopajException(where + ": augmentation must be a list of names or {name: {parameters}}");
        }
        List<Double> voxel = null;
        if (doc.get("voxel_size_mm") != null) {
            List<String> v = p.texts("voxel_size_mm");
            voxel = new ArrayList<>();
            for (String s : v) {
                try {
                    voxel.add(Double.parseDouble(s));
                } catch (NumberFormatException e) {
                    throw new DopajException(where + ": voxel_size_mm must be numbers, got " + v);
                }
            }
        }
        String out = p.text("output", null);
        if (out == null) {
            throw new DopajException(where + ": output (the model package folder to write) is required");
        }
        Path output = base.resolve(out).normalize();
        String ck = p.text("checkpoints", null);
        Path checkpoints = ck == null ? output.resolveSibling(output.getFileName() + ".checkpoints")
                : base.resolve(ck).normalize();
        List<String> authors = p.texts("authors");
        int epochs = p.integer("epochs", 20);
        int batch = p.integer("batch_size", 8);
        int patience = p.integer("patience", 0);
        int threads = p.integer("threads", 0);
        TrainingPlan plan = new TrainingPlan(source, id, p.text("name", id),
                p.text("description", "Network trained with dopaj train from " + source.getFileName()),
                authors == null || authors.isEmpty() ? List.of("DopaJ user") : authors, p.text("license", "MIT"),
                p.texts("tags") == null ? List.of() : p.texts("tags"), networkName, network, inputShape, task, labels,
                generated, folder, csv, validationFraction, epochs, batch, lr, schedule, scheduleText,
                p.longValue("seed", 1), patience, threads, aug == null ? List.of() : (List<?>) aug, voxel, output,
                checkpoints);
        plan.trainingConfig(false); // checks epochs, batch size, patience, threads now
        plan.modelSpec(); // checks the network's parameters now
        Augmentations.chain(plan.augmentation(), inputShape);
        return plan;
    }

    /** The network definition for this plan (built from the registry). */
    public ModelSpec modelSpec() {
        return new ModelSpec(id, inputShape, task, Architectures.create(networkName, network, inputShape, task));
    }

    /** The loop settings. */
    public TrainingConfig trainingConfig(boolean resume) {
        return TrainingConfig.defaults(checkpoints).withEpochs(epochs).withBatchSize(batchSize).withSeed(seed)
                .withSchedule(schedule).withPatience(patience).withThreads(threads).withResume(resume)
                .withAugmentation(Augmentations.chain(augmentation, inputShape));
    }

    /** What the data section says, in words (for the model card). */
    public String dataDescription() {
        if (generated != null) {
            Map<String, Object> m = new LinkedHashMap<>(generated.asMap());
            return "generated samples: " + m;
        }
        return "files in " + folder + " listed in " + csv;
    }
}
