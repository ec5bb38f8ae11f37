package org.dopaj.spect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * Deterministic digital 123I-FP-CIT (DaTscan) SPECT volumes on the MNI152 2 mm grid, with their ground truth.
 * Synthetic test objects for research, not patient data.
 *
 * <p>Activity model (relative concentration, background brain = 1): an ellipsoidal brain (centre (0, −17, 15) mm,
 * semi-axes 64, 82, 58 mm, as in {@link HeadPhantom}) at 1.0 inside a soft-tissue shell (semi-axes 74, 98, 80 mm)
 * at {@value #SOFT_TISSUE}; caudate and putamen shaped as the {@link SpectVois} ellipsoids with concentration
 * 1 + specific binding. Normal specific binding at age 60: caudate {@value #NORMAL_CAUDATE_SBR_60}, putamen
 * {@value #NORMAL_PUTAMEN_SBR_60}, declining linearly by {@code ageDeclinePerDecade} (default 5 %) of the age-60
 * value per decade. Disease (stage s, 0 = normal … 4 = advanced): on the more affected side putaminal binding is
 * lost by s·(0.15 + 0.30·t) (t = 0 at the anterior tip, 1 at the posterior tip of the putamen's long axis, capped at
 * 95 %), caudate by 0.15·(s − 0.5) (from s = 0.5, capped at 95 %); the less affected side follows the same model
 * at stage 0.7·(s − 1) (spared at s ≤ 1, like unilateral Hoehn–Yahr 1).
 *
 * <p>Acquisition model, in this order: rigid misregistration (rotation about the MNI origin then shift, applied with
 * {@link Resample} through a moved grid), Gaussian blur ({@code fwhmMm}, camera + reconstruction resolution),
 * scaling so that the whole volume holds {@code totalCounts} expected counts, Poisson noise on each voxel (normal
 * approximation above 30 expected counts), then a global calibration factor {@code globalScale}. This is a
 * simplification: real reconstruction noise is spatially correlated. With the default 2 million counts the
 * occipital reference holds ≈ 9 counts per 2 mm voxel (measured 9.26 at 10 mm FWHM, {@code SpectPhantomTest}),
 * i.e. ≈ 33 % per-voxel noise, noisy-looking like
 * clinical 2 mm normalised images but not a model of the projection data.
 *
 * <p>The ground truth SBR of each VOI is computed from the noiseless, unblurred, unmoved activity on the true
 * (SpectVois) VOIs, with the same formula the quantifier uses.
 */
public final class SpectPhantom {
    public static final double NORMAL_CAUDATE_SBR_60 = 3.2;
    public static final double NORMAL_PUTAMEN_SBR_60 = 2.9;
    public static final double SOFT_TISSUE = 0.3;
    static final Ellipsoid BRAIN = Ellipsoid.of(0, -17, 15, 64, 82, 58);
    static final Ellipsoid HEAD = Ellipsoid.of(0, -17, 7, 74, 98, 80);

    private SpectPhantom() {
    }

    /** Which hemisphere loses more binding. */
    public enum Side {
        LEFT, RIGHT;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Phantom parameters; build with {@link #builder()}. */
    public record Params(double age, double stage, Side moreAffected, double fwhmMm, double totalCounts,
                         boolean poissonNoise, double[] shiftMm, double[] rotationDeg, double globalScale,
                         double ageDeclinePerDecade, long seed) {
        public Params {
            if (!(age >= 20 && age <= 100)) {
                throw new DopajException("phantom age must be 20…100 years, got " + age);
            }
            if (!(stage >= 0 && stage <= 4)) {
                throw new DopajException("phantom stage must be 0 (normal) … 4 (advanced), got " + stage);
            }
            if (!(fwhmMm >= 0 && fwhmMm <= 30)) {
                throw new DopajException("phantom fwhm_mm must be 0…30, got " + fwhmMm);
            }
            if (!(totalCounts >= 1e4 && totalCounts <= 1e10)) {
                throw new DopajException("phantom total_counts must be 1e4…1e10, got " + totalCounts);
            }
            if (!(globalScale > 0 && Double.isFinite(globalScale))) {
                throw new DopajException("phantom global_scale must be > 0, got " + globalScale);
            }
            if (!(ageDeclinePerDecade >= 0 && ageDeclinePerDecade < 0.2)) {
                throw new DopajException("phantom age_decline_per_decade must be 0…0.2, got " + ageDeclinePerDecade);
            }
            if (shiftMm == null || shiftMm.length != 3 || rotationDeg == null || rotationDeg.length != 3) {
                throw new DopajException("phantom shift_mm and rotation_deg need 3 values each");
            }
            if (moreAffected == null) {
                throw new DopajException("phantom more_affected side is missing");
            }
            shiftMm = shiftMm.clone();
            rotationDeg = rotationDeg.clone();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Shift (x, y, z) in mm (a copy). */
        @Override
        public double[] shiftMm() {
            return shiftMm.clone();
        }

        /** Rotation about x, y, z in degrees (a copy). */
        @Override
        public double[] rotationDeg() {
            return rotationDeg.clone();
        }

        /** As a map for JSON. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("age", age);
            m.put("stage", stage);
            m.put("more_affected_side", moreAffected.key());
            m.put("fwhm_mm", fwhmMm);
            m.put("total_counts", totalCounts);
            m.put("poisson_noise", poissonNoise);
            m.put("shift_mm", List.of(shiftMm[0], shiftMm[1], shiftMm[2]));
            m.put("rotation_deg", List.of(rotationDeg[0], rotationDeg[1], rotationDeg[2]));
            m.put("global_scale", globalScale);
            m.put("age_decline_per_decade", ageDeclinePerDecade);
            m.put("seed", seed);
            return m;
        }

        /** Builder with defaults: age 60, stage 0, left more affected, 10 mm FWHM, 2 million counts, Poisson noise on,
         * no misregistration, scale 1, 5 % decline per decade, seed 1. */
        public static final class Builder {
            private double age = 60;
            private double stage = 0;
            private Side side = Side.LEFT;
            private double fwhm = 10;
            private double counts = 2e6;
            private boolean noise = true;
            private double[] shift = {0, 0, 0};
            private double[] rot = {0, 0, 0};
            private double scale = 1;
            private double decline = 0.05;
            private long seed = 1;

            public Builder age(double v) { age = v; return this; }
            public Builder stage(double v) { stage = v; return this; }
            public Builder moreAffected(Side v) { side = v; return this; }
            public Builder fwhmMm(double v) { fwhm = v; return this; }
            public Builder totalCounts(double v) { counts = v; return this; }
            public Builder poissonNoise(boolean v) { noise = v; return this; }
            public Builder shiftMm(double x, double y, double z) { shift = new double[]{x, y, z}; return this; }
            public Builder rotationDeg(double x, double y, double z) { rot = new double[]{x, y, z}; return this; }
            public Builder globalScale(double v) { scale = v; return this; }
            public Builder ageDeclinePerDecade(double v) { decline = v; return this; }
            public Builder seed(long v) { seed = v; return this; }

            /** No blur, no noise, no misregistration: the activity itself (in expected counts). */
            public Builder ideal() {
                fwhm = 0;
                noise = false;
                shift = new double[]{0, 0, 0};
                rot = new double[]{0, 0, 0};
                return this;
            }

            public Params build() {
                return new Params(age, stage, side, fwhm, counts, noise, shift, rot, scale, decline, seed);
            }
        }
    }

    /** Ground truth of one phantom: true SBR of every region of {@link SpectVois#regions()}, and the parameters. */
    public record Truth(Map<String, Double> sbr, Params params) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("synthetic", true);
            m.put("model", "dopaj SpectPhantom: ellipsoid brain and striatum on the MNI152 2 mm grid");
            m.put("true_sbr", new LinkedHashMap<>(sbr));
            m.put("age", params.age());
            m.put("stage", params.stage());
            m.put("more_affected_side", params.moreAffected().key());
            m.put("seed", params.seed());
            m.put("parameters", params.toMap());
            return m;
        }
    }

    /** A phantom image (on the MNI 2 mm grid) with its ground truth. */
    public record Phantom(Volume image, Truth truth) {
    }

    /** Generates the phantom; the same parameters (seed included) give identical voxels. */
    public static Phantom generate(Params p) {
        Grid grid = HeadPhantom.mni2mm();
        Volume activity = activity(grid, p);
        Map<String, Double> truth = trueSbr(activity, SpectVois.rasterise(grid));
        Volume v = misregister(activity, p.shiftMm(), p.rotationDeg());
        if (p.fwhmMm() > 0) {
            v = Gaussian.smooth(v, p.fwhmMm());
        }
        double sum = 0;
        for (float[] pl : v.planes()) {
            for (float a : pl) {
                sum += a;
            }
        }
        double k = p.totalCounts() / sum;
        SplittableRandom rng = new SplittableRandom(p.seed());
        for (float[] pl : v.planes()) {
            for (int i = 0; i < pl.length; i++) {
                double lambda = pl[i] * k;
                double c = p.poissonNoise() ? poisson(lambda, rng) : lambda;
                pl[i] = (float) (p.globalScale() * c);
            }
        }
        return new Phantom(v, new Truth(truth, p));
    }

    /** Relative concentration on {@code grid}, sampled at voxel centres (background brain = 1). */
    public static Volume activity(Grid grid, Params p) {
        double ageFactor = 1 - p.ageDeclinePerDecade() * (p.age() - 60) / 10;
        double sMore = p.stage();
        double sLess = DiseasePattern.lessAffectedStage(p.stage(), 1);
        Volume v = Volume.allocate(grid);
        Ellipsoid putL = SpectVois.putamen(true);
        Ellipsoid putR = SpectVois.putamen(false);
        List<Ellipsoid> caudL = SpectVois.caudate(true);
        List<Ellipsoid> caudR = SpectVois.caudate(false);
        for (int z = 0; z < grid.nz(); z++) {
            float[] pl = v.plane(z);
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double[] mm = grid.toMm(x, y, z);
                    double a;
                    if (BRAIN.contains(mm[0], mm[1], mm[2])) {
                        boolean left = mm[0] < 0;
                        double s = (left == (p.moreAffected() == Side.LEFT)) ? sMore : sLess;
                        a = 1;
                        if (inAny(left ? caudL : caudR, mm)) {
                            double loss = DiseasePattern.caudateLoss(s, 1);
                            a += NORMAL_CAUDATE_SBR_60 * ageFactor * (1 - loss);
                        } else {
                            Ellipsoid put = left ? putL : putR;
                            if (put.contains(mm[0], mm[1], mm[2])) {
                                double t = put.posteriorFraction(mm[0], mm[1], mm[2]);
                                double loss = DiseasePattern.putamenLoss(s, 0.15, 0.30, t);
                                a += NORMAL_PUTAMEN_SBR_60 * ageFactor * (1 - loss);
                            }
                        }
                    } else if (HEAD.contains(mm[0], mm[1], mm[2])) {
                        a = SOFT_TISSUE;
                    } else {
                        a = 0;
                    }
                    pl[x + y * grid.nx()] = (float) a;
                }
            }
        }
        return v;
    }

    private static boolean inAny(List<Ellipsoid> es, double[] mm) {
        for (Ellipsoid e : es) {
            if (e.contains(mm[0], mm[1], mm[2])) {
                return true;
            }
        }
        return false;
    }

    /** SBR of every SpectVois region from the activity and the label volume on the same grid. */
    static Map<String, Double> trueSbr(Volume activity, Volume labels) {
        Map<String, int[]> regions = SpectVois.regions();
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (String r : regions.keySet()) {
            acc.put(r, new double[2]);
        }
        for (int z = 0; z < activity.nz(); z++) {
            float[] a = activity.plane(z);
            float[] l = labels.plane(z);
            for (int i = 0; i < a.length; i++) {
                if (l[i] == 0) {
                    continue;
                }
                for (Map.Entry<String, int[]> e : regions.entrySet()) {
                    if (VoiSet.contains(e.getValue(), l[i])) {
                        double[] s = acc.get(e.getKey());
                        s[0] += a[i];
                        s[1]++;
                    }
                }
            }
        }
        double[] rs = acc.get(VoiSet.REFERENCE);
        double ref = rs[0] / rs[1];
        Map<String, Double> sbr = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            if (!e.getKey().equals(VoiSet.REFERENCE)) {
                sbr.put(e.getKey(), (e.getValue()[0] / e.getValue()[1] - ref) / ref);
            }
        }
        return sbr;
    }

    /**
     * The volume moved rigidly: rotated by rx, ry, rz degrees (about x, then y, then z, about the MNI origin) and
     * shifted by (dx, dy, dz) mm, resampled trilinearly back onto its own grid. No motion returns the input.
     */
    static Volume misregister(Volume v, double[] shiftMm, double[] rotDeg) {
        boolean none = true;
        for (int i = 0; i < 3; i++) {
            none &= shiftMm[i] == 0 && rotDeg[i] == 0;
        }
        if (none) {
            return v;
        }
        double[][] t = rigid(shiftMm, rotDeg);
        Grid moved = v.grid().withAffine(Affines.multiply(t, v.grid().affine()));
        return Resample.toGrid(v.withGrid(moved), v.grid(), Resample.Interpolation.LINEAR, 0f);
    }

    /** 4×4 rigid transform: T = shift · Rz · Ry · Rx. */
    static double[][] rigid(double[] shiftMm, double[] rotDeg) {
        double[][] rx = rot(0, Math.toRadians(rotDeg[0]));
        double[][] ry = rot(1, Math.toRadians(rotDeg[1]));
        double[][] rz = rot(2, Math.toRadians(rotDeg[2]));
        double[][] r = Affines.multiply(rz, Affines.multiply(ry, rx));
        for (int i = 0; i < 3; i++) {
            r[i][3] = shiftMm[i];
        }
        return r;
    }

    private static double[][] rot(int axis, double a) {
        double[][] m = Affines.identity();
        int i = (axis + 1) % 3;
        int j = (axis + 2) % 3;
        m[i][i] = Math.cos(a);
        m[i][j] = -Math.sin(a);
        m[j][i] = Math.sin(a);
        m[j][j] = Math.cos(a);
        return m;
    }

    /** A Poisson draw: Knuth's product method below 30, the normal approximation (rounded, ≥ 0) above. */
    static double poisson(double lambda, SplittableRandom rng) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda < 30) {
            double l = Math.exp(-lambda);
            int k = 0;
            double prod = rng.nextDouble();
            while (prod > l) {
                k++;
                prod *= rng.nextDouble();
            }
            return k;
        }
        return Math.max(0, Math.rint(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
    }
}
