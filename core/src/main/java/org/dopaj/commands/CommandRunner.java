package org.dopaj.commands;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import org.dopaj.DopajException;

/**
 * Runs a command body and turns failures into one clear line for the reader: an error dialog in the GUI, a
 * log line in batch or headless mode (where a modal dialog would hang a script), and the running macro is
 * aborted so a batch never goes on with a wrong image. Never a stack trace for a user-facing problem.
 */
public final class CommandRunner {
    private CommandRunner() {
    }

    /** A command's work; may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}; returns true on success. */
    public static boolean run(String title, Body body) {
        try {
            body.run();
            return true;
        } catch (DopajException e) {
            report(title, e.getMessage());
        } catch (OutOfMemoryError e) {
            report(title, "out of memory: raise the memory limit (Edit>Options>Memory & Threads) or use a smaller image");
        } catch (RuntimeException e) {
            if (Macro.MACRO_CANCELED.equals(e.getMessage())) {
                throw e; // the user or a macro aborted: let ImageJ handle it
            }
            report(title, "internal error: " + e);
            if (IJ.debugMode) {
                IJ.handleException(e);
            }
        } catch (Exception e) {
            report(title, "internal error: " + e);
        }
        return false;
    }

    /**
     * Progress of {@code title}'s work in ImageJ's status bar and progress bar; Esc cancels (polled by the operation).
     * Headless, the bars are not there and nothing is shown. The ImageJ 1 adapter resets Esc before a command runs and
     * clears both bars after it.
     */
    public static org.dopaj.progress.ProgressListener statusBar(String title) {
        return new org.dopaj.progress.ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                IJ.showStatus(title + ": " + message + " (Esc stops)");
                IJ.showProgress(fraction);
            }

            @Override
            public boolean cancelled() {
                return IJ.escapePressed();
            }
        };
    }

    /** The current image, or null after telling the user (and stopping a macro) that none is open. */
    public static ij.ImagePlus currentImage(String title) {
        ij.ImagePlus imp = ij.WindowManager.getCurrentImage();
        if (imp == null) {
            report(title, "no image is open");
        }
        return imp;
    }

    /** Shows or logs one line, then aborts a running macro. */
    public static void report(String title, String message) {
        boolean quiet = Ij1Adapter.headless() || Interpreter.isBatchMode();
        if (quiet) {
            IJ.log("DopaJ " + title + " error: " + message);
        } else {
            IJ.error("DopaJ " + title, message);
        }
        if (Macro.getOptions() != null || Interpreter.getInstance() != null) {
            IJ.showStatus("");
            Interpreter.abort(); // stop the calling macro: a batch must not go on with the wrong image
            Macro.abort();
        }
    }
}
