package org.dopaj.dl.metrics;

/**
 * Which side of a threshold is called positive (diseased). A network's probability of Parkinsonism is
 * positive when HIGH, but a striatal binding ratio is abnormal when LOW, so every threshold in DopaJ carries
 * its direction explicitly instead of silently assuming "higher = positive".
 */
public enum Direction {
    /** Positive when score ≥ threshold (e.g. a network's probability of disease). */
    HIGHER_IS_POSITIVE,
    /** Positive when score ≤ threshold (e.g. putamen SBR: low uptake = Parkinsonian). */
    LOWER_IS_POSITIVE;

    /** True when {@code score} is called positive at {@code threshold}; NaN scores are never positive. */
    public boolean isPositive(double score, double threshold) {
        return this == HIGHER_IS_POSITIVE ? score >= threshold : score <= threshold;
    }

    /** The score turned so that larger always means "more positive" (used for ROC ordering). */
    double oriented(double score) {
        return this == HIGHER_IS_POSITIVE ? score : -score;
    }

    /** Parses "higher"/"lower" (as typed on a command line or in a model's rdf.yaml), case-insensitive. */
    public static Direction parse(String s) {
        if (s != null) {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.equals("higher") || t.equals("higher_is_positive") || t.equals("high")) {
                return HIGHER_IS_POSITIVE;
            }
            if (t.equals("lower") || t.equals("lower_is_positive") || t.equals("low")) {
                return LOWER_IS_POSITIVE;
            }
        }
        throw new org.dopaj.DopajException("direction must be 'higher' or 'lower' (which scores are positive), got '" + s + "'");
    }
}
