package org.dopaj.dl.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Losses as graph ops; each returns a scalar averaged over the batch. */
public final class Losses {

    private Losses() {
    }

    /** Mean softmax cross-entropy; logits [n, k] (or [..., k]), one-hot targets of the same shape. */
    public static Operand<TFloat32> softmaxCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
        long k = logits.shape().size(logits.shape().numDimensions() - 1);
        Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new long[] {-1, k}));
        Operand<TFloat32> flatTargets = tf.reshape(oneHot, tf.constant(new long[] {-1, k}));
        Operand<TFloat32> perSample = tf.nn.softmaxCrossEntropyWithLogits(flatLogits, flatTargets).loss();
        return tf.math.mean(perSample, tf.constant(0));
    }

    /** Mean squared error over all elements (L2). */
    public static Operand<TFloat32> meanSquaredError(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target) {
        Operand<TFloat32> sq = tf.math.squaredDifference(prediction, target);
        return tf.math.mean(tf.reshape(sq, tf.constant(new long[] {-1})), tf.constant(0));
    }

    /**
     * Soft Dice loss 1 − mean over classes of (2·Σp·t + ε)/(Σp + Σt + ε), sums over the batch and
     * all spatial axes; {@code probabilities} and one-hot {@code target} are [..., classes].
     * ε = 1 keeps an absent class from producing 0/0.
     */
    public static Operand<TFloat32> softDice(Ops tf, Operand<TFloat32> probabilities, Operand<TFloat32> target) {
        long k = probabilities.shape().size(probabilities.shape().numDimensions() - 1);
        Operand<TFloat32> p = tf.reshape(probabilities, tf.constant(new long[] {-1, k}));
        Operand<TFloat32> t = tf.reshape(target, tf.constant(new long[] {-1, k}));
        Operand<TInt32> rows = tf.constant(0);
        Operand<TFloat32> eps = tf.constant(1f);
        Operand<TFloat32> intersection = tf.sum(tf.math.mul(p, t), rows);
        Operand<TFloat32> denominator = tf.math.add(tf.math.add(tf.sum(p, rows), tf.sum(t, rows)), eps);
        Operand<TFloat32> dice = tf.math.div(tf.math.add(tf.math.mul(tf.constant(2f), intersection), eps), denominator);
        return tf.math.sub(tf.constant(1f), tf.math.mean(dice, tf.constant(0)));
    }
}
