package org.dopaj.dl.train;

/**
 * Figures of one finished epoch (1-based). {@code validationLoss}/{@code validationMetric} are NaN
 * without a validation set; see {@link TrainingProgress} for what the metric is.
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationMetric,
        double learningRate, double seconds) {
}
