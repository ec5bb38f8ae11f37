package org.dopaj.dl.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Task;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The training loop: seeded shuffling and batching, augmentation, one Adam step per batch,
 * validation after every epoch, early stopping, best and last checkpoints, resume, progress with
 * ETA, and cancellation between batches.
 *
 * <p>Checkpoint folder layout: {@code last/} (variables of the last finished epoch and
 * {@code state.json}: epochs done, history, best epoch, epochs without improvement) and
 * {@code best/} (variables of the epoch with the lowest monitored loss). Each is written to a
 * temporary folder first and then moved into place, so a crash never leaves half a checkpoint.
 *
 * <p>Shuffling and augmentation draw from generators seeded by (seed, epoch[, sample]), so a resumed
 * run continues with the same order as an uninterrupted one.
 */
public final class Trainer {

    /** Name of the run-state file inside {@code last/}. */
    public static final String STATE_FILE = "state.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Asks a running {@link #train} to stop after the current batch (thread-safe). */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Trains {@code spec} on {@code train}, validating on {@code validation} (may be null: then the
     * training loss is monitored).
     */
    public TrainingResult train(ModelSpec spec, Dataset train, Dataset validation, TrainingConfig config,
            TrainingListener listener) {
        if (train == null || train.size() < 1) {
            throw new DopajException("training data set is empty");
        }
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        Path lastDir = config.checkpoints().resolve("last");
        Path bestDir = config.checkpoints().resolve("best");
        try (TrainingGraph graph = TrainingGraph.create(spec, config.seed(), config.threads())) {
            RunState state = new RunState();
            state.model = spec.name();
            if (config.resume() && Files.isRegularFile(lastDir.resolve(STATE_FILE))) {
                state = readState(lastDir);
                if (!spec.name().equals(state.model)) {
                    throw new DopajException("checkpoint " + lastDir + " belongs to model '" + state.model
                            + "', not '" + spec.name() + "'");
                }
                graph.restore(lastDir);
            } else if (!config.resume()) {
                // A fresh run must not mix with an old run's checkpoints.
                deleteOrFail(lastDir);
                deleteOrFail(bestDir);
            }
            int startEpoch = state.epochsDone;
            int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
            int validationBatches = validation == null ? 0 : (validation.size() + config.batchSize() - 1) / config.batchSize();
            long totalUnits = (long) (config.epochs() - startEpoch) * (batches + validationBatches);
            long unitsDone = 0;
            long t0 = System.nanoTime();
            boolean stoppedEarly = state.stoppedEarly;
            for (int epoch = startEpoch; epoch < config.epochs() && !stoppedEarly; epoch++) {
                long epochStart = System.nanoTime();
                int[] order = Dataset.permutation(train.size(), new Random(mix(config.seed(), epoch, -1)));
                double lossSum = 0;
                int seen = 0;
                double rate = 0;
                for (int b = 0; b < batches; b++) {
                    if (cancelled.get() || out.cancelled()) {
                        return finish(state, lastDir, bestDir, startEpoch, false, true, graph, out, t0);
                    }
                    int from = b * config.batchSize();
                    int to = Math.min(train.size(), from + config.batchSize());
                    List<Sample> batch = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        Sample s = train.get(order[i]);
                        if (config.augmentation() != null) {
                            Random rng = new Random(mix(config.seed(), epoch, order[i]));
                            s = config.augmentation().apply(s, rng);
                        }
                        batch.add(s);
                    }
                    rate = config.schedule().rate(epoch + (double) b / batches, config.epochs());
                    float loss = graph.step(batch, rate, (long) epoch * batches + b);
                    if (!Float.isFinite(loss)) {
                        throw new DopajException("training diverged: loss is " + loss + " at epoch " + (epoch + 1)
                                + ", batch " + (b + 1) + " (try a lower learning rate)");
                    }
                    lossSum += (double) loss * batch.size();
                    seen += batch.size();
                    unitsDone++;
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    double eta = elapsed / unitsDone * (totalUnits - unitsDone);
                    out.onProgress(new TrainingProgress(TrainingProgress.Kind.BATCH, epoch + 1, config.epochs(), b + 1,
                            batches, fraction(epoch, b + 1, batches, config.epochs()), loss, rate, Double.NaN, Double.NaN,
                            elapsed, eta, String.format("epoch %d/%d batch %d/%d loss %.4f (ETA %s)", epoch + 1,
                                    config.epochs(), b + 1, batches, loss, formatSeconds(eta))));
                }
                double trainLoss = lossSum / seen;
                double valLoss = Double.NaN;
                double valMetric = Double.NaN;
                if (validation != null && validation.size() > 0) {
                    double[] v = validate(graph, spec.task(), validation, config.batchSize());
                    valLoss = v[0];
                    valMetric = v[1];
                    unitsDone += validationBatches;
                }
                double monitored = Double.isNaN(valLoss) ? trainLoss : valLoss;
                state.history.add(new EpochStats(epoch + 1, trainLoss, valLoss, valMetric, rate,
                        (System.nanoTime() - epochStart) / 1e9));
                state.epochsDone = epoch + 1;
                if (EarlyStopping.record(state, epoch + 1, monitored)) {
                    writeCheckpoint(graph, bestDir, null);
                }
                if (EarlyStopping.shouldStop(state, config.patience())) {
                    stoppedEarly = true;
                    state.stoppedEarly = true;
                }
                writeCheckpoint(graph, lastDir, state);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double eta = stoppedEarly ? 0 : elapsed / unitsDone * (totalUnits - unitsDone);
                out.onProgress(new TrainingProgress(TrainingProgress.Kind.EPOCH, epoch + 1, config.epochs(), batches,
                        batches, fraction(epoch + 1, 0, batches, config.epochs()), trainLoss, rate, valLoss, valMetric,
                        elapsed, eta, String.format("epoch %d/%d loss %.4f val_loss %.4f val_metric %.4f%s (ETA %s)",
                                epoch + 1, config.epochs(), trainLoss, valLoss, valMetric,
                                state.bestEpoch == epoch + 1 ? " *best*" : "", formatSeconds(eta))));
            }
            return finish(state, lastDir, bestDir, startEpoch, stoppedEarly, false, graph, out, t0);
        }
    }

    private TrainingResult finish(RunState state, Path lastDir, Path bestDir, int startEpoch, boolean stoppedEarly,
            boolean wasCancelled, TrainingGraph graph, TrainingListener out, long t0) {
        double elapsed = (System.nanoTime() - t0) / 1e9;
        String why = wasCancelled ? "cancelled" : stoppedEarly ? "stopped early" : "finished";
        out.onProgress(new TrainingProgress(TrainingProgress.Kind.DONE, state.epochsDone, state.epochsDone, 0, 0,
                1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, elapsed, 0,
                String.format("training %s after %d epochs; best epoch %d (loss %.4f)", why, state.epochsDone,
                        state.bestEpoch, state.bestLoss)));
        return new TrainingResult(state.history, state.bestEpoch, state.bestLoss,
                state.bestEpoch > 0 ? bestDir : null, state.epochsDone > 0 ? lastDir : null, startEpoch, stoppedEarly,
                wasCancelled, graph.model().net().parameterCount());
    }

    /** Mean validation loss and the task's metric, in inference mode. */
    static double[] validate(TrainingGraph graph, Task task, Dataset validation, int batchSize) {
        double lossSum = 0;
        double metricSum = 0;
        int n = validation.size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<Sample> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(validation.get(i));
            }
            lossSum += (double) graph.loss(batch) * batch.size();
            float[][] pred = graph.predict(batch.stream().map(Sample::input).toList());
            for (int i = 0; i < batch.size(); i++) {
                metricSum += Metrics.sampleMetric(task, pred[i], batch.get(i).target());
            }
        }
        return new double[] {lossSum / n, metricSum / n};
    }

    /**
     * A well-spread seed from (run seed, epoch, sample): java.util.Random gives nearly equal first
     * draws for nearby seeds, so the parts are hashed (SplitMix64 finaliser) first.
     */
    static long mix(long seed, long epoch, long sample) {
        long z = seed;
        for (long part : new long[] {epoch, sample}) {
            z = (z ^ part) + 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
        }
        return z;
    }

    private static double fraction(int epoch, int batch, int batches, int epochs) {
        return Math.min(1.0, (epoch + (double) batch / batches) / epochs);
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, (t % 3600) / 60)
                : t >= 60 ? String.format("%dm%02ds", t / 60, t % 60) : t + "s";
    }

    // ------------------------------------------------------------------ checkpoints

    /** Writes variables (and the state, for {@code last/}) to a temporary folder, then moves it into place. */
    private static void writeCheckpoint(TrainingGraph graph, Path dir, RunState state) {
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + dir.getFileName() + ".tmp");
        Path old = parent.resolve("." + dir.getFileName() + ".old");
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            graph.save(tmp);
            if (state != null) {
                try (Writer w = Files.newBufferedWriter(tmp.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
                    GSON.toJson(state, w);
                }
            }
            deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw new DopajException("cannot write checkpoint " + dir + ": " + e.getMessage());
        }
    }

    private static RunState readState(Path lastDir) {
        Path file = lastDir.resolve(STATE_FILE);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RunState s = GSON.fromJson(r, RunState.class);
            if (s == null || s.history == null) {
                throw new DopajException("checkpoint state " + file + " is empty or damaged");
            }
            return s;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DopajException d) {
                throw d;
            }
            throw new DopajException("cannot read checkpoint state " + file + ": " + e.getMessage());
        }
    }

    static void deleteTree(Path p) throws IOException {
        org.dopaj.FileTrees.delete(p);
    }

    private static void deleteOrFail(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            throw new DopajException("cannot delete old checkpoint " + p + ": " + e.getMessage());
        }
    }

    /** What {@code last/state.json} holds. */
    static final class RunState {
        String model;
        int epochsDone;
        int bestEpoch;
        double bestLoss = Double.POSITIVE_INFINITY;
        int epochsWithoutImprovement;
        boolean stoppedEarly;
        List<EpochStats> history = new ArrayList<>();
    }
}
