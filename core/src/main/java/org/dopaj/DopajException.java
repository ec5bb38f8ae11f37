package org.dopaj;

/**
 * A problem the user can act on (bad file, wrong dimensionality, missing calibration, not enough memory).
 * The message is one line, names the file or parameter and the problem, and is shown as is:
 * on stderr by the CLI (exit code 2), in an error dialog or the log by the Fiji commands.
 */
public class DopajException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DopajException(String message) {
        super(message);
    }

    public DopajException(String message, Throwable cause) {
        super(message, cause);
    }
}
