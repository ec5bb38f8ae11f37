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
 * Trains the DaT-SPECT classifier ({@link DatCnn}) on randomised phantoms ({@link DatSubjectSampler}) in the
 * <b>mixed</b> setting, and exports it with its Grad-CAM output.
 *
 * <p>Command (fixed seed; resumable: phantoms are cached in chunks and the trainer resumes from {@code last/}):
 * <pre>
 * java -Xmx4g -cp target/classes:$(cat target/classpath.txt) org.dopaj.spect.DatCnnTraining runs/spect-dat-cnn \
 *     --train 2400 --val 200 --epochs 18 --batch 8 --seed 2019 --lr 5e-4 --augment flipshift --stages early
 * </pre>
 * Training subjects have seeds {@code seed·10⁶ + i}, validation {@code seed·10⁶ + 500000 + i} (labels alternate, so
 * the classes are balanced); evaluation uses other seeds ({@link DatCnnEvaluation}). Each epoch shows every training
 * subject once, as its original or its 18 mm-smoothed volume with probability ½ (the mixed setting), with the SBR map
 * scaled by g(m + 1) − 1, g ∈ [0.9, 1.1] (a ±10 % error of the reference mean). Validation uses the original volume
 * of even and the smoothed volume of odd subjects. Writes {@code OUT/data/}, {@code OUT/checkpoints/} and
 * {@code OUT/saved_model/}, and logs to stdout.
 */
public final class DatCnnTraining {
    static final int CHUNK = 50;
    static final int SIZE = DatCnn.PX * DatCnn.PY * DatCnn.PZ;

    private DatCnnTraining() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("package")) {
            ModelPackage p = writePackage(Path.of(args[1]), Path.of(args[2]), Files.readString(Path.of(args[3])));
            System.out.println("packaged " + p.id() + " in " + p.dir() + " (weights sha256 " + p.weightsSha256() + ")");
            return;
        }
        if (args.length < 1) {
            System.err.println("usage: DatCnnTraining OUT [--train N] [--val N] [--epochs E] [--batch B] [--seed S]"
                    + " [--threads T] [--lr R]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int nTrain = 1200;
        int nVal = 200;
        int epochs = 14;
        int batch = 8;
        long seed = 2019;
        int threads = 2;
        double lr = 1e-3;
        boolean flipShift = false;
        DatSubjectSampler.Stages stages = DatSubjectSampler.Stages.UNIFORM;
        for (int i = 1; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--train" -> nTrain = Integer.parseInt(v);
                case "--val" -> nVal = Integer.parseInt(v);
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--augment" -> flipShift = switch (v) {
                    case "basic" -> false;
                    case "flipshift" -> true;
                    default -> throw new DopajException("--augment must be basic or flipshift, got " + v);
                };
                case "--stages" -> stages = switch (v) {
                    case "uniform" -> DatSubjectSampler.Stages.UNIFORM;
                    case "early" -> DatSubjectSampler.Stages.EARLY_WEIGHTED;
                    default -> throw new DopajException("--stages must be uniform or early, got " + v);
                };
                default -> throw new DopajException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        Consumer<String> log = s -> System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - t0) / 1e9, s);
        log.accept("phantoms: " + nTrain + " training, " + nVal + " validation, seed " + seed);
        log.accept("training stages " + stages + ", validation stages UNIFORM");
        Cache train = Cache.load(out.resolve("data"), "train", seed * 1_000_000L, nTrain, stages, threads, log);
        Cache val = Cache.load(out.resolve("data"), "val", seed * 1_000_000L + 500_000L, nVal,
                DatSubjectSampler.Stages.UNIFORM, threads, log);
        log.accept("phantoms ready");

        Map<float[], float[]> smoothedOf = new IdentityHashMap<>();
        List<Sample> trainSamples = new ArrayList<>();
        for (int i = 0; i < nTrain; i++) {
            smoothedOf.put(train.original[i], train.smoothed[i]);
            trainSamples.add(new Sample(train.original[i], new float[] {train.labels[i]}));
        }
        List<Sample> valSamples = new ArrayList<>();
        for (int i = 0; i < nVal; i++) {
            valSamples.add(new Sample(i % 2 == 0 ? val.original[i] : val.smoothed[i], new float[] {val.labels[i]}));
        }
        boolean fs = flipShift;
        Augmentation mixed = (s, rng) -> {
            float[] x = rng.nextBoolean() ? smoothedOf.get(s.input()) : s.input();
            float g = 0.9f + 0.2f * rng.nextFloat();
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = g * (x[i] + 1f) - 1f;
            }
            if (fs) {
                y = flipShift(y, rng.nextBoolean(), rng.nextInt(3) - 1, rng.nextInt(3) - 1, rng.nextInt(3) - 1);
            }
            return new Sample(y, s.target());
        };
        TrainingConfig cfg = TrainingConfig.defaults(out.resolve("checkpoints")).withEpochs(epochs)
                .withBatchSize(batch).withSeed(seed).withSchedule(new LearningRateSchedule.Cosine(lr, lr / 100))
                .withAugmentation(mixed).withResume(true).withThreads(threads);
        TrainingResult r = new Trainer().train(DatCnn.trainingSpec(), Dataset.of(trainSamples), Dataset.of(valSamples),
                cfg, p -> {
                    if (p.kind() != TrainingProgress.Kind.BATCH || p.batch() % 25 == 0) {
                        log.accept(p.message());
                    }
                });
        log.accept("best epoch " + r.bestEpoch() + ", validation loss " + r.bestLoss());
        Path saved = out.resolve("saved_model");
        if (Files.exists(saved)) {
            deleteTree(saved);
        }
        ExportedModel m = ModelExporter.export(DatCnn.exportSpec(), r.bestCheckpoint(), saved);
        log.accept("exported " + m);
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
     * seed 7). Usage: {@code DatCnnTraining package SAVED_MODEL MODEL_DIR CARD.md}.
     */
    public static ModelPackage writePackage(Path savedModel, Path modelDir, String card) {
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
        cfg.put("training_data", "synthetic phantoms from org.dopaj.spect.DatSubjectSampler (DopaJ's own generator)");
        return new ModelPackageWriter(modelDir).id(DatCnn.MODEL_ID)
                .name("DaT-SPECT normal vs parkinsonian 3D CNN (synthetic training)")
                .description("3D CNN (2.9 M parameters) classifying spatially normalised 123I-FP-CIT SPECT as normal"
                        + " or parkinsonian, with Grad-CAM; trained on DopaJ's synthetic phantoms in the mixed"
                        + " (original + 18 mm smoothed) setting. Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("dat-spect", "datscan", "parkinsonism", "classification",
                        "grad-cam", "synthetic-training"))
                .modelCard(card).savedModel(savedModel).input(in, test).output(probs, null).output(cam, null)
                .config(cfg).overwrite(true).write();
    }

    static void deleteTree(Path p) throws IOException {
        try (var w = Files.walk(p)) {
            for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Pooled (4 mm) SBR maps of a set of subjects, original and smoothed, cached on disk in chunks. */
    static final class Cache {
        final float[][] original;
        final float[][] smoothed;
        final int[] labels;

        private Cache(int n) {
            original = new float[n][];
            smoothed = new float[n][];
            labels = new int[n];
        }

        static Cache load(Path dir, String name, long seedBase, int n, DatSubjectSampler.Stages stages, int threads,
                          Consumer<String> log) throws Exception {
            Files.createDirectories(dir);
            Cache c = new Cache(n);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
            try {
                for (int from = 0; from < n; from += CHUNK) {
                    int to = Math.min(n, from + CHUNK);
                    // the generator version and stage distribution are part of the name: a changed sampler never
                    // reuses phantoms drawn by an older one
                    Path f = dir.resolve(String.format(Locale.ROOT, "%s-%s-%s-%d-%05d-%05d.f32", name,
                            DatSubjectSampler.VERSION, stages.name().toLowerCase(Locale.ROOT), seedBase, from, to));
                    if (!Files.isRegularFile(f)) {
                        List<Future<float[][]>> jobs = new ArrayList<>();
                        for (int i = from; i < to; i++) {
                            long s = seedBase + i;
                            int label = i % 2;
                            jobs.add(pool.submit(() -> sample(s, label, stages)));
                        }
                        Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
                        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(
                                Files.newOutputStream(tmp), 1 << 20))) {
                            for (Future<float[][]> j : jobs) {
                                float[][] pair = j.get();
                                write(o, pair[0]);
                                write(o, pair[1]);
                            }
                        }
                        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
                        log.accept(name + " phantoms " + to + "/" + n);
                    }
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f),
                            1 << 20))) {
                        for (int i = from; i < to; i++) {
                            c.original[i] = read(in);
                            c.smoothed[i] = read(in);
                            c.labels[i] = i % 2;
                        }
                    }
                }
            } finally {
                pool.shutdown();
            }
            return c;
        }

        /** Pooled normalised maps {original, smoothed} of subject {@code seed}. */
        static float[][] sample(long seed, int label, DatSubjectSampler.Stages stages) {
            DatSubjectSampler.Subject s = DatSubjectSampler.draw(seed, label, stages);
            return new float[][] {DatCnn.pooled(DatCnn.normalise(s.image())),
                DatCnn.pooled(DatCnn.normalise(s.smoothed()))};
        }

        private static void write(OutputStream o, float[] a) throws IOException {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(a.length * 4);
            b.asFloatBuffer().put(a);
            o.write(b.array());
        }

        private static float[] read(InputStream in) throws IOException {
            byte[] bytes = in.readNBytes(SIZE * 4);
            if (bytes.length != SIZE * 4) {
                throw new DopajException("phantom cache file is truncated");
            }
            float[] a = new float[SIZE];
            java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
            return a;
        }
    }
}
