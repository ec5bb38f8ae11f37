package org.dopaj.spect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;

/**
 * Do a phantom family's measured SBRs look like a real cohort's? Draws subjects of each {@link DatFamily} (half normal,
 * seeds {@value #SEED} + i, disjoint from training, validation and test seeds), measures them with DopaJ's default
 * VOIs ({@link SbrQuantifier#defaults()}) as a user would, and prints the figures that can be compared with PPMI
 * whatever the VOI definitions: the normals' coefficient of variation of the mean putamen SBR (both sides), the
 * parkinsonian mean as a fraction of the normal mean, the parkinsonian sd as a fraction of the normal mean, and the
 * accuracy of a lower-putamen threshold fitted on the family itself (how far apart the classes are). PPMI at about 60
 * years (issue 10's reference): putamen SBR 1.8 ± 0.3 in controls, 0.66 ± 0.3 in early PD, i.e. 0.17, 0.37 and 0.17.
 * The absolute level depends on the VOIs and the resolution and is not compared.
 *
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatLiteratureCheck ../shared/data [N per family] [families]
 * </pre>
 */
public final class DatLiteratureCheck {
    /** Seeds of the drawn subjects: {@value} + i. */
    static final long SEED = 8_000_000L;

    private DatLiteratureCheck() {
    }

    /** The relative figures of one family. */
    record Figures(DatFamily family, int n, int failed, double normalMean, double normalCv, double pdFraction,
                   double pdSdFraction, double lowerSideFraction, double ownThresholdAccuracy) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %d (%d failed) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |",
                    family.id(), n, failed, normalMean, normalCv, pdFraction, pdSdFraction, lowerSideFraction,
                    ownThresholdAccuracy);
        }
    }

    /** Draws {@code n} subjects of {@code family} and measures them. */
    static Figures measure(DatFamily family, Path shared, int n) {
        AtlasDatSampler sampler = family.sampler(shared);
        DatFamily.SubjectCamera camera = family.physics() ? PhysicsCamera.load() : null;
        List<double[]> mean = new ArrayList<>();
        List<double[]> lower = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            SbrResult r;
            try {
                r = SbrQuantifier.defaults().quantify(family.draw(sampler, SEED + i, label, camera).image());
            } catch (DopajException e) {
                failed++; // a registration that failed its quality check: no measurement, as for a user
                continue;
            }
            mean.add(new double[] {(r.sbr().get(VoiSet.PUTAMEN_L) + r.sbr().get(VoiSet.PUTAMEN_R)) / 2, label});
            lower.add(new double[] {r.lowerPutamenSbr(), label});
        }
        double[] m = moments(mean);
        double[] l = moments(lower);
        return new Figures(family, n, failed, m[0], m[1] / m[0], m[2] / m[0], m[3] / m[0], l[2] / l[0],
                bestThresholdAccuracy(lower));
    }

    /** {normal mean, normal sd, parkinsonian mean, parkinsonian sd} of (value, label) pairs. */
    static double[] moments(List<double[]> v) {
        double[][] s = new double[2][3];
        for (double[] p : v) {
            int k = (int) p[1];
            s[k][0]++;
            s[k][1] += p[0];
            s[k][2] += p[0] * p[0];
        }
        double[] out = new double[4];
        for (int k = 0; k < 2; k++) {
            double mu = s[k][1] / s[k][0];
            out[2 * k] = mu;
            out[2 * k + 1] = Math.sqrt(Math.max(0, s[k][2] / s[k][0] - mu * mu));
        }
        return out;
    }

    /**
     * Best accuracy of one threshold (low = parkinsonian) on these (value, label) pairs: an upper bound for any
     * threshold on the set. (Maximum accuracy, not {@code Classification.youden}'s maximum J; the two agree on the
     * half-normal sets drawn here unless a registration failure unbalances them.)
     */
    static double bestThresholdAccuracy(List<double[]> v) {
        List<double[]> s = new ArrayList<>(v);
        s.sort(Comparator.comparingDouble(p -> p[0]));
        long normals = s.stream().filter(p -> p[1] == 0).count();
        int pdBelow = 0;
        long best = normals; // threshold below every value: all called normal
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i)[1] == 1) {
                pdBelow++;
            }
            long normalsAbove = normals - (i + 1 - pdBelow);
            best = Math.max(best, pdBelow + normalsAbove);
        }
        return (double) best / s.size();
    }

    public static void main(String[] args) {
        Path shared = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<DatFamily> families = args.length > 2 ? DatFamily.list(args[2]) : List.of(DatFamily.values());
        System.out.println("| family | subjects | normal mean putamen SBR | normal CV | PD mean ÷ normal mean |"
                + " PD sd ÷ normal mean | lower side: PD ÷ normal | own-family threshold accuracy |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.println("| PPMI at ≈ 60 y (issue 10) | | 1.8 | 0.17 | 0.37 | 0.17 | | |");
        for (DatFamily f : families) {
            System.out.println(measure(f, shared, n).row());
        }
    }
}
