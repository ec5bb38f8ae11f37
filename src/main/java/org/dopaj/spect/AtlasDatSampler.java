package org.dopaj.spect;

import java.util.SplittableRandom;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * A second, independent phantom generator for checking the classifier on anatomy it was not trained on: the
 * striatum is not DopaJ's ellipsoids but the caudate and putamen <b>labels of a real atlas</b> (AAL, from
 * ../shared/data/atlas; Tzourio-Mazoyer et al. 2002), and the background is the atlas's own brain: grey-matter
 * labels at 1.1, the rest of the brain (closed, holes filled) at 1.0, a 10 mm shell of soft tissue at 0.3.
 *
 * <p>Binding: caudate SBR at age 60 N(3.0, 0.4), putamen = caudate × N(0.88, 0.06), age 40–85 with a decline of
 * 4–7 % per decade, each side ×(1 ± 4 %). Disease (label 1): the same clinical pattern as {@link DatSubjectSampler}
 * (stage uniform in [1, 4] on a random side, putaminal loss s·(a + b·t) with t the posterior fraction along the
 * atlas putamen's own antero-posterior extent, caudate loss 0.15·(s − 0.5), the other side at 0.7·(s − 1)), so this
 * checks robustness to anatomy and acquisition, not to another definition of the disease. Acquisition: rigid
 * misregistration (shift N(0, 2) mm clipped at ±5, rotation N(0, 3)° clipped at ±8), Gaussian FWHM 8–18 mm,
 * 1–5 million counts with Poisson noise, calibration ×0.5–50. Synthetic, research use only.
 */
public final class AtlasDatSampler {
    private final Volume atlas;
    private final Volume brain;
    private final Volume shell;
    private final int[] caudate;
    private final int[] putamen;
    private final double[][] putamenY;

    /**
     * @param atlas   a label atlas in MNI space (any grid; resampled nearest-neighbour onto the MNI 2 mm grid)
     * @param caudate labels of the left and right caudate
     * @param putamen labels of the left and right putamen
     */
    public AtlasDatSampler(Volume atlas, int[] caudate, int[] putamen) {
        Grid g = HeadPhantom.mni2mm();
        this.atlas = Resample.toGrid(atlas, g, Resample.Interpolation.NEAREST, 0);
        this.caudate = caudate.clone();
        this.putamen = putamen.clone();
        Volume any = Volume.allocate(g);
        this.putamenY = new double[][] {{Double.MAX_VALUE, -Double.MAX_VALUE}, {Double.MAX_VALUE, -Double.MAX_VALUE}};
        long[] counts = new long[4];
        for (int z = 0; z < g.nz(); z++) {
            float[] a = this.atlas.plane(z);
            float[] o = any.plane(z);
            for (int i = 0; i < a.length; i++) {
                int l = Math.round(a[i]);
                o[i] = l > 0 ? 1 : 0;
                for (int s = 0; s < 2; s++) {
                    if (l == caudate[s]) {
                        counts[s]++;
                    }
                    if (l == putamen[s]) {
                        counts[2 + s]++;
                        double y = g.toMm(i % g.nx(), i / g.nx(), z)[1];
                        putamenY[s][0] = Math.min(putamenY[s][0], y);
                        putamenY[s][1] = Math.max(putamenY[s][1], y);
                    }
                }
            }
        }
        for (long c : counts) {
            if (c == 0) {
                throw new DopajException("atlas lacks one of the caudate/putamen labels " + caudate[0] + ","
                        + caudate[1] + "," + putamen[0] + "," + putamen[1]);
            }
        }
        this.brain = Components.fillHoles(Components.close(any, 8), 6);
        this.shell = Components.dilate(brain, 10);
    }

    /** Subject {@code seed} with {@code label} 0 (normal) or 1 (parkinsonian), on the MNI 2 mm grid. */
    public DatSubjectSampler.Subject draw(long seed, int label) {
        SplittableRandom r = new SplittableRandom(seed * 0xD1B54A32D192ED03L + 99);
        Grid g = atlas.grid();
        double age = u(r, 40, 85);
        double decline = u(r, 0.04, 0.07);
        double caud60 = Math.max(2.0, 3.0 + 0.4 * r.nextGaussian());
        double put60 = caud60 * Math.max(0.7, 0.88 + 0.06 * r.nextGaussian());
        double ageFactor = 1 - decline * (age - 60) / 10;
        double[] side = {1 + u(r, -0.04, 0.04), 1 + u(r, -0.04, 0.04)};
        int more = r.nextBoolean() ? 0 : 1;
        double stage = label == DatSubjectSampler.PARKINSONIAN ? u(r, 1, 4) : 0;
        double a = u(r, 0.10, 0.20);
        double b = u(r, 0.20, 0.40);
        double less = DiseasePattern.lessAffectedStage(stage, 1);
        double[] shift = {clip(2 * r.nextGaussian(), 5), clip(2 * r.nextGaussian(), 5), clip(2 * r.nextGaussian(), 5)};
        double[] rot = {clip(3 * r.nextGaussian(), 8), clip(3 * r.nextGaussian(), 8), clip(3 * r.nextGaussian(), 8)};
        double fwhm = u(r, 8, 18);
        double counts = Math.exp(u(r, Math.log(1e6), Math.log(5e6)));
        double scale = Math.exp(u(r, Math.log(0.5), Math.log(50)));
        long noiseSeed = r.nextLong();

        Volume v = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] at = atlas.plane(z);
            float[] br = brain.plane(z);
            float[] sh = shell.plane(z);
            float[] o = v.plane(z);
            for (int i = 0; i < o.length; i++) {
                int l = Math.round(at[i]);
                double val = br[i] > 0 ? (l > 0 ? 1.1 : 1.0) : sh[i] > 0 ? 0.3 : 0;
                for (int s = 0; s < 2; s++) {
                    double st = s == more ? stage : less;
                    if (l == caudate[s]) {
                        double loss = DiseasePattern.caudateLoss(st, 1);
                        val = 1 + caud60 * ageFactor * side[s] * (1 - loss);
                    } else if (l == putamen[s]) {
                        double y = g.toMm(i % g.nx(), i / g.nx(), z)[1];
                        double t = (putamenY[s][1] - y) / Math.max(1, putamenY[s][1] - putamenY[s][0]);
                        double loss = DiseasePattern.putamenLoss(st, a, b, t);
                        val = 1 + put60 * ageFactor * side[s] * (1 - loss);
                    }
                }
                o[i] = (float) val;
            }
        }
        v = DatSubjectSampler.acquire(v, shift, rot, fwhm, counts, scale, noiseSeed);
        java.util.Map<String, Object> par = new java.util.LinkedHashMap<>();
        par.put("generator", "dopaj AtlasDatSampler (atlas striatum)");
        par.put("seed", seed);
        par.put("stage", stage);
        return new DatSubjectSampler.Subject(seed, label, stage, age, fwhm, counts, par, v);
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double clip(double v, double m) {
        return Math.max(-m, Math.min(m, v));
    }
}
