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
 * <p>Architecture (small on purpose: the training budget of the whole capability is an hour of one CPU core): four
 * 3³ conv → batch norm → ReLU blocks of 6, 12, 24, 32 channels with 2³ max pooling between them (4 → 8 → 16 → 32 mm
 * cells), the 6×7×6×32 map flattened, dropout 0.5, dense 32 + ReLU, dropout 0.3, 2 logits (PD, MSA). A flatten +
 * dense head keeps where the evidence lies (putamen vs cerebellum), which a global average would pool away; for the same
 * reason the class-activation map is HiResCAM of the MSA logit on the third block (16 mm cells, 12×14×12), upsampled
 * to the 2 mm input grid (see docs/cam.md).
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

    public static Network network() {
        return (b, x) -> {
            if (x.shape().size(1) == NX) {
                x = b.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2});
            }
            x = b.convBnRelu3d(x, WIDTHS[0], 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, WIDTHS[1], 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, WIDTHS[2], 3);
            b.markCamLayer(x, CamMethod.HI_RES_CAM);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, WIDTHS[3], 3);
            Operand<TFloat32> f = b.flatten(x);
            f = b.dropout(f, 0.5f);
            f = b.relu(b.dense(f, 32, true));
            f = b.dropout(f, 0.3f);
            return b.dense(f, 2, true);
        };
    }

    /** Training spec: 4 mm input. */
    public static ModelSpec trainingSpec(String id, int channels) {
        return new ModelSpec(id, new long[] {PX, PY, PZ, channels}, new Task.Classification(2, 1), network());
    }

    /** Export spec: 2 mm input, pooled in the graph; HiResCAM of the MSA logit. */
    public static ModelSpec exportSpec(String id, int channels) {
        return new ModelSpec(id, new long[] {NX, NY, NZ, channels}, new Task.Classification(2, 1), network());
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

    /** 2×2×2 block averages of a 91×109×91 volume in tensor order [x][y][z] (z fastest), 46×55×46. */
    public static float[] pooled(Volume v) {
        if (v.nx() != NX || v.ny() != NY || v.nz() != NZ) {
            throw new DopajException("expected the MNI 2 mm grid 91×109×91, got " + v.nx() + "×" + v.ny() + "×" + v.nz());
        }
        float[] out = new float[SIZE];
        for (int i = 0; i < PX; i++) {
            for (int j = 0; j < PY; j++) {
                for (int k = 0; k < PZ; k++) {
                    double s = 0;
                    int n = 0;
                    for (int dz = 0; dz < 2; dz++) {
                        int z = 2 * k + dz;
                        if (z >= NZ) {
                            continue;
                        }
                        float[] pl = v.plane(z);
                        for (int dy = 0; dy < 2; dy++) {
                            int y = 2 * j + dy;
                            if (y >= NY) {
                                continue;
                            }
                            for (int dx = 0; dx < 2; dx++) {
                                int x = 2 * i + dx;
                                if (x >= NX) {
                                    continue;
                                }
                                s += pl[x + y * NX];
                                n++;
                            }
                        }
                    }
                    out[(i * PY + j) * PZ + k] = (float) (s / n);
                }
            }
        }
        return out;
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
