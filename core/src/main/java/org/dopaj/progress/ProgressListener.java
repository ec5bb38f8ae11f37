package org.dopaj.progress;

/**
 * Progress of a long operation and a way to stop it — the one UI-free interface DopaJ's operations of more than a
 * second take (registration, brain mask, white-matter hypointensities, DaT-SPECT normalisation and classification,
 * batches through {@code batch.BatchRunner.Listener} and training through {@code dl.train.TrainingListener}, both of
 * which extend it and wrap any listener with their {@code of(...)}).
 * The operation calls {@link #progress} at each stage (registration: each pyramid level; brain mask: each batch of
 * slices) and polls {@link #cancelled} between steps; when it returns true the operation stops with a
 * {@link org.dopaj.DopajException} saying it was cancelled (e.g. "registration cancelled"). Adapters:
 * ImageJ's progress bar and Esc ({@code commands.CommandRunner.statusBar}), a redrawn line on a terminal's stderr
 * ({@code cli.TaskProgress}; a batch's {@code cli.ProgressLine}); a batch also reports each case's row.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Does nothing and never cancels. */
    ProgressListener NONE = (fraction, message) -> {
    };

    /**
     * @param fraction done so far, 0…1
     * @param message what is running now (e.g. "rigid, 8 mm")
     */
    void progress(double fraction, String message);

    /** True when the user asked to stop; polled often, so keep it cheap. */
    default boolean cancelled() {
        return false;
    }
}
