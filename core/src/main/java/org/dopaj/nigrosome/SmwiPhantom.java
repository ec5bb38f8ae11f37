package org.dopaj.nigrosome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Deterministic synthetic midbrain patches that look like axial 3 T susceptibility map-weighted imaging (SMWI)
 * at the level of nigrosome-1, with a known nigrosome centroid on each side and a known "striatal SBR" that
 * controls how visible each nigrosome is. They exercise centroid handling, cropping and the SBR regressor's
 * plumbing; they are not anatomy and not patient data — research software, not for diagnosis.
 *
 * <p>Anatomy (axial cross-section extruded through-plane, sizes before the random scale): a midbrain of two
 * ellipses (tegmentum 27×20 mm, cerebral peduncles anterolaterally) in a rim of CSF (ambient cistern) inside
 * brain tissue; the interpeduncular fossa and the aqueduct as CSF; on each side a hypointense substantia nigra (SN):
 * an oblique curved band (arc of radius 9.6 mm about a posteromedial centre, 3.2 mm thick, 10 mm high) running from
 * anteromedial to posterolateral; in its posterolateral third the hyperintense nigrosome-1 oval (semi-axes 0.9 mm
 * across the band, 1.8 mm along it, 2.5 mm through-plane: the "swallow tail"); a hypointense round red nucleus
 * (radius 2.5 mm, 8 mm high) medial and slightly anterior to the nigrosome.
 *
 * <p>SBR mapping: each side's nigrosome intensity is SN + k·(N1<sub>healthy</sub> − SN) with
 * k = clamp((SBR − {@link #SBR_MIN})/({@link #SBR_MAX} − {@link #SBR_MIN}), 0, 1): an SBR of 4 or more shows a bright
 * oval, an SBR of 1 or less none (the oval takes the SN's darkness). The regression target ("striatal SBR") is the
 * mean of the left and right SBR.
 *
 * <p>Variability, drawn from the seed in a fixed order that does not depend on the SBRs (so the same seed with
 * other SBRs changes only the nigrosome contrast): gain 600–1400 (tissue level); relative levels of surrounding
 * tissue 0.90–1.05, peduncles 0.85–0.95, SN and red nucleus 0.35–0.55 each, CSF 1.3–1.7, healthy nigrosome
 * 0.95–1.10; midbrain centre shift ±2 mm per axis, rotation about the S axis ±8°, scale 0.9–1.1, cistern rim
 * 1.0–2.5 mm; per side nigrosome position at 10–16° on the SN arc (angles about the arc centre from the lateral
 * direction toward anterior; the arc runs from −3° posterolaterally to 68° anteromedially), size ×0.8–1.2,
 * height −1.5…−0.5 mm; Gaussian blur FWHM 0.6–1.2 mm; linear bias field of amplitude 0–15% (at 30 mm from the
 * centre) in a random direction; Rician noise σ 2–5% of the gain.
 *
 * <p>Geometry is defined in scanner mm (RAS+: +x patient right), so any grid works (oblique, LAS, anisotropic);
 * voxels are point-sampled with a 0.5 mm partial-volume ramp at edges, then blurred. Limits: no slice-profile model
 * for thick slices, no vessels, no iron gradient within the SN, no susceptibility blooming, and the nigrosome is a
 * single ellipsoid.
 */
public final class SmwiPhantom {
    /** SBR at or below which the nigrosome shows no hyperintensity. */
    public static final double SBR_MIN = 1.0;
    /** SBR at or above which the nigrosome is fully bright. */
    public static final double SBR_MAX = 4.0;

    /** Label values of {@link Result#labels()}. */
    public static final int SURROUNDING = 0;
    public static final int CSF = 1;
    public static final int MIDBRAIN = 2;
    public static final int PEDUNCLE = 3;
    public static final int SUBSTANTIA_NIGRA = 4;
    public static final int NIGROSOME = 5;
    public static final int RED_NUCLEUS = 6;

    // nominal anatomy in the midbrain frame (mm; l = lateral distance on one side, b = anterior, c = superior)
    static final double SN_CENTRE_L = 1.5;
    static final double SN_CENTRE_B = -1.0;
    static final double SN_RADIUS = 9.6;
    static final double SN_HALF_WIDTH = 1.6;
    static final double SN_HALF_HEIGHT = 5.0;
    private static final double SN_FROM_DEG = -3;
    private static final double SN_TO_DEG = 68;
    static final double EDGE_MM = 0.5;

    private SmwiPhantom() {
    }

    /**
     * A generated patch and its ground truth.
     *
     * @param smwi       the SMWI-like image
     * @param labels     anatomy labels ({@link #SUBSTANTIA_NIGRA}, {@link #NIGROSOME}, …) on the same grid; the
     *                   nigrosome is labelled whatever its contrast
     * @param nigrosomes the true nigrosome-1 centroids (voxel and mm)
     * @param sbrLeft    SBR that set the left nigrosome's contrast
     * @param sbrRight   SBR that set the right nigrosome's contrast
     * @param seed       the seed
     * @param parameters every drawn parameter (for the sidecar)
     */
    public record Result(Volume smwi, Volume labels, Centroids nigrosomes, double sbrLeft, double sbrRight, long seed,
                         Map<String, Object> parameters) {
        /** The regression target: mean of left and right SBR. */
        public double targetSbr() {
            return (sbrLeft + sbrRight) / 2;
        }

        /** Ground truth for a JSON sidecar. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("synthetic", true);
            m.put("note", "synthetic SMWI-like phantom for software testing; not anatomy, not for diagnosis");
            m.put("generator", parameters.getOrDefault("generator", "org.dopaj.nigrosome.SmwiPhantom"));
            m.put("seed", seed);
            Grid g = smwi.grid();
            m.put("dims", List.of(g.nx(), g.ny(), g.nz()));
            double[] v = g.voxelMm();
            m.put("voxel_mm", List.of(v[0], v[1], v[2]));
            m.put("orientation", g.orientation());
            m.put("target_sbr", targetSbr());
            m.put("target_definition", "mean of left and right SBR");
            m.put("sbr_left", sbrLeft);
            m.put("sbr_right", sbrRight);
            m.put("nigrosome_contrast_left", nigrosomeContrast(sbrLeft));
            m.put("nigrosome_contrast_right", nigrosomeContrast(sbrRight));
            m.put("contrast_mapping", String.format(Locale.ROOT, "k = clamp((SBR - %.1f) / (%.1f - %.1f), 0, 1)",
                    SBR_MIN, SBR_MAX, SBR_MIN));
            m.put("centroids", nigrosomes.toMap());
            m.put("parameters", parameters);
            return m;
        }
    }

    /** The default patch grid: 120×100×40 voxels of 0.5×0.5×1 mm, RAS, scanner (0,0,0) at the centre. */
    public static Grid defaultGrid() {
        double[][] a = {{0.5, 0, 0, -29.75}, {0, 0.5, 0, -24.75}, {0, 0, 1, -19.5}, {0, 0, 0, 1}};
        return new Grid(120, 100, 40, new double[]{0.5, 0.5, 1}, a);
    }

    /** The nigrosome contrast k in [0, 1] that an SBR gives (see the class comment). */
    public static double nigrosomeContrast(double sbr) {
        return Math.min(1, Math.max(0, (sbr - SBR_MIN) / (SBR_MAX - SBR_MIN)));
    }

    /** A patch on {@link #defaultGrid()}. */
    public static Result generate(double sbrLeft, double sbrRight, long seed) {
        return generate(defaultGrid(), sbrLeft, sbrRight, seed);
    }

    /**
     * A case with SBRs drawn from the seed too: target SBR uniform in 0.8–4.2, left-right asymmetry
     * |L − R| / mean uniform in 0–0.3 with a random side, on {@link #defaultGrid()}. The anatomy is the one
     * {@link #generate} gives for the same seed.
     */
    public static Result random(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double target = 0.8 + 3.4 * r.nextDouble();
        double ai = 0.3 * r.nextDouble() * (r.nextBoolean() ? 1 : -1);
        return generate(target * (1 + ai / 2), target * (1 - ai / 2), seed);
    }

    /** A patch on any grid (the midbrain is centred on the grid's centre, ± the random shift). */
    public static Result generate(Grid grid, double sbrLeft, double sbrRight, long seed) {
        for (double s : new double[]{sbrLeft, sbrRight}) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new DopajException("sbr must be a positive number, got " + sbrLeft + " (left), " + sbrRight
                        + " (right)");
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Object> par = new LinkedHashMap<>();
        double gain = put(par, "gain", uniform(r, 600, 1400));
        double surround = gain * put(par, "level_surrounding", uniform(r, 0.90, 1.05));
        double tissue = gain;
        double peduncle = gain * put(par, "level_peduncle", uniform(r, 0.85, 0.95));
        double sn = gain * put(par, "level_substantia_nigra", uniform(r, 0.35, 0.55));
        double rn = gain * put(par, "level_red_nucleus", uniform(r, 0.35, 0.55));
        double csf = gain * put(par, "level_csf", uniform(r, 1.3, 1.7));
        double n1 = gain * put(par, "level_nigrosome_healthy", uniform(r, 0.95, 1.10));
        double[] shift = {uniform(r, -2, 2), uniform(r, -2, 2), uniform(r, -2, 2)};
        par.put("centre_shift_mm", List.of(shift[0], shift[1], shift[2]));
        double rot = Math.toRadians(put(par, "rotation_deg", uniform(r, -8, 8)));
        double scale = put(par, "scale", uniform(r, 0.9, 1.1));
        double cistern = put(par, "cistern_mm", uniform(r, 1.0, 2.5));
        double[][] side = new double[2][];
        for (Side s : Side.values()) {
            double ang = uniform(r, 10, 16);
            double size = uniform(r, 0.8, 1.2);
            double height = uniform(r, -1.5, -0.5);
            side[s.ordinal()] = new double[]{Math.toRadians(ang), size, height};
            par.put("nigrosome_" + s.label(), org.dopaj.io.Ordered.map("arc_deg", ang, "size_scale", size, "height_mm", height));
        }
        double fwhm = put(par, "blur_fwhm_mm", uniform(r, 0.6, 1.2));
        double noise = gain * put(par, "noise_sigma_fraction", uniform(r, 0.02, 0.05));
        double bias = put(par, "bias_amplitude", uniform(r, 0, 0.15));
        double[] dir = unitVector(r);
        par.put("bias_direction", List.of(dir[0], dir[1], dir[2]));
        par.put("noise", "rician");

        int[] n = grid.dims();
        double[] centre = grid.toMm((n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0);
        for (int a = 0; a < 3; a++) {
            centre[a] += shift[a];
        }
        par.put("midbrain_centre_mm", List.of(centre[0], centre[1], centre[2]));
        double cos = Math.cos(rot);
        double sin = Math.sin(rot);
        double[] k = {nigrosomeContrast(sbrLeft), nigrosomeContrast(sbrRight)};
        double[] n1Level = {sn + k[0] * (n1 - sn), sn + k[1] * (n1 - sn)};

        Volume img = Volume.allocate(grid);
        Volume lab = Volume.allocate(grid);
        for (int z = 0; z < n[2]; z++) {
            float[] p = img.plane(z);
            float[] q = lab.plane(z);
            for (int y = 0; y < n[1]; y++) {
                for (int x = 0; x < n[0]; x++) {
                    double[] mm = grid.toMm(x, y, z);
                    double dx = mm[0] - centre[0];
                    double dy = mm[1] - centre[1];
                    // into the midbrain frame: undo rotation about S, then scale
                    double a = (cos * dx + sin * dy) / scale;
                    double b = (-sin * dx + cos * dy) / scale;
                    double c = (mm[2] - centre[2]) / scale;
                    double[] vl = {surround, SURROUNDING};
                    double dOutline = outline(a, b);
                    paint(vl, dOutline - cistern / scale, csf, CSF);
                    paint(vl, dOutline, tissue, MIDBRAIN);
                    Side s = a < 0 ? Side.LEFT : Side.RIGHT;
                    double l = Math.abs(a);
                    paint(vl, peduncle(l, b), peduncle, PEDUNCLE);
                    paint(vl, Math.max(substantiaNigra(l, b), Math.abs(c) - SN_HALF_HEIGHT), sn, SUBSTANTIA_NIGRA);
                    double[] sd = side[s.ordinal()];
                    paint(vl, nigrosome(l, b, c, sd), n1Level[s.ordinal()], NIGROSOME);
                    paint(vl, ellipsoid(l - 4.0, b - 2.5, c - 1.0, 2.5, 2.5, 4.0), rn, RED_NUCLEUS);
                    paint(vl, ellipse(a, b - 8.5, 3.5, 5.0), csf, CSF);
                    paint(vl, ellipse(a, b + 8.0, 1.0, 1.0), csf, CSF);
                    double biasField = 1 + bias * (dir[0] * dx + dir[1] * dy + dir[2] * (mm[2] - centre[2])) / 30.0;
                    p[x + y * n[0]] = (float) (vl[0] * biasField);
                    q[x + y * n[0]] = (float) vl[1];
                }
            }
        }
        Volume out = Gaussian.smooth(img, fwhm);
        // Rician noise: magnitude of the signal plus complex Gaussian noise
        for (int z = 0; z < n[2]; z++) {
            float[] p = out.plane(z);
            for (int i = 0; i < p.length; i++) {
                double re = p[i] + noise * gaussian(r);
                double im = noise * gaussian(r);
                p[i] = (float) Math.sqrt(re * re + im * im);
            }
        }
        Centroid[] truth = new Centroid[2];
        for (Side s : Side.values()) {
            double sign = s == Side.LEFT ? -1 : 1;
            double ang = side[s.ordinal()][0];
            double a = sign * (SN_CENTRE_L + SN_RADIUS * Math.cos(ang)) * scale;
            double b = (SN_CENTRE_B + SN_RADIUS * Math.sin(ang)) * scale;
            double c = side[s.ordinal()][2] * scale;
            double[] mm = {centre[0] + cos * a - sin * b, centre[1] + sin * a + cos * b, centre[2] + c};
            Point3 v = Point3.of(grid.toVoxel(mm[0], mm[1], mm[2]));
            if (!grid.contains(v.x(), v.y(), v.z())) {
                throw new DopajException("phantom grid " + grid + " is too small: the " + s.label()
                        + " nigrosome falls outside it (use at least ±20 mm left-right and ±5 mm elsewhere around the"
                        + " grid centre)");
            }
            truth[s.ordinal()] = new Centroid(s, v, Point3.of(mm));
        }
        return new Result(out, lab, new Centroids(truth[0], truth[1]), sbrLeft, sbrRight, seed, par);
    }

    /** Blends level into vl = {value, label} with the partial-volume weight of signed distance d (mm). */
    static void paint(double[] vl, double d, double level, int label) {
        double m = Math.min(1, Math.max(0, 0.5 - d / EDGE_MM));
        if (m > 0) {
            vl[0] += m * (level - vl[0]);
            if (m >= 0.5) {
                vl[1] = label;
            }
        }
    }

    /** Approximate signed distance (mm, negative inside) to the midbrain outline: tegmentum ∪ both peduncles. */
    static double outline(double a, double b) {
        return Math.min(ellipse(a, b + 2.0, 13.5, 10.0), peduncle(Math.abs(a), b));
    }

    /** Cerebral peduncle: an ellipse lying along the SN, anterolateral to it. */
    static double peduncle(double l, double b) {
        double t = Math.toRadians(32);
        double dist = SN_RADIUS + SN_HALF_WIDTH + 2.6;
        double cl = SN_CENTRE_L + dist * Math.cos(t);
        double cb = SN_CENTRE_B + dist * Math.sin(t);
        // axes: across = radial direction (t), along = tangent
        double u = (l - cl) * Math.cos(t) + (b - cb) * Math.sin(t);
        double v = -(l - cl) * Math.sin(t) + (b - cb) * Math.cos(t);
        return ellipse(u, v, 2.8, 6.5);
    }

    /** Signed distance to the SN band in the axial plane (an annular sector, polar-box distance). */
    static double substantiaNigra(double l, double b) {
        double dl = l - SN_CENTRE_L;
        double db = b - SN_CENTRE_B;
        double rho = Math.sqrt(dl * dl + db * db);
        double ang = Math.toDegrees(Math.atan2(db, dl));
        double radial = Math.abs(rho - SN_RADIUS) - SN_HALF_WIDTH;
        double over = Math.max(SN_FROM_DEG - ang, ang - SN_TO_DEG);
        double along = Math.toRadians(over) * SN_RADIUS;
        return Math.max(radial, along);
    }

    /** Nigrosome-1 ellipsoid on the SN arc at angle sd[0], size ×sd[1], height sd[2]. */
    static double nigrosome(double l, double b, double c, double[] sd) {
        double ang = sd[0];
        double cl = SN_CENTRE_L + SN_RADIUS * Math.cos(ang);
        double cb = SN_CENTRE_B + SN_RADIUS * Math.sin(ang);
        double u = (l - cl) * Math.cos(ang) + (b - cb) * Math.sin(ang);
        double v = -(l - cl) * Math.sin(ang) + (b - cb) * Math.cos(ang);
        return ellipsoid(u, v, c - sd[2], 0.9 * sd[1], 1.8 * sd[1], 2.5 * sd[1]);
    }

    static double ellipse(double u, double v, double ru, double rv) {
        double rho = Math.sqrt(u * u / (ru * ru) + v * v / (rv * rv));
        return (rho - 1) * Math.min(ru, rv);
    }

    static double ellipsoid(double u, double v, double w, double ru, double rv, double rw) {
        double rho = Math.sqrt(u * u / (ru * ru) + v * v / (rv * rv) + w * w / (rw * rw));
        return (rho - 1) * Math.min(ru, Math.min(rv, rw));
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    static double put(Map<String, Object> par, String key, double v) {
        par.put(key, v);
        return v;
    }

    /** Standard normal by Box–Muller on the generator's doubles (the same numbers on every JDK). */
    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static double[] unitVector(SplittableRandom r) {
        double[] v = {gaussian(r), gaussian(r), gaussian(r)};
        double len = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[]{v[0] / len, v[1] / len, v[2] / len};
    }
}
