package org.dopaj.spect;

import static org.dopaj.spect.DatCnn.*;

import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.dopaj.spect.DatCnn.Anchor;
import org.dopaj.spect.DatCnn.Head;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The trainable DaT-SPECT classifier graph described in {@link DatCnn} (which holds its contract). Training only;
 * inference runs the exported package.
 */
public final class DatNetwork {
    private DatNetwork() {
    }


    /** The v3 network ({@link Head#JOINT}). */
    public static Network network() {
        return network(Head.JOINT, null);
    }


    /** The network; an input of 91 voxels along x is first average-pooled to the 4 mm grid. */
    public static Network network(Head head, Anchor anchor) {
        if (head == Head.ANCHORED && anchor == null) {
            throw new DopajException("the anchored head needs its anchor (the fitted binding logistic regression)");
        }
        return (b, x) -> {
            if (x.shape().size(1) == NX) {
                x = b.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2});
            }
            Ops tf = b.ops();
            // binding branch: VOI means as one matrix product with fixed, normalised VOI weights on the 4 mm grid
            Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, (long) PX * PY * PZ}));
            Operand<TFloat32> means = tf.linalg.matMul(flat, tf.constant(Features.WEIGHTS));
            Operand<TFloat32> post = tf.slice(means, tf.constant(new int[] {0, 4}), tf.constant(new int[] {-1, 2}));
            Operand<TFloat32> ant = tf.slice(means, tf.constant(new int[] {0, 2}), tf.constant(new int[] {-1, 2}));
            Operand<org.tensorflow.types.TInt32> one = tf.constant(new int[] {1});
            Operand<TFloat32> feats = tf.concat(List.of(means,
                    tf.reshape(tf.min(post, one), tf.constant(new long[] {-1, 1})),
                    tf.reshape(tf.max(post, one), tf.constant(new long[] {-1, 1})),
                    tf.reshape(tf.min(ant, one), tf.constant(new long[] {-1, 1})),
                    tf.reshape(tf.math.abs(tf.math.sub(tf.max(post, one), tf.min(post, one))),
                            tf.constant(new long[] {-1, 1}))), tf.constant(1));
            Operand<TFloat32> g = head == Head.JOINT ? b.relu(b.dense(feats, 32, true)) : null;
            // convolutional branch
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
            if (head == Head.ANCHORED) {
                // log-odds = the fixed anchor + a bounded residual from the image; logits [0, log-odds]
                float[][] w = new float[BINDING_FEATURES][1];
                for (int j = 0; j < BINDING_FEATURES; j++) {
                    w[j][0] = (float) anchor.weights()[j];
                }
                Operand<TFloat32> a = tf.math.add(tf.linalg.matMul(feats, tf.constant(w)),
                        tf.constant((float) anchor.bias()));
                Operand<TFloat32> bound = tf.constant(RESIDUAL_BOUND);
                // r × RESIDUAL_SCALE: the 176-unit layer starts with |r| ≈ 10, where tanh is flat and nothing trains
                // (measured: validation loss unchanged to 4 digits over 3 epochs without it)
                Operand<TFloat32> r = tf.math.mul(b.dense(b.dropout(f, 0.3f), 1, true), tf.constant(RESIDUAL_SCALE));
                Operand<TFloat32> logOdds = tf.math.add(a, tf.math.mul(bound, tf.math.tanh(tf.math.div(r, bound))));
                return tf.concat(List.of(tf.zerosLike(logOdds), logOdds), tf.constant(1));
            }
            f = b.dropout(b.concat(f, g), 0.3f);
            return b.dense(f, 2, true);
        };
    }


    /** Spec used for training: 4 mm input (v3 head). */
    public static ModelSpec trainingSpec() {
        return trainingSpec(Head.JOINT, null);
    }


    /** Spec used for training: 4 mm input ({@code anchor} only for the anchored head). */
    public static ModelSpec trainingSpec(Head head, Anchor anchor) {
        return new ModelSpec(MODEL_ID, new long[] {PX, PY, PZ, 1}, new Task.Classification(2, 1),
                network(head, anchor));
    }


    /** Spec of the exported model (v3 head). */
    public static ModelSpec exportSpec() {
        return exportSpec(Head.JOINT, null);
    }


    /** Spec of the exported model: 2 mm input (pooled inside the graph); Grad-CAM of the parkinsonian logit. */
    public static ModelSpec exportSpec(Head head, Anchor anchor) {
        return new ModelSpec(MODEL_ID, new long[] {NX, NY, NZ, 1}, new Task.Classification(2, 1),
                network(head, anchor));
    }
}
