package org.dopaj.dl.metrics;

/**
 * JSON has no NaN or infinity (Gson refuses them by default): every metric map goes through here, so an
 * undefined figure (e.g. HD95 with one empty mask) is written as {@code null} and explained in the docs.
 */
public final class Json {
    private Json() {
    }

    /** The value itself when finite, otherwise null. */
    public static Double safe(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
