package org.dopaj.dl.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of {@link Trainer#train}.
 *
 * @param history         all finished epochs, including those of an earlier run that this one resumed
 * @param bestEpoch       1-based epoch with the lowest monitored loss (validation loss, or training
 *                        loss without validation)
 * @param bestLoss        that loss
 * @param bestCheckpoint  folder with the best epoch's variables (export from here)
 * @param lastCheckpoint  folder with the last finished epoch's variables and state (resume from here)
 * @param resumedFromEpoch epochs already done when this run started (0 for a fresh run)
 * @param stoppedEarly    early stopping fired (patience exhausted)
 * @param cancelled       the run was cancelled between batches; the last checkpoint is the last
 *                        finished epoch
 * @param parameterCount  network weights (batch-norm statistics included)
 */
public record TrainingResult(List<EpochStats> history, int bestEpoch, double bestLoss, Path bestCheckpoint,
        Path lastCheckpoint, int resumedFromEpoch, boolean stoppedEarly, boolean cancelled, long parameterCount) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
