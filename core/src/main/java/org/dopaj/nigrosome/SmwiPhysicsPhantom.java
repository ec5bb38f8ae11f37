package org.dopaj.nigrosome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Synthetic midbrain SMWI formed the way SMWI is made (Gho et al., MRM 2014; Nam et al., JMRI 2017): a multi-echo GRE
 * magnitude, combined over echoes, times a susceptibility mask raised to a power,
 *
 * <pre>
 *   S_e = PD · exp(−TE_e · R2*)            per echo, e = 1 … E
 *   |S| = sqrt(mean_e S_e²)                 echo combination
 *   mask(χ) = 1 (χ ≤ 0), 1 − χ/χ_th (0 &lt; χ &lt; χ_th), 0 (χ ≥ χ_th);  χ_th = 1 ppm
 *   SMWI = |S| · mask(χ_QSM)^m,  m = 4
 * </pre>
 *
 * with tissue properties of each structure drawn from literature ranges, a QSM map that is blurred and noisy, texture
 * and noise from real GRE data ({@link GreTexture}), and partial volume over the voxel (sub-sampled through-plane and,
 * for coarse voxels, in-plane). It is still synthetic and not patient data: research software, not for diagnosis.
 *
 * <p>Tissue at 3 T (χ relative to CSF in ppm, R2* in 1/s, PD relative to CSF; ranges drawn per phantom). Values are
 * the ranges reported for healthy adults in: Langkammer et al., NeuroImage 2012;62:1593 (QSM and R2* by region, 3 T);
 * Deistung et al., NeuroImage 2013;65:299 (midbrain nuclei and crus cerebri, QSM); Péran et al., Brain 2010;133:3423
 * (R2* of SN in controls and PD, 3 T); Lotfipour et al., JMRI 2012;35:48 (SN χ in PD); Blazejewska et al., Neurology
 * 2013;81:534 and Schwarz et al., PLoS One 2014;9:e93814 (nigrosome-1 and the swallow-tail sign). They are rounded
 * ranges, not fitted values:
 *
 * <table>
 * <tr><th>structure</th><th>χ</th><th>R2* 3 T</th><th>PD</th></tr>
 * <tr><td>CSF</td><td>0 (reference)</td><td>1–4</td><td>1</td></tr>
 * <tr><td>surrounding tissue</td><td>−0.02–0.01</td><td>18–24</td><td>0.70–0.80</td></tr>
 * <tr><td>midbrain tegmentum</td><td>−0.01–0.02</td><td>20–25</td><td>0.75–0.82</td></tr>
 * <tr><td>crus cerebri</td><td>−0.06 – −0.02</td><td>22–28</td><td>0.65–0.72</td></tr>
 * <tr><td>substantia nigra</td><td>0.08–0.16</td><td>30–45</td><td>0.72–0.80</td></tr>
 * <tr><td>red nucleus</td><td>0.06–0.12</td><td>28–40</td><td>0.72–0.80</td></tr>
 * <tr><td>nigrosome-1, healthy</td><td>0.00–0.05</td><td>20–28</td><td>0.78–0.85</td></tr>
 * <tr><td>veins</td><td>0.30–0.45</td><td>50–80</td><td>0.80</td></tr>
 * </table>
 *
 * SBR link (as {@link SmwiPhantom}): each side's nigrosome properties are SN + k·(N1 healthy − SN) with k =
 * {@link SmwiPhantom#nigrosomeContrast}(SBR) — at SBR ≤ 1 the nigrosome has the SN's iron (no swallow tail), at SBR ≥ 4
 * it is fully visible; the SN's own χ rises by up to 0.02 ppm as k falls (Lotfipour 2012). 1.5 T: R2* × 0.5–0.6 (R2*
 * of iron-rich tissue grows about linearly with B0), longer echoes, about twice the relative noise; χ is independent
 * of the field.
 *
 * <p>Acquisition: slab perpendicular to the midbrain's long axis, with a residual tilt (pitch ±10°, roll ±4°, yaw ±8°);
 * voxels 0.5×0.5×1 mm (half of the phantoms at 3 T) or coarser (0.6×0.6×1.2, 0.7×0.7×1.5, 0.8×0.8×2, 1×1×2 mm);
 * 3 T (70 %) or 1.5 T; echoes 3–5 at TE₁ 5–8 ms, ΔTE 5–7 ms (3 T) or 3–4 at TE₁ 8–12, ΔTE 8–12 ms (1.5 T). QSM: blur
 * FWHM 0.6–1.0 mm, noise σ 0.005–0.015 ppm. Magnitude: texture 1 + a·r (a 0.6–1.4, r from real GRE), Rician noise
 * 1–3 % (3 T) or 2–5 % (1.5 T) of the CSF signal, linear bias 0–15 %, gain 300–3000. Two to five veins (tubes of
 * radius 0.3–0.6 mm) cross the tissue around the midbrain, never through the nigra.
 *
 * <p>Limits: geometry is the {@link SmwiPhantom} midbrain (ellipses and an arc), no dipole field or blooming from the
 * magnitude's phase, the texture comes from cortex (no midbrain GRE is at hand), the magnitude ignores T1 weighting.
 */
public final class SmwiPhysicsPhantom {
    /** Label of the veins (the others as in {@link SmwiPhantom}). */
    public static final int VEIN = 7;
    /** QSM threshold of the mask, ppm. */
    public static final double CHI_THRESHOLD = 1.0;
    /** Power of the mask. */
    public static final int MASK_POWER = 4;
    /** The acquisition voxel sizes drawn (mm). */
    public static final double[][] VOXELS = {{0.5, 0.5, 1}, {0.6, 0.6, 1.2}, {0.7, 0.7, 1.5}, {0.8, 0.8, 2}, {1, 1, 2}};
    private static final double[] FOV_MM = {56, 40, 30};

    private SmwiPhysicsPhantom() {
    }

    /** Tissue properties: PD (relative), R2* (1/s at the phantom's field), χ (ppm). */
    private record Tissue(double pd, double r2s, double chi) {
        Tissue mix(Tissue o, double k) {
            return new Tissue(pd + k * (o.pd - pd), r2s + k * (o.r2s - r2s), chi + k * (o.chi - chi));
        }
    }

    /** SBRs drawn from the seed as {@link SmwiPhantom#random} does (target 0.8–4.2, asymmetry up to 30 %). */
    public static SmwiPhantom.Result random(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double target = 0.8 + 3.4 * r.nextDouble();
        double ai = 0.3 * r.nextDouble() * (r.nextBoolean() ? 1 : -1);
        return generate(target * (1 + ai / 2), target * (1 - ai / 2), seed);
    }

    /** A phantom with the acquisition (field, voxel size, echoes) drawn from the seed; RAS grid centred on 0. */
    public static SmwiPhantom.Result generate(double sbrLeft, double sbrRight, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + 3);
        boolean is3T = r.nextDouble() < 0.7;
        double[] vox = is3T && r.nextBoolean() ? VOXELS[0] : VOXELS[1 + r.nextInt(VOXELS.length - 1)];
        return generate(grid(vox), sbrLeft, sbrRight, seed, is3T);
    }

    /** An axial RAS grid of the phantom's field of view (56×40×30 mm) with voxel size {@code vox}, centred on 0. */
    public static Grid grid(double[] vox) {
        int[] n = new int[3];
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            n[i] = (int) Math.ceil(FOV_MM[i] / vox[i]);
            a[i][i] = vox[i];
            a[i][3] = -(n[i] - 1) / 2.0 * vox[i];
        }
        a[3][3] = 1;
        return new Grid(n[0], n[1], n[2], vox.clone(), a);
    }

    /** A phantom on any grid (oblique, LAS, …) at 3 T or 1.5 T; the midbrain sits at the grid's centre ± 2 mm. */
    public static SmwiPhantom.Result generate(Grid grid, double sbrLeft, double sbrRight, long seed, boolean is3T) {
        for (double s : new double[]{sbrLeft, sbrRight}) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new DopajException("sbr must be a positive number, got " + sbrLeft + " (left), " + sbrRight
                        + " (right)");
            }
        }
        GreTexture tex = GreTexture.get();
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Object> par = new LinkedHashMap<>();
        par.put("generator", "org.dopaj.nigrosome.SmwiPhysicsPhantom");
        par.put("field_T", is3T ? 3.0 : 1.5);
        double fieldFactor = is3T ? 1 : SmwiPhantom.put(par, "r2star_factor_1p5T", SmwiPhantom.uniform(r, 0.5, 0.6));
        Tissue csf = tissue(r, par, "csf", 1, 1, 1, 4, 0, 0, fieldFactor);
        Tissue surround = tissue(r, par, "surrounding", 0.70, 0.80, 18, 24, -0.02, 0.01, fieldFactor);
        Tissue tegm = tissue(r, par, "tegmentum", 0.75, 0.82, 20, 25, -0.01, 0.02, fieldFactor);
        Tissue crus = tissue(r, par, "crus_cerebri", 0.65, 0.72, 22, 28, -0.06, -0.02, fieldFactor);
        Tissue sn = tissue(r, par, "substantia_nigra", 0.72, 0.80, 30, 45, 0.08, 0.16, fieldFactor);
        Tissue rn = tissue(r, par, "red_nucleus", 0.72, 0.80, 28, 40, 0.06, 0.12, fieldFactor);
        Tissue n1 = tissue(r, par, "nigrosome_healthy", 0.78, 0.85, 20, 28, 0.00, 0.05, fieldFactor);
        Tissue vein = tissue(r, par, "vein", 0.80, 0.80, 50, 80, 0.30, 0.45, fieldFactor);
        int echoes = is3T ? 3 + r.nextInt(3) : 3 + r.nextInt(2);
        double te1 = is3T ? SmwiPhantom.uniform(r, 5, 8) : SmwiPhantom.uniform(r, 8, 12);
        double dte = is3T ? SmwiPhantom.uniform(r, 5, 7) : SmwiPhantom.uniform(r, 8, 12);
        double[] te = new double[echoes];
        for (int e = 0; e < echoes; e++) {
            te[e] = (te1 + e * dte) / 1000.0;
        }
        par.put("echo_times_ms", java.util.Arrays.stream(te).map(t -> t * 1000).boxed().toList());
        double[] shift = {SmwiPhantom.uniform(r, -2, 2), SmwiPhantom.uniform(r, -2, 2), SmwiPhantom.uniform(r, -2, 2)};
        par.put("centre_shift_mm", List.of(shift[0], shift[1], shift[2]));
        double yaw = Math.toRadians(SmwiPhantom.put(par, "yaw_deg", SmwiPhantom.uniform(r, -8, 8)));
        double pitch = Math.toRadians(SmwiPhantom.put(par, "pitch_deg", SmwiPhantom.uniform(r, -10, 10)));
        double roll = Math.toRadians(SmwiPhantom.put(par, "roll_deg", SmwiPhantom.uniform(r, -4, 4)));
        double scale = SmwiPhantom.put(par, "scale", SmwiPhantom.uniform(r, 0.9, 1.1));
        double cistern = SmwiPhantom.put(par, "cistern_mm", SmwiPhantom.uniform(r, 1.0, 2.5));
        double[][] side = new double[2][];
        for (Side s : Side.values()) {
            double ang = SmwiPhantom.uniform(r, 10, 16);
            double size = SmwiPhantom.uniform(r, 0.8, 1.2);
            double height = SmwiPhantom.uniform(r, -1.5, -0.5);
            side[s.ordinal()] = new double[]{Math.toRadians(ang), size, height};
            par.put("nigrosome_" + s.label(), org.dopaj.io.Ordered.map("arc_deg", ang, "size_scale", size, "height_mm", height));
        }
        int nVeins = 2 + r.nextInt(4);
        double[][] veins = new double[nVeins][];
        for (int i = 0; i < nVeins; i++) {
            // a straight tube in the midbrain frame, placed lateral or posterior to the nigra
            double ang = SmwiPhantom.uniform(r, -Math.PI, Math.PI);
            double dist = SmwiPhantom.uniform(r, 15, 22);
            double[] d = SmwiPhantom.unitVector(r);
            veins[i] = new double[]{dist * Math.cos(ang), dist * Math.sin(ang), SmwiPhantom.uniform(r, -6, 6), d[0], d[1],
                    d[2], SmwiPhantom.uniform(r, 0.3, 0.6)};
        }
        par.put("veins", nVeins);
        double qsmFwhm = SmwiPhantom.put(par, "qsm_blur_fwhm_mm", SmwiPhantom.uniform(r, 0.6, 1.0));
        double qsmNoise = SmwiPhantom.put(par, "qsm_noise_ppm", SmwiPhantom.uniform(r, 0.005, 0.015));
        double texAmp = SmwiPhantom.put(par, "texture_amplitude", SmwiPhantom.uniform(r, 0.6, 1.4));
        double noise = SmwiPhantom.put(par, "noise_sigma_fraction", is3T ? SmwiPhantom.uniform(r, 0.01, 0.03)
                : SmwiPhantom.uniform(r, 0.02, 0.05));
        double bias = SmwiPhantom.put(par, "bias_amplitude", SmwiPhantom.uniform(r, 0, 0.15));
        double[] dir = SmwiPhantom.unitVector(r);
        double gain = SmwiPhantom.put(par, "gain", SmwiPhantom.uniform(r, 300, 3000));
        GreTexture.Sampler ts = tex.sampler(r.nextInt(2), new double[]{r.nextInt(60), r.nextInt(60), r.nextInt(40)},
                new boolean[]{r.nextBoolean(), r.nextBoolean(), r.nextBoolean()});
        par.put("texture", tex.describe());
        par.put("mask", "chi_threshold 1 ppm, power 4");
        double[] k = {SmwiPhantom.nigrosomeContrast(sbrLeft), SmwiPhantom.nigrosomeContrast(sbrRight)};
        Tissue[] snSide = new Tissue[2];
        Tissue[] n1Side = new Tissue[2];
        for (int s = 0; s < 2; s++) {
            snSide[s] = new Tissue(sn.pd, sn.r2s, sn.chi + 0.02 * (1 - k[s]));
            n1Side[s] = snSide[s].mix(n1, k[s]);
        }

        int[] n = grid.dims();
        double[] vox = grid.voxelMm();
        double[] centre = grid.toMm((n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0);
        for (int a = 0; a < 3; a++) {
            centre[a] += shift[a];
        }
        par.put("voxel_mm", List.of(vox[0], vox[1], vox[2]));
        // scanner → midbrain frame: R = Rz(yaw)·Rx(pitch)·Ry(roll); frame = Rᵀ·(mm − centre) / scale
        double[][] rot = matmul(matmul(rotZ(yaw), rotX(pitch)), rotY(roll));
        int subXY = vox[0] > 0.6 ? 2 : 1;
        int subZ = (int) Math.ceil(vox[2] / 0.5);
        Volume mag = Volume.allocate(grid);
        Volume chi = Volume.allocate(grid);
        Volume lab = Volume.allocate(grid);
        double[] vl = new double[2];
        for (int z = 0; z < n[2]; z++) {
            float[] pm = mag.plane(z);
            float[] pc = chi.plane(z);
            float[] pl = lab.plane(z);
            for (int y = 0; y < n[1]; y++) {
                for (int x = 0; x < n[0]; x++) {
                    double sig = 0;
                    double chiSum = 0;
                    int label = 0;
                    int cnt = 0;
                    for (int sz = 0; sz < subZ; sz++) {
                        for (int sy = 0; sy < subXY; sy++) {
                            for (int sx = 0; sx < subXY; sx++) {
                                double[] mm = grid.toMm(x + (sx + 0.5) / subXY - 0.5, y + (sy + 0.5) / subXY - 0.5,
                                        z + (sz + 0.5) / subZ - 0.5);
                                double[] d = {mm[0] - centre[0], mm[1] - centre[1], mm[2] - centre[2]};
                                double a = (rot[0][0] * d[0] + rot[1][0] * d[1] + rot[2][0] * d[2]) / scale;
                                double b = (rot[0][1] * d[0] + rot[1][1] * d[1] + rot[2][1] * d[2]) / scale;
                                double c = (rot[0][2] * d[0] + rot[1][2] * d[1] + rot[2][2] * d[2]) / scale;
                                Tissue t = tissueAt(a, b, c, cistern / scale, side, veins, csf, surround, tegm, crus,
                                        snSide, rn, n1Side, vein, vl);
                                double pd = t.pd * (1 + texAmp * ts.at(mm[0], mm[1], mm[2]));
                                double s2 = 0;
                                for (double e : te) {
                                    double se = pd * Math.exp(-e * t.r2s);
                                    s2 += se * se;
                                }
                                sig += Math.sqrt(s2 / te.length);
                                chiSum += t.chi;
                                if (sz == subZ / 2 && sy == subXY / 2 && sx == subXY / 2) {
                                    label = (int) vl[1];
                                }
                                cnt++;
                            }
                        }
                    }
                    double biasField = 1 + bias * (dir[0] * (x - n[0] / 2.0) * vox[0] + dir[1] * (y - n[1] / 2.0) * vox[1]
                            + dir[2] * (z - n[2] / 2.0) * vox[2]) / 30.0;
                    pm[x + y * n[0]] = (float) (sig / cnt * biasField);
                    pc[x + y * n[0]] = (float) (chiSum / cnt);
                    pl[x + y * n[0]] = label;
                }
            }
        }
        Volume qsm = Gaussian.smooth(chi, qsmFwhm);
        double sigma = noise * Math.exp(-te[0] * csf.r2s);
        for (int z = 0; z < n[2]; z++) {
            float[] pm = mag.plane(z);
            float[] pq = qsm.plane(z);
            for (int i = 0; i < pm.length; i++) {
                double re = pm[i] + sigma * SmwiPhantom.gaussian(r);
                double im = sigma * SmwiPhantom.gaussian(r);
                double m = Math.sqrt(re * re + im * im);
                double q = pq[i] + qsmNoise * SmwiPhantom.gaussian(r);
                double mask = q <= 0 ? 1 : q >= CHI_THRESHOLD ? 0 : 1 - q / CHI_THRESHOLD;
                pm[i] = (float) (gain * m * Math.pow(mask, MASK_POWER));
            }
        }
        Centroid[] truth = new Centroid[2];
        for (Side s : Side.values()) {
            double sign = s == Side.LEFT ? -1 : 1;
            double ang = side[s.ordinal()][0];
            double[] f = {sign * (SmwiPhantom.SN_CENTRE_L + SmwiPhantom.SN_RADIUS * Math.cos(ang)) * scale,
                    (SmwiPhantom.SN_CENTRE_B + SmwiPhantom.SN_RADIUS * Math.sin(ang)) * scale,
                    side[s.ordinal()][2] * scale};
            double[] mm = new double[3];
            for (int i = 0; i < 3; i++) {
                mm[i] = centre[i] + rot[i][0] * f[0] + rot[i][1] * f[1] + rot[i][2] * f[2];
            }
            Point3 v = Point3.of(grid.toVoxel(mm[0], mm[1], mm[2]));
            if (!grid.contains(v.x(), v.y(), v.z())) {
                throw new DopajException("phantom grid " + grid + " is too small: the " + s.label()
                        + " nigrosome falls outside it");
            }
            truth[s.ordinal()] = new Centroid(s, v, Point3.of(mm));
        }
        return new SmwiPhantom.Result(mag, lab, new Centroids(truth[0], truth[1]), sbrLeft, sbrRight, seed, par);
    }

    private static Tissue tissue(SplittableRandom r, Map<String, Object> par, String name, double pdLo, double pdHi,
                                 double r2Lo, double r2Hi, double chiLo, double chiHi, double fieldFactor) {
        Tissue t = new Tissue(SmwiPhantom.uniform(r, pdLo, pdHi), SmwiPhantom.uniform(r, r2Lo, r2Hi) * fieldFactor,
                SmwiPhantom.uniform(r, chiLo, chiHi));
        par.put(name, org.dopaj.io.Ordered.map("pd", t.pd, "r2star_per_s", t.r2s, "chi_ppm", t.chi));
        return t;
    }

    /** Partial-volume mixture of the structures at (a, b, c) in the midbrain frame; vl[1] receives the label. */
    private static Tissue tissueAt(double a, double b, double c, double cistern, double[][] side, double[][] veins,
                                   Tissue csf, Tissue surround, Tissue tegm, Tissue crus, Tissue[] sn, Tissue rn,
                                   Tissue[] n1, Tissue vein, double[] vl) {
        Tissue t = surround;
        vl[1] = SmwiPhantom.SURROUNDING;
        double dOutline = SmwiPhantom.outline(a, b);
        t = blend(t, vl, dOutline - cistern, csf, SmwiPhantom.CSF);
        t = blend(t, vl, dOutline, tegm, SmwiPhantom.MIDBRAIN);
        int s = a < 0 ? 0 : 1;
        double l = Math.abs(a);
        t = blend(t, vl, SmwiPhantom.peduncle(l, b), crus, SmwiPhantom.PEDUNCLE);
        t = blend(t, vl, Math.max(SmwiPhantom.substantiaNigra(l, b), Math.abs(c) - SmwiPhantom.SN_HALF_HEIGHT), sn[s],
                SmwiPhantom.SUBSTANTIA_NIGRA);
        t = blend(t, vl, SmwiPhantom.nigrosome(l, b, c, side[s]), n1[s], SmwiPhantom.NIGROSOME);
        t = blend(t, vl, SmwiPhantom.ellipsoid(l - 4.0, b - 2.5, c - 1.0, 2.5, 2.5, 4.0), rn, SmwiPhantom.RED_NUCLEUS);
        t = blend(t, vl, SmwiPhantom.ellipse(a, b - 8.5, 3.5, 5.0), csf, SmwiPhantom.CSF);
        t = blend(t, vl, SmwiPhantom.ellipse(a, b + 8.0, 1.0, 1.0), csf, SmwiPhantom.CSF);
        for (double[] v : veins) {
            double[] d = {a - v[0], b - v[1], c - v[2]};
            double along = d[0] * v[3] + d[1] * v[4] + d[2] * v[5];
            double dist = Math.sqrt(Math.max(0, d[0] * d[0] + d[1] * d[1] + d[2] * d[2] - along * along));
            t = blend(t, vl, dist - v[6], vein, VEIN);
        }
        return t;
    }

    private static Tissue blend(Tissue t, double[] vl, double d, Tissue level, int label) {
        double m = Math.min(1, Math.max(0, 0.5 - d / SmwiPhantom.EDGE_MM));
        if (m > 0) {
            if (m >= 0.5) {
                vl[1] = label;
            }
            return t.mix(level, m);
        }
        return t;
    }

    private static double[][] rotZ(double t) {
        return new double[][]{{Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0}, {0, 0, 1}};
    }

    private static double[][] rotX(double t) {
        return new double[][]{{1, 0, 0}, {0, Math.cos(t), -Math.sin(t)}, {0, Math.sin(t), Math.cos(t)}};
    }

    private static double[][] rotY(double t) {
        return new double[][]{{Math.cos(t), 0, Math.sin(t)}, {0, 1, 0}, {-Math.sin(t), 0, Math.cos(t)}};
    }

    private static double[][] matmul(double[][] p, double[][] q) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    o[i][j] += p[i][k] * q[k][j];
                }
            }
        }
        return o;
    }
}
