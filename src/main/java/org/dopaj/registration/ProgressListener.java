package org.dopaj.registration;

/**
 * Progress of a long operation and a way to stop it. The operation calls {@link #progress} at each pyramid level
 * and stage, and polls {@link #cancelled} between optimiser iterations; when it returns true the operation stops
 * with a {@link org.dopaj.DopajException} whose message is "registration cancelled".
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
