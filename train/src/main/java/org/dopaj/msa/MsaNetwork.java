package org.dopaj.msa;

import java.util.List;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import static org.dopaj.msa.MsaCnn.*;
import org.dopaj.msa.MsaCnn.Regions;

/**
 * The trainable definition of the MSA-vs-PD network whose contract (grids, pooling, regions, standardisation) is
 * {@link MsaCnn}. Training only; inference runs the exported package.
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
        return (b, x) -> {
            if (x.shape().size(1) == NX) {
                x = b.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2});
            }
            org.tensorflow.op.Ops tf = b.ops();
            int c = (int) x.shape().size(4);
            Operand<TFloat32> w = tf.constant(regions);
            float[][] brainCol = new float[SIZE][1];
            for (int i = 0; i < SIZE; i++) {
                brainCol[i][0] = brain[i];
            }
            Operand<TFloat32> bw = tf.constant(brainCol);
            List<Operand<TFloat32>> zs = new java.util.ArrayList<>();
            List<Operand<TFloat32>> feats = new java.util.ArrayList<>();
            for (int k = 0; k < c; k++) {
                Operand<TFloat32> ch = tf.reshape(tf.slice(x, tf.constant(new int[] {0, 0, 0, 0, k}),
                        tf.constant(new int[] {-1, -1, -1, -1, 1})), tf.constant(new long[] {-1, SIZE}));
                // 1. divide by the subject's own brain mean (global level: scanner, segmentation, template)
                Operand<TFloat32> level = tf.math.maximum(tf.linalg.matMul(ch, bw), tf.constant(1e-6f));
                ch = tf.math.div(ch, level);
                // 2. voxel-wise z against the training subjects
                float[] mk = new float[SIZE];
                float[] ik = new float[SIZE];
                for (int i = 0; i < SIZE; i++) {
                    mk[i] = mean[i * c + k];
                    ik[i] = 1f / sd[i * c + k];
                }
                ch = tf.math.mul(tf.math.sub(ch, tf.constant(new float[][] {mk})), tf.constant(new float[][] {ik}));
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


    /** Training spec: 4 mm input; {@code stats} = {mean, sd} of {@link #standardisation}. */
    public static ModelSpec trainingSpec(String id, int channels, float[][] stats, Regions regions) {
        return new ModelSpec(id, new long[] {PX, PY, PZ, channels}, new Task.Classification(2, 1),
                network(stats[0], stats[1], regions.weights(), regions.brain()));
    }


    /** Export spec: 2 mm input, pooled in the graph; Grad-CAM of the MSA logit. */
    public static ModelSpec exportSpec(String id, int channels, float[][] stats, Regions regions) {
        return new ModelSpec(id, new long[] {NX, NY, NZ, channels}, new Task.Classification(2, 1),
                network(stats[0], stats[1], regions.weights(), regions.brain()));
    }
}
