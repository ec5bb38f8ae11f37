package org.dopaj.dl.train;

/**
 * One progress report.
 *
 * @param kind            BATCH after a training step, EPOCH after validation, DONE at the end
 * @param epoch           1-based epoch
 * @param epochs          planned epochs
 * @param batch           1-based batch within the epoch (BATCH), else the batch count
 * @param batches         batches per epoch
 * @param fraction        share of the planned work done, 0..1 (for a progress bar)
 * @param loss            training loss of this batch (BATCH) or mean over the epoch (EPOCH)
 * @param learningRate    the rate used
 * @param validationLoss  NaN unless EPOCH with a validation set
 * @param validationMetric accuracy (classification), mean absolute error (regression) or mean
 *                        foreground Dice (segmentation); NaN unless EPOCH with validation
 * @param elapsedSeconds  since this run started
 * @param etaSeconds      estimated time to the planned end, from this run's pace
 * @param message         one human-readable line
 */
public record TrainingProgress(Kind kind, int epoch, int epochs, int batch, int batches, double fraction, double loss,
        double learningRate, double validationLoss, double validationMetric, double elapsedSeconds, double etaSeconds,
        String message) {

    /** What happened. */
    public enum Kind { BATCH, EPOCH, DONE }
}
