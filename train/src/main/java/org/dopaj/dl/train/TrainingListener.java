package org.dopaj.dl.train;

import org.dopaj.progress.ProgressListener;

/**
 * Receives progress of a training run (after every batch, and after every epoch's validation) and may stop it: a
 * {@link ProgressListener} whose {@link #cancelled()} the trainer polls between batches (the run then ends as
 * "cancelled", its last checkpoint kept for {@code --resume}). {@link #of} follows a run with any progress adapter
 * (ImageJ's bar and Esc, a terminal line, SciJava's status). Called on the training thread: keep it quick.
 */
@FunctionalInterface
public interface TrainingListener extends ProgressListener {

    void onProgress(TrainingProgress progress);

    /** Training reports through {@link #onProgress}; the fraction-and-message form is for adapters. */
    @Override
    default void progress(double fraction, String message) {
    }

    /** A listener that ignores everything. */
    TrainingListener NONE = p -> { };

    /** A training listener over any progress listener: the run's fraction and its progress message. */
    static TrainingListener of(ProgressListener p) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress t) {
                p.progress(t.fraction(), t.message());
            }

            @Override
            public boolean cancelled() {
                return p.cancelled();
            }
        };
    }
}
