package org.dopaj.msa;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Synthetic grey-matter density (GD) and mean diffusivity (MD) maps of one PD or MSA subject on the MNI152 2 mm
 * grid, deterministic in its seed. What a map means here is what {@code dopaj gm-density} and {@code dopaj md}
 * produce: GD = modulated grey-matter fraction (tissue volume per template voxel) smoothed with an 8 mm FWHM Gaussian;
 * MD = the subject's mean diffusivity in mm²/s normalised to MNI (0 outside the brain), at the DWI's resolution.
 *
 * <p>Per subject (one {@link SplittableRandom} from the seed; every number from {@link Params}):
 * <ol>
 *   <li><b>Registration residue and anatomy</b>: all anatomy maps are resampled through a per-axis scaling, a shift
 *   and a smooth displacement (three random plane waves per axis), as a residue of spatial normalisation.</li>
 *   <li><b>Age</b> 50–80 years (the same distribution for every group, so age is no shortcut): a global GM loss per
 *   year over 50, replaced by CSF, modulated by a smooth random field.</li>
 *   <li><b>Disease</b> with severity s (a continuum; mild cases are close to PD by construction):
 *   MSA-P — putaminal GM loss and MD rise weighted posterior-laterally, one side dominant; MSA-C — cerebellar GM loss,
 *   pontine and MCP white-matter loss (replaced by fluid) with an intrinsic MD rise in the pons, MCP and cerebellum;
 *   MSA-PC — both, each at a fraction of s; PD — near normal (a few per cent of putaminal change at most). Ranges
 *   after Mattia et al. 2025 and the MSA imaging literature they cite (putaminal and infratentorial atrophy,
 *   putaminal/MCP/pontine diffusivity rise).</li>
 *   <li><b>Maps</b>: GD from the GM fraction with voxel noise and an 8 mm smoothing; MD as the volume-weighted mean
 *   of tissue MD values (drawn per subject) and free water, times a smooth field, with noise and the blur of a
 *   2–3.5 mm DWI.</li>
 * </ol>
 * Research use only: these are not patients.
 */
public final class MsaPhantom {
    /** GD smoothing of the VBM recipe (FWHM, mm). */
    public static final double GD_FWHM_MM = 8;

    /** One generated subject. */
    public record Subject(long seed, MsaSubtype subtype, double severity, double age, Volume gd, Volume md,
                          Map<String, Object> parameters) {
    }

    /**
     * The numbers of one family.
     *
     * @param scaleJitter      per-axis scale 1 ± this
     * @param shiftMm          shift ± this per axis
     * @param waveMm           plane-wave wavelengths [min, max] of the displacement
     * @param waveAmpMm        amplitude [min, max] of each displacement wave
     * @param ageGmLossPerYear GM fraction lost per year over 50
     * @param fieldSd          amplitude of the smooth multiplicative field on GM and on MD
     * @param mdGm             GM MD mean, sd (10⁻³ mm²/s)
     * @param mdWm             WM MD mean, sd
     * @param mdCsf            CSF MD mean, sd
     * @param mdBlurMm         MD blur FWHM (DWI resolution)
     * @param gmNoise          voxel noise sd of the GM fraction before smoothing
     * @param mdNoise          relative voxel noise of MD
     * @param severityPower    s = sMin + (1 − sMin)·u^power
     * @param severityMin      sMin
     * @param putLoss          MSA-P putaminal GM loss at s = 1 (× weight)
     * @param putMdRise        MSA-P putaminal MD rise at s = 1
     * @param otherSide        the less affected putamen's factor [min, max]
     * @param cbLoss           MSA-C cerebellar GM loss at s = 1
     * @param ponsWmLoss       MSA-C pontine WM loss
     * @param mcpWmLoss        MSA-C MCP WM loss
     * @param ponsMdRise       MSA-C pontine MD rise
     * @param mcpMdRise        MSA-C MCP MD rise
     * @param cbMdRise         MSA-C cerebellar MD rise
     * @param crossLoss        the other pattern's share in pure MSA-P / MSA-C (a little cerebellum in MSA-P...)
     * @param pdMax            PD: largest putaminal GM loss / MD rise
     */
    public record Params(double scaleJitter, double shiftMm, double[] waveMm, double[] waveAmpMm,
                         double ageGmLossPerYear, double fieldSd, double[] mdGm, double[] mdWm, double[] mdCsf,
                         double mdBlurMm, double gmNoise, double mdNoise, double severityPower, double severityMin,
                         double putLoss, double putMdRise, double[] otherSide, double cbLoss, double ponsWmLoss,
                         double mcpWmLoss, double ponsMdRise, double mcpMdRise, double cbMdRise, double crossLoss,
                         double pdMax) {
        /** The training family. */
        public static final Params FAMILY_A = new Params(0.03, 2, new double[] {60, 150}, new double[] {1, 2.5},
                0.003, 0.05, new double[] {0.80, 0.04}, new double[] {0.72, 0.03}, new double[] {3.0, 0.1}, 2.5, 0.04,
                0.03, 1.0, 0.08, 0.45, 0.35, new double[] {0.3, 1.0}, 0.28, 0.35, 0.25, 0.45, 0.5, 0.15, 0.15, 0.05);
        /** The held-out family: other values everywhere. */
        public static final Params FAMILY_B = new Params(0.04, 3, new double[] {40, 100}, new double[] {0.5, 2},
                0.0025, 0.07, new double[] {0.85, 0.05}, new double[] {0.70, 0.04}, new double[] {2.9, 0.15}, 3.5,
                0.05, 0.04, 0.8, 0.05, 0.38, 0.40, new double[] {0.5, 1.0}, 0.22, 0.40, 0.30, 0.35, 0.6, 0.2, 0.1,
                0.06);

        /**
         * Lower and upper ends of the training family {@code aal-wide} ({@link MsaFamily#AAL_WIDE}): each subject draws
         * every number uniformly between them ({@link #between}), so no single scanner, protocol or literature
         * estimate is learnt. Nuisance ranges: tissue MD 0.72–0.95 (GM), 0.62–0.82 (WM), 2.6–3.3 (CSF) ×10⁻³ mm²/s,
         * the spread of published adult values across b-values, scanners and fits (GM/WM ratio 0.9–1.5); DWI
         * resolution 2–4 mm; noise and bias fields of 2–6 % / 3–10 %; registration residue as both fixed families and
         * beyond. Disease ranges: the spread of effect sizes in the MSA literature around family A's choices (putaminal
         * GM loss 30–50 %, MD rise 25–50 %, infratentorial changes ±30 %). These ranges contain both fixed families'
         * numbers: family B stays a different generator by its anatomy (ICBM tissue maps, ICBM basal-ganglia putamen,
         * geometric cerebellum, other region shapes), which no training family uses.
         */
        public static final Params WIDE_LO = new Params(0.02, 1, new double[] {40, 100}, new double[] {0.5, 1.5},
                0.002, 0.03, new double[] {0.72, 0.03}, new double[] {0.62, 0.02}, new double[] {2.6, 0.08}, 2.0,
                0.03, 0.02, 0.7, 0.03, 0.30, 0.25, new double[] {0.3, 0.9}, 0.18, 0.28, 0.20, 0.30, 0.40, 0.10, 0.05,
                0.03);
        /** Upper ends of {@code aal-wide}: see {@link #WIDE_LO}. */
        public static final Params WIDE_HI = new Params(0.05, 4, new double[] {80, 180}, new double[] {1.5, 3.0},
                0.0035, 0.10, new double[] {0.95, 0.06}, new double[] {0.82, 0.05}, new double[] {3.3, 0.18}, 4.0,
                0.06, 0.06, 1.3, 0.10, 0.50, 0.50, new double[] {0.6, 1.0}, 0.32, 0.45, 0.35, 0.55, 0.70, 0.25, 0.20,
                0.08);

        /**
         * One subject's numbers, each uniform between {@code lo} and {@code hi} (array entries likewise, element by
         * element, with a range's upper end kept above its lower end).
         */
        public static Params between(Params lo, Params hi, SplittableRandom rng) {
            return new Params(u(rng, lo.scaleJitter, hi.scaleJitter), u(rng, lo.shiftMm, hi.shiftMm),
                    range(rng, lo.waveMm, hi.waveMm), range(rng, lo.waveAmpMm, hi.waveAmpMm),
                    u(rng, lo.ageGmLossPerYear, hi.ageGmLossPerYear), u(rng, lo.fieldSd, hi.fieldSd),
                    arr(rng, lo.mdGm, hi.mdGm), arr(rng, lo.mdWm, hi.mdWm), arr(rng, lo.mdCsf, hi.mdCsf),
                    u(rng, lo.mdBlurMm, hi.mdBlurMm), u(rng, lo.gmNoise, hi.gmNoise), u(rng, lo.mdNoise, hi.mdNoise),
                    u(rng, lo.severityPower, hi.severityPower), u(rng, lo.severityMin, hi.severityMin),
                    u(rng, lo.putLoss, hi.putLoss), u(rng, lo.putMdRise, hi.putMdRise),
                    range(rng, lo.otherSide, hi.otherSide), u(rng, lo.cbLoss, hi.cbLoss),
                    u(rng, lo.ponsWmLoss, hi.ponsWmLoss), u(rng, lo.mcpWmLoss, hi.mcpWmLoss),
                    u(rng, lo.ponsMdRise, hi.ponsMdRise), u(rng, lo.mcpMdRise, hi.mcpMdRise),
                    u(rng, lo.cbMdRise, hi.cbMdRise), u(rng, lo.crossLoss, hi.crossLoss), u(rng, lo.pdMax, hi.pdMax));
        }

        private static double u(SplittableRandom rng, double lo, double hi) {
            return lo + (hi - lo) * rng.nextDouble();
        }

        private static double[] arr(SplittableRandom rng, double[] lo, double[] hi) {
            double[] v = new double[lo.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = u(rng, lo[i], hi[i]);
            }
            return v;
        }

        /** A [min, max] range: the lower end from lo's range, the upper end at least the lower one. */
        private static double[] range(SplittableRandom rng, double[] lo, double[] hi) {
            double a = u(rng, lo[0], hi[0]);
            double b = u(rng, lo[1], hi[1]);
            return new double[] {a, Math.max(a, b)};
        }
    }

    private MsaPhantom() {
    }

    /** Generates one subject of {@code subtype} from {@code anatomy} with family parameters {@code p}. */
    public static Subject generate(MsaAnatomy anatomy, Params p, long seed, MsaSubtype subtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        Grid g = anatomy.grid();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int n = nx * ny * nz;
        Map<String, Object> par = new LinkedHashMap<>();
        // 1. registration residue
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int a = 0; a < 3; a++) {
            scale[a] = 1 + p.scaleJitter() * (2 * rng.nextDouble() - 1);
            shift[a] = p.shiftMm() * (2 * rng.nextDouble() - 1);
        }
        Waves disp = Waves.random(rng, 3, 3, p.waveMm()[0], p.waveMm()[1], p.waveAmpMm()[0], p.waveAmpMm()[1]);
        par.put("scale", scale);
        par.put("shift_mm", shift);
        float[][] m = warp(anatomy, scale, shift, disp);
        // 2. age and fields
        double age = 50 + 30 * rng.nextDouble();
        Waves gmField = Waves.random(rng, 1, 4, 80, 200, p.fieldSd() * 0.5, p.fieldSd());
        Waves mdField = Waves.random(rng, 1, 4, 80, 200, p.fieldSd() * 0.4, p.fieldSd() * 0.8);
        Waves ageField = Waves.random(rng, 1, 3, 60, 160, 0.2, 0.5);
        double mdGm = (p.mdGm()[0] + p.mdGm()[1] * rng.nextGaussian()) * 1e-3;
        double mdWm = (p.mdWm()[0] + p.mdWm()[1] * rng.nextGaussian()) * 1e-3;
        double mdCsf = (p.mdCsf()[0] + p.mdCsf()[1] * rng.nextGaussian()) * 1e-3;
        // 3. disease
        double u = rng.nextDouble();
        double s = subtype == MsaSubtype.PD ? 0 : p.severityMin() + (1 - p.severityMin()) * Math.pow(u, p.severityPower());
        double sP = 0;
        double sC = 0;
        switch (subtype) {
            case MSA_P -> {
                sP = s;
                sC = s * p.crossLoss() * rng.nextDouble();
            }
            case MSA_C -> {
                sC = s;
                sP = s * p.crossLoss() * rng.nextDouble();
            }
            case MSA_PC -> {
                sP = s * (0.5 + 0.5 * rng.nextDouble());
                sC = s * (0.5 + 0.5 * rng.nextDouble());
            }
            case PD -> {
                sP = 0;
                sC = 0;
            }
        }
        double other = p.otherSide()[0] + (p.otherSide()[1] - p.otherSide()[0]) * rng.nextDouble();
        boolean leftWorse = rng.nextBoolean();
        double wL = leftWorse ? 1 : other;
        double wR = leftWorse ? other : 1;
        double pdPutLoss = subtype == MsaSubtype.PD ? p.pdMax() * rng.nextDouble() : 0;
        double pdPutMd = subtype == MsaSubtype.PD ? p.pdMax() * rng.nextDouble() : 0;
        par.put("age", age);
        par.put("severity", s);
        par.put("severity_putamen", sP);
        par.put("severity_infratentorial", sC);
        par.put("more_affected_side", leftWorse ? "left" : "right");
        par.put("md_tissue_mm2_s", new double[] {mdGm, mdWm, mdCsf});
        // 4. maps
        float[] gd = new float[n];
        float[] md = new float[n];
        double[][] a = g.affine();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double px = a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3];
                    double py = a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3];
                    double pz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3];
                    float br = m[MsaAnatomy.MAPS][i];
                    if (br < 0.5f) {
                        continue;
                    }
                    double gm0 = m[MsaAnatomy.GM][i];
                    double wm0 = m[MsaAnatomy.WM][i];
                    double csf0 = m[MsaAnatomy.CSF][i];
                    double put = wL * m[MsaAnatomy.PUT_L][i] + wR * m[MsaAnatomy.PUT_R][i];
                    double putAny = m[MsaAnatomy.PUT_L][i] + m[MsaAnatomy.PUT_R][i];
                    double cb = m[MsaAnatomy.CEREBELLUM][i];
                    double pons = m[MsaAnatomy.PONS][i];
                    double mcp = m[MsaAnatomy.MCP][i];
                    double ageLoss = p.ageGmLossPerYear() * (age - 50) * (1 + ageField.value(0, px, py, pz));
                    double gmLoss = ageLoss + sP * p.putLoss() * put + sC * p.cbLoss() * cb + pdPutLoss * putAny;
                    gmLoss = Math.max(0, Math.min(0.9, gmLoss));
                    double wmLoss = sC * (p.ponsWmLoss() * pons + p.mcpWmLoss() * mcp);
                    wmLoss = Math.min(0.9, wmLoss);
                    double gm = gm0 * (1 - gmLoss);
                    double wm = wm0 * (1 - wmLoss);
                    double csf = csf0 + gm0 * gmLoss + wm0 * wmLoss;
                    double rise = sP * p.putMdRise() * put + pdPutMd * putAny
                            + sC * (p.ponsMdRise() * pons + p.mcpMdRise() * mcp + p.cbMdRise() * cb);
                    double tot = gm + wm + csf;
                    double mdv = ((gm * mdGm + wm * mdWm) * (1 + rise) + csf * mdCsf) / Math.max(1e-6, tot);
                    mdv *= Math.exp(mdField.value(0, px, py, pz)) * (1 + p.mdNoise() * rng.nextGaussian());
                    md[i] = (float) Math.max(0, mdv);
                    double gmf = gm * Math.exp(gmField.value(0, px, py, pz)) + p.gmNoise() * rng.nextGaussian();
                    gd[i] = (float) Math.max(0, gmf);
                }
            }
        }
        Volume gdV = Gaussian.smooth(Volume.of(g, gd), GD_FWHM_MM);
        Volume mdV = Gaussian.smooth(Volume.of(g, md), p.mdBlurMm());
        float[] brain = m[MsaAnatomy.MAPS];
        for (int z = 0; z < nz; z++) {
            float[] pl = mdV.plane(z);
            for (int i = 0; i < pl.length; i++) {
                if (brain[z * nx * ny + i] < 0.5f) {
                    pl[i] = 0;
                }
            }
        }
        return new Subject(seed, subtype, s, age, gdV, mdV, par);
    }

    /**
     * Resamples the anatomy maps (and, as map {@link MsaAnatomy#MAPS}, the brain mask) at
     * c + (x − c)/scale + shift + d(x), c = the anterior commissure (0, 0, 0), trilinear.
     */
    static float[][] warp(MsaAnatomy an, double[] scale, double[] shift, Waves disp) {
        Grid g = an.grid();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int n = nx * ny * nz;
        int k = MsaAnatomy.MAPS + 1;
        float[][] src = new float[k][];
        for (int j = 0; j < MsaAnatomy.MAPS; j++) {
            src[j] = an.map(j);
        }
        src[MsaAnatomy.MAPS] = an.brain();
        float[][] out = new float[k][n];
        double[][] a = g.affine();
        // inverse of a diagonal-plus-offset affine (the MNI grids are axis-aligned); general inverse via the grid
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double px = a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3];
                    double py = a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3];
                    double pz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3];
                    double qx = px / scale[0] + shift[0] + disp.value(0, px, py, pz);
                    double qy = py / scale[1] + shift[1] + disp.value(1, px, py, pz);
                    double qz = pz / scale[2] + shift[2] + disp.value(2, px, py, pz);
                    double[] v = g.toVoxel(qx, qy, qz);
                    int x0 = (int) Math.floor(v[0]);
                    int y0 = (int) Math.floor(v[1]);
                    int z0 = (int) Math.floor(v[2]);
                    if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= nx - 1 || y0 >= ny - 1 || z0 >= nz - 1) {
                        continue;
                    }
                    double fx = v[0] - x0;
                    double fy = v[1] - y0;
                    double fz = v[2] - z0;
                    int b = x0 + nx * (y0 + ny * z0);
                    int sx = 1;
                    int sy = nx;
                    int sz = nx * ny;
                    double w000 = (1 - fx) * (1 - fy) * (1 - fz);
                    double w100 = fx * (1 - fy) * (1 - fz);
                    double w010 = (1 - fx) * fy * (1 - fz);
                    double w110 = fx * fy * (1 - fz);
                    double w001 = (1 - fx) * (1 - fy) * fz;
                    double w101 = fx * (1 - fy) * fz;
                    double w011 = (1 - fx) * fy * fz;
                    double w111 = fx * fy * fz;
                    for (int j = 0; j < k; j++) {
                        float[] s = src[j];
                        out[j][i] = (float) (w000 * s[b] + w100 * s[b + sx] + w010 * s[b + sy] + w110 * s[b + sx + sy]
                                + w001 * s[b + sz] + w101 * s[b + sx + sz] + w011 * s[b + sy + sz]
                                + w111 * s[b + sx + sy + sz]);
                    }
                }
            }
        }
        return out;
    }

    /** Sums of random plane waves, one sum per component: Σ A cos(2π k·x/λ + φ) with a random unit k. */
    record Waves(double[][] k, double[][] amp, double[][] phase) {
        static Waves random(SplittableRandom rng, int components, int waves, double lambdaMin, double lambdaMax,
                            double ampMin, double ampMax) {
            double[][] k = new double[components][waves * 3];
            double[][] amp = new double[components][waves];
            double[][] ph = new double[components][waves];
            for (int c = 0; c < components; c++) {
                for (int w = 0; w < waves; w++) {
                    double[] dir = new double[3];
                    double norm = 0;
                    for (int a = 0; a < 3; a++) {
                        dir[a] = rng.nextGaussian();
                        norm += dir[a] * dir[a];
                    }
                    norm = Math.sqrt(norm);
                    double lambda = lambdaMin + (lambdaMax - lambdaMin) * rng.nextDouble();
                    for (int a = 0; a < 3; a++) {
                        k[c][3 * w + a] = 2 * Math.PI * dir[a] / norm / lambda;
                    }
                    amp[c][w] = (ampMin + (ampMax - ampMin) * rng.nextDouble()) / Math.sqrt(waves);
                    ph[c][w] = 2 * Math.PI * rng.nextDouble();
                }
            }
            return new Waves(k, amp, ph);
        }

        double value(int c, double x, double y, double z) {
            double s = 0;
            double[] kc = k[c];
            for (int w = 0; w < amp[c].length; w++) {
                s += amp[c][w] * Math.cos(kc[3 * w] * x + kc[3 * w + 1] * y + kc[3 * w + 2] * z + phase[c][w]);
            }
            return s;
        }
    }
}
