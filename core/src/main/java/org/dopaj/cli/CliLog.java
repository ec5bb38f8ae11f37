package org.dopaj.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Holds DopaJ's own log records (logger {@code org.dopaj}: engine start-up, device choice...) while one command runs,
 * so that the command-line contract holds in one place: a failed command prints exactly one line on stderr (its
 * reason), and a successful one prints its warnings, not the engine's chatter. With {@code -Ddopaj.debug=true}
 * every record is printed, as it comes.
 */
final class CliLog implements AutoCloseable {
    private final Logger logger;
    private final boolean oldUseParent;
    private final Level oldLevel;
    private final Handler handler;
    private final List<LogRecord> held = new ArrayList<>();
    private final boolean debug;

    private CliLog(PrintStream err) {
        this.debug = Boolean.getBoolean("dopaj.debug");
        this.logger = Logger.getLogger("org.dopaj");
        this.oldUseParent = logger.getUseParentHandlers();
        this.oldLevel = logger.getLevel();
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (debug) {
                    err.println("dopaj: " + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": " + r.getMessage());
                } else {
                    synchronized (held) {
                        held.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        if (debug) {
            logger.setLevel(Level.ALL);
        }
    }

    /** Starts holding the records of {@code org.dopaj} loggers; {@link #close()} restores the logger. */
    static CliLog hold(PrintStream err) {
        return new CliLog(err);
    }

    /** After a successful command: its warnings (WARNING and above), one line each, on {@code err}. */
    void printWarnings(String command, PrintStream err) {
        synchronized (held) {
            for (LogRecord r : held) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    err.println("dopaj " + command + ": warning: " + oneLine(r.getMessage()));
                }
            }
            held.clear();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(oldUseParent);
        logger.setLevel(oldLevel);
    }

    /** A message on one line: line breaks (from nested causes, native errors) become " | ". */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
    }

    /**
     * Runs {@code command} with {@link System#out} and {@link System#err} replaced by a sink, so that what libraries
     * print there (ImageJ's headless {@code IJ.error}, e.g. "FileInfo parameter error" for a damaged TIFF, on stdout)
     * cannot break "one JSON object on stdout" or "one line on stderr". The command itself writes to the streams it
     * was given before the swap. {@code -Ddopaj.debug=true} leaves the streams alone.
     */
    static int holdingStrayOutput(java.util.function.IntSupplier command) {
        if (Boolean.getBoolean("dopaj.debug")) {
            return command.getAsInt();
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream(), true);
        System.setOut(sink);
        System.setErr(sink);
        try {
            return command.getAsInt();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Turns TensorFlow's native start-up lines off (oneDNN notice, CPU-feature guard, "Reading SavedModel..."): they
     * go straight to file descriptor 2, around any Java stream, and TensorFlow reads {@code TF_CPP_MIN_LOG_LEVEL} from
     * the process environment when it first logs, so it is set there through libc (JNA, which DJL brings) before the
     * engine loads. A value the user set wins; {@code -Ddopaj.debug=true} leaves TensorFlow as it is.
     */
    static void quietTensorFlow() {
        if (System.getenv("TF_CPP_MIN_LOG_LEVEL") != null || Boolean.getBoolean("dopaj.debug")) {
            return;
        }
        try {
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("setenv")
                    .invokeInt(new Object[]{"TF_CPP_MIN_LOG_LEVEL", "3", 0});
        } catch (Throwable e) {
            // no JNA or no libc (not Linux/macOS): TensorFlow stays talkative, nothing else changes
        }
    }
}
