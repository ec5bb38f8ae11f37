package org.dopaj.brainmask;

import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Affines;

/**
 * Synthetic 2.5D training samples for the brain-mask network ({@link BrainMaskModel}), SynthStrip-style: each
 * sample is drawn from the tissue-class maps of a real anatomy ({@link TissueMaps}: MNI152, the ICBM 2009a brain
 * in the MNI head, real individual heads with their intracranial masks) with random geometry, contrast and
 * artefacts; its target comes from the same deformed labels, so the network learns shapes, not intensities.
 *
 * <p>One sample, all from one {@link Random}:
 * <ol>
 * <li>source: drawn with the given weights;</li>
 * <li>geometry: the 128³ working cube at 2 mm placed as at inference (left–right and antero-posteriorly on the
 *     head's centre of mass, its centre {@link BrainMaskModel#TOP_OFFSET_MM} below the top of the head), moved by
 *     a random 3D affine (rotations ±20° about each axis, scaling 0.85–1.15 per axis, shifts ±10 mm left–right,
 *     ±15 mm antero-posterior, ±25 mm cranio-caudal) and a smooth elastic displacement (5³ control grid, σ 0–3 mm
 *     per axis); a random plane (sagittal, coronal, axial), a random slice within ±100 mm of the cube's centre and
 *     its four neighbours (2 mm apart) as the five channels;</li>
 * <li>in 30 % thick slices: the labels averaged over 3 mm to 7 mm along one random axis of the cube;</li>
 * <li>in 50 % hard (arg-max) classes instead of partial volumes;</li>
 * <li>in 12 % an already skull-stripped image: everything outside the intracranial mask (half of these) or
 *     outside the brain mask (the other half, then nothing is labelled CSF shell) is background;</li>
 * <li>in 10 % a defaced head: non-intracranial tissue in front of an oblique plane through the face removed;</li>
 * <li>intensities: one mean per class from a T1- (30 %), T2- (12 %), PD- (8 %) or FLAIR-like (10 %) template with
 *     ±0.1 jitter, or arbitrary uniform [0,1] (40 %); background dark in 90 %; per-class texture noise; gamma
 *     0.7–1.4; a smooth multiplicative bias field (4³ control grid, up to ±40 %); in-plane Gaussian blur
 *     (σ 0–1 px); magnitude Gaussian noise (σ up to 5 % of the brightest class);</li>
 * <li>field-of-view cuts: the inferior side in 50 % (10–90 mm below the cube's centre: neck absent, or the scan
 *     ending in the cerebellum), the vertex in 12 % (55–100 mm above), the front and back in 12 % each, the left
 *     and right in 8 % each; beyond a cut the image is 0 and nothing is brain;</li>
 * <li>in 3 % the centre slice repeated in all five channels (a single 2D slice at inference);</li>
 * <li>normalisation as at inference: divided by the 97.5th percentile of head intensities (from the class means
 *     and the source's class shares, times a random 0.85–1.2), clipped to [0, 3].</li>
 * </ol>
 * Target (centre slice): 2 where the deformed brain mask ≥ 0.5, else 1 where the intracranial mask ≥ 0.5, else 0.
 * The same seed gives the same sample.
 */
public final class HeadSynthesis {
    static final int S = BrainMaskModel.SIZE;
    static final int C = BrainMaskModel.CHANNELS;
    static final double MM = BrainMaskModel.VOXEL_MM;

    /** Class means of the contrast templates: bg, CSF, GM, WM, bone, fluid, muscle, fat. */
    static final double[] T1 = {0.0, 0.15, 0.45, 0.7, 0.05, 0.2, 0.4, 0.9};
    static final double[] T2 = {0.0, 1.0, 0.55, 0.4, 0.05, 0.85, 0.3, 0.6};
    static final double[] PD = {0.0, 0.85, 0.75, 0.6, 0.05, 0.8, 0.5, 0.7};
    static final double[] FLAIR = {0.0, 0.08, 0.6, 0.45, 0.05, 0.15, 0.35, 0.7};

    /** Values per voxel in {@link #packed}: the classes, then brain, then intracranial. */
    static final int P = TissueMaps.CLASSES + 2;

    private final List<TissueMaps> sources;
    private final double[] cumulative;
    /** Per source: class weights, brain, intracranial interleaved per voxel (one cache line per voxel). */
    private final float[][] packed;

    /** @param sources tissue maps; @param weights their drawing weights (any positive scale) */
    public HeadSynthesis(List<TissueMaps> sources, double[] weights) {
        if (sources == null || sources.isEmpty() || weights == null || weights.length != sources.size()) {
            throw new DopajException("head synthesis needs tissue maps and one weight each");
        }
        this.sources = List.copyOf(sources);
        double sum = 0;
        cumulative = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0)) {
                throw new DopajException("source weights must be > 0");
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= sum;
        }
        packed = new float[sources.size()][];
        for (int j = 0; j < sources.size(); j++) {
            TissueMaps m = sources.get(j);
            float[][] ch = m.channels();
            float[] b = m.brain();
            float[] icv = m.intracranial();
            float[] pk = new float[b.length * P];
            for (int v = 0; v < b.length; v++) {
                for (int k = 0; k < TissueMaps.CLASSES; k++) {
                    pk[v * P + k] = ch[k][v];
                }
                pk[v * P + TissueMaps.CLASSES] = b[v];
                pk[v * P + TissueMaps.CLASSES + 1] = icv[v];
            }
            packed[j] = pk;
        }
    }

    public List<TissueMaps> sources() {
        return sources;
    }

    /** The sample of (seed, index): repeatable. */
    public Sample sample(long seed, long index) {
        return sample(new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 12345));
    }

    /** One random sample: input [row][column][channel] (C order), target [row][column] class indices. */
    public Sample sample(Random rng) {
        double pick = rng.nextDouble();
        int src = 0;
        while (src < cumulative.length - 1 && pick > cumulative[src]) {
            src++;
        }
        TissueMaps maps = sources.get(src);
        double[][] toVox = Affines.invert(maps.grid().affine());
        double[][] rot = BrainSynthesis.rotation(rad(rng, 20), rad(rng, 20), rad(rng, 20));
        double[] scale = {u(rng, 0.85, 1.15), u(rng, 0.85, 1.15), u(rng, 0.85, 1.15)};
        double[] centre = maps.headCentreMm();
        centre[2] = maps.headTopMm() - BrainMaskModel.TOP_OFFSET_MM;
        double[] shift = {u(rng, -10, 10), u(rng, -15, 15), u(rng, -25, 25)};
        double elastic = u(rng, 0, 3);
        double[][] disp = new double[3][];
        for (int a = 0; a < 3; a++) {
            disp[a] = gaussians(rng, 5 * 5 * 5, elastic);
        }
        BrainMaskModel.Plane plane = BrainMaskModel.Plane.values()[rng.nextInt(3)];
        int slice = (int) Math.round((S - 1) / 2.0 + u(rng, -50, 50));
        slice = Math.max(C / 2, Math.min(S - 1 - C / 2, slice));
        boolean thick = rng.nextDouble() < 0.3;
        int thickAxis = rng.nextInt(3);
        double thickness = u(rng, 3, 7);
        double[] subs = thick ? new double[] {-thickness / 3, 0, thickness / 3} : new double[] {0};

        float[] pk = packed[src];
        int K = TissueMaps.CLASSES;
        int n = S * S * C;
        float[][] w = new float[K][n];
        float[] brain = new float[n];
        float[] icv = new float[n];
        float[] pz = new float[n]; // cube mm of each pixel, for cuts and defacing
        float[] py = new float[n];
        float[] px = new float[n];
        int nx = maps.grid().nx();
        int ny = maps.grid().ny();
        int nz = maps.grid().nz();
        int[] v = new int[3];
        double[] p = new double[3];
        double[] q = new double[3];
        float share = 1f / subs.length;
        double[] d = new double[3];
        for (int c = 0; c < C; c++) {
            v[plane.sliceAxis()] = slice + c - C / 2;
            for (int r = 0; r < S; r++) {
                v[plane.rowAxis()] = r;
                for (int col = 0; col < S; col++) {
                    v[plane.columnAxis()] = col;
                    int i = (r * S + col) * C + c;
                    px[i] = (float) ((v[0] - (S - 1) / 2.0) * MM);
                    py[i] = (float) ((v[1] - (S - 1) / 2.0) * MM);
                    pz[i] = (float) ((v[2] - (S - 1) / 2.0) * MM);
                    d[0] = interp3(disp[0], v);
                    d[1] = interp3(disp[1], v);
                    d[2] = interp3(disp[2], v);
                    float outside = 0;
                    for (double off : subs) {
                        for (int a = 0; a < 3; a++) {
                            p[a] = ((v[a] - (S - 1) / 2.0) * MM + (a == thickAxis ? off : 0) + d[a]) * scale[a];
                        }
                        for (int a = 0; a < 3; a++) {
                            q[a] = centre[a] + shift[a] + rot[a][0] * p[0] + rot[a][1] * p[1] + rot[a][2] * p[2];
                        }
                        double vx = toVox[0][0] * q[0] + toVox[0][1] * q[1] + toVox[0][2] * q[2] + toVox[0][3];
                        double vy = toVox[1][0] * q[0] + toVox[1][1] * q[1] + toVox[1][2] * q[2] + toVox[1][3];
                        double vz = toVox[2][0] * q[0] + toVox[2][1] * q[1] + toVox[2][2] * q[2] + toVox[2][3];
                        int x0 = (int) Math.floor(vx);
                        int y0 = (int) Math.floor(vy);
                        int z0 = (int) Math.floor(vz);
                        double fx = vx - x0;
                        double fy = vy - y0;
                        double fz = vz - z0;
                        for (int dz = 0; dz < 2; dz++) {
                            for (int dy = 0; dy < 2; dy++) {
                                for (int dx = 0; dx < 2; dx++) {
                                    float wt = (float) ((dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy)
                                            * (dz == 0 ? 1 - fz : fz)) * share;
                                    int xx = x0 + dx;
                                    int yy = y0 + dy;
                                    int zz = z0 + dz;
                                    if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                                        outside += wt;
                                        continue;
                                    }
                                    int vi = (xx + nx * (yy + ny * zz)) * P;
                                    for (int k = 0; k < K; k++) {
                                        w[k][i] += wt * pk[vi + k];
                                    }
                                    brain[i] += wt * pk[vi + K];
                                    icv[i] += wt * pk[vi + K + 1];
                                }
                            }
                        }
                    }
                    w[TissueMaps.BACKGROUND][i] += outside;
                }
            }
        }
        if (rng.nextDouble() < 0.5) {
            harden(w);
        }
        // skull-stripped or defaced inputs
        double strip = rng.nextDouble();
        boolean strippedIcv = strip < 0.06;
        boolean strippedBrain = strip >= 0.06 && strip < 0.12;
        boolean deface = !strippedIcv && !strippedBrain && rng.nextDouble() < 0.1;
        double faceD = u(rng, 40, 70) * Math.sqrt(2);
        for (int i = 0; i < n; i++) {
            float keep;
            if (strippedIcv) {
                keep = Math.min(1, icv[i]);
            } else if (strippedBrain) {
                keep = Math.min(1, brain[i]);
            } else if (deface && py[i] - pz[i] > faceD) {
                keep = Math.min(1, icv[i]);
            } else {
                continue;
            }
            float moved = 0;
            for (int k = 1; k < K; k++) {
                float before = w[k][i];
                w[k][i] *= keep;
                moved += before - w[k][i];
            }
            w[TissueMaps.BACKGROUND][i] += moved;
        }
        // intensities
        double[] mean = classMeans(rng);
        double[] texture = new double[K];
        for (int k = 0; k < K; k++) {
            texture[k] = u(rng, 0, 0.05);
        }
        float[] img = new float[n];
        for (int i = 0; i < n; i++) {
            double val = 0;
            double sd = 0;
            for (int k = 0; k < K; k++) {
                val += w[k][i] * mean[k];
                sd += w[k][i] * texture[k];
            }
            img[i] = (float) Math.max(0, val + sd * rng.nextGaussian());
        }
        double gamma = Math.exp(u(rng, Math.log(0.7), Math.log(1.4)));
        double biasAmp = u(rng, 0, 0.4);
        double[] bias = gaussians(rng, 4 * 4 * 4, 1);
        for (int c = 0; c < C; c++) {
            v[plane.sliceAxis()] = slice + c - C / 2;
            for (int r = 0; r < S; r++) {
                v[plane.rowAxis()] = r;
                for (int col = 0; col < S; col++) {
                    v[plane.columnAxis()] = col;
                    int i = (r * S + col) * C + c;
                    img[i] = (float) (Math.exp(gamma * Math.log(img[i]) + biasAmp * interp3(bias, 4, v)));
                }
            }
        }
        double sigma = u(rng, 0, 1);
        float[] one = new float[S * S];
        for (int c = 0; c < C; c++) {
            for (int j = 0; j < S * S; j++) {
                one[j] = img[j * C + c];
            }
            BrainSynthesis.blur(one, sigma);
            for (int j = 0; j < S * S; j++) {
                img[j * C + c] = one[j];
            }
        }
        double brightest = 0;
        for (int k = 1; k < K; k++) {
            brightest = Math.max(brightest, Math.pow(mean[k], gamma));
        }
        double noise = u(rng, 0, 0.05) * brightest;
        for (int i = 0; i < n; i++) {
            img[i] = (float) Math.abs(img[i] + noise * rng.nextGaussian());
        }
        double[] fractions = strippedIcv || strippedBrain ? maps.intracranialFractions() : maps.fractions();
        double norm = BrainSynthesis.headQuantile(mean, gamma, fractions, 0.975) * u(rng, 0.85, 1.2);
        // field-of-view cuts, in cube mm
        double inf = rng.nextDouble() < 0.5 ? u(rng, -90, -10) : Double.NEGATIVE_INFINITY;
        double sup = rng.nextDouble() < 0.12 ? u(rng, 55, 100) : Double.POSITIVE_INFINITY;
        double ant = rng.nextDouble() < 0.12 ? u(rng, 40, 100) : Double.POSITIVE_INFINITY;
        double post = rng.nextDouble() < 0.12 ? u(rng, -100, -50) : Double.NEGATIVE_INFINITY;
        double right = rng.nextDouble() < 0.08 ? u(rng, 50, 90) : Double.POSITIVE_INFINITY;
        double left = rng.nextDouble() < 0.08 ? u(rng, -90, -50) : Double.NEGATIVE_INFINITY;
        boolean flat = rng.nextDouble() < 0.03;
        float[] input = new float[n];
        float[] target = new float[S * S];
        for (int i = 0; i < n; i++) {
            boolean cut = pz[i] < inf || pz[i] > sup || py[i] > ant || py[i] < post || px[i] > right
                    || px[i] < left;
            input[i] = cut ? 0f : (float) Math.min(3, img[i] / Math.max(norm, 1e-6));
            if (i % C == C / 2) {
                int label = 0;
                if (!cut && icv[i] >= 0.5f && !strippedBrain) {
                    label = 1;
                }
                if (!cut && brain[i] >= 0.5f) {
                    label = 2;
                }
                target[i / C] = label;
            }
        }
        if (flat) {
            for (int j = 0; j < S * S; j++) {
                for (int c = 0; c < C; c++) {
                    input[j * C + c] = input[j * C + C / 2];
                }
            }
        }
        return new Sample(input, target);
    }

    /** Replaces soft class weights by the one-hot arg-max class, pixel by pixel. */
    static void harden(float[][] w) {
        BrainSynthesis.harden(w);
    }

    /** Per-class means: a contrast template with jitter, or arbitrary. */
    static double[] classMeans(Random rng) {
        double pick = rng.nextDouble();
        double[] m = new double[TissueMaps.CLASSES];
        double[] tpl = pick < 0.30 ? T1 : pick < 0.42 ? T2 : pick < 0.50 ? PD : pick < 0.60 ? FLAIR : null;
        for (int k = 1; k < m.length; k++) {
            m[k] = tpl != null ? Math.max(0, Math.min(1, tpl[k] + u(rng, -0.1, 0.1))) : rng.nextDouble();
        }
        m[TissueMaps.BACKGROUND] = rng.nextDouble() < 0.9 ? u(rng, 0, 0.03) : u(rng, 0, 0.4);
        return m;
    }

    /** A sample with brain in its centre slice (the package's test input): first such draw from {@code rng}. */
    Sample testSample(Random rng) {
        for (int tries = 0; tries < 1000; tries++) {
            Sample s = sample(rng);
            double b = 0;
            for (float t : s.target()) {
                b += t == 2 ? 1 : 0;
            }
            if (b > 0.15 * S * S) {
                return s;
            }
        }
        throw new DopajException("no synthetic sample with brain found");
    }

    private static double[] gaussians(Random rng, int n, double sd) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = sd * rng.nextGaussian();
        }
        return g;
    }

    /** Trilinear value of a 5³ control grid spanning the cube at cube voxel v. */
    private static double interp3(double[] g, int[] v) {
        return interp3(g, 5, v);
    }

    static double interp3(double[] g, int m, int[] v) {
        double tx = v[0] * (m - 1) / (double) (S - 1);
        double ty = v[1] * (m - 1) / (double) (S - 1);
        double tz = v[2] * (m - 1) / (double) (S - 1);
        int x0 = Math.max(0, Math.min(m - 2, (int) tx));
        int y0 = Math.max(0, Math.min(m - 2, (int) ty));
        int z0 = Math.max(0, Math.min(m - 2, (int) tz));
        double fx = tx - x0;
        double fy = ty - y0;
        double fz = tz - z0;
        int i = x0 + m * (y0 + m * z0);
        int mm = m * m;
        double c00 = g[i] * (1 - fx) + g[i + 1] * fx;
        double c10 = g[i + m] * (1 - fx) + g[i + m + 1] * fx;
        double c01 = g[i + mm] * (1 - fx) + g[i + mm + 1] * fx;
        double c11 = g[i + mm + m] * (1 - fx) + g[i + mm + m + 1] * fx;
        return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
    }

    private static double rad(Random rng, double deg) {
        return Math.toRadians(u(rng, -deg, deg));
    }

    private static double u(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
