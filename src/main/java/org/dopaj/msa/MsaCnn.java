package org.dopaj.msa;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The MSA-vs-PD network and its input convention, shared by training, export and inference.
 *
 * <p>Input: GD and/or MD maps on the MNI152 2 mm grid (91×109×91), channels last in the order of
 * {@link MsaModality#channels()} (GD first). GD is used as it comes (modulated GM, 8 mm smoothed, 0…1.5); MD (mm²/s)
 * is smoothed with a {@value #MD_FWHM_MM} mm FWHM Gaussian, multiplied by 1000 (µm²/ms) and clipped to [0, 4] by
 * {@link #prepareMd} before the model. The exported graph averages 2×2×2 blocks first (a 4 mm grid, 46×55×46); training
 * feeds that 4 mm grid directly ({@link #pooled}), identical to the in-graph pooling (as {@code DatCnn}).
 *
 * <p>After pooling, each channel is normalised per subject ({@link Normalisation}, named by the package's
 * {@code config.dopaj.input_normalisation}): since package version 2 a robust z within the subject's own tissue
 * reference ({@link Normalisation#ROBUST}: invariant to a global gain and offset of either map); in version 1 packages
 * each channel was divided by the subject's own brain mean (a global level that differs between
 * scanners, segmentations and templates) and then standardised voxel by voxel against the training subjects
 * ({@link #standardisation} of levelled inputs; constants of the graph): a voxel-wise z-map like the paper's z-score
 * analysis, so the convolutions see deviations (atrophy, diffusivity rise) rather than anatomy or global level.
 *
 * <p>A <b>region branch</b> (as the DaT-SPECT network's binding branch) hands the head the mean z of each channel in
 * five fixed regions — left and right putamen, cerebellum, pons, middle cerebellar peduncles ({@link #REGIONS}, from
 * family A's anatomy, constants of the graph) — through a dense layer of 16 units; it is joined to the convolutional
 * branch before the last layer. The CAM explains the convolutional branch.
 *
 * <p>Convolutional branch (small on purpose: the training budget of the whole capability is an hour of one CPU
 * core): 3³ conv → batch norm → ReLU blocks of 6 and 12 channels with 2³ max pooling after each (4 → 8 → 16 mm cells),
 * then two blocks of 24 and 32 channels on the 16 mm grid (12×14×12), global average pooling, dropout 0.3; joined to
 * the region branch, then 2 logits (PD, MSA). The class-activation map is Grad-CAM of the MSA logit on the last block
 * (16 mm cells), upsampled to the 2 mm input grid (docs/cam.md).
 *
 * <p>Why not a flatten + dense head (as the DaT-SPECT network): with a few hundred training subjects it did not learn at
 * all here (training loss stuck at ln 2 for 5 epochs, measured 2026-12-06, three variants), while the region branch
 * alone reached 0.85 validation accuracy in 4 epochs; global average pooling of z-maps (a deviation is a deviation
 * wherever it lies; the region branch says where) learnt as fast as the region branch.
 */
public final class MsaCnn {
    public static final String[] LABELS = {"PD", "MSA"};
    public static final int NX = 91;
    public static final int NY = 109;
    public static final int NZ = 91;
    public static final int PX = 46;
    public static final int PY = 55;
    public static final int PZ = 46;
    /** Voxels of one 4 mm channel. */
    public static final int SIZE = PX * PY * PZ;
    /** MD smoothing before the network (FWHM, mm). */
    public static final double MD_FWHM_MM = 4;
    /** Channel widths of the four blocks. */
    static final int[] WIDTHS = {6, 12, 24, 32};

    private MsaCnn() {
    }

    /** The model id of a task and modality, e.g. {@code msa-pd-gd-md}, {@code msa-p-pd-gd}. */
    public static String modelId(MsaTask task, MsaModality modality) {
        return task.id() + "-pd-" + modality.id();
    }

    /**
     * The network. {@code mean} and {@code sd} ([x][y][z][c] on the 4 mm grid, the training subjects' voxel-wise mean
     * and standard deviation) are constants of the graph: the first operation after pooling turns each input into a
     * voxel-wise z-map against the training population, (x − mean) / max(sd, floor), so that the convolutions see
     * deviations (atrophy, diffusivity rise) rather than anatomy.
     */
    public static Network network(float[] mean, float[] sd, float[][] regions, float[] brain) {
        return network(mean, sd, new Regions(regions, brain, null), Normalisation.BRAIN_MEAN);
    }

    /**
     * The network with the per-subject input normalisation {@code norm} (first operation after pooling, inside the
     * graph, so that training, export and every user of the SavedModel share it), then the voxel-wise z against the
     * training subjects ({@code mean}, {@code sd} of {@link #standardisation} of inputs normalised the same way).
     */
    public static Network network(float[] mean, float[] sd, Regions regions, Normalisation norm) {
        return (b, x) -> {
            if (x.shape().size(1) == NX) {
                x = b.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2});
            }
            org.tensorflow.op.Ops tf = b.ops();
            int c = (int) x.shape().size(4);
            Operand<TFloat32> w = tf.constant(regions.weights());
            float[][] brainCol = new float[SIZE][1];
            for (int i = 0; i < SIZE; i++) {
                brainCol[i][0] = regions.brain()[i];
            }
            Operand<TFloat32> bw = tf.constant(brainCol);
            Operand<org.tensorflow.types.TInt32> ref = norm == Normalisation.BRAIN_MEAN ? null
                    : tf.constant(regions.reference());
            // outside the brain mask the normalised maps are 0 (as the raw MD map is): no per-subject constant there
            float[][] sup = new float[1][SIZE];
            for (int i = 0; i < SIZE; i++) {
                sup[0][i] = regions.brain()[i] > 0 ? 1 : 0;
            }
            Operand<TFloat32> support = tf.constant(sup);
            List<Operand<TFloat32>> zs = new java.util.ArrayList<>();
            List<Operand<TFloat32>> feats = new java.util.ArrayList<>();
            for (int k = 0; k < c; k++) {
                Operand<TFloat32> ch = tf.reshape(tf.slice(x, tf.constant(new int[] {0, 0, 0, 0, k}),
                        tf.constant(new int[] {-1, -1, -1, -1, 1})), tf.constant(new long[] {-1, SIZE}));
                if (norm == Normalisation.BRAIN_MEAN) {
                    // 1. divide by the subject's own brain mean (global level: scanner, segmentation, template)
                    Operand<TFloat32> level = tf.math.maximum(tf.linalg.matMul(ch, bw), tf.constant(1e-6f));
                    ch = tf.math.div(ch, level);
                } else {
                    // 1. robust z of the channel in the subject's own tissue reference: (x - median) / (IQR / 1.349)
                    ch = tf.math.mul(robustZ(tf, ch, ref, regions.reference().length), support);
                    if (norm == Normalisation.ROBUST_CLIPPED) {
                        ch = tf.math.minimum(tf.math.maximum(ch, tf.constant(-CLIP_Z)), tf.constant(CLIP_Z));
                    }
                }
                // 2. voxel-wise z against the training subjects
                float[] mk = new float[SIZE];
                float[] ik = new float[SIZE];
                for (int i = 0; i < SIZE; i++) {
                    mk[i] = mean[i * c + k];
                    ik[i] = 1f / sd[i * c + k];
                }
                ch = tf.math.mul(tf.math.sub(ch, tf.constant(new float[][] {mk})), tf.constant(new float[][] {ik}));
                if (norm == Normalisation.ROBUST_RECENTRED) {
                    // 3. the z-map recentred and rescaled on the subject's own reference (a generator's global offset
                    // and contrast of deviations; disease is local and moves median and IQR little)
                    ch = tf.math.mul(robustZ(tf, ch, ref, regions.reference().length), support);
                }
                zs.add(ch);
                // region branch: mean z in the fixed regions
                feats.add(tf.linalg.matMul(ch, w));
            }
            Operand<TFloat32> z = zs.size() == 1 ? tf.expandDims(zs.get(0), tf.constant(2))
                    : tf.stack(zs, org.tensorflow.op.core.Stack.axis(2L));
            x = tf.reshape(z, tf.constant(new long[] {-1, PX, PY, PZ, c}));
            Operand<TFloat32> g = feats.size() == 1 ? feats.get(0) : tf.concat(feats, tf.constant(1));
            g = b.relu(b.dense(g, 16, true));
            x = b.convBnRelu3d(x, WIDTHS[0], 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, WIDTHS[1], 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, WIDTHS[2], 3);
            x = b.convBnRelu3d(x, WIDTHS[3], 3);
            b.markCamLayer(x, CamMethod.GRAD_CAM);
            Operand<TFloat32> f = b.dropout(b.globalAvgPool(x), 0.3f);
            f = b.concat(f, g);
            return b.dense(f, 2, true);
        };
    }

    /** Bound of the robust z of {@link Normalisation#ROBUST_CLIPPED}. */
    public static final float CLIP_Z = 8f;

    /** Descending ranks (0-based, of n reference values) of the upper quartile, the median and the lower quartile. */
    static int[] quartileRanks(int n) {
        return new int[] {n / 4, n / 2, 3 * n / 4};
    }

    /** In the graph: (x − median) / max(IQR / 1.349, 1e-6) over the reference voxels, per batch row of x [-1, SIZE]. */
    static Operand<TFloat32> robustZ(org.tensorflow.op.Ops tf, Operand<TFloat32> ch,
                                     Operand<org.tensorflow.types.TInt32> ref, int n) {
        int[] r = quartileRanks(n);
        Operand<TFloat32> v = tf.gather(ch, ref, tf.constant(1));
        Operand<TFloat32> top = tf.nn.topK(v, tf.constant(r[2] + 1), new org.tensorflow.op.nn.TopK.Options[0]).values();
        Operand<TFloat32> hi = tf.slice(top, tf.constant(new int[] {0, r[0]}), tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> med = tf.slice(top, tf.constant(new int[] {0, r[1]}), tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> lo = tf.slice(top, tf.constant(new int[] {0, r[2]}), tf.constant(new int[] {-1, 1}));
        Operand<TFloat32> spread = tf.math.maximum(tf.math.mul(tf.math.sub(hi, lo), tf.constant(1f / 1.349f)),
                tf.constant(1e-6f));
        return tf.math.div(tf.math.sub(ch, med), spread);
    }

    /**
     * The per-subject input normalisation of a package ({@code config.dopaj.input_normalisation}); applied inside the
     * graph, first thing after the 4 mm pooling.
     */
    public enum Normalisation {
        /**
         * Packages before 2026-12-07 (no {@code input_normalisation} field): each channel divided by its mean over the
         * brain mask (which includes CSF, so an MD map's level depends on the CSF share).
         */
        BRAIN_MEAN("brain-mean-v1"),
        /**
         * Each channel as a robust z in the subject's own tissue reference (voxels that are ≥ 90 % GM + WM in the
         * MNI152 FAST maps at 4 mm): (x − median) / (IQR / 1.349). Invariant to a global gain and offset of either map.
         */
        ROBUST("tissue-robust-z-v2"),
        /** {@link #ROBUST}, and the voxel-wise z-map again recentred and rescaled robustly on the same reference. */
        ROBUST_RECENTRED("tissue-robust-z-recentred-v2"),
        /**
         * {@link #ROBUST} clipped to ±{@value MsaCnn#CLIP_Z}: values that far from the subject's tissue median are not
         * tissue (CSF partial volume in MD, whose amount at a given MNI voxel depends on template and registration).
         */
        ROBUST_CLIPPED("tissue-robust-z-clipped-v2");

        private final String id;

        Normalisation(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The normalisation of a package's field; null or absent = {@link #BRAIN_MEAN}; unknown: a one-line error. */
        public static Normalisation parse(Object field) {
            if (field == null) {
                return BRAIN_MEAN;
            }
            for (Normalisation n : values()) {
                if (n.id.equals(field.toString())) {
                    return n;
                }
            }
            throw new DopajException("input_normalisation '" + field + "' is not known to this DopaJ (it knows "
                    + java.util.Arrays.stream(values()).map(Normalisation::id).toList() + "): a newer DopaJ made this"
                    + " model package; update DopaJ");
        }
    }

    /** Training spec: 4 mm input; {@code stats} = {mean, sd} of {@link #standardisation}. */
    public static ModelSpec trainingSpec(String id, int channels, float[][] stats, Regions regions) {
        return trainingSpec(id, channels, stats, regions, Normalisation.BRAIN_MEAN);
    }

    /** Training spec with the input normalisation {@code norm}. */
    public static ModelSpec trainingSpec(String id, int channels, float[][] stats, Regions regions, Normalisation norm) {
        return new ModelSpec(id, new long[] {PX, PY, PZ, channels}, new Task.Classification(2, 1),
                network(stats[0], stats[1], regions, norm));
    }

    /** Export spec: 2 mm input, pooled in the graph; Grad-CAM of the MSA logit. */
    public static ModelSpec exportSpec(String id, int channels, float[][] stats, Regions regions) {
        return exportSpec(id, channels, stats, regions, Normalisation.BRAIN_MEAN);
    }

    /** Export spec with the input normalisation {@code norm}. */
    public static ModelSpec exportSpec(String id, int channels, float[][] stats, Regions regions, Normalisation norm) {
        return new ModelSpec(id, new long[] {NX, NY, NZ, channels}, new Task.Classification(2, 1),
                network(stats[0], stats[1], regions, norm));
    }

    /**
     * Region weights [4 mm voxel][region], the brain weights [4 mm voxel] (each summing to 1) and the tissue reference
     * of the robust normalisation (indices of 4 mm voxels, ascending: brain voxels that are ≥ 90 % GM + WM).
     */
    public record Regions(float[][] weights, float[] brain, int[] reference) {
        /** Share of GM + WM a 4 mm voxel needs to belong to the tissue reference. */
        static final float REFERENCE_TISSUE = 0.9f;

        public static Regions of(MsaAnatomy a) {
            float[] p = pooled(Volume.of(a.grid(), a.brain().clone()));
            double s = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] > 0.5f ? 1 : 0;
                s += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= (float) s;
            }
            float[] gm = a.map(MsaAnatomy.GM);
            float[] wm = a.map(MsaAnatomy.WM);
            float[] t = new float[gm.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = gm[i] + wm[i];
            }
            float[] tp = pooled(Volume.of(a.grid(), t));
            int n = 0;
            int[] ref = new int[SIZE];
            for (int i = 0; i < SIZE; i++) {
                if (p[i] > 0 && tp[i] >= REFERENCE_TISSUE) {
                    ref[n++] = i;
                }
            }
            return new Regions(regionWeights(a), p, java.util.Arrays.copyOf(ref, n));
        }

        /** An input [x][y][z][c] normalised as the graph does first ({@code norm}'s step 1). */
        public float[] normalised(float[] x, int c, Normalisation norm) {
            if (norm == Normalisation.BRAIN_MEAN) {
                return levelled(x, c);
            }
            float[] y = x.clone();
            int n = reference.length;
            int[] r = quartileRanks(n);
            float[] v = new float[n];
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < n; i++) {
                    v[i] = x[reference[i] * c + k];
                }
                java.util.Arrays.sort(v);
                float hi = v[n - 1 - r[0]];
                float med = v[n - 1 - r[1]];
                float lo = v[n - 1 - r[2]];
                float spread = Math.max((hi - lo) * (1f / 1.349f), 1e-6f);
                for (int i = 0; i < SIZE; i++) {
                    float z = brain[i] > 0 ? (x[i * c + k] - med) / spread : 0f;
                    y[i * c + k] = norm == Normalisation.ROBUST_CLIPPED ? Math.max(-CLIP_Z, Math.min(CLIP_Z, z)) : z;
                }
            }
            return y;
        }

        /** An input [x][y][z][c] with each channel divided by its brain mean (what the graph does first). */
        public float[] levelled(float[] x, int c) {
            float[] y = x.clone();
            for (int k = 0; k < c; k++) {
                double m = 0;
                for (int i = 0; i < SIZE; i++) {
                    m += brain[i] * x[i * c + k];
                }
                float inv = (float) (1 / Math.max(1e-6, m));
                for (int i = 0; i < SIZE; i++) {
                    y[i * c + k] *= inv;
                }
            }
            return y;
        }
    }

    /** Regions of the region branch, in column order. */
    public static final String[] REGIONS = {"putamen_l", "putamen_r", "cerebellum", "pons", "mcp"};

    /**
     * The region weights [4 mm voxel][region] of the region branch from an anatomy (family A's: AAL putamen and
     * cerebellum, MNI ellipsoids for pons and MCP), each column summing to 1.
     */
    public static float[][] regionWeights(MsaAnatomy a) {
        int[] maps = {MsaAnatomy.PUT_L, MsaAnatomy.PUT_R, MsaAnatomy.CEREBELLUM, MsaAnatomy.PONS, MsaAnatomy.MCP};
        float[][] w = new float[SIZE][maps.length];
        for (int r = 0; r < maps.length; r++) {
            float[] src = a.map(maps[r]);
            float[] bin = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                bin[i] = src[i] > 0 ? 1 : 0;
            }
            float[] p = pooled(Volume.of(a.grid(), bin));
            double sum = 0;
            for (float v : p) {
                sum += v;
            }
            for (int i = 0; i < SIZE; i++) {
                w[i][r] = (float) (p[i] / sum);
            }
        }
        return w;
    }

    /**
     * Voxel-wise mean and standard deviation ([x][y][z][c], 4 mm) of training inputs; the sd is floored at a quarter
     * of its median over voxels with signal (so that empty background does not blow up) and at 1e-3.
     */
    public static float[][] standardisation(java.util.List<float[]> inputs) {
        return standardisation(inputs, false);
    }

    /**
     * As {@link #standardisation(java.util.List)}; {@code normalised}: inputs of a robust normalisation (signed, 0
     * outside the brain), whose sd floor is a quarter of the median sd over voxels that vary at all.
     */
    public static float[][] standardisation(java.util.List<float[]> inputs, boolean normalised) {
        int n = inputs.size();
        int len = inputs.get(0).length;
        float[] mean = new float[len];
        float[] sd = new float[len];
        for (float[] x : inputs) {
            for (int i = 0; i < len; i++) {
                mean[i] += x[i] / n;
            }
        }
        for (float[] x : inputs) {
            for (int i = 0; i < len; i++) {
                float d = x[i] - mean[i];
                sd[i] += d * d / Math.max(1, n - 1);
            }
        }
        float[] sorted = new float[len];
        int m = 0;
        for (int i = 0; i < len; i++) {
            sd[i] = (float) Math.sqrt(sd[i]);
            if (normalised ? sd[i] > 1e-6f : mean[i] > 0.05f) {
                sorted[m++] = sd[i];
            }
        }
        java.util.Arrays.sort(sorted, 0, m);
        float floor = Math.max(1e-3f, m == 0 ? 1e-3f : 0.25f * sorted[m / 2]);
        for (int i = 0; i < len; i++) {
            sd[i] = Math.max(sd[i], floor);
        }
        return new float[][] {mean, sd};
    }

    public static Grid grid() {
        return HeadPhantom.mni2mm();
    }

    /** The MD channel: smoothed {@value #MD_FWHM_MM} mm, ×1000 (µm²/ms), clipped to [0, 4]; a new volume. */
    public static Volume prepareMd(Volume mdMm2PerS) {
        Volume s = Gaussian.smooth(mdMm2PerS, MD_FWHM_MM);
        for (int z = 0; z < s.nz(); z++) {
            float[] p = s.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.max(0f, Math.min(4f, p[i] * 1000f));
            }
        }
        return s;
    }

    /** The GD channel: a copy clipped to [0, 1.5]. */
    public static Volume prepareGd(Volume gd) {
        Volume s = gd.copy();
        for (int z = 0; z < s.nz(); z++) {
            float[] p = s.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.max(0f, Math.min(1.5f, p[i]));
            }
        }
        return s;
    }

    /**
     * 2×2×2 block averages of a 91×109×91 volume in tensor order [x][y][z] (z fastest), 46×55×46: the same 4 mm map
     * as the DaT-SPECT network's ({@link org.dopaj.spect.DatCnn#pooled}), which this calls.
     */
    public static float[] pooled(Volume v) {
        if (v.nx() != NX || v.ny() != NY || v.nz() != NZ) {
            throw new DopajException("expected the MNI 2 mm grid 91×109×91, got " + v.nx() + "×" + v.ny() + "×" + v.nz());
        }
        return org.dopaj.spect.DatCnn.pooled(v);
    }

    /** Interleaves single-channel 4 mm arrays into one [x][y][z][c] input. */
    public static float[] interleave(float[]... channels) {
        int c = channels.length;
        float[] out = new float[SIZE * c];
        for (int i = 0; i < SIZE; i++) {
            for (int k = 0; k < c; k++) {
                out[i * c + k] = channels[k][i];
            }
        }
        return out;
    }

    /**
     * A 4 mm input of {@code c} channels mirrored left/right (optional) and shifted by whole voxels (±4 mm), edges
     * repeated.
     */
    public static float[] flipShift(float[] x, int c, boolean flip, int dx, int dy, int dz) {
        float[] y = new float[x.length];
        for (int i = 0; i < PX; i++) {
            int si = Math.max(0, Math.min(PX - 1, i - dx));
            if (flip) {
                si = PX - 1 - si;
            }
            for (int j = 0; j < PY; j++) {
                int sj = Math.max(0, Math.min(PY - 1, j - dy));
                for (int k = 0; k < PZ; k++) {
                    int sk = Math.max(0, Math.min(PZ - 1, k - dz));
                    System.arraycopy(x, ((si * PY + sj) * PZ + sk) * c, y, ((i * PY + j) * PZ + k) * c, c);
                }
            }
        }
        return y;
    }
}
