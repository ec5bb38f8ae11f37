package org.dopaj.spect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The clinical patterns of dopaminergic loss that DopaJ's DaT-SPECT phantom generators draw, in one place so they
 * cannot drift apart.
 *
 * <p><b>Stage model</b> (the fixed {@link SpectPhantom}; kept for quantification tests and the sample volumes): on the
 * more affected side at stage s, putaminal loss s·(a + b·t) with t = 0 at the anterior and 1 at the posterior end
 * (posterior first), caudate loss 0.15·(s − 0.5) (caudate later); the other side at stage 0.7·(s − 1) (spared at
 * s ≤ 1). Losses are fractions of the specific binding, capped at 0.95.
 *
 * <p><b>Loss model</b> ({@link Loss}; every randomised generator since v3, 2026-12-06): the more affected putamen
 * loses a fraction {@code posterior} of its specific binding at its posterior end and {@code posterior·gradient} at
 * its anterior end (linear in between: the posterior-to-anterior gradient of Parkinson's disease, Booij et al. 1997;
 * Kish et al. 1988), the caudate {@code posterior·caudate}; the less affected side the same pattern times
 * {@code symmetry} ∈ [0, 1] — 1 is <b>symmetric bilateral loss</b>, which a classifier must call parkinsonian as
 * surely as a unilateral one (the CNN trained on stage-model subjects did not: 13 of 14 errors on an independent
 * generator were bilateral, nearly symmetric). Parkinsonian subjects draw the <b>mean</b> loss of the more affected
 * putamen uniformly in [{@value #MIN_MEAN_LOSS}, {@value #MAX_MEAN_LOSS}] and the posterior loss follows from the
 * gradient (posterior = 2·mean / (1 + gradient), at most 0.98): at motor onset the more affected putamen has lost
 * more than half of its dopamine-transporter binding, more posteriorly (Booij et al. 1997; Kordower et al. 2013), and
 * PPMI's early-PD putamen SBR is 0.66 ± 0.3 against 1.8 ± 0.3 in controls at about 60 years — a mean reduction of
 * 63 % as measured, i.e. after the partial volume of a blurred striatum, so the true loss is larger. Generator v5
 * (2026-12-07) draws 0.55–0.95 and never spares the less affected side (symmetry at least 0.3–0.5 by family): v4's
 * 0.40–0.90 with a possibly spared side measured 0.55 of the normal putamen SBR against PPMI's 0.37
 * ({@code DatLiteratureCheck}). Normal subjects lose nothing (their age decline is applied by the generator).
 */
final class DiseasePattern {
    /** The mildest mean loss of the more affected putamen of a parkinsonian subject (fraction of specific binding). */
    static final double MIN_MEAN_LOSS = 0.55;
    /** The most severe mean loss. */
    static final double MAX_MEAN_LOSS = 0.95;

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

    /**
     * Ranges from which {@link Loss#draw} takes a parkinsonian subject's pattern; each generator family has its own,
     * so that leaving a family out also leaves out its variant of the disease.
     *
     * @param gradient    anterior ÷ posterior putaminal loss, range
     * @param caudate     caudate ÷ posterior putaminal loss, range
     * @param symmetric   probability that the less affected side is nearly as affected (symmetry in [0.8, 1])
     * @param symmetry    otherwise the symmetry range
     */
    record Ranges(double[] gradient, double[] caudate, double symmetric, double[] symmetry) {
        /** DopaJ's default: all shapes from steep to flat gradients, a third of subjects bilateral-symmetric. */
        static final Ranges BROAD = new Ranges(new double[] {0.25, 0.85}, new double[] {0.15, 0.7}, 0.33,
                new double[] {0.4, 0.8});
    }

    /**
     * One subject's loss pattern (all zero for a normal subject).
     *
     * @param posterior   loss at the posterior end of the more affected putamen
     * @param gradient    anterior loss ÷ posterior loss
     * @param caudate     caudate loss ÷ posterior loss
     * @param symmetry    less affected side's losses ÷ more affected side's
     * @param leftMore    whether the left side is the more affected one
     */
    record Loss(double posterior, double gradient, double caudate, double symmetry, boolean leftMore) {
        static final Loss NONE = new Loss(0, 1, 0, 1, true);

        /** A parkinsonian pattern whose more affected putamen loses a mean fraction uniform in [0.55, 0.95]. */
        static Loss draw(SplittableRandom r, Ranges ranges) {
            double mean = MIN_MEAN_LOSS + (MAX_MEAN_LOSS - MIN_MEAN_LOSS) * r.nextDouble();
            double g = u(r, ranges.gradient());
            double posterior = Math.min(0.98, 2 * mean / (1 + g));
            double c = u(r, ranges.caudate());
            double s = r.nextDouble() < ranges.symmetric() ? 0.8 + 0.2 * r.nextDouble() : u(r, ranges.symmetry());
            return new Loss(posterior, g, c, s, r.nextBoolean());
        }

        /** Putaminal loss on one side at posterior fraction {@code t} (0 anterior … 1 posterior). */
        double putamen(boolean left, double t) {
            double side = left == leftMore ? 1 : symmetry;
            return Math.min(0.98, side * posterior * (gradient + (1 - gradient) * t));
        }

        /** Caudate loss on one side. */
        double caudate(boolean left) {
            double side = left == leftMore ? 1 : symmetry;
            return Math.min(0.98, side * posterior * caudate);
        }

        /** A severity figure 0…4 for reports: 4 × the mean putaminal loss of both sides. */
        double severity() {
            return 4 * (putamen(true, 0.5) + putamen(false, 0.5)) / 2;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("posterior_putamen_loss", posterior);
            m.put("anterior_to_posterior", gradient);
            m.put("caudate_to_posterior", caudate);
            m.put("symmetry", symmetry);
            m.put("more_affected_side", leftMore ? "left" : "right");
            return m;
        }

        private static double u(SplittableRandom r, double[] range) {
            return range[0] + (range[1] - range[0]) * r.nextDouble();
        }
    }
}
