package org.dopaj.msa;

import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

import java.util.List;


/**
 * The MSA-vs-PD network's contract — grids, pooling, regions, input normalisation, standardisation — shared by
 * training, export and inference; the trainable graph is {@code MsaNetwork} in the training module.
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
    /**
     * Version of the MSA packages this DopaJ writes and reads: 2 = with {@code config.dopaj.input_normalisation} (the
     * robust per-subject normalisation inside the graph); 1 (or no field) = the packages before 2026-12-07.
     */
    public static final int PACKAGE_VERSION = 2;
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

    /** Bound of the robust z of {@link Normalisation#ROBUST_CLIPPED}. */
    public static final float CLIP_Z = 8f;

    /** Descending ranks (0-based, of n reference values) of the upper quartile, the median and the lower quartile. */
    static int[] quartileRanks(int n) {
        return new int[] {n / 4, n / 2, 3 * n / 4};
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
