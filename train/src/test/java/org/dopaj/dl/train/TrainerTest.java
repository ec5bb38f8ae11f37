package org.dopaj.dl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop: determinism, resume, cancellation, early stopping, progress. */
class TrainerTest {

    @TempDir
    Path tmp;

    private static final Dataset TRAIN = Dataset.generated(32, i -> BlobData.sample(i, 1)).cached();
    private static final Dataset VALIDATION = Dataset.generated(16, i -> BlobData.sample(i, 2)).cached();

    /** Jitter of intensity, to exercise the augmentation hook (its RNG is seeded by the loop). */
    private static final Augmentation JITTER = Augmentation.ofInput((x, rng) -> {
        float gain = 0.9f + 0.2f * rng.nextFloat();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * gain;
        }
        return y;
    });

    private TrainingConfig config(String dir, long seed, int epochs) {
        return TrainingConfig.defaults(tmp.resolve(dir)).withEpochs(epochs).withBatchSize(8).withSeed(seed)
                .withSchedule(new LearningRateSchedule.Step(5e-3, 2, 0.5)).withAugmentation(JITTER).withThreads(2);
    }

    private static List<Double> batchLosses(Trainer trainer, ModelSpec spec, TrainingConfig config) {
        List<Double> losses = new ArrayList<>();
        trainer.train(spec, TRAIN, VALIDATION, config, p -> {
            if (p.kind() == TrainingProgress.Kind.BATCH) {
                losses.add(p.loss());
            }
        });
        return losses;
    }

    @Test
    void sameSeedGivesIdenticalLossSequence() {
        ModelSpec spec = BlobData.spec();
        List<Double> a = batchLosses(new Trainer(), spec, config("a", 5, 2));
        List<Double> b = batchLosses(new Trainer(), spec, config("b", 5, 2));
        List<Double> c = batchLosses(new Trainer(), spec, config("c", 6, 2));
        assertEquals(8, a.size());
        assertEquals(a, b, "same seed, same losses");
        assertNotEquals(a, c, "another seed, other losses");
    }

    @Test
    void resumedRunContinuesLikeAnUninterruptedOne() throws Exception {
        ModelSpec spec = BlobData.spec();
        TrainingResult whole = new Trainer().train(spec, TRAIN, VALIDATION, config("whole", 3, 4), null);
        TrainingResult firstHalf = new Trainer().train(spec, TRAIN, VALIDATION, config("split", 3, 2), null);
        assertEquals(2, firstHalf.history().size());
        assertTrue(Files.isRegularFile(tmp.resolve("split/last/state.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("split/last/variables.index")));
        assertTrue(Files.isRegularFile(tmp.resolve("split/best/variables.index")));

        TrainingResult resumed = new Trainer().train(spec, TRAIN, VALIDATION,
                config("split", 3, 4).withResume(true), null);
        assertEquals(2, resumed.resumedFromEpoch());
        assertEquals(4, resumed.history().size());
        for (int e = 0; e < 4; e++) {
            EpochStats w = whole.history().get(e);
            EpochStats r = resumed.history().get(e);
            assertEquals(w.trainLoss(), r.trainLoss(), 1e-6, "train loss of epoch " + (e + 1));
            assertEquals(w.validationLoss(), r.validationLoss(), 1e-6, "validation loss of epoch " + (e + 1));
        }
        assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    }

    @Test
    void freshRunDoesNotReuseOldCheckpoints() {
        ModelSpec spec = BlobData.spec();
        new Trainer().train(spec, TRAIN, VALIDATION, config("fresh", 3, 2), null);
        TrainingResult again = new Trainer().train(spec, TRAIN, VALIDATION, config("fresh", 3, 1), null);
        assertEquals(0, again.resumedFromEpoch());
        assertEquals(1, again.history().size());
    }

    @Test
    void cancellationStopsBetweenBatches() {
        ModelSpec spec = BlobData.spec();
        Trainer trainer = new Trainer();
        List<TrainingProgress> events = new ArrayList<>();
        TrainingResult r = trainer.train(spec, TRAIN, VALIDATION, config("cancel", 3, 5), p -> {
            events.add(p);
            if (p.kind() == TrainingProgress.Kind.BATCH && p.epoch() == 2 && p.batch() == 1) {
                trainer.cancel();
            }
        });
        assertTrue(r.cancelled());
        assertEquals(1, r.history().size(), "only the first epoch finished");
        long batches = events.stream().filter(p -> p.kind() == TrainingProgress.Kind.BATCH).count();
        assertEquals(5, batches, "4 batches of epoch 1 and the one that asked to cancel");
        assertEquals(TrainingProgress.Kind.DONE, events.get(events.size() - 1).kind());
        assertTrue(Files.isRegularFile(tmp.resolve("cancel/last/variables.index")));
    }

    @Test
    void anyProgressListenerFollowsAndStopsTraining() {
        List<Double> fractions = new ArrayList<>();
        org.dopaj.progress.ProgressListener p = new org.dopaj.progress.ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                fractions.add(fraction);
            }

            @Override
            public boolean cancelled() {
                return fractions.size() >= 3;
            }
        };
        TrainingResult r = new Trainer().train(BlobData.spec(), TRAIN, VALIDATION, config("cancel-listener", 3, 5),
                TrainingListener.of(p));
        assertTrue(r.cancelled(), "the listener's cancel stops the run between batches");
        assertTrue(r.history().size() < 3, "stopped before its 3 epochs: " + r.history().size());
    }

    @Test
    void progressReportsFractionAndEta() {
        List<TrainingProgress> events = new ArrayList<>();
        new Trainer().train(BlobData.spec(), TRAIN, VALIDATION, config("progress", 3, 2), events::add);
        List<TrainingProgress> epochs = events.stream().filter(p -> p.kind() == TrainingProgress.Kind.EPOCH).toList();
        assertEquals(2, epochs.size());
        assertEquals(0.5, epochs.get(0).fraction(), 1e-9);
        assertEquals(1.0, epochs.get(1).fraction(), 1e-9);
        assertTrue(epochs.get(0).etaSeconds() > 0);
        assertEquals(0.0, epochs.get(1).etaSeconds(), 1e-9);
        assertTrue(Double.isFinite(epochs.get(0).validationLoss()));
        assertTrue(events.get(0).message().startsWith("epoch 1/2 batch 1/4"));
        double previous = -1;
        for (TrainingProgress p : events) {
            assertTrue(p.fraction() >= previous, "fraction never goes back");
            previous = p.fraction();
        }
    }

    @Test
    void earlyStoppingCountsEpochsWithoutImprovement() {
        Trainer.RunState s = new Trainer.RunState();
        double[] losses = {1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.75};
        boolean[] best = {true, true, false, false, true, false, false};
        boolean[] stop = {false, false, false, true, false, false, true};
        for (int e = 0; e < losses.length; e++) {
            assertEquals(best[e], EarlyStopping.record(s, e + 1, losses[e]), "best at epoch " + (e + 1));
            assertEquals(stop[e], EarlyStopping.shouldStop(s, 2), "stop at epoch " + (e + 1));
            assertFalse(EarlyStopping.shouldStop(s, 0), "patience 0 never stops");
        }
        assertEquals(5, s.bestEpoch);
        assertEquals(0.7, s.bestLoss, 0);
    }

    @Test
    void earlyStoppingEndsARun() {
        // A learning rate far too small to change anything measurable: validation loss cannot
        // keep improving for long, so patience 1 must end the run well before 40 epochs.
        TrainingConfig c = config("early", 3, 40).withSchedule(new LearningRateSchedule.Constant(1e-12))
                .withAugmentation(null).withPatience(1);
        TrainingResult r = new Trainer().train(BlobData.spec(), TRAIN.subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7}),
                VALIDATION, c, null);
        assertTrue(r.stoppedEarly());
        assertTrue(r.history().size() < 40);
        assertEquals(r.history().size() - 1, r.bestEpoch(), "stopped one epoch after the best");
    }

    @Test
    void schedules() {
        assertEquals(1e-3, new LearningRateSchedule.Constant(1e-3).rate(7, 10), 0);
        LearningRateSchedule.Step step = new LearningRateSchedule.Step(1.0, 2, 0.5);
        assertEquals(1.0, step.rate(1.9, 10), 0);
        assertEquals(0.5, step.rate(2, 10), 0);
        assertEquals(0.25, step.rate(5.5, 10), 0);
        LearningRateSchedule.Cosine cos = new LearningRateSchedule.Cosine(1.0, 0.1);
        assertEquals(1.0, cos.rate(0, 10), 1e-12);
        assertEquals(0.55, cos.rate(5, 10), 1e-12);
        assertEquals(0.1, cos.rate(10, 10), 1e-12);
        assertThrows(DopajException.class, () -> new LearningRateSchedule.Constant(0));
    }

    @Test
    void csvFolderWithSplitsIsReadLazily() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("images"));
        for (String f : new String[] {"a.raw", "b.raw", "c.raw", "d.raw"}) {
            Files.writeString(folder.resolve(f), f);
        }
        Path csv = tmp.resolve("labels.csv");
        Files.writeString(csv, "file,label,split\na.raw,0,train\nb.raw,1,train\nc.raw,1,val\n# comment\nd.raw,0.5,test\n");
        List<Path> loaded = new ArrayList<>();
        CsvDataset.Splits s = CsvDataset.load(folder, csv, p -> {
            loaded.add(p);
            return new float[] {p.getFileName().toString().charAt(0)};
        });
        assertTrue(loaded.isEmpty(), "nothing read before it is needed");
        assertEquals(2, s.train().size());
        assertEquals(1, s.validation().size());
        assertEquals(1, s.test().size());
        assertEquals(1f, s.train().get(1).target()[0]);
        assertEquals('c', s.validation().get(0).input()[0]);
        assertEquals(0.5f, s.test().get(0).target()[0]);

        Files.writeString(csv, "a.raw,0\nmissing.raw,1\n");
        DopajException e = assertThrows(DopajException.class, () -> CsvDataset.load(folder, csv, p -> new float[1]));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("missing.raw"), e.getMessage());
    }

    @Test
    void splitIsSeededAndDisjoint() {
        Dataset all = Dataset.generated(20, i -> new Sample(new float[] {i}, new float[] {0}));
        Dataset[] a = all.split(0.25, 9);
        Dataset[] b = all.split(0.25, 9);
        assertEquals(15, a[0].size());
        assertEquals(5, a[1].size());
        boolean[] seen = new boolean[20];
        for (Dataset d : a) {
            for (int i = 0; i < d.size(); i++) {
                int v = (int) d.get(i).input()[0];
                assertFalse(seen[v]);
                seen[v] = true;
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(a[1].get(i).input()[0], b[1].get(i).input()[0]);
        }
        assertNull(null);
        assertEquals(20, Dataset.permutation(20, new Random(1)).length);
    }

    @Test
    void checkpointOfAnotherNetworkIsRefusedInOneLine() {
        ModelSpec spec = BlobData.spec();
        TrainingResult r = new Trainer().train(spec, TRAIN, null, config("other", 3, 1), null);
        ModelSpec wider = new ModelSpec("blob3d", spec.inputShape(), spec.task(),
                org.dopaj.dl.graph.Networks.vgg3d(new int[] {8, 32}, 1, 0f, 0, 2));
        try (TrainingGraph g = TrainingGraph.create(wider, 1, 1)) {
            DopajException e = assertThrows(DopajException.class, () -> g.restore(r.bestCheckpoint()));
            assertTrue(e.getMessage().startsWith("checkpoint " + r.bestCheckpoint() + " does not fit model blob3d"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            DopajException missing = assertThrows(DopajException.class, () -> g.restore(tmp.resolve("nowhere")));
            assertTrue(missing.getMessage().contains("missing variables.index"), missing.getMessage());
        }
    }

    @Test
    void cancelledRunResumesFromItsLastFinishedEpoch() {
        ModelSpec spec = BlobData.spec();
        TrainingResult whole = new Trainer().train(spec, TRAIN, VALIDATION, config("whole3", 8, 3), null);
        Trainer first = new Trainer();
        TrainingResult cancelled = first.train(spec, TRAIN, VALIDATION, config("interrupted", 8, 3), p -> {
            if (p.kind() == TrainingProgress.Kind.BATCH && p.epoch() == 2 && p.batch() == 3) {
                first.cancel();
            }
        });
        assertTrue(cancelled.cancelled());
        assertEquals(1, cancelled.history().size());
        TrainingResult resumed = new Trainer().train(spec, TRAIN, VALIDATION,
                config("interrupted", 8, 3).withResume(true), null);
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(3, resumed.history().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(whole.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-6);
            assertEquals(whole.history().get(e).validationLoss(), resumed.history().get(e).validationLoss(), 1e-6);
        }
    }
}
