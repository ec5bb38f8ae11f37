package org.dopaj.dl.train;

import java.nio.file.Path;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.LearningRateSchedule;

/**
 * Settings of a training run. Start from {@link #defaults(Path)} and change what you need with the
 * {@code with...} methods.
 *
 * @param epochs        planned epochs
 * @param batchSize     samples per step (the last batch of an epoch may be smaller)
 * @param seed          seeds initial weights, dropout, shuffling and augmentation
 * @param schedule      learning rate over epochs
 * @param patience      stop after this many epochs without improvement of the monitored loss; 0 = never
 * @param checkpoints   folder for {@code last/} and {@code best/} checkpoints
 * @param resume        continue from {@code checkpoints/last} when it exists
 * @param augmentation  applied to training samples, or null
 * @param threads       TensorFlow CPU threads; 0 = TensorFlow's default (all cores)
 */
public record TrainingConfig(int epochs, int batchSize, long seed, LearningRateSchedule schedule, int patience,
        Path checkpoints, boolean resume, Augmentation augmentation, int threads) {

    public TrainingConfig {
        if (epochs < 1) {
            throw new DopajException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new DopajException("batch size must be >= 1, got " + batchSize);
        }
        if (schedule == null) {
            throw new DopajException("learning-rate schedule is missing");
        }
        if (patience < 0) {
            throw new DopajException("patience must be >= 0, got " + patience);
        }
        if (checkpoints == null) {
            throw new DopajException("checkpoint folder is missing");
        }
        if (threads < 0) {
            throw new DopajException("threads must be >= 0, got " + threads);
        }
    }

    /** 20 epochs, batch 8, seed 1, Adam at a constant 1e-3, no early stopping, fresh start. */
    public static TrainingConfig defaults(Path checkpoints) {
        return new TrainingConfig(20, 8, 1L, new LearningRateSchedule.Constant(1e-3), 0, checkpoints, false, null, 0);
    }

    public TrainingConfig withEpochs(int v) {
        return new TrainingConfig(v, batchSize, seed, schedule, patience, checkpoints, resume, augmentation, threads);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(epochs, v, seed, schedule, patience, checkpoints, resume, augmentation, threads);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(epochs, batchSize, v, schedule, patience, checkpoints, resume, augmentation, threads);
    }

    public TrainingConfig withSchedule(LearningRateSchedule v) {
        return new TrainingConfig(epochs, batchSize, seed, v, patience, checkpoints, resume, augmentation, threads);
    }

    public TrainingConfig withPatience(int v) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, v, checkpoints, resume, augmentation, threads);
    }

    public TrainingConfig withCheckpoints(Path v) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, patience, v, resume, augmentation, threads);
    }

    public TrainingConfig withResume(boolean v) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, patience, checkpoints, v, augmentation, threads);
    }

    public TrainingConfig withAugmentation(Augmentation v) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, patience, checkpoints, resume, v, threads);
    }

    public TrainingConfig withThreads(int v) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, patience, checkpoints, resume, augmentation, v);
    }
}
