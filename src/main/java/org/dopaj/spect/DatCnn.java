package org.dopaj.spect;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The DaT-SPECT classifier network and its input convention, shared by training, export and inference.
 *
 * <p>Input: a spatially normalised volume on the MNI152 2 mm grid (91×109×91), divided by the mean of the
 * occipital reference VOI ({@link SpectVois}) minus 1 — a voxel-wise SBR map, so that absolute counts and
 * calibration do not matter. The exported model takes that map at 2 mm; its first operation averages 2×2×2
 * blocks (a 4 mm grid, 46×55×46), which loses little for 8–18 mm FWHM images and makes every convolution 8×
 * cheaper. Training feeds the same 4 mm map directly ({@link #pooled}), which is identical to the in-graph
 * average pooling ('same' padding averages only the voxels present at the edge), so one checkpoint serves both.
 *
 * <p>Architecture (≈2.9 M parameters, like the 2.87 M of Wenzel et al. 2019): the 4 mm map and the map minus its
 * left-right mirror image (an asymmetry channel; the mirror of the 46-voxel grid is the same fixed operation in
 * training and export), then four 3³ conv → batch norm → ReLU
 * blocks of 8, 16, 32, 64 channels with 2³ max pooling between them (4 → 8 → 16 → 32 mm cells), then the 6×7×6×64
 * feature map flattened, dropout 0.5, a dense layer of 176 units with ReLU, dropout 0.3 and 2 logits (normal,
 * parkinsonian). Few channels keep the convolutions cheap on a CPU; most parameters sit in the dense layer, which
 * keeps the position of the evidence (left/right, caudate/putamen, anterior/posterior), the information a reader
 * uses. The class-activation map explains the parkinsonian logit on the 16 mm-cell map of the third block
 * (12×14×12), fine enough to separate caudate from putamen and left from right, weighted HiResCAM-style
 * (gradient × activation per position; {@link CamMethod#HI_RES_CAM}).
 */
public final class DatCnn {
    public static final String MODEL_ID = "spect-dat-cnn";
    public static final String[] LABELS = {"normal", "parkinsonian"};
    /** The 2 mm input grid size. */
    public static final int NX = 91;
    public static final int NY = 109;
    public static final int NZ = 91;
    /** The 4 mm grid size (2×2×2 block averages, 'same' padding). */
    public static final int PX = 46;
    public static final int PY = 55;
    public static final int PZ = 46;

    private DatCnn() {
    }

    /** The network; an input of 91 voxels along x is first average-pooled to the 4 mm grid. */
    public static Network network() {
        return (b, x) -> {
            if (x.shape().size(1) == NX) {
                x = b.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2});
            }
            // second channel: the map minus its left-right mirror image, so that the first convolution sees
            // asymmetry directly instead of having to learn it across the whole field of view
            Ops tf = b.ops();
            Operand<TFloat32> mirrored = tf.reverse(x, tf.constant(new int[] {1}));
            x = tf.concat(List.of(x, tf.math.sub(x, mirrored)), tf.constant(4));
            x = b.convBnRelu3d(x, 8, 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, 16, 3);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, 32, 3);
            // HiResCAM, not channel-averaged Grad-CAM: the head flattens the map into a dense layer whose weights
            // are position-specific, so the mean gradient per channel loses where the evidence lies (measured:
            // Grad-CAM mean near the striatum / elsewhere 0.95–1.35 on stage 1.5–3 phantoms, HiResCAM 8–10)
            b.markCamLayer(x, CamMethod.HI_RES_CAM);
            x = b.maxPool3d(x, 2);
            x = b.convBnRelu3d(x, 64, 3);
            Operand<TFloat32> f = b.flatten(x);
            f = b.dropout(f, 0.5f);
            f = b.relu(b.dense(f, 176, true));
            f = b.dropout(f, 0.3f);
            return b.dense(f, 2, true);
        };
    }

    /** Spec used for training: 4 mm input. */
    public static ModelSpec trainingSpec() {
        return new ModelSpec(MODEL_ID, new long[] {PX, PY, PZ, 1}, new Task.Classification(2, 1), network());
    }

    /** Spec of the exported model: 2 mm input (pooled inside the graph); Grad-CAM of the parkinsonian logit. */
    public static ModelSpec exportSpec() {
        return new ModelSpec(MODEL_ID, new long[] {NX, NY, NZ, 1}, new Task.Classification(2, 1), network());
    }

    /** The grid the network expects. */
    public static Grid grid() {
        return HeadPhantom.mni2mm();
    }

    /** Mean of the occipital reference VOI of an image on the MNI 2 mm grid. */
    public static double referenceMean(Volume mni) {
        Volume labels = Refs.LABELS;
        double s = 0;
        long n = 0;
        for (int z = 0; z < mni.nz(); z++) {
            float[] p = mni.plane(z);
            float[] l = labels.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (l[i] == SpectVois.REFERENCE) {
                    s += p[i];
                    n++;
                }
            }
        }
        return s / n;
    }

    /** Holder: the default VOI labels are drawn once. */
    private static final class Refs {
        static final Volume LABELS = SpectVois.rasterise(HeadPhantom.mni2mm());
    }

    /**
     * The network input: {@code mni / referenceMean − 1} (a new volume on the same grid).
     *
     * @throws DopajException when the reference mean is not positive
     */
    public static Volume normalise(Volume mni) {
        if (mni.nx() != NX || mni.ny() != NY || mni.nz() != NZ) {
            throw new DopajException("classifier input must be on the MNI 2 mm grid 91×109×91, got "
                    + mni.nx() + "×" + mni.ny() + "×" + mni.nz());
        }
        double ref = referenceMean(mni);
        if (!(ref > 0)) {
            throw new DopajException("reference VOI mean is " + ref + " (must be > 0): no usable background uptake");
        }
        Volume out = Volume.allocate(mni.grid());
        float inv = (float) (1 / ref);
        for (int z = 0; z < mni.nz(); z++) {
            float[] a = mni.plane(z);
            float[] o = out.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] * inv - 1f;
            }
        }
        return out;
    }

    /**
     * 2×2×2 block averages of a 91×109×91 volume in tensor order [x][y][z] (z fastest), 46×55×46: exactly
     * what the exported graph's first average pooling computes.
     */
    public static float[] pooled(Volume v) {
        float[] out = new float[PX * PY * PZ];
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
}
