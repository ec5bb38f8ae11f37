package org.dopaj.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Resample.Interpolation;
import org.dopaj.image.Volume;
import org.dopaj.progress.ProgressListener;

/**
 * Intensity-based registration of a 3D volume (moving) to a template (fixed): rigid, then affine, then optionally a
 * low-dimensional smooth non-linear refinement. The result maps fixed mm to moving mm, so
 * {@code moving(T·x) ≈ fixed(x)}; {@link Result#toFixed} and {@link Result#toMoving} resample through it.
 *
 * <p>How it works:
 * <ol>
 *   <li>Pyramid: for each level L (mm, coarse to fine, default 8 and 4) the fixed image is smoothed to FWHM L and
 *   sampled on a copy of the fixed grid with L mm voxels (the metric's sample points); the moving image is
 *   smoothed to FWHM L on its own grid, coarsened to L/2 mm voxels where that is coarser. The moving image is
 *   sampled at the fixed points (trilinear, with its gradient), never the other way round.</li>
 *   <li>Initialisation: the moving centre of mass is put on the fixed one (intensity-weighted on the coarsest
 *   level, negatives clipped and the volume's mean intensity subtracted, so a flat background does not pull it
 *   to the field of view's centre), unless an initial transform is given. All rotations and scales are about the
 *   fixed centre of mass, which decouples them from the translations.</li>
 *   <li>Multi-start on every other point of the coarsest level: the 27 combinations of −θ/0/+θ about each axis
 *   (θ = 20° by default) are scored, and the best five are refined rigidly for 15 iterations; the best one wins. Together with the
 *   centre of mass this recovers head turns of ±20° about any axis and shifts of ±40 mm.</li>
 *   <li>Rigid (6 parameters) then affine (12) refinement by L-BFGS with analytic gradients on each level.
 *   Parameters are scaled so that 1 mm, 1° and 1 % of scale or shear weigh alike (each moves a point ~1 mm at
 *   the brain's radius).</li>
 *   <li>Optional non-linear refinement on the coarsest level: a K×K×K cosine displacement field per axis
 *   ({@link DisplacementField}) with a membrane-energy penalty, the affine held fixed. The coarse level keeps it
 *   cheap and, on noisy images, gave smaller errors than the fine one (less noise to fit).</li>
 *   <li>Quality check ({@link Quality}): NCC, scales, overlap and convergence against the options' limits.</li>
 * </ol>
 *
 * <p>The reported similarity is always the NCC (whatever metric drove the optimisation) on the finest level's
 * sample points, i.e. both images smoothed to that level's FWHM, weighted by the fixed weight volume when there
 * is one, over the points that fall inside the moving image.
 */
public final class Registration {
    private static final int MULTI_START_KEEP = 5;
    private static final int MULTI_START_ITERATIONS = 15;
    private static final int MI_BINS = 32;

    private Registration() {
    }

    /** The similarity that drives the optimisation. */
    public enum Metric {
        /** Normalised cross-correlation: same modality (DaT-SPECT to a DaT-SPECT template, T1 to a T1 template). */
        NCC,
        /** Mattes mutual information (32 bins): different contrasts. */
        MUTUAL_INFORMATION
    }

    /** The most general linear model fitted; rigid always runs first. */
    public enum Model {
        RIGID, AFFINE
    }

    /**
     * Registration options; start from {@link #defaults()} and change what you need with the {@code with…}
     * methods.
     *
     * @param metric                   similarity optimised
     * @param model                    RIGID, or AFFINE (rigid first, then the 12-parameter affine)
     * @param levelsMm                 pyramid levels in mm, coarse to fine (e.g. 8, 4; add 2 for MRI)
     * @param maxIterations            L-BFGS iterations per stage and level
     * @param multiStart               try rotations of ±{@code multiStartDeg} about each axis on the coarsest level
     * @param multiStartDeg            the multi-start angle in degrees
     * @param fixedWeight              optional weight (or 0/1 mask) volume on the fixed grid, ≥ 0; null for none
     * @param initial                  optional starting fixed mm → moving mm transform; null: centres of mass
     * @param nonlinear                add the smooth non-linear refinement
     * @param nonlinearBases           cosine terms per axis of the displacement field (2…8; 3 gives 78 parameters)
     * @param nonlinearRegularisation  weight of the field's membrane energy (mean |∇u|²) against 1 − NCC
     * @param minNcc                   quality check: smallest acceptable final NCC
     * @param minOverlap               quality check: smallest fraction of the fixed image's content (Σ w·max(f, 0))
     *                                 that must fall inside the moving image
     * @param minScale                 quality check: smallest acceptable scale factor
     * @param maxScale                 quality check: largest acceptable scale factor
     */
    public record Options(Metric metric, Model model, double[] levelsMm, int maxIterations, boolean multiStart,
                          double multiStartDeg, Volume fixedWeight, AffineTransform initial, boolean nonlinear,
                          int nonlinearBases, double nonlinearRegularisation, double minNcc, double minOverlap,
                          double minScale, double maxScale) {
        public Options {
            if (metric == null || model == null) {
                throw new DopajException("registration metric and model must be given");
            }
            if (levelsMm == null || levelsMm.length == 0) {
                throw new DopajException("registration needs at least one pyramid level (mm)");
            }
            levelsMm = levelsMm.clone();
            for (int i = 0; i < levelsMm.length; i++) {
                if (!(levelsMm[i] >= 0.5 && levelsMm[i] <= 64)) {
                    throw new DopajException("registration levels must be 0.5…64 mm, got " + Arrays.toString(levelsMm));
                }
                if (i > 0 && !(levelsMm[i] < levelsMm[i - 1])) {
                    throw new DopajException("registration levels must go from coarse to fine, got "
                            + Arrays.toString(levelsMm));
                }
            }
            if (maxIterations < 1) {
                throw new DopajException("registration max_iterations must be ≥ 1, got " + maxIterations);
            }
            if (!(multiStartDeg >= 0 && multiStartDeg <= 90)) {
                throw new DopajException("registration multi-start angle must be 0…90°, got " + multiStartDeg);
            }
            if (nonlinearBases < 2 || nonlinearBases > 8) {
                throw new DopajException("non-linear bases per axis must be 2…8, got " + nonlinearBases);
            }
            if (!(nonlinearRegularisation >= 0) || !Double.isFinite(nonlinearRegularisation)) {
                throw new DopajException("non-linear regularisation must be ≥ 0, got " + nonlinearRegularisation);
            }
            if (!(minNcc >= -1 && minNcc <= 1)) {
                throw new DopajException("minimum NCC must be −1…1, got " + minNcc);
            }
            if (!(minOverlap >= 0 && minOverlap <= 1)) {
                throw new DopajException("minimum overlap must be 0…1, got " + minOverlap);
            }
            if (!(minScale > 0 && maxScale > minScale && Double.isFinite(maxScale))) {
                throw new DopajException("scale limits must satisfy 0 < min < max, got " + minScale + ", " + maxScale);
            }
        }

        /**
         * NCC, affine, levels 8 and 4 mm, 100 iterations, multi-start at ±20°, no weight, no initial transform,
         * no non-linear part (3 bases, regularisation 0.01 when switched on), quality limits NCC ≥ 0.5, overlap ≥
         * 0.5, scales 0.6…1.6.
         */
        public static Options defaults() {
            return new Options(Metric.NCC, Model.AFFINE, new double[]{8, 4}, 100, true, 20, null, null, false, 3, 0.01,
                    0.5, 0.5, 0.6, 1.6);
        }

        @Override
        public double[] levelsMm() {
            return levelsMm.clone();
        }

        public Options withMetric(Metric v) {
            return new Options(v, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withModel(Model v) {
            return new Options(metric, v, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withLevelsMm(double... v) {
            return new Options(metric, model, v, maxIterations, multiStart, multiStartDeg, fixedWeight, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withMaxIterations(int v) {
            return new Options(metric, model, levelsMm, v, multiStart, multiStartDeg, fixedWeight, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        /** Multi-start on or off, at ±deg about each axis. */
        public Options withMultiStart(boolean on, double deg) {
            return new Options(metric, model, levelsMm, maxIterations, on, deg, fixedWeight, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withFixedWeight(Volume v) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, v, initial,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withInitial(AffineTransform v) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight, v,
                    nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, minScale, maxScale);
        }

        /** The non-linear refinement on or off (bases and regularisation unchanged). */
        public Options withNonlinear(boolean on) {
            return withNonlinear(on, nonlinearBases, nonlinearRegularisation);
        }

        public Options withNonlinear(boolean on, int bases, double regularisation) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight,
                    initial, on, bases, regularisation, minNcc, minOverlap, minScale, maxScale);
        }

        public Options withMinNcc(double v) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight,
                    initial, nonlinear, nonlinearBases, nonlinearRegularisation, v, minOverlap, minScale, maxScale);
        }

        public Options withMinOverlap(double v) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight,
                    initial, nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, v, minScale, maxScale);
        }

        public Options withScaleRange(double min, double max) {
            return new Options(metric, model, levelsMm, maxIterations, multiStart, multiStartDeg, fixedWeight,
                    initial, nonlinear, nonlinearBases, nonlinearRegularisation, minNcc, minOverlap, min, max);
        }
    }

    /** The quality verdict: ok, or failed with a one-line reason. */
    public record Quality(boolean ok, String reason) {
        static final Quality OK = new Quality(true, "ok");

        static Quality failed(String reason) {
            return new Quality(false, reason);
        }
    }

    /**
     * A registration result.
     *
     * @param fixedToMoving the affine from fixed mm to moving mm: {@code moving(T·x) ≈ fixed(x)}
     * @param movingToFixed its inverse
     * @param field         the non-linear part (full map x ↦ T·(x + u(x))), or null when not fitted
     * @param ncc           final NCC in [−1, 1] (NaN when an image is constant over the overlap), see the class
     *                      comment for where it is measured
     * @param overlap       fraction of the fixed content (Σ w·max(f, 0)) that lies inside the moving image
     * @param iterations    optimiser iterations over all stages and levels
     * @param converged     the last stage stopped on its tolerance, not on the iteration limit
     * @param elapsedMs     wall time of {@link #register}
     * @param quality       the verdict
     * @param fixedGrid     the fixed image's grid
     * @param movingGrid    the moving image's grid
     */
    public record Result(AffineTransform fixedToMoving, AffineTransform movingToFixed, DisplacementField field,
                         double ncc, double overlap, int iterations, boolean converged, long elapsedMs,
                         Quality quality, Grid fixedGrid, Grid movingGrid) {

        public boolean hasField() {
            return field != null;
        }

        /** Rotation, scale and shear of the fixed → moving affine (about the mm origin). */
        public AffineTransform.Parameters parameters() {
            return fixedToMoving.decompose();
        }

        /** An image in moving space (any grid there, e.g. the moving image itself) resampled on the fixed grid. */
        public Volume toFixed(Volume inMovingSpace, Interpolation interpolation) {
            return toFixed(inMovingSpace, interpolation, 0f);
        }

        /** As {@link #toFixed(Volume, Interpolation)}, with {@code fill} outside the source. */
        public Volume toFixed(Volume inMovingSpace, Interpolation interpolation, float fill) {
            requireInterpolation(interpolation);
            return Warp.toFixed(inMovingSpace, fixedGrid, fixedToMoving, field, interpolation, fill);
        }

        /** A map in fixed space (e.g. on the template grid) brought back onto the moving image's grid. */
        public Volume toMoving(Volume onFixed, Interpolation interpolation) {
            return toMoving(onFixed, movingGrid, interpolation, 0f);
        }

        /** As {@link #toMoving(Volume, Interpolation)}, onto any grid in moving space, with {@code fill} outside. */
        public Volume toMoving(Volume onFixed, Grid target, Interpolation interpolation, float fill) {
            requireInterpolation(interpolation);
            return Warp.toMoving(onFixed, target, fixedToMoving, field, interpolation, fill);
        }

        /** Throws a one-line {@link DopajException} unless the quality check passed. */
        public Result requireOk() {
            return requireOk("the template", null);
        }

        /**
         * Throws unless the quality check passed, e.g. "registration to the DaT-SPECT template failed its quality
         * check: NCC 0.41 < 0.70 (is this a brain DaT-SPECT image?)".
         *
         * @param fixedName what the fixed image is, for the message
         * @param hint      what the user should check, or null
         */
        public Result requireOk(String fixedName, String hint) {
            if (!quality.ok()) {
                throw new DopajException("registration to " + fixedName + " failed its quality check: "
                        + quality.reason() + (hint == null || hint.isBlank() ? "" : " (" + hint + ")"));
            }
            return this;
        }

        private static void requireInterpolation(Interpolation i) {
            if (i == null) {
                throw new DopajException("interpolation must be NEAREST or LINEAR");
            }
        }
    }

    /** The exception a cancelled registration ends with. */
    static DopajException cancelledException() {
        return new DopajException("registration cancelled");
    }

    /** {@link #register(Volume, Volume, Options, ProgressListener)} without progress. */
    public static Result register(Volume moving, Volume fixed, Options options) {
        return register(moving, fixed, options, ProgressListener.NONE);
    }

    /**
     * Registers {@code moving} to {@code fixed}.
     *
     * @throws DopajException for a 4D or non-finite input, a weight volume on another grid, or when cancelled; a
     *                        registration that runs but fits badly is reported through {@link Result#quality()}
     */
    public static Result register(Volume moving, Volume fixed, Options options, ProgressListener listener) {
        long t0 = System.nanoTime();
        ProgressListener pl = listener == null ? ProgressListener.NONE : listener;
        check(moving, "moving image");
        check(fixed, "fixed image");
        if (options.fixedWeight() != null) {
            Volume w = options.fixedWeight();
            if (!w.grid().sameAs(fixed.grid(), 1e-3) || w.is4D()) {
                throw new DopajException("the registration weight volume must be 3D on the fixed image's grid ("
                        + fixed.grid() + "), got " + w.grid());
            }
            w.requireFinite("registration weight volume");
        }
        Run run = new Run(moving, fixed, options, pl);
        Result r = run.execute();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Result(r.fixedToMoving(), r.movingToFixed(), r.field(), r.ncc(), r.overlap(), r.iterations(),
                r.converged(), ms, r.quality(), r.fixedGrid(), r.movingGrid());
    }

    private static void check(Volume v, String what) {
        if (v == null) {
            throw new DopajException("registration needs a " + what);
        }
        if (v.is4D()) {
            throw new DopajException("registration needs a 3D " + what + ", got " + v.nt() + " frames");
        }
        Grid g = v.grid();
        if (g.nx() < 4 || g.ny() < 4 || g.nz() < 4) {
            throw new DopajException("the " + what + " is too small to register (" + g + ")");
        }
        v.requireFinite(what);
    }

    /** One registration: the pyramid, the current parameters and the stages. */
    private static final class Run {
        private final Volume moving;
        private final Volume fixed;
        private final Options o;
        private final ProgressListener pl;
        private final Level[] levels; // coarse → fine
        private Level startLevel; // every other point of the coarsest level: for the multi-start
        private Volume[] movingLevels; // the moving image of each level, on its level grid
        private double[] cf; // fixed centre of mass (mm): the centre of rotations and scales
        private double[] cm; // moving point it maps to before any parameter moves it
        private int iterations;
        private final double[] gradT = new double[12];
        private double progressDone;
        private double progressTotal;

        Run(Volume moving, Volume fixed, Options o, ProgressListener pl) {
            this.moving = moving;
            this.fixed = fixed;
            this.o = o;
            this.pl = pl;
            pl.progress(0, "registration: preparing the image pyramids");
            this.levels = pyramid();
            if (o.metric() == Metric.MUTUAL_INFORMATION) {
                // the moving bins span the finest smoothed image: isolated hot voxels do not squeeze the histogram
                float[] range = range(movingLevels[levels.length - 1]);
                for (Level l : levels) {
                    l.mi = new SimilarityMetrics.MattesMi(l, range[0], range[1], MI_BINS);
                }
                startLevel.mi = new SimilarityMetrics.MattesMi(startLevel, range[0], range[1], MI_BINS);
            }
        }

        Result execute() {
            Level coarse = levels[0];
            double[] u = new double[12];
            cf = centreOfMass(coarse.f, coarse.w, coarse.grid);
            if (cf == null) {
                cf = centre(fixed.grid());
            }
            if (o.initial() != null) {
                AffineTransform.Parameters p = o.initial().decompose(cf);
                cm = o.initial().apply(cf);
                double[] r = p.rotationDeg();
                double[] s = p.scale();
                double[] h = p.shear();
                for (int i = 0; i < 3; i++) {
                    if (!(s[i] > 0)) {
                        throw new DopajException("the initial transform mirrors the image: registration cannot "
                                + "start from it");
                    }
                    u[3 + i] = r[i];
                    u[6 + i] = 100 * Math.log(s[i]);
                    u[9 + i] = 100 * h[i];
                }
            } else {
                Volume coarseMoving = movingLevelImage(coarse);
                cm = centreOfMass(coarseMoving.toArray(), null, coarseMoving.grid());
                if (cm == null) {
                    cm = centre(moving.grid());
                }
            }
            boolean affine = o.model() == Model.AFFINE;
            // progress units: 1 per multi-start, coarse rigid, affine stage and non-linear stage, ½ per fine rigid stage
            progressTotal = (o.multiStart() ? 1 : 0) + (affine ? 1 + levels.length : 0.5 + 0.5 * levels.length)
                    + (o.nonlinear() ? 1 : 0);
            if (o.multiStart() && o.multiStartDeg() > 0) {
                report("multi-start, " + mm(startLevel));
                u = multiStart(u, startLevel);
                progressDone += 1;
            }
            boolean converged = false;
            for (int l = 0; l < levels.length; l++) {
                if (l == 0 || !affine) {
                    report("rigid, " + mm(levels[l]));
                    Lbfgs.Outcome r = optimiseLinear(u, 6, levels[l], o.maxIterations());
                    u = r.x();
                    converged = r.converged();
                    progressDone += l == 0 ? 1 : 0.5;
                }
                if (affine) {
                    report("affine, " + mm(levels[l]));
                    Lbfgs.Outcome r = optimiseLinear(u, 12, levels[l], o.maxIterations());
                    u = r.x();
                    converged = r.converged();
                    progressDone += 1;
                }
            }
            double[][] t = matrix(u);
            Level fine = levels[levels.length - 1];
            double[] coef = null;
            int k = o.nonlinearBases();
            if (o.nonlinear()) {
                report("non-linear, " + mm(coarse));
                Lbfgs.Outcome r = optimiseField(t, coarse);
                coef = r.x();
                converged = converged && r.converged();
                progressDone += 1;
            }
            int inside = fine.sample(t, coef, k);
            double ncc = inside > 0 ? SimilarityMetrics.ncc(fine, false) : Double.NaN;
            double overlap = fine.content > 0 ? fine.contentInside / fine.content : 0;
            AffineTransform tr = AffineTransform.of(t);
            DisplacementField field = coef == null ? null : new DisplacementField(fixed.grid(), k, coef);
            Quality q = quality(tr, ncc, overlap, converged);
            if (q.ok() && field != null && field.gradientBound() >= 1) {
                q = Quality.failed(String.format(Locale.ROOT, "the non-linear warp may fold (|∇u| up to %.2f)",
                        field.gradientBound()));
            }
            pl.progress(1, "registration done: " + (q.ok() ? "ok" : q.reason()));
            return new Result(tr, tr.inverse(), field, ncc, overlap, iterations, converged, 0, q, fixed.grid(),
                    moving.grid());
        }

        private Quality quality(AffineTransform t, double ncc, double overlap, boolean converged) {
            if (Double.isNaN(ncc)) {
                return Quality.failed(overlap > 0 ? "the image is constant where it overlaps the fixed image"
                        : "the image does not overlap the fixed image");
            }
            if (overlap < o.minOverlap()) {
                return Quality.failed(String.format(Locale.ROOT, "only %.0f %% of the fixed image lies inside the "
                        + "image (< %.0f %%)", 100 * overlap, 100 * o.minOverlap()));
            }
            if (ncc < o.minNcc()) {
                return Quality.failed(String.format(Locale.ROOT, "NCC %.2f < %.2f", ncc, o.minNcc()));
            }
            double[] s = t.decompose().scale();
            for (double v : s) {
                if (!(v >= o.minScale() && v <= o.maxScale())) {
                    return Quality.failed(String.format(Locale.ROOT, "scale %.2f, %.2f, %.2f outside %.2f…%.2f",
                            s[0], s[1], s[2], o.minScale(), o.maxScale()));
                }
            }
            if (!converged) {
                return Quality.failed("the optimiser did not converge in " + o.maxIterations() + " iterations");
            }
            return Quality.OK;
        }

        private void report(String stage) {
            if (pl.cancelled()) {
                throw cancelledException();
            }
            pl.progress(Math.min(0.99, 0.05 + 0.95 * progressDone / progressTotal), "registration: " + stage);
        }

        private static String mm(Level l) {
            return String.format(Locale.ROOT, "%.3g mm", l.mm);
        }

        /**
         * Scores the 27 rotation offsets about each axis, refines the best few rigidly for a few iterations and
         * keeps the best.
         */
        private double[] multiStart(double[] u0, Level level) {
            double a = o.multiStartDeg();
            List<double[]> starts = new ArrayList<>();
            for (double rx : new double[]{0, -a, a}) {
                for (double ry : new double[]{0, -a, a}) {
                    for (double rz : new double[]{0, -a, a}) {
                        double[] u = u0.clone();
                        u[3] += rx;
                        u[4] += ry;
                        u[5] += rz;
                        starts.add(u);
                    }
                }
            }
            double[] score = new double[starts.size()];
            for (int i = 0; i < starts.size(); i++) {
                score[i] = objective(starts.get(i), level, false);
            }
            Integer[] order = new Integer[starts.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // NaN (no overlap) sorts last; ties keep the unrotated start first
            Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(score[i]) ? Double.MAX_VALUE : score[i]));
            double[] best = u0;
            double bestF = Double.POSITIVE_INFINITY;
            for (int j = 0; j < Math.min(MULTI_START_KEEP, order.length); j++) {
                Lbfgs.Outcome r = optimiseLinear(starts.get(order[j]), 6, level, MULTI_START_ITERATIONS);
                if (r.f() < bestF) {
                    bestF = r.f();
                    best = r.x();
                }
            }
            return best;
        }

        /** Optimises the first {@code active} of the 12 parameters (6: rigid) on a level. */
        private Lbfgs.Outcome optimiseLinear(double[] u0, int active, Level level, int maxIter) {
            double[] full = u0.clone();
            double[][] dT = new double[active][12];
            Lbfgs.Function fn = (x, grad) -> {
                System.arraycopy(x, 0, full, 0, active);
                double f = objective(full, level, true);
                if (Double.isNaN(f)) {
                    Arrays.fill(grad, 0);
                    return Double.NaN;
                }
                parameterJacobian(full, active, dT);
                for (int k = 0; k < active; k++) {
                    double s = 0;
                    for (int e = 0; e < 12; e++) {
                        s += gradT[e] * dT[k][e];
                    }
                    grad[k] = s;
                }
                return f;
            };
            double l = level.mm;
            Lbfgs.Settings s = new Lbfgs.Settings(maxIter, Math.max(1, l / 4), Math.max(2, l), 0.005 * l, 1e-7);
            Lbfgs.Outcome r = Lbfgs.minimise(fn, Arrays.copyOf(u0, active), s, pl);
            iterations += r.iterations();
            double[] out = u0.clone();
            System.arraycopy(r.x(), 0, out, 0, active);
            return new Lbfgs.Outcome(out, r.f(), r.iterations(), r.evaluations(), r.converged());
        }

        /** F = 1 − NCC or −MI at parameters u on a level; fills gradT (d F / d T entries) when asked. */
        private double objective(double[] u, Level lv, boolean gradient) {
            double[][] t = matrix(u);
            if (lv.sample(t, null, 0) == 0) {
                return Double.NaN;
            }
            double f = metric(lv, gradient);
            if (gradient && !Double.isNaN(f)) {
                lv.affineGradient(gradT);
            }
            return f;
        }

        private double metric(Level lv, boolean gradient) {
            if (o.metric() == Metric.NCC) {
                double r = SimilarityMetrics.ncc(lv, gradient);
                return Double.isNaN(r) ? Double.NaN : 1 - r;
            }
            double v = lv.mi.value(lv, gradient);
            return Double.isNaN(v) ? Double.NaN : -v;
        }

        /** The non-linear stage: the field's coefficients with the affine t held fixed. */
        private Lbfgs.Outcome optimiseField(double[][] t, Level lv) {
            int k = o.nonlinearBases();
            int n = 3 * k * k * k;
            double lambda = o.nonlinearRegularisation();
            double[] energyWeights = DisplacementField.energyWeights(fixed.grid(), k);
            Lbfgs.Function fn = (c, grad) -> {
                if (lv.sample(t, c, k) == 0) {
                    Arrays.fill(grad, 0);
                    return Double.NaN;
                }
                double f = metric(lv, true);
                if (Double.isNaN(f)) {
                    Arrays.fill(grad, 0);
                    return Double.NaN;
                }
                lv.fieldGradient(t, k, grad);
                f += DisplacementField.energy(energyWeights, c, lambda, grad);
                // the constant terms are translations, which belong to the affine
                grad[0] = 0;
                grad[k * k * k] = 0;
                grad[2 * k * k * k] = 0;
                return f;
            };
            Lbfgs.Settings s = new Lbfgs.Settings(o.maxIterations(), 1, 4, 0.01, 1e-7);
            Lbfgs.Outcome r = Lbfgs.minimise(fn, new double[n], s, pl);
            iterations += r.iterations();
            return r;
        }

        /** d T[r][c] / d u_k by central differences of the (smooth, cheap) parameter → matrix map. */
        private void parameterJacobian(double[] u, int active, double[][] out) {
            double h = 1e-4;
            double[] v = u.clone();
            for (int k = 0; k < active; k++) {
                v[k] = u[k] + h;
                double[][] a = matrix(v);
                v[k] = u[k] - h;
                double[][] b = matrix(v);
                v[k] = u[k];
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 4; c++) {
                        out[k][r * 4 + c] = (a[r][c] - b[r][c]) / (2 * h);
                    }
                }
            }
        }

        /**
         * Scaled parameters → fixed mm → moving mm: u0–2 translation (mm), u3–5 rotation (°), u6–8 100·ln(scale),
         * u9–11 100·shear; x ↦ cm + t + R·Z·S·(x − cf).
         */
        private double[][] matrix(double[] u) {
            double[][] lin = AffineTransform.linear(u[3], u[4], u[5], Math.exp(u[6] / 100), Math.exp(u[7] / 100),
                    Math.exp(u[8] / 100), u[9] / 100, u[10] / 100, u[11] / 100);
            double[] t = {cm[0] - cf[0] + u[0], cm[1] - cf[1] + u[1], cm[2] - cf[2] + u[2]};
            return AffineTransform.withCentre(lin, t, cf);
        }

        // ---- pyramid ----

        private Volume movingLevelImage(Level l) {
            for (int i = 0; i < levels.length; i++) {
                if (levels[i] == l) {
                    return movingLevels[i];
                }
            }
            throw new IllegalStateException();
        }

        /**
         * Builds the levels fine → coarse, each from the previous one: coarsened to L/2 mm voxels where that is
         * coarser, then smoothed by √(L² − L_prev²) so that the total FWHM is L. An image is only coarsened once it
         * is smooth at its new voxel size (the previous level's images are; an original is smoothed first), so
         * coarsening does not alias.
         */
        private Level[] pyramid() {
            double[] lv = o.levelsMm();
            int n = lv.length;
            Level[] out = new Level[n];
            movingLevels = new Volume[n];
            Volume fPrev = fixed;
            Volume mPrev = moving;
            Volume weight = o.fixedWeight();
            double prev = 0;
            for (int i = n - 1; i >= 0; i--) {
                double l = lv[i];
                fPrev = smoothTo(fPrev, prev, l);
                mPrev = smoothTo(mPrev, prev, l);
                Grid sampleGrid = Resample.gridWithVoxelSize(fixed.grid(), l, l, l);
                Volume fl = Resample.toGrid(fPrev, sampleGrid, Interpolation.LINEAR, 0f);
                float[] w = weight == null ? null : positive(Resample.toGrid(weight, sampleGrid,
                        Interpolation.LINEAR, 0f));
                out[i] = new Level(l, fl, w, mPrev, fixed.grid());
                movingLevels[i] = mPrev;
                prev = l;
                if (i == 0) {
                    // the multi-start only ranks coarse poses: every other point of the coarsest level will do
                    Grid g2 = Resample.gridWithVoxelSize(fixed.grid(), 2 * l, 2 * l, 2 * l);
                    float[] w2 = weight == null ? null : positive(Resample.toGrid(weight, g2, Interpolation.LINEAR,
                            0f));
                    startLevel = new Level(2 * l, Resample.toGrid(fPrev, g2, Interpolation.LINEAR, 0f), w2, mPrev,
                            fixed.grid());
                }
            }
            return out;
        }

        /** v, already smoothed to FWHM {@code have} mm (0: an original), smoothed to FWHM l on voxels ≤ l/2. */
        private static Volume smoothTo(Volume v, double have, double l) {
            double target = l / 2;
            if (coarser(v.grid(), target)) {
                if (have < target) {
                    // smooth at the original resolution first
                    v = Gaussian.smooth(v, Math.sqrt(target * target - have * have));
                    have = target;
                }
                v = coarsen(v, target);
            }
            return Gaussian.smooth(v, Math.sqrt(Math.max(0, l * l - have * have)));
        }

        private static boolean coarser(Grid g, double voxMm) {
            for (double v : g.voxelMm()) {
                if (voxMm >= 1.25 * v) {
                    return true;
                }
            }
            return false;
        }

        /** v on voxels of about {@code voxMm} (same orientation and centre) when that is ≥ 1.25× coarser. */
        private static Volume coarsen(Volume v, double voxMm) {
            double[] vox = v.grid().voxelMm();
            double[] target = new double[3];
            boolean any = false;
            for (int a = 0; a < 3; a++) {
                target[a] = voxMm >= 1.25 * vox[a] ? voxMm : vox[a];
                any |= target[a] != vox[a];
            }
            return any ? Resample.toVoxelSize(v, target[0], target[1], target[2], Interpolation.LINEAR, 0f) : v;
        }

        /**
         * Intensity-weighted centre of mass in mm with weights max(0, v − mean(max(v, 0)))·w, or null when all
         * weights are 0. Subtracting the mean removes a flat background that would pull the centre towards the
         * middle of the field of view.
         */
        private static double[] centreOfMass(float[] v, float[] w, Grid g) {
            double mean = 0;
            double sw = 0;
            for (int i = 0; i < v.length; i++) {
                double wi = w == null ? 1 : w[i];
                mean += wi * Math.max(0, v[i]);
                sw += wi;
            }
            if (!(sw > 0)) {
                return null;
            }
            mean /= sw;
            double s = 0;
            double sx = 0;
            double sy = 0;
            double sz = 0;
            int nx = g.nx();
            int ny = g.ny();
            for (int i = 0; i < v.length; i++) {
                double a = Math.max(0, v[i] - mean) * (w == null ? 1 : w[i]);
                if (a > 0) {
                    int x = i % nx;
                    int y = (i / nx) % ny;
                    int z = i / (nx * ny);
                    s += a;
                    sx += a * x;
                    sy += a * y;
                    sz += a * z;
                }
            }
            return s > 0 ? g.toMm(sx / s, sy / s, sz / s) : null;
        }

        private static float[] positive(Volume v) {
            float[] a = v.toArray();
            for (int j = 0; j < a.length; j++) {
                a[j] = Math.max(0, a[j]);
            }
            return a;
        }

        private static double[] centre(Grid g) {
            return g.toMm((g.nx() - 1) / 2.0, (g.ny() - 1) / 2.0, (g.nz() - 1) / 2.0);
        }

        private static float[] range(Volume v) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float[] p : v.planes()) {
                for (float a : p) {
                    lo = Math.min(lo, a);
                    hi = Math.max(hi, a);
                }
            }
            return new float[]{lo, hi};
        }
    }
}
