package org.dopaj.dl.graph;

import java.util.Arrays;
import java.util.List;

import org.dopaj.DopajException;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * 3D convolution with 'same' padding, strided or atrous (dilated), trainable on CPU.
 *
 * <p>TensorFlow 2.16's CPU kernel computes a dilated {@code Conv3D} but not its filter gradient
 * ("Current CPU implementation does not yet support dilation rates larger than 1"). So a dilated
 * 3D convolution is built as {@code tf.nn.convolution} does it: space-to-batch by the rate, an
 * undilated VALID convolution, batch-to-space — the same numbers, and only undilated kernels.
 */
public final class Convolutions {

    private Convolutions() {
    }

    /**
     * @param x      [batch, d, h, w, c] with static d, h, w
     * @param filter [kd, kh, kw, c, filters]
     * @param stride per spatial axis; must be all 1 when any dilation is above 1
     * @param dilation atrous rate per spatial axis
     */
    public static <T extends TNumber> Operand<T> conv3dSame(Ops tf, Operand<T> x, Operand<T> filter, int[] stride,
            int[] dilation) {
        boolean dilated = Arrays.stream(dilation).anyMatch(r -> r > 1);
        if (!dilated) {
            return tf.nn.conv3d(x, filter, longs(1, stride[0], stride[1], stride[2], 1), "SAME");
        }
        if (Arrays.stream(stride).anyMatch(s -> s > 1)) {
            throw new DopajException("conv3d: stride and dilation above 1 cannot be combined, got stride "
                    + Arrays.toString(stride) + " dilation " + Arrays.toString(dilation));
        }
        long[] in = x.shape().asArray();
        long[] k = filter.shape().asArray();
        int[][] paddings = new int[3][2];
        int[][] crops = new int[3][2];
        for (int a = 0; a < 3; a++) {
            long n = in[a + 1];
            if (n < 1) {
                throw new DopajException("dilated conv3d needs static spatial sizes, got shape " + x.shape());
            }
            int r = dilation[a];
            int total = (int) ((k[a] - 1) * r);
            int start = total / 2;
            int end = total - start;
            int extra = (int) ((r - (n + total) % r) % r);
            paddings[a] = new int[] {start, end + extra};
            crops[a] = new int[] {0, extra};
        }
        Operand<T> blocks = tf.spaceToBatchNd(x, tf.constant(dilation), tf.constant(paddings));
        Operand<T> y = tf.nn.conv3d(blocks, filter, longs(1, 1, 1, 1, 1), "VALID");
        return tf.batchToSpaceNd(y, tf.constant(dilation), tf.constant(crops));
    }

    static List<Long> longs(long... values) {
        return Arrays.stream(values).boxed().toList();
    }
}
