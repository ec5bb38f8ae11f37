package org.dopaj.brainmask;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Affines;

/**
 * The 2D (single-slice) synthesis of the v3 brain-mask model, kept for its helpers (rotations, blur, hard classes,
 * head quantile) that {@link HeadSynthesis} — the v4 training synthesis — shares, and for
 * {@link #volume}, the whole synthetic volumes of the evaluation suite. The bundled v4 model is not trained with it.
 *
 * <p>Original description:
 * Synthetic training slices for the brain-mask network, drawn SynthStrip-style from tissue-class maps
 * ({@link TissueMaps}): every sample is a fresh random image whose intensities, contrast, artefacts and
 * geometry are random, while its target (the brain mask) comes from the same deformed labels.
 *
 * <p>One sample, all from one {@link Random}:
 * <ol>
 * <li>source: the first tissue map, or with 30 % probability the second when two are given (the bundled model:
 *     MNI152, and the ICBM 2009a brain in the MNI head: {@link TrainBrainMask#synthesis});</li>
 * <li>geometry: a sagittal slice of the network's 128×128 2 mm field at a random left–right position
 *     (±96 mm from the head's centre, so slices without brain occur), centred like the inference window
 *     (antero-posteriorly the head's centre of mass, cranio-caudally 110 mm below the top of the head), through a random 3D affine (rotations
 *     ±25° about each axis, scaling 0.85–1.15 per axis, shifts ±15 mm antero-posterior and ±20 mm
 *     cranio-caudal) and a smooth random elastic displacement (5×5 control grid, σ 0–3 mm per axis);
 *     in 30 % a thick slab (three planes 1–3 mm apart averaged);</li>
 * <li>intensities: one mean per class — T1-like (25 %), T2-like (15 %), PD-like (10 %) templates with ±0.1
 *     jitter, or arbitrary uniform [0,1] (50 %) — background dark in 90 %; per-class texture noise; partial
 *     volume from the soft class maps, or (50 %) hard arg-max classes with crisp borders, as SynthStrip's label
 *     maps give;</li>
 * <li>artefacts: gamma 0.7–1.4, a smooth multiplicative bias field (4×4 control grid, up to ±40 %),
 *     Gaussian blur (σ 0–1.2 px), in 30 % a resolution loss along one in-plane axis (box average over 2–3
 *     pixels, linear re-interpolation: thick slices of another acquisition plane), Gaussian noise (σ up to
 *     5 % of the brightest class) taken in magnitude (Rician-like);</li>
 * <li>in half the samples a field-of-view cut: everything below a random height (10–90 mm below the window's
 *     centre) set to 0 and non-brain, as when a scan ends in the cerebellum or the neck;</li>
 * <li>normalisation as at inference ({@link BrainMasker#normaliser}): divided by the 97.5th percentile of the
 *     head's intensities (computed from the class means weighted by their voxel shares, times a random
 *     0.85–1.2 for the error of that estimate), clipped to [0, 3].</li>
 * </ol>
 * Target: the deformed brain mask sampled trilinearly, ≥ 0.5 → 1. The same seed gives the same sample.
 */
public final class BrainSynthesis {
    static final int S = BrainMaskModel.SIZE;
    static final double MM = BrainMaskModel.VOXEL_MM;

    /** Class means of the contrast templates: bg, CSF, GM, WM, bone, fluid, muscle, fat. */
    static final double[] T1 = {0.0, 0.15, 0.45, 0.7, 0.05, 0.2, 0.4, 0.9};
    static final double[] T2 = {0.0, 1.0, 0.55, 0.4, 0.05, 0.85, 0.3, 0.6};
    static final double[] PD = {0.0, 0.85, 0.75, 0.6, 0.05, 0.8, 0.5, 0.7};

    private final List<TissueMaps> sources;
    private final BrainMaskModel.Plane plane;

    /** Sagittal slices. @param sources tissue maps; the first is drawn 70 % of the time when there are two */
    public BrainSynthesis(List<TissueMaps> sources) {
        this(sources, BrainMaskModel.Plane.SAGITTAL);
    }

    /**
     * Slices of {@code plane}: sagittal (rows S–I, columns A–P), coronal (rows S–I, columns L→R) or axial (rows
     * P→A, columns L→R). The same random draws in the same order for every plane: the slice position (sagittal
     * ±96 mm; coronal ±110 mm about the head's centre; axial −110…+100 mm about the window centre) and the in-plane
     * shifts are the sagittal ones rescaled; axial slices get no field-of-view cut (their rows are not S–I).
     */
    public BrainSynthesis(List<TissueMaps> sources, BrainMaskModel.Plane plane) {
        if (sources == null || sources.isEmpty()) {
            throw new DopajException("brain synthesis needs at least one tissue map");
        }
        this.sources = List.copyOf(sources);
        this.plane = plane;
    }

    /** The sample of (seed, index): repeatable. */
    public Sample sample(long seed, long index) {
        return sample(new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 12345));
    }

    /** One random synthetic slice and its brain mask, both [row = S–I][column = A–P], C order. */
    public Sample sample(Random rng) {
        TissueMaps maps = sources.size() > 1 && rng.nextDouble() < 0.3 ? sources.get(1) : sources.get(0);
        double[][] toVox = Affines.invert(maps.grid().affine());
        // Geometry: output point (slice mm, relative) -> source mm.
        double[][] rot = rotation(rad(rng, 25), rad(rng, 25), rad(rng, 25));
        double[] scale = {u(rng, 0.85, 1.15), u(rng, 0.85, 1.15), u(rng, 0.85, 1.15)};
        // Window centre as at inference: antero-posteriorly the head's centre of mass, cranio-caudally
        // BrainMaskModel.TOP_OFFSET_MM below the top of the head; then the random shift.
        double[] centre = maps.headCentreMm();
        centre[2] = maps.headTopMm() - BrainMaskModel.TOP_OFFSET_MM;
        double[] shift = {0, u(rng, -15, 15), u(rng, -20, 20)};
        double xs = u(rng, -96, 96);
        if (plane == BrainMaskModel.Plane.CORONAL) {
            shift = new double[] {shift[1], 0, shift[2]};
            xs *= 110.0 / 96;
        } else if (plane == BrainMaskModel.Plane.AXIAL) {
            shift = new double[] {shift[1], shift[2] * 0.75, 0};
            xs = xs * 105.0 / 96 - 5;
        }
        int sliceAxis = plane.sliceAxis();
        int colAxis = plane.columnAxis();
        int rowAxis = plane.rowAxis();
        double elastic = u(rng, 0, 3);
        float[][] disp = new float[3][];
        for (int a = 0; a < 3; a++) {
            disp[a] = smoothField(rng, 5, elastic);
        }
        double[] offsets = rng.nextDouble() < 0.3 ? new double[] {-1, 0, 1} : new double[] {0};
        double slab = u(rng, 1, 3);

        float[][] ch = maps.channels();
        float[] brainMap = maps.brain();
        int K = TissueMaps.CLASSES;
        float[][] w = new float[K][S * S];
        float[] brain = new float[S * S];
        int nx = maps.grid().nx();
        int ny = maps.grid().ny();
        int nz = maps.grid().nz();
        double[] p = new double[3];
        double[] q = new double[3];
        for (double off : offsets) {
            float share = 1f / offsets.length;
            for (int r = 0; r < S; r++) {
                for (int c = 0; c < S; c++) {
                    int i = r * S + c;
                    p[sliceAxis] = (xs + off * slab + disp[sliceAxis][i]) * scale[sliceAxis];
                    p[colAxis] = ((c - (S - 1) / 2.0) * MM + disp[colAxis][i]) * scale[colAxis];
                    p[rowAxis] = ((r - (S - 1) / 2.0) * MM + disp[rowAxis][i]) * scale[rowAxis];
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
                    float outside = 0;
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
                                int v = xx + nx * (yy + ny * zz);
                                for (int k = 0; k < K; k++) {
                                    w[k][i] += wt * ch[k][v];
                                }
                                brain[i] += wt * brainMap[v];
                            }
                        }
                    }
                    w[TissueMaps.BACKGROUND][i] += outside;
                }
            }
        }

        // In half the samples the class weights are hardened (arg-max per pixel), as SynthStrip draws its images
        // from hard label maps: a real individual head has crisper tissue borders than the soft partial-volume
        // maps of an averaged template, and the mask must follow a crisp grey-matter edge too.
        if (rng.nextDouble() < 0.5) {
            harden(w);
        }
        // Intensities.
        double[] mean = classMeans(rng);
        double[] texture = new double[K];
        for (int k = 0; k < K; k++) {
            texture[k] = u(rng, 0, 0.05);
        }
        float[] img = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            double v = 0;
            double sd = 0;
            for (int k = 0; k < K; k++) {
                v += w[k][i] * mean[k];
                sd += w[k][i] * texture[k];
            }
            img[i] = (float) Math.max(0, v + sd * rng.nextGaussian());
        }
        double gamma = Math.exp(u(rng, Math.log(0.7), Math.log(1.4)));
        double biasAmp = u(rng, 0, 0.4);
        float[] bias = smoothField(rng, 4, 1);
        for (int i = 0; i < S * S; i++) {
            img[i] = (float) (Math.pow(img[i], gamma) * Math.exp(biasAmp * bias[i]));
        }
        blur(img, u(rng, 0, 1.2));
        if (rng.nextDouble() < 0.3) {
            thickAxis(img, rng.nextBoolean(), 2 + rng.nextInt(2));
        }
        double brightest = 0;
        for (int k = 1; k < K; k++) {
            brightest = Math.max(brightest, Math.pow(mean[k], gamma));
        }
        double noise = u(rng, 0, 0.05) * brightest;
        for (int i = 0; i < S * S; i++) {
            img[i] = (float) Math.abs(img[i] + noise * rng.nextGaussian());
        }
        double norm = headQuantile(mean, gamma, maps.fractions(), 0.975) * u(rng, 0.85, 1.2);
        // Field-of-view cut (half the samples): real scans often end inferiorly somewhere between the neck and the
        // cerebellum; below the cut the image is 0 (what resampling outside the scan gives) and nothing is brain.
        // Without it, a head cut off by its field of view lost the brain above the cut (Dice 0.90 → 0.97 on the
        // MNI152 head when its lowest plane was repeated downwards, measured with the model trained without it).
        int cutRow = rng.nextDouble() < 0.5 ? (int) Math.round((S - 1) / 2.0 + u(rng, -90, -10) / MM) : -1;
        if (plane == BrainMaskModel.Plane.AXIAL) {
            cutRow = -1;
        }
        float[] target = new float[S * S];
        for (int i = 0; i < S * S; i++) {
            boolean cut = i / S < cutRow;
            img[i] = cut ? 0f : (float) Math.min(3, img[i] / Math.max(norm, 1e-6));
            target[i] = !cut && brain[i] >= 0.5f ? 1 : 0;
        }
        return new Sample(img, target);
    }

    /** Replaces soft class weights by the one-hot arg-max class, pixel by pixel. */
    static void harden(float[][] w) {
        for (int i = 0; i < w[0].length; i++) {
            int best = 0;
            for (int k = 1; k < w.length; k++) {
                if (w[k][i] > w[best][i]) {
                    best = k;
                }
            }
            for (int k = 0; k < w.length; k++) {
                w[k][i] = k == best ? 1f : 0f;
            }
        }
    }

    /** A T1-like synthetic slice with brain in it (the model package's test input): first such draw from {@code rng}. */
    static float[] testSlice(BrainSynthesis synth, Random rng) {
        for (int tries = 0; tries < 1000; tries++) {
            Sample s = synth.sample(rng);
            double brain = 0;
            for (float t : s.target()) {
                brain += t;
            }
            if (brain > 0.15 * S * S) {
                return s.input();
            }
        }
        throw new DopajException("no synthetic slice with brain found");
    }

    /**
     * A whole synthetic head volume on the maps' grid for evaluation: class means {@code means} (indexed as
     * {@link TissueMaps} classes) mixed by the soft maps, a linear bias of ±{@code bias} across the left–right axis,
     * and magnitude Gaussian noise of standard deviation {@code noise}; its reference is {@link TissueMaps#brainVolume()}.
     */
    public static org.dopaj.image.Volume volume(TissueMaps maps, double[] means, double bias, double noise, long seed) {
        if (means.length != TissueMaps.CLASSES) {
            throw new DopajException("need " + TissueMaps.CLASSES + " class means, got " + means.length);
        }
        Random rng = new Random(seed);
        org.dopaj.image.Grid g = maps.grid();
        float[][] ch = maps.channels();
        float[] out = new float[ch[0].length];
        for (int i = 0; i < out.length; i++) {
            double v = 0;
            for (int k = 0; k < TissueMaps.CLASSES; k++) {
                v += ch[k][i] * means[k];
            }
            int x = i % g.nx();
            v *= 1 + bias * (2.0 * x / (g.nx() - 1) - 1);
            out[i] = (float) Math.abs(v + noise * rng.nextGaussian());
        }
        return org.dopaj.image.Volume.of(g, out);
    }

    /** Per-class means: a contrast template with jitter, or arbitrary. */
    static double[] classMeans(Random rng) {
        double pick = rng.nextDouble();
        double[] m = new double[TissueMaps.CLASSES];
        double[] tpl = pick < 0.25 ? T1 : pick < 0.40 ? T2 : pick < 0.5 ? PD : null;
        for (int k = 1; k < m.length; k++) {
            m[k] = tpl != null ? clamp(tpl[k] + u(rng, -0.1, 0.1)) : rng.nextDouble();
        }
        m[TissueMaps.BACKGROUND] = rng.nextDouble() < 0.9 ? u(rng, 0, 0.03) : u(rng, 0, 0.4);
        return m;
    }

    /** The {@code quantile} of head intensities when each class has its mean: weighted over class shares. */
    static double headQuantile(double[] mean, double gamma, double[] fractions, double quantile) {
        Integer[] order = new Integer[mean.length - 1];
        for (int k = 1; k < mean.length; k++) {
            order[k - 1] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mean[a], mean[b]));
        double acc = 0;
        for (int k : order) {
            acc += fractions[k];
            if (acc >= quantile) {
                return Math.pow(mean[k], gamma);
            }
        }
        return Math.pow(mean[order[order.length - 1]], gamma);
    }

    /** A smooth field on the S×S slice: an n×n grid of N(0, sd) values, bilinearly interpolated. */
    static float[] smoothField(Random rng, int n, double sd) {
        double[] g = new double[n * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = sd * rng.nextGaussian();
        }
        float[] f = new float[S * S];
        for (int r = 0; r < S; r++) {
            double gr = r * (n - 1) / (double) (S - 1);
            int r0 = Math.min(n - 2, (int) gr);
            double fr = gr - r0;
            for (int c = 0; c < S; c++) {
                double gc = c * (n - 1) / (double) (S - 1);
                int c0 = Math.min(n - 2, (int) gc);
                double fc = gc - c0;
                f[r * S + c] = (float) ((1 - fr) * ((1 - fc) * g[r0 * n + c0] + fc * g[r0 * n + c0 + 1])
                        + fr * ((1 - fc) * g[(r0 + 1) * n + c0] + fc * g[(r0 + 1) * n + c0 + 1]));
            }
        }
        return f;
    }

    /** Separable Gaussian blur in place, σ in pixels (no-op below 0.2), edges clamped. */
    static void blur(float[] img, double sigma) {
        if (sigma < 0.2) {
            return;
        }
        int rad = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * rad + 1];
        double sum = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[img.length];
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                double v = 0;
                for (int d = -rad; d <= rad; d++) {
                    v += k[d + rad] * img[r * S + Math.min(S - 1, Math.max(0, c + d))];
                }
                tmp[r * S + c] = (float) v;
            }
        }
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                double v = 0;
                for (int d = -rad; d <= rad; d++) {
                    v += k[d + rad] * tmp[Math.min(S - 1, Math.max(0, r + d)) * S + c];
                }
                img[r * S + c] = (float) v;
            }
        }
    }

    /** Thick-slice simulation along rows ({@code alongRows}) or columns: box means over f pixels, linearly re-interpolated. */
    static void thickAxis(float[] img, boolean alongRows, int f) {
        int nb = (S + f - 1) / f;
        float[] line = new float[S];
        double[] box = new double[nb];
        for (int o = 0; o < S; o++) {
            for (int i = 0; i < S; i++) {
                line[i] = alongRows ? img[i * S + o] : img[o * S + i];
            }
            for (int b = 0; b < nb; b++) {
                double s = 0;
                int cnt = 0;
                for (int i = b * f; i < Math.min(S, (b + 1) * f); i++) {
                    s += line[i];
                    cnt++;
                }
                box[b] = s / cnt;
            }
            for (int i = 0; i < S; i++) {
                double pos = (i + 0.5) / f - 0.5;
                int b0 = (int) Math.floor(pos);
                double fr = pos - b0;
                double a = box[Math.max(0, Math.min(nb - 1, b0))];
                double b = box[Math.max(0, Math.min(nb - 1, b0 + 1))];
                float v = (float) ((1 - fr) * a + fr * b);
                if (alongRows) {
                    img[i * S + o] = v;
                } else {
                    img[o * S + i] = v;
                }
            }
        }
    }

    /** Rotation matrix Rz·Ry·Rx. */
    static double[][] rotation(double ax, double ay, double az) {
        double[][] rx = {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}};
        double[][] ry = {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}};
        double[][] rz = {{Math.cos(az), -Math.sin(az), 0}, {Math.sin(az), Math.cos(az), 0}, {0, 0, 1}};
        return mul(rz, mul(ry, rx));
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double rad(Random rng, double deg) {
        return Math.toRadians(u(rng, -deg, deg));
    }

    private static double u(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
