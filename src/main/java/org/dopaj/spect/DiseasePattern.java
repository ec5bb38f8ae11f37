package org.dopaj.spect;

/**
 * The clinical pattern of dopaminergic loss that every DopaJ DaT-SPECT phantom generator draws
 * ({@link SpectPhantom}, {@link DatSubjectSampler}, {@link AtlasDatSampler}), in one place so they cannot drift
 * apart: on the more affected side at stage s, putaminal loss s·(a + b·t) with t = 0 at the anterior and 1 at the
 * posterior end (posterior first), caudate loss 0.15·(s − 0.5) (caudate later); the other side at stage
 * 0.7·(s − 1) (spared at s ≤ 1). Losses are fractions of the specific binding, capped at 0.95.
 */
final class DiseasePattern {
    private DiseasePattern() {
    }

    /** Putaminal loss at stage {@code stage}, posterior fraction {@code t}; {@code a}, {@code b} per subject. */
    static double putamenLoss(double stage, double a, double b, double t) {
        return Math.min(0.95, stage * (a + b * t));
    }

    /** Caudate loss at stage {@code stage}, times a per-subject {@code factor} (1 for the fixed phantom). */
    static double caudateLoss(double stage, double factor) {
        return Math.min(0.95, Math.max(0, 0.15 * (stage - 0.5) * factor));
    }

    /** Stage of the less affected side, times a per-subject {@code factor} (1 for the fixed phantom). */
    static double lessAffectedStage(double stage, double factor) {
        return Math.max(0, 0.7 * (stage - 1) * factor);
    }
}
