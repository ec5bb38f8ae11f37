package org.dopaj.spect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import java.util.LinkedHashMap;

import org.dopaj.DopajException;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.train.Augmentation;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Sample;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingResult;

/**
 * Trains the DaT-SPECT classifier ({@link DatCnn}) on the union of phantom generator families ({@link DatFamily}) in
 * the <b>mixed</b> setting, and exports it with its class-activation output.
 *
 * <p>Command (fixed seed; resumable: subjects are cached per family in {@code data} and the trainer resumes from
 * {@code OUT/checkpoints/last}): {@code dopaj train models/spect-dat-cnn/train.yaml} (recipe {@code spect-dat-cnn},
 * {@link org.dopaj.train.DatCnnRecipe}), whose arguments are the {@link Options} below: e.g. data runs/spect-dat-data,
 * families ellipsoid,aal,icbm,aicha, train 450, val 40, physics 200,30,120, epochs 12, batch 8, seed 2019, lr 5e-4.
 * The physics families ({@link DatFamily#physics()}) contribute at most {@code --physics TRAIN,VAL,TEST} subjects
 * (their projection, reconstruction and registration cost seconds each). Training subjects of every family have seeds {@code seed·10⁶ + i}, validation {@code seed·10⁶ + 500000 + i}
 * (labels alternate, so the classes are balanced); evaluations use other seeds ({@link DatLofo}). Each epoch shows
 * every training subject once, as its original or its 18 mm-smoothed volume with probability ½ (the mixed setting),
 * with the SBR map scaled by g(m + 1) − 1, g ∈ [0.9, 1.1] (a ±10 % error of the reference mean; {@code --head joint}
 * only), mirrored left/right
 * with probability ½ and shifted by up to ±4 mm. Validation uses the original volume of even and the smoothed volume of
 * odd subjects. Writes {@code OUT/checkpoints/} and {@code OUT/saved_model/}, and logs to stdout. {@code --head
 * anchored} ({@link DatCnn.Head}) first fits the anchor, a logistic regression on the binding numbers of the training
 * subjects ({@link #fitAnchor}), writes it to {@code OUT/anchor.json} and trains the network around it.
 */
public final class DatCnnTraining {
    static final int CHUNK = 50;
    static final int SIZE = DatCnn.PX * DatCnn.PY * DatCnn.PZ;

    private DatCnnTraining() {
    }

    /** Trains into {@code out} (resumable) and exports the SavedModel there; see the class comment. */
    public static Path train(Path out, Options o, Consumer<String> log) throws Exception {
        return train(out, o, log, true);
    }

    /**
     * Refits the anchor of the run in {@code run} (deterministic: the same training subjects give the same weights) and
     * writes it with the training normals' means; refuses when it differs from the anchor the run was trained with.
     */
    public static DatCnn.Anchor refitAnchor(Path run, Options o) throws IOException {
        DatCnn.Anchor a = fitAnchor(subjects(o, "train", o.seed() * 1_000_000L, o.nTrain(), s -> { }));
        Path f = run.resolve(ANCHOR_FILE);
        if (Files.exists(f)) {
            DatCnn.Anchor old = DatCnn.Anchor.read(f);
            for (int j = 0; j < a.weights().length; j++) {
                if (Math.abs(old.weights()[j] - a.weights()[j]) > 1e-9 || Math.abs(old.bias() - a.bias()) > 1e-9) {
                    throw new DopajException("the refitted anchor differs from " + f + ": other training subjects?");
                }
            }
        }
        a.write(f);
        return a;
    }

    /**
     * The model package of a trained SavedModel: {@code card} (the README text), the calibration {@code temperature},
     * and the applicability bounds from the cached subjects in {@code data} ({@code shared} = ../shared/data).
     */
    public static ModelPackage packageRun(Path savedModel, Path modelDir, String card, double temperature, Path data,
            Path shared) throws IOException {
        return writePackage(savedModel, modelDir, card, temperature, DatApplicabilityCalibration.fromCaches(data, shared));
    }

    /** Options shared by training and the leave-one-family-out runs. */
    public record Options(Path data, Path shared, List<DatFamily> families, int nTrain, int nVal, int epochs, int batch,
                   long seed, int threads, double lr, int[] physics, DatCnn.Head head) {
        /** The settings in the evaluation tools' option spelling ({@code --data DIR --train N ...}). */
        public String describe() {
            return String.format(Locale.ROOT, "--data %s --shared %s --families %s --train %d --val %d --physics %d,%d,%d"
                    + " --epochs %d --batch %d --seed %d --lr %s --threads %d --head %s", data, shared,
                    String.join(",", families.stream().map(DatFamily::id).toList()), nTrain, nVal, physics[0], physics[1],
                    physics[2], epochs, batch, seed, lr, threads, head.name().toLowerCase(Locale.ROOT));
        }

        /** Options of the evaluation tools' command lines (leave-one-family-out, calibration). */
        static Options parse(String[] args, int from) {
            Path data = Path.of("runs/spect-dat-data");
            Path shared = Path.of("../shared/data");
            List<DatFamily> families = List.of(DatFamily.values());
            int nTrain = 450;
            int nVal = 40;
            int epochs = 12;
            int batch = 8;
            long seed = 2019;
            int threads = 2;
            double lr = 5e-4;
            // the physics families cost seconds per subject (projection, reconstruction, registration): fewer of them
            int[] physics = {200, 30, 120};
            DatCnn.Head head = DatCnn.Head.JOINT;
            for (int i = from; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new DopajException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--data" -> data = Path.of(v);
                    case "--shared" -> shared = Path.of(v);
                    case "--families" -> families = DatFamily.list(v);
                    case "--train" -> nTrain = Integer.parseInt(v);
                    case "--val" -> nVal = Integer.parseInt(v);
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--lr" -> lr = Double.parseDouble(v);
                    case "--physics" -> physics = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--head" -> head = DatCnn.Head.of(v);
                    default -> throw new DopajException("unknown option " + args[i]);
                }
            }
            if (physics.length != 3) {
                throw new DopajException("--physics needs TRAIN,VAL,TEST subject counts, e.g. 200,30,120");
            }
            return new Options(data, shared, families, nTrain, nVal, epochs, batch, seed, threads, lr, physics, head);
        }

        Options withFamilies(List<DatFamily> f) {
            return new Options(data, shared, f, nTrain, nVal, epochs, batch, seed, threads, lr, physics, head);
        }
    }

    /** The subjects of {@code part} of every family of {@code o}. */
    static List<DatData.Item> subjects(Options o, String part, long seedBase, int n, Consumer<String> log)
            throws IOException {
        List<DatData.Item> all = new ArrayList<>();
        for (DatFamily f : o.families()) {
            all.addAll(subjects(o, f, part, seedBase, n, log));
        }
        return all;
    }

    /** Atlas samplers by family and data folder: each reads its atlas and tissue maps once per JVM, not per call. */
    private static final Map<String, AtlasDatSampler> SAMPLERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The subjects of {@code part} of {@code family}. */
    static List<DatData.Item> subjects(Options o, DatFamily family, String part, long seedBase, int n,
                                       Consumer<String> log) throws IOException {
        if (family.physics()) {
            n = Math.min(n, o.physics()[switch (part) {
                case "train" -> 0;
                case "val" -> 1;
                default -> 2;
            }]);
        }
        AtlasDatSampler sampler = family == DatFamily.ELLIPSOID ? null
                : SAMPLERS.computeIfAbsent(family.id() + "@" + o.shared().toAbsolutePath(), k -> family.sampler(o.shared()));
        DatFamily.SubjectCamera camera = family.physics() ? PhysicsCamera.load() : null;
        return DatData.load(o.data(), family, sampler, camera, part, seedBase, n, o.threads(), log);
    }

    /**
     * Trains on the families of {@code o} into {@code out}; returns the best checkpoint. With {@code export} the
     * 2 mm-input SavedModel with its CAM is written to {@code out/saved_model}.
     */
    static Path train(Path out, Options o, Consumer<String> log, boolean export) throws Exception {
        log.accept("families " + o.families() + ": " + o.nTrain() + " training, " + o.nVal()
                + " validation subjects each, seed " + o.seed());
        List<DatData.Item> train = subjects(o, "train", o.seed() * 1_000_000L, o.nTrain(), log);
        List<DatData.Item> val = subjects(o, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), log);
        log.accept("subjects ready");
        Map<float[], float[]> smoothedOf = new IdentityHashMap<>();
        List<Sample> trainSamples = new ArrayList<>();
        for (DatData.Item it : train) {
            if (!it.failed()) {
                smoothedOf.put(it.original(), it.smoothed());
                trainSamples.add(new Sample(it.original(), new float[] {it.label()}));
            }
        }
        List<Sample> valSamples = new ArrayList<>();
        for (int i = 0; i < val.size(); i++) {
            DatData.Item it = val.get(i);
            if (!it.failed()) {
                valSamples.add(new Sample(i % 2 == 0 ? it.original() : it.smoothed(), new float[] {it.label()}));
            }
        }
        log.accept(trainSamples.size() + " training and " + valSamples.size() + " validation samples");
        DatCnn.Anchor anchor = null;
        if (o.head() == DatCnn.Head.ANCHORED) {
            anchor = fitAnchor(train);
            Files.createDirectories(out);
            anchor.write(out.resolve(ANCHOR_FILE));
            log.accept("anchor (binding logistic regression) " + java.util.Arrays.toString(anchor.weights()) + ", bias "
                    + anchor.bias());
        }
        // the anchored head's anchor reads absolute SBRs: no level augmentation there (it would only teach the
        // residual to undo a level shift no scan carries)
        boolean level = o.head() == DatCnn.Head.JOINT;
        Augmentation mixed = (s, rng) -> {
            float[] x = rng.nextBoolean() ? smoothedOf.get(s.input()) : s.input();
            float g = level ? 0.9f + 0.2f * rng.nextFloat() : 1f;
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = g * (x[i] + 1f) - 1f;
            }
            y = flipShift(y, rng.nextBoolean(), rng.nextInt(3) - 1, rng.nextInt(3) - 1, rng.nextInt(3) - 1);
            return new Sample(y, s.target());
        };
        TrainingConfig cfg = TrainingConfig.defaults(out.resolve("checkpoints")).withEpochs(o.epochs())
                .withBatchSize(o.batch()).withSeed(o.seed())
                .withSchedule(new LearningRateSchedule.Cosine(o.lr(), o.lr() / 100))
                .withAugmentation(mixed).withResume(true).withThreads(o.threads());
        TrainingResult r = new Trainer().train(DatNetwork.trainingSpec(o.head(), anchor), Dataset.of(trainSamples),
                Dataset.of(valSamples), cfg, p -> {
                    if (p.kind() != TrainingProgress.Kind.BATCH || p.batch() % 50 == 0) {
                        log.accept(p.message());
                    }
                });
        log.accept("best epoch " + r.bestEpoch() + ", validation loss " + r.bestLoss());
        if (export) {
            Path saved = out.resolve("saved_model");
            if (Files.exists(saved)) {
                deleteTree(saved);
            }
            ExportedModel m = ModelExporter.export(DatNetwork.exportSpec(o.head(), anchor), r.bestCheckpoint(), saved);
            log.accept("exported " + m);
        }
        return r.bestCheckpoint();
    }

    /** File of the anchored head's anchor in a training run's folder. */
    static final String ANCHOR_FILE = "anchor.json";

    /**
     * The anchor of the anchored head: L2-regularised (10⁻³) logistic regression of the label on the ten binding
     * numbers ({@link DatCnn#bindingFeatures}) of every training subject, original and smoothed maps together (the
     * mixed setting the network trains in), fitted on standardised numbers ({@link DatFeatureLofo#fit}) and returned in
     * SBR-map units.
     */
    static DatCnn.Anchor fitAnchor(List<DatData.Item> train) {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (DatData.Item it : train) {
            if (!it.failed()) {
                x.add(DatCnn.bindingFeatures(it.original()));
                x.add(DatCnn.bindingFeatures(it.smoothed()));
                y.add(it.label());
                y.add(it.label());
            }
        }
        int d = DatCnn.BINDING_FEATURES;
        double[][] ms = DatFeatureLofo.meanAndSd(x);
        double[] mu = ms[0];
        double[] sd = ms[1];
        List<double[]> z = x.stream().map(r -> DatFeatureLofo.standardise(r, mu, sd)).toList();
        double[] w = DatFeatureLofo.fit(z, y, 1e-3);
        double[] raw = new double[d];
        double bias = w[d];
        for (int j = 0; j < d; j++) {
            raw[j] = w[j] / sd[j];
            bias -= w[j] * mu[j] / sd[j];
        }
        double[] normal = new double[d];
        int normals = 0;
        for (int i = 0; i < x.size(); i++) {
            if (y.get(i) == 0) {
                normals++;
                for (int j = 0; j < d; j++) {
                    normal[j] += x.get(i)[j];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            normal[j] /= Math.max(1, normals);
        }
        return new DatCnn.Anchor(raw, bias, normal);
    }

    /** The anchor stored with a training checkpoint ({@code RUN/checkpoints/NAME} → {@code RUN/anchor.json}). */
    static DatCnn.Anchor anchorOf(Path checkpoint) throws IOException {
        return DatCnn.Anchor.read(checkpoint.toAbsolutePath().getParent().getParent().resolve(ANCHOR_FILE));
    }

    /**
     * A 4 mm map mirrored left/right (optional) and shifted by whole voxels (dx, dy, dz ∈ {−1, 0, 1}, i.e. ±4 mm),
     * edges repeated: the label does not depend on the side or on a few mm of misregistration. (Mirroring the 46-wide
     * 4 mm grid also moves the image by 2 mm, well inside the misregistration the subjects already carry.)
     */
    static float[] flipShift(float[] x, boolean flip, int dx, int dy, int dz) {
        int nx = DatCnn.PX;
        int ny = DatCnn.PY;
        int nz = DatCnn.PZ;
        float[] y = new float[x.length];
        for (int i = 0; i < nx; i++) {
            int si = Math.max(0, Math.min(nx - 1, i - dx));
            if (flip) {
                si = nx - 1 - si;
            }
            for (int j = 0; j < ny; j++) {
                int sj = Math.max(0, Math.min(ny - 1, j - dy));
                for (int k = 0; k < nz; k++) {
                    int sk = Math.max(0, Math.min(nz - 1, k - dz));
                    y[(i * ny + j) * nz + k] = x[(si * ny + sj) * nz + sk];
                }
            }
        }
        return y;
    }

    /**
     * Writes {@code models/spect-dat-cnn}: the SavedModel, {@code rdf.yaml} (input: the SBR map on the MNI 2 mm
     * grid; outputs: probabilities and CAM), the model card and test tensors (a noisy stage-2 {@link SpectPhantom},
     * seed 7) and the calibration temperature ({@link DatCalibration}, fitted by {@code DatLofo --evaluate}); through
     * {@link #packageRun} the cached held-out and validation subjects give the applicability bounds
     * ({@link DatApplicability}).
     */
    public static ModelPackage writePackage(Path savedModel, Path modelDir, String card, double temperature,
                                            org.dopaj.dl.model.Applicability applicability) {
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        TensorSpec in = TensorSpec.of("input", "DaT-SPECT on the MNI152 2 mm grid divided by its occipital reference"
                + " VOI mean, minus 1 (a voxel-wise SBR map)", AxisSpec.batch(), AxisSpec.space("x", DatCnn.NX),
                AxisSpec.space("y", DatCnn.NY), AxisSpec.space("z", DatCnn.NZ), AxisSpec.channel("sbr_map"));
        Tensor test = TensorLayout.fromVolume(DatCnn.normalise(ph.image()), in);
        TensorSpec probs = TensorSpec.of("probabilities", "softmax over (normal, parkinsonian)", AxisSpec.batch(),
                AxisSpec.index("class", 2));
        TensorSpec cam = TensorSpec.of("cam", "Grad-CAM of the parkinsonian logit, 0..1 per image, on the input grid",
                AxisSpec.batch(), AxisSpec.space("x", DatCnn.NX), AxisSpec.space("y", DatCnn.NY),
                AxisSpec.space("z", DatCnn.NZ), AxisSpec.channel("cam"));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("task", "classification");
        cfg.put("labels", List.of(DatCnn.LABELS));
        cfg.put("outputs", new LinkedHashMap<>(Map.of("prediction", "probabilities", "cam", "cam")));
        cfg.put("voxel_size_mm", List.of(2.0, 2.0, 2.0));
        cfg.put("grid", "MNI152 2 mm, 91x109x91, LAS, affine [[-2,0,0,90],[0,2,0,-126],[0,0,2,-72]]");
        cfg.put("input_normalisation", "image / mean(occipital reference VOI of org.dopaj.spect.SpectVois) - 1,"
                + " done by org.dopaj.spect.SpectClassifier before the model");
        cfg.put("training_data", "phantoms: synthetic DaT-SPECT subjects of four DopaJ generator families (ellipsoid,"
                + " AAL, ICBM basal ganglia, AICHA; the last two through a physics camera and DopaJ's spatial"
                + " normalisation), org.dopaj.spect.DatFamily");
        cfg.put("template", "org/dopaj/spect/dat-template.nii.gz (DatTemplate), rigid normalisation (DatNormaliser)");
        Path anchorFile = savedModel.toAbsolutePath().getParent().resolve(ANCHOR_FILE);
        if (Files.isRegularFile(anchorFile)) {
            try {
                DatCnn.Anchor a = DatCnn.Anchor.read(anchorFile);
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("head", "anchored: log-odds = binding logistic regression (fixed, below) + "
                        + DatCnn.RESIDUAL_BOUND + "·tanh(r/" + DatCnn.RESIDUAL_BOUND + ") from the convolutional branch");
                h.put("binding_features", "caudate L, caudate R, anterior putamen L, R, posterior putamen L, R, lower"
                        + " and higher posterior putamen, lower anterior putamen, posterior |L - R| (mean SBR, 4 mm map)");
                h.put("weights", java.util.Arrays.stream(a.weights()).boxed().toList());
                h.put("bias", a.bias());
                if (a.normalMeans() != null) {
                    h.put("normal_means", java.util.Arrays.stream(a.normalMeans()).boxed().toList());
                }
                cfg.put("anchor", h);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        cfg.put("temperature", temperature);
        cfg.put("applicability", applicability.toYaml());
        return new ModelPackageWriter(modelDir).id(DatCnn.MODEL_ID)
                .name(cfg.containsKey("anchor")
                        ? "DaT-SPECT normal vs parkinsonian 3D CNN anchored on the VOI binding evidence (phantom training)"
                        : "DaT-SPECT normal vs parkinsonian 3D CNN with a binding branch (phantom training)")
                .description((cfg.containsKey("anchor")
                        ? "3D CNN (2.9 M parameters) whose log-odds are a fixed logistic regression on in-graph VOI"
                        + " binding numbers plus a bounded residual from a convolutional branch, classifying spatially"
                        : "3D CNN (2.9 M parameters) with an in-graph VOI binding branch classifying spatially")
                        + " normalised 123I-FP-CIT SPECT as normal or parkinsonian, with a class-activation map;"
                        + " trained on four families of DopaJ's synthetic phantoms in the mixed (original + 18 mm"
                        + " smoothed) setting. Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("dat-spect", "datscan", "parkinsonism", "classification",
                        "grad-cam", "synthetic-training"))
                .modelCard(card).savedModel(savedModel).input(in, test).output(probs, null).output(cam, null)
                .config(cfg).overwrite(true).write();
    }

    static void deleteTree(Path p) throws IOException {
        org.dopaj.FileTrees.delete(p);
    }
}
