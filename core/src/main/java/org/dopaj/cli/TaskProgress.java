package org.dopaj.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.dopaj.progress.ProgressListener;

/**
 * One long operation's progress on stderr (brain mask, white-matter hypointensities, DaT-SPECT normalisation): on a terminal one line redrawn
 * in place ("dopaj brain-mask: 45 % coronal slices 17–32 of 52"), at most ten times a second, and cleared at the end;
 * nothing when stderr is not a terminal, so logs, pipes and {@code --json} runs keep their one-line contract. Ctrl-C
 * ends the JVM as usual (no cancel is needed on the command line).
 */
final class TaskProgress implements ProgressListener {
    private final PrintStream err;
    private final String what;
    private final boolean terminal;
    private long last;
    private int width;

    TaskProgress(PrintStream err, String what) {
        this(err, what, System.console() != null);
    }

    TaskProgress(PrintStream err, String what, boolean terminal) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        long now = System.nanoTime();
        if (!terminal || (now - last < 100_000_000L && fraction < 1)) {
            return;
        }
        last = now;
        String text = String.format(Locale.ROOT, "%s: %3.0f %% %s", what, 100 * Math.max(0, Math.min(1, fraction)),
                message);
        err.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
        err.flush();
        width = text.length();
    }

    /** Clears the line (call when the operation ends, before printing results). */
    synchronized void done() {
        if (terminal && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
