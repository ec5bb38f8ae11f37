package org.dopaj.spect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * Randomised digital DaT-SPECT subjects for training and evaluating the classifier: unlike {@link SpectPhantom}
 * (fixed anatomy, used for quantification tests), every subject drawn here has its own anatomy, binding,
 * background and acquisition, so that a network trained on them learns the striatal pattern rather than our exact
 * ellipsoids.
 *
 * <p>Per subject (all from one seed, so a seed always gives the same volume):
 * <ul>
 *   <li>anatomy: brain semi-axes ×0.92…1.08 each; the striatum of the subject (both sides alike, mirror
 *   symmetric) moved by up to ±3 mm per axis, its semi-axes ×0.88…1.12 per axis, the putamina turned by ±5°;
 *   then each caudate and putamen of each side by a further ±1 mm per axis, semi-axes ×0.96…1.04, ±2° — healthy
 *   striata are nearly symmetric (a left/right volume difference of a few per cent), so an apparent asymmetry of
 *   uptake comes from binding, not anatomy; soft tissue 0.1…0.5;</li>
 *   <li>non-specific uptake: cortical rim (outer 10 mm of the brain) ×1.0…1.3, thalami 1.0…1.3, and four random
 *   smooth blobs (15–40 mm) of ±15 %, so the background is not flat;</li>
 *   <li>specific binding at age 60: putamen N(2.9, 0.3) clipped to [1.9, 4.2], caudate = putamen × N(1.12, 0.06);
 *   age 40…85 with a decline of 4…8 % of the age-60 value per decade; a physiological left/right difference of up
 *   to ±6 %;</li>
 *   <li>disease (label {@link #PARKINSONIAN}): a {@link DiseasePattern.Loss loss pattern} drawn from
 *   {@link DiseasePattern.Ranges#BROAD}: mean putaminal loss 55…95 % on the more affected side, more posteriorly, a
 *   posterior-to-anterior gradient, caudate involvement, and a less affected side that has lost 0.4…1 times as much
 *   (a third of subjects symmetric bilateral). Normals ({@link #NORMAL}) lose nothing but carry the age decline and
 *   inter-subject variability above;</li>
 *   <li>acquisition: rigid misregistration (shift N(0, 2.5) mm clipped at ±6, rotation N(0, 3)° clipped at ±8),
 *   Gaussian resolution FWHM 9…15 mm (uniform; the +18 mm setting stands for low-resolution cameras), 0.7…6 million expected counts (log-uniform) with Poisson noise,
 *   calibration factor 0.1…100 (log-uniform).</li>
 * </ul>
 * The "smoothed" version of a subject is its volume convolved with an extra 18 mm FWHM Gaussian, as Wenzel et al.
 * (EJNMMI 2019) did to imitate a low-resolution camera. Volumes lie on the MNI152 2 mm grid. Synthetic, research
 * use only.
 */
public final class DatSubjectSampler {
    public static final int NORMAL = 0;
    public static final int PARKINSONIAN = 1;
    /** Extra smoothing of the "smoothed" setting (Wenzel et al. 2019). */
    public static final double SMOOTHING_FWHM_MM = 18.0;
    /**
     * Generator version, part of every training cache name: 2 = symmetric striatal anatomy (2026-11-22); 3 = the
     * loss model of {@link DiseasePattern.Loss} (symmetric bilateral loss too) and caudate above putamen; 4 = its
     * severity as the mean putaminal loss, 40–90 % (2026-12-06); 5 = calibrated to PPMI's relative figures
     * ({@code DatLiteratureCheck}): mean loss 55–95 %, the less affected side never spared, normal binding sd 0.3,
     * Gaussian cameras 9–15 mm (2026-12-07).
     */
    public static final String VERSION = "v5";

    private static final Ellipsoid THALAMUS_R = new Ellipsoid(10, -18, 6, 8, 14, 8, 0, 0);

    private DatSubjectSampler() {
    }

    /** One drawn subject: its parameters (for the sidecar) and its 2 mm volume. */
    public record Subject(long seed, int label, double stage, double age, double fwhmMm, double totalCounts,
                          Map<String, Object> parameters, Volume image) {
        /** The same subject with the extra 18 mm FWHM smoothing. */
        public Volume smoothed() {
            return Gaussian.smooth(image, SMOOTHING_FWHM_MM);
        }
    }

    /** Draws subject {@code seed}; its label is {@code label} ({@link #NORMAL} or {@link #PARKINSONIAN}). */
    public static Subject draw(long seed, int label) {
        return draw(seed, label, false);
    }

    /** As {@link #draw(long, int)}; with {@code aligned} without the rigid misregistration (exactly in MNI space). */
    public static Subject draw(long seed, int label, boolean aligned) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        Grid grid = HeadPhantom.mni2mm();
        Map<String, Object> par = new LinkedHashMap<>();
        // anatomy
        double bx = u(r, 0.92, 1.08);
        double by = u(r, 0.92, 1.08);
        double bz = u(r, 0.92, 1.08);
        Ellipsoid brain = new Ellipsoid(0, -17, 15, 64 * bx, 82 * by, 58 * bz, 0, 0);
        Ellipsoid head = new Ellipsoid(0, -17, 7, 64 * bx + 10, 82 * by + 16, 58 * bz + 22, 0, 0);
        Ellipsoid cortexInner = new Ellipsoid(0, -17, 15, 64 * bx - 10, 82 * by - 10, 58 * bz - 10, 0, 0);
        double softTissue = u(r, 0.1, 0.5);
        // striatal anatomy: one subject-level size, position and putaminal angle shared by both sides (mirror
        // symmetric), plus small per-side deviations — healthy striata are nearly symmetric, so a side-to-side
        // difference in apparent uptake must come from binding, not from an anatomy twice the size on one side
        Striatum common = new Striatum(u(r, 0.88, 1.12), u(r, 0.88, 1.12), u(r, 0.88, 1.12),
                u(r, -3, 3), u(r, -3, 3), u(r, -3, 3));
        double putAngle = u(r, -5, 5);
        List<Ellipsoid> caudL = common.place(SpectVois.caudate(true), true, sideDeviation(r));
        List<Ellipsoid> caudR = common.place(SpectVois.caudate(false), false, sideDeviation(r));
        Ellipsoid putL = common.place(List.of(SpectVois.putamen(true)), true, sideDeviation(r)).get(0);
        Ellipsoid putR = common.place(List.of(SpectVois.putamen(false)), false, sideDeviation(r)).get(0);
        putL = turn(putL, -putAngle + u(r, -2, 2));
        putR = turn(putR, putAngle + u(r, -2, 2));
        // non-specific uptake
        double cortex = u(r, 1.0, 1.3);
        double thalamus = u(r, 1.0, 1.3);
        double[][] blobs = new double[4][5];
        for (double[] b : blobs) {
            b[0] = u(r, -50, 50);
            b[1] = u(r, -80, 50);
            b[2] = u(r, -30, 50);
            b[3] = u(r, 15, 40) / Gaussian.FWHM_PER_SIGMA;
            b[4] = u(r, -0.15, 0.15);
        }
        // binding: normal caudate above putamen (Booij 1997; Varrone 2013), both declining with age
        double age = u(r, 40, 85);
        double decline = u(r, 0.04, 0.08);
        double put60 = clip(2.9 + 0.3 * r.nextGaussian(), 1.9, 4.2);
        double caud60 = put60 * clip(1.12 + 0.06 * r.nextGaussian(), 1.0, 1.3);
        double ageFactor = 1 - decline * (age - 60) / 10;
        double asymL = 1 + u(r, -0.03, 0.03);
        double asymR = 1 + u(r, -0.03, 0.03);
        DiseasePattern.Loss loss = label == PARKINSONIAN ? DiseasePattern.Loss.draw(r, DiseasePattern.Ranges.BROAD)
                : DiseasePattern.Loss.NONE;
        double stage = label == PARKINSONIAN ? loss.severity() : 0;
        // acquisition
        double[] shift = {clip(2.5 * r.nextGaussian(), -6, 6), clip(2.5 * r.nextGaussian(), -6, 6),
            clip(2.5 * r.nextGaussian(), -6, 6)};
        double[] rot = {clip(3 * r.nextGaussian(), -8, 8), clip(3 * r.nextGaussian(), -8, 8),
            clip(3 * r.nextGaussian(), -8, 8)};
        if (aligned) {
            shift = new double[3];
            rot = new double[3];
        }
        double fwhm = u(r, 9, 15);
        double counts = Math.exp(u(r, Math.log(7e5), Math.log(6e6)));
        double scale = Math.exp(u(r, Math.log(0.1), Math.log(100)));
        long noiseSeed = r.nextLong();

        Volume v = Volume.allocate(grid);
        for (int z = 0; z < grid.nz(); z++) {
            float[] pl = v.plane(z);
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double[] mm = grid.toMm(x, y, z);
                    double val;
                    if (brain.contains(mm[0], mm[1], mm[2])) {
                        boolean left = mm[0] < 0;
                        val = cortexInner.contains(mm[0], mm[1], mm[2]) ? 1 : cortex;
                        Ellipsoid th = left ? THALAMUS_R.mirrorX() : THALAMUS_R;
                        if (th.contains(mm[0], mm[1], mm[2])) {
                            val = thalamus;
                        }
                        for (double[] bl : blobs) {
                            double dx = mm[0] - bl[0];
                            double dy = mm[1] - bl[1];
                            double dz = mm[2] - bl[2];
                            val += bl[4] * Math.exp(-(dx * dx + dy * dy + dz * dz) / (2 * bl[3] * bl[3]));
                        }
                        double side = left ? asymL : asymR;
                        boolean inCaudate = false;
                        for (Ellipsoid e : left ? caudL : caudR) {
                            inCaudate |= e.contains(mm[0], mm[1], mm[2]);
                        }
                        if (inCaudate) {
                            val = 1 + caud60 * ageFactor * side * (1 - loss.caudate(left));
                        } else {
                            Ellipsoid put = left ? putL : putR;
                            if (put.contains(mm[0], mm[1], mm[2])) {
                                double t = put.posteriorFraction(mm[0], mm[1], mm[2]);
                                val = 1 + put60 * ageFactor * side * (1 - loss.putamen(left, t));
                            }
                        }
                    } else if (head.contains(mm[0], mm[1], mm[2])) {
                        val = softTissue;
                    } else {
                        val = 0;
                    }
                    pl[x + y * grid.nx()] = (float) val;
                }
            }
        }
        v = acquire(v, shift, rot, fwhm, counts, scale, noiseSeed);
        par.put("synthetic", true);
        par.put("generator", "dopaj DatSubjectSampler (randomised anatomy, binding, background, acquisition)");
        par.put("seed", seed);
        par.put("label", label == PARKINSONIAN ? "parkinsonian" : "normal");
        par.put("family", "ellipsoid");
        par.put("severity", stage);
        par.put("loss", loss.toMap());
        par.put("age", age);
        par.put("age_decline_per_decade", decline);
        par.put("caudate_binding_at_60", caud60);
        par.put("putamen_binding_at_60", put60);
        par.put("fwhm_mm", fwhm);
        par.put("total_counts", counts);
        par.put("global_scale", scale);
        par.put("shift_mm", List.of(shift[0], shift[1], shift[2]));
        par.put("rotation_deg", List.of(rot[0], rot[1], rot[2]));
        return new Subject(seed, label, stage, age, fwhm, counts, par, v);
    }

    /**
     * The camera: rigid misregistration, Gaussian resolution of {@code fwhm} mm, Poisson counts summing to
     * {@code counts} in expectation (noise from {@code noiseSeed}), then a calibration factor {@code scale}.
     */
    static Volume acquire(Volume activity, double[] shift, double[] rot, double fwhm, double counts, double scale,
                          long noiseSeed) {
        Volume v = Gaussian.smooth(SpectPhantom.misregister(activity, shift, rot), fwhm);
        double sum = 0;
        for (float[] pl : v.planes()) {
            for (float q : pl) {
                sum += q;
            }
        }
        double k = counts / sum;
        SplittableRandom noise = new SplittableRandom(noiseSeed);
        for (float[] pl : v.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = (float) (scale * SpectPhantom.poisson(pl[i] * k, noise));
            }
        }
        return v;
    }

    /** A subject's striatal size (semi-axis factors) and position (mm; x mirrored on the left side). */
    private record Striatum(double sx, double sy, double sz, double dx, double dy, double dz) {
        /** The ellipsoids of one structure of one side, scaled and moved by this striatum and {@code side}. */
        List<Ellipsoid> place(List<Ellipsoid> es, boolean left, double[] side) {
            double mx = left ? -dx : dx;
            List<Ellipsoid> out = new ArrayList<>();
            for (Ellipsoid e : es) {
                // scaling about the structure's own centre, so a larger striatum does not drift laterally
                out.add(new Ellipsoid(e.cx() + mx + side[0], e.cy() + dy + side[1], e.cz() + dz + side[2],
                        e.ru() * sx * side[3], e.rv() * sy * side[4], e.rw() * sz * side[5], e.yawDeg(),
                        e.pitchDeg()));
            }
            return out;
        }
    }

    /** Per-side deviation: ±1 mm per axis, semi-axes ×0.96…1.04. */
    private static double[] sideDeviation(SplittableRandom r) {
        return new double[] {u(r, -1, 1), u(r, -1, 1), u(r, -1, 1), u(r, 0.96, 1.04), u(r, 0.96, 1.04),
            u(r, 0.96, 1.04)};
    }

    private static Ellipsoid turn(Ellipsoid e, double deg) {
        return new Ellipsoid(e.cx(), e.cy(), e.cz(), e.ru(), e.rv(), e.rw(), e.yawDeg() + deg, e.pitchDeg());
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
