package org.dopaj.dl.train;

/**
 * Receives progress of a training run (after every batch, and after every epoch's validation).
 * The ImageJ command maps it to the progress bar and status line, the CLI to log lines.
 * Called on the training thread: keep it quick.
 */
@FunctionalInterface
public interface TrainingListener {

    void onProgress(TrainingProgress progress);

    /** A listener that ignores everything. */
    TrainingListener NONE = p -> { };
}
