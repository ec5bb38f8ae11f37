package org.dopaj.msa;

import static org.dopaj.msa.MsaCnn.*;

import java.util.List;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.dopaj.msa.MsaCnn.Normalisation;
import org.dopaj.msa.MsaCnn.Regions;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The trainable definition of the MSA-vs-PD network whose contract (grids, pooling, regions, input normalisation,
 * standardisation) is {@link MsaCnn}. Training only; inference runs the exported package, whose graph holds the
 * normalisation.
 */
public final class MsaNetwork {
    private MsaNetwork() {
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
}
