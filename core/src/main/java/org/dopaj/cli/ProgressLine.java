package org.dopaj.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.dopaj.batch.BatchRunner;

/**
 * A batch's progress on stderr: on a terminal one line redrawn in place (bar, cases, rate, ETA); otherwise (a log
 * file, a cluster job) a plain line every 5 % or 30 s, so logs stay readable.
 */
final class ProgressLine implements BatchRunner.Listener {
    private final PrintStream err;
    private final String what;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private int firstDone = -1;
    private long lastPrint;
    private int lastPercent = -1;
    private boolean drawn;

    ProgressLine(PrintStream err, String what) {
        this.err = err;
        this.what = what;
    }

    @Override
    public synchronized void caseDone(int done, int total, int failed, Map<String, Object> row) {
        if (firstDone < 0) {
            firstDone = done - 1; // cases skipped by --resume do not count towards the rate
        }
        double s = (System.nanoTime() - start) / 1e9;
        double rate = (done - firstDone) / Math.max(1e-9, s);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int pct = (int) (100L * done / Math.max(1, total));
        String text = String.format(Locale.ROOT, "%s: %d/%d (%d %%), %d failed, %.2f cases/s, ETA %s", what, done, total,
                pct, failed, rate, eta(eta));
        long now = System.nanoTime();
        if (terminal) {
            int width = 24;
            int fill = (int) ((long) width * done / Math.max(1, total));
            err.print("\r[" + "#".repeat(fill) + " ".repeat(width - fill) + "] " + text + "   ");
            err.flush();
            drawn = true;
        } else if (done == total || pct / 5 > lastPercent / 5 || now - lastPrint > 30_000_000_000L) {
            err.println(text);
            lastPercent = pct;
            lastPrint = now;
        }
    }

    void finish() {
        if (drawn) {
            err.println();
        }
    }

    static String eta(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
