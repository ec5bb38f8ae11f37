package org.dopaj.msa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import com.google.gson.GsonBuilder;

import org.dopaj.DopajException;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.metrics.Classification;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.dopaj.dl.train.Augmentation;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Sample;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingResult;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Trains and evaluates the MSA-vs-PD networks ({@link MsaCnn}) on family-A phantoms ({@link MsaFamily#AAL}) in random
 * splits, and checks each on the held-out generator family B ({@link MsaFamily#ICBM}), which no network ever sees in
 * training.
 *
 * <p>Run through the training recipe {@code msa} ({@link org.dopaj.train.MsaRecipe}; fixed seeds; resumable: subjects
 * are cached in {@code data}, each job keeps checkpoints under {@code RUN/JOB/checkpoints} and a finished job leaves
 * {@code RUN/JOB/result.json}, so a re-run skips it): {@code dopaj train models/msa-pd-gd-md/train.yaml} trains split 0
 * of one task and modality (480 pool, 240 held-out subjects, 12 epochs, batch 8, one thread, lr 1e-3) and packages it
 * with {@link MsaReport}.
 * A job {@code TASK:MODALITY:SPLIT}: the pool (family A, seeds 14·10⁶ + i, subtypes by {@link MsaData#subtypeOf}) is
 * restricted to the task's cohort (PD/MSA-P and PD/MSA-C&amp;PC use as many PD subjects as MSA ones, the first ones),
 * shuffled with seed 1000 + SPLIT and cut 70 / 10 / 20 % into training, validation (best epoch) and test; the network
 * (weights seed 14 + SPLIT; inputs normalised per subject as {@link Settings#normalisation} says, then standardised voxel-wise by the training subjects' mean and sd, constants of the graph) is trained with augmentation v1 (left/right mirroring, ±4 mm shifts, a ±15 % gain per channel) or v2 ({@link #augment}), exported with its CAM to
 * {@code OUT/JOB/saved_model}, and scored on its test part and on every family-B subject of the task's cohort (seeds
 * 15·10⁶ + i). {@code result.json} holds accuracy, sensitivity (MSA), specificity (PD), AUC and per-subject rows, for
 * the test part, family B, and the validation part (plain and with one v2 perturbation each, seed 77: the family-A
 * figures to choose a method on).
 */
public final class MsaTraining {
    /** Seed bases of the two families' subjects. */
    public static final long POOL_SEED = 14_000_000L;
    public static final long HELDOUT_SEED = 15_000_000L;

    private MsaTraining() {
    }

    /**
     * Settings of a training run (the recipe {@code msa}'s arguments).
     *
     * @param data    cache folder of the drawn subjects
     * @param shared  the shared data folder (templates, atlases)
     * @param pool    family-A subjects drawn
     * @param heldout family-B subjects drawn
     * @param epochs  epochs per job
     * @param batch   subjects per Adam step
     * @param threads TensorFlow CPU threads (0 = all)
     * @param lr      initial learning rate (cosine to lr / 50)
     * @param jobs    {@code TASK:MODALITY:SPLIT} jobs, run in order
     * @param normalisation the per-subject input normalisation of the network ({@link MsaCnn.Normalisation})
     * @param augmentation  {@code v1} (mirroring, ±4 mm shifts, ±15 % gain per channel) or {@code v2} (v1 with ±30 %
     *                      gain, an additive offset, random smoothing and noise per channel: {@link #augment})
     * @param family  the training family: {@link MsaFamily#AAL} (fixed numbers: the packages of 2026-12-06/07) or
     *                {@link MsaFamily#AAL_WIDE} (numbers drawn per subject) or {@link MsaFamily#MIXED_WIDE} (those numbers
     *                on family A's and Colin 27's anatomy); never {@link MsaFamily#ICBM}, the check
     */
    public record Settings(Path data, Path shared, int pool, int heldout, int epochs, int batch, int threads, double lr,
                    List<String> jobs, MsaCnn.Normalisation normalisation, String augmentation, MsaFamily family) {
        public Settings {
            if (family == MsaFamily.ICBM) {
                throw new DopajException("family icbm is the held-out generator and cannot be trained on");
            }
            jobs = List.copyOf(jobs);
            for (String job : jobs) {
                parseJob(job);
            }
            if (!List.of("v1", "v2", "v3").contains(augmentation)) {
                throw new DopajException("augmentation must be v1, v2 or v3, got " + augmentation);
            }
        }

        /** The settings of the packages before 2026-12-07: brain-mean levelling, augmentation v1. */
        public Settings(Path data, Path shared, int pool, int heldout, int epochs, int batch, int threads, double lr,
                        List<String> jobs) {
            this(data, shared, pool, heldout, epochs, batch, threads, lr, jobs, MsaCnn.Normalisation.BRAIN_MEAN, "v1",
                    MsaFamily.AAL);
        }
    }

    /** A job {@code TASK:MODALITY:SPLIT}, checked. */
    public record Job(MsaTask task, MsaModality modality, int split) {
        /** The job's folder name under the run folder. */
        public String folder() {
            return MsaCnn.modelId(task, modality) + "-s" + split;
        }
    }

    /** Parses {@code TASK:MODALITY:SPLIT}; one-line errors. */
    public static Job parseJob(String job) {
        String[] p = job.split(":");
        if (p.length != 3 || !p[2].matches("\\d{1,4}")) {
            throw new DopajException("job must be TASK:MODALITY:SPLIT (e.g. msa:gd-md:0), got " + job);
        }
        return new Job(MsaTask.parse(p[0]), MsaModality.parse(p[1]), Integer.parseInt(p[2]));
    }

    /**
     * Draws (or reads from the cache) both families' subjects and runs every job of {@code o} not finished before;
     * each job writes {@code out/JOB/} (checkpoints, saved_model, result.json).
     */
    public static void run(Path out, Settings o, Consumer<String> log) throws Exception {
        MsaAnatomy[] anatomies = o.family().anatomies(o.shared());
        MsaAnatomy a = anatomies[0]; // the family's own anatomy: the network's regions and tissue reference
        List<MsaData.Item> pool = MsaData.load(o.data(), o.family(), anatomies, "pool",
                POOL_SEED, o.pool(), log);
        MsaAnatomy b = MsaFamily.ICBM.anatomy(o.shared());
        List<MsaData.Item> held = MsaData.load(o.data(), MsaFamily.ICBM, b, "heldout", HELDOUT_SEED, o.heldout(), log);
        log.accept("subjects ready: " + pool.size() + " of training family " + o.family().id() + ", " + held.size()
                + " of family B");
        for (String job : o.jobs()) {
            Job j = parseJob(job);
            Path dir = out.resolve(j.folder());
            if (Files.isRegularFile(dir.resolve("result.json"))) {
                log.accept(job + ": done before, skipped");
                continue;
            }
            runJob(dir, j.task(), j.modality(), j.split(), pool, held, MsaCnn.Regions.of(a), o, log);
        }
        log.accept("all jobs done");
    }

    /** The cohort of {@code task} from {@code items}, balanced: as many PD subjects (the first) as MSA ones. */
    static List<MsaData.Item> cohort(MsaTask task, List<MsaData.Item> items) {
        List<MsaData.Item> msa = new ArrayList<>();
        List<MsaData.Item> pd = new ArrayList<>();
        for (MsaData.Item it : items) {
            if (!task.includes(it.subtype())) {
                continue;
            }
            (it.subtype() == MsaSubtype.PD ? pd : msa).add(it);
        }
        List<MsaData.Item> c = new ArrayList<>(pd.subList(0, Math.min(pd.size(), msa.size())));
        c.addAll(msa);
        return c;
    }

    static void runJob(Path dir, MsaTask task, MsaModality mod, int split, List<MsaData.Item> pool,
                       List<MsaData.Item> held, MsaCnn.Regions regions, Settings o, Consumer<String> log)
            throws Exception {
        String id = MsaCnn.modelId(task, mod);
        List<MsaData.Item> c = cohort(task, pool);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(1000 + split));
        int nTest = Math.round(0.2f * c.size());
        int nVal = Math.round(0.1f * c.size());
        List<MsaData.Item> test = new ArrayList<>();
        List<MsaData.Item> val = new ArrayList<>();
        List<MsaData.Item> train = new ArrayList<>();
        for (int k = 0; k < idx.size(); k++) {
            MsaData.Item it = c.get(idx.get(k));
            (k < nTest ? test : k < nTest + nVal ? val : train).add(it);
        }
        log.accept(String.format(Locale.ROOT, "%s split %d: %d training, %d validation, %d test subjects", id, split,
                train.size(), val.size(), test.size()));
        int ch = mod.channelCount();
        List<Sample> tr = new ArrayList<>();
        for (MsaData.Item it : train) {
            tr.add(new Sample(it.input(mod), new float[] {task.label(it.subtype())}));
        }
        List<Sample> va = new ArrayList<>();
        for (MsaData.Item it : val) {
            va.add(new Sample(it.input(mod), new float[] {task.label(it.subtype())}));
        }
        MsaCnn.Normalisation norm = o.normalisation();
        boolean strong = !o.augmentation().equals("v1");
        boolean warp = o.augmentation().equals("v3");
        Augmentation aug = (s, rng) -> {
            float[] x = MsaCnn.flipShift(s.input(), ch, rng.nextBoolean(), rng.nextInt(3) - 1, rng.nextInt(3) - 1,
                    rng.nextInt(3) - 1);
            if (warp) {
                x = warp(x, ch, rng);
            }
            if (strong) {
                augment(x, ch, rng, regions.brain());
                return new Sample(x, s.target());
            }
            // a global gain per channel (±15 %): GD and MD levels differ between segmentations, templates, scanners
            for (int k = 0; k < ch; k++) {
                float g = 0.85f + 0.3f * rng.nextFloat();
                for (int i = k; i < x.length; i += ch) {
                    x[i] *= g;
                }
            }
            return new Sample(x, s.target());
        };
        List<float[]> xs = new ArrayList<>();
        for (Sample smp : tr) {
            xs.add(regions.normalised(smp.input(), ch, norm));
        }
        float[][] stats = MsaCnn.standardisation(xs, norm != MsaCnn.Normalisation.BRAIN_MEAN);
        writeStats(dir.resolve("standardisation.bin"), stats);
        long seed = 14 + split;
        TrainingConfig cfg = TrainingConfig.defaults(dir.resolve("checkpoints")).withEpochs(o.epochs())
                .withBatchSize(o.batch()).withSeed(seed)
                .withSchedule(new LearningRateSchedule.Cosine(o.lr(), o.lr() / 50))
                .withAugmentation(aug).withResume(true).withThreads(o.threads());
        long t0 = System.nanoTime();
        TrainingResult r = new Trainer().train(MsaNetwork.trainingSpec(id, ch, stats, regions, norm), Dataset.of(tr), Dataset.of(va), cfg,
                p -> {
            if (p.kind() != TrainingProgress.Kind.BATCH || p.batch() % 25 == 0) {
                log.accept(id + " s" + split + ": " + p.message());
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.accept(id + " s" + split + ": best epoch " + r.bestEpoch() + ", validation loss " + r.bestLoss());
        Path saved = dir.resolve("saved_model");
        if (Files.exists(saved)) {
            deleteTree(saved);
        }
        ExportedModel m = ModelExporter.export(MsaNetwork.exportSpec(id, ch, stats, regions, norm), r.bestCheckpoint(), saved);
        log.accept("exported " + m.folder());
        List<MsaData.Item> heldCohort = cohort(task, held);
        double[] pTest = predict(r.bestCheckpoint(), id, ch, stats, regions, norm, test, mod, o.threads());
        double[] pHeld = predict(r.bestCheckpoint(), id, ch, stats, regions, norm, heldCohort, mod, o.threads());
        double[] pVal = predict(r.bestCheckpoint(), id, ch, stats, regions, norm, val, mod, o.threads());
        // the validation subjects with a generator-like change each (gain, offset, smoothing, noise; seed 77): how far
        // the operating point moves under global changes, measured on the training family only
        Random prng = new Random(77);
        List<float[]> perturbed = new ArrayList<>();
        for (MsaData.Item it : val) {
            float[] x = it.input(mod).clone();
            augment(x, ch, prng, regions.brain());
            perturbed.add(x);
        }
        double[] pValPert = predictInputs(r.bestCheckpoint(), id, ch, stats, regions, norm, perturbed, o.threads());
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("model", id);
        res.put("task", task.id());
        res.put("modality", mod.id());
        res.put("split", split);
        res.put("train", train.size());
        res.put("validation", val.size());
        res.put("best_epoch", r.bestEpoch());
        res.put("training_seconds", seconds);
        res.put("parameters", m.parameterCount());
        res.put("input_normalisation", norm.id());
        res.put("augmentation", o.augmentation());
        res.put("training_family", o.family().id());
        res.put("pool", o.pool());
        res.put("epochs", o.epochs());
        res.put("own_validation", scores(task, val, pVal));
        res.put("own_validation_perturbed", scores(task, val, pValPert));
        res.put("own_test", scores(task, test, pTest));
        res.put("family_b", scores(task, heldCohort, pHeld));
        Files.writeString(dir.resolve("result.json.tmp"),
                new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(res),
                StandardCharsets.UTF_8);
        Files.move(dir.resolve("result.json.tmp"), dir.resolve("result.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        log.accept(String.format(Locale.ROOT, "%s s%d: own test accuracy %.3f, family B accuracy %.3f (%.0f s)", id,
                split, ((Map<?, ?>) res.get("own_test")).get("accuracy"), ((Map<?, ?>) res.get("family_b")).get("accuracy"),
                seconds));
    }

    /** Accuracy, sensitivity, specificity, AUC at threshold 0.5, and the per-subject rows. */
    static Map<String, Object> scores(MsaTask task, List<MsaData.Item> items, double[] p) {
        int[] y = new int[items.size()];
        int tp = 0;
        int tn = 0;
        int np = 0;
        int nn = 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            MsaData.Item it = items.get(i);
            y[i] = task.label(it.subtype());
            boolean call = p[i] >= 0.5;
            if (y[i] == 1) {
                np++;
                tp += call ? 1 : 0;
            } else {
                nn++;
                tn += call ? 0 : 1;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seed", it.seed());
            row.put("subtype", it.subtype().id());
            row.put("severity", Math.round(it.severity() * 1000) / 1000.0);
            row.put("p_msa", Math.round(p[i] * 10000) / 10000.0);
            rows.add(row);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", y.length);
        m.put("accuracy", (tp + tn) / (double) y.length);
        m.put("sensitivity_msa", np == 0 ? Double.NaN : tp / (double) np);
        m.put("specificity_pd", nn == 0 ? Double.NaN : tn / (double) nn);
        m.put("auc", Classification.auc(p, y, org.dopaj.dl.metrics.Direction.HIGHER_IS_POSITIVE));
        m.put("subjects", rows);
        return m;
    }

    /** MSA probabilities of the items' 4 mm inputs through a training checkpoint (inference graph, batches of 16). */
    static double[] predict(Path checkpoint, String name, int ch, float[][] stats, MsaCnn.Regions regions,
                            MsaCnn.Normalisation norm, List<MsaData.Item> items, MsaModality mod, int threads) {
        List<float[]> xs = new ArrayList<>();
        for (MsaData.Item it : items) {
            xs.add(it.input(mod));
        }
        return predictInputs(checkpoint, name, ch, stats, regions, norm, xs, threads);
    }

    /**
     * Augmentation v2 of a 4 mm input [x][y][z][c], in place, per channel: a gain 0.7–1.3, an additive offset of
     * ±5 % of the channel's brain mean, a random separable 3-tap smoothing [a, 1 − 2a, a] with a ≤ 0.2 per axis (up to
     * about 2.5 mm of extra Gaussian sd on the 4 mm grid), and Gaussian noise of sd up to 2 % of the brain mean —
     * the global levels, contrasts and blur that differ between generators, segmentations and scanners. The offset
     * and noise are added inside the brain mask only.
     */
    static void augment(float[] x, int c, Random rng, float[] brain) {
        int n = MsaCnn.SIZE;
        for (int k = 0; k < c; k++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += brain[i] * x[i * c + k];
            }
            float gain = 0.7f + 0.6f * rng.nextFloat();
            float offset = (float) (m * 0.05 * (2 * rng.nextFloat() - 1));
            float noise = (float) (m * 0.02 * rng.nextFloat());
            for (int i = 0; i < n; i++) {
                float v = x[i * c + k] * gain;
                if (brain[i] > 0) {
                    v += offset + noise * (float) rng.nextGaussian();
                }
                x[i * c + k] = Math.max(0f, v);
            }
            float a = 0.2f * rng.nextFloat();
            if (a > 0.01f) {
                blur3(x, c, k, a);
            }
        }
    }

    /**
     * Augmentation v3's spatial part: a 4 mm input [x][y][z][c] resampled (trilinear, edges repeated) through a random
     * smooth deformation — a global scale of ±4 % per axis about the grid centre and, per axis, two plane waves of
     * wavelength 40–100 mm and amplitude up to 4 mm — the kind of difference another template, atlas or registration
     * makes to where tissue and CSF lie at a given MNI voxel.
     */
    static float[] warp(float[] x, int c, Random rng) {
        int px = MsaCnn.PX;
        int py = MsaCnn.PY;
        int pz = MsaCnn.PZ;
        double[] scale = new double[3];
        double[][] wave = new double[6][];
        for (int a = 0; a < 3; a++) {
            scale[a] = 1 + 0.08 * (rng.nextDouble() - 0.5);
        }
        for (int w = 0; w < 6; w++) {
            double[] dir = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double n = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]) + 1e-9;
            double lambda = (40 + 60 * rng.nextDouble()) / 4; // voxels of 4 mm
            double k = 2 * Math.PI / lambda;
            wave[w] = new double[] {k * dir[0] / n, k * dir[1] / n, k * dir[2] / n, 2 * Math.PI * rng.nextDouble(),
                rng.nextDouble()};
        }
        float[] y = new float[x.length];
        double cx = (px - 1) / 2.0;
        double cy = (py - 1) / 2.0;
        double cz = (pz - 1) / 2.0;
        for (int i = 0; i < px; i++) {
            for (int j = 0; j < py; j++) {
                for (int k = 0; k < pz; k++) {
                    double[] p = {cx + (i - cx) * scale[0], cy + (j - cy) * scale[1], cz + (k - cz) * scale[2]};
                    for (int w = 0; w < 6; w++) {
                        double[] q = wave[w];
                        p[w / 2] += q[4] * Math.cos(q[0] * i + q[1] * j + q[2] * k + q[3]);
                    }
                    double fx = Math.max(0, Math.min(px - 1, p[0]));
                    double fy = Math.max(0, Math.min(py - 1, p[1]));
                    double fz = Math.max(0, Math.min(pz - 1, p[2]));
                    int x0 = Math.min(px - 2, (int) fx);
                    int y0 = Math.min(py - 2, (int) fy);
                    int z0 = Math.min(pz - 2, (int) fz);
                    double ax = fx - x0;
                    double ay = fy - y0;
                    double az = fz - z0;
                    int o = ((i * py + j) * pz + k) * c;
                    for (int ch = 0; ch < c; ch++) {
                        double v = 0;
                        for (int d = 0; d < 8; d++) {
                            int xi = x0 + (d & 1);
                            int yi = y0 + ((d >> 1) & 1);
                            int zi = z0 + ((d >> 2) & 1);
                            double wgt = ((d & 1) == 1 ? ax : 1 - ax) * (((d >> 1) & 1) == 1 ? ay : 1 - ay)
                                    * (((d >> 2) & 1) == 1 ? az : 1 - az);
                            v += wgt * x[((xi * py + yi) * pz + zi) * c + ch];
                        }
                        y[o + ch] = (float) v;
                    }
                }
            }
        }
        return y;
    }

    /** Channel k of a 4 mm input smoothed by [a, 1 − 2a, a] along each axis, edges repeated. */
    static void blur3(float[] x, int c, int k, float a) {
        int[] dims = {MsaCnn.PX, MsaCnn.PY, MsaCnn.PZ};
        int[] stride = {MsaCnn.PY * MsaCnn.PZ, MsaCnn.PZ, 1};
        float[] src = new float[MsaCnn.SIZE];
        for (int axis = 0; axis < 3; axis++) {
            for (int i = 0; i < MsaCnn.SIZE; i++) {
                src[i] = x[i * c + k];
            }
            int d = dims[axis];
            int st = stride[axis];
            for (int i = 0; i < MsaCnn.SIZE; i++) {
                int pos = (i / st) % d;
                float lo = src[pos > 0 ? i - st : i];
                float hi = src[pos < d - 1 ? i + st : i];
                x[i * c + k] = a * lo + (1 - 2 * a) * src[i] + a * hi;
            }
        }
    }

    /** MSA probabilities of 4 mm inputs [x][y][z][c] through a training checkpoint. */
    static double[] predictInputs(Path checkpoint, String name, int ch, float[][] stats, MsaCnn.Regions regions,
                                  List<float[]> inputs, int threads) {
        return predictInputs(checkpoint, name, ch, stats, regions, MsaCnn.Normalisation.BRAIN_MEAN, inputs, threads);
    }

    /** As above, for a network of input normalisation {@code norm}. */
    static double[] predictInputs(Path checkpoint, String name, int ch, float[][] stats, MsaCnn.Regions regions,
                                  MsaCnn.Normalisation norm, List<float[]> inputs, int threads) {
        TensorFlowRuntime.init();
        double[] out = new double[inputs.size()];
        int size = MsaCnn.SIZE * ch;
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (threads > 0) {
            config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        try (ModelGraph g = ModelGraph.build(MsaNetwork.trainingSpec(name, ch, stats, regions, norm), NetBuilder.Mode.INFERENCE,
                0L);
                Session s = new Session(g.graph(), config.build())) {
            ModelGraph.restore(s, checkpoint, name);
            for (int from = 0; from < inputs.size(); from += 16) {
                int b = Math.min(16, inputs.size() - from);
                float[] x = new float[b * size];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(inputs.get(from + i), 0, x, i * size, size);
                }
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(b, MsaCnn.PX, MsaCnn.PY, MsaCnn.PZ, ch),
                        DataBuffers.of(x, true, false));
                        var r = s.runner().feed(g.input(), in).fetch(g.prediction()).run()) {
                    TFloat32 p = (TFloat32) r.get(0);
                    for (int i = 0; i < b; i++) {
                        out[from + i] = p.getFloat(i, 1);
                    }
                }
            }
        }
        return out;
    }

    /** The standardisation of a job (for re-export and re-evaluation): two float arrays, length-prefixed. */
    static void writeStats(Path f, float[][] stats) throws IOException {
        Files.createDirectories(f.getParent());
        try (java.io.DataOutputStream o = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(f)))) {
            for (float[] a : stats) {
                o.writeInt(a.length);
                for (float v : a) {
                    o.writeFloat(v);
                }
            }
        }
    }

    static float[][] readStats(Path f) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(f)))) {
            float[][] s = new float[2][];
            for (int k = 0; k < 2; k++) {
                s[k] = new float[in.readInt()];
                for (int i = 0; i < s[k].length; i++) {
                    s[k][i] = in.readFloat();
                }
            }
            return s;
        }
    }

    static void deleteTree(Path p) throws IOException {
        org.dopaj.FileTrees.delete(p);
    }
}
