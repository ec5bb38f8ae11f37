package org.dopaj.dl.graph;

import java.util.Arrays;
import java.util.List;

import org.dopaj.DopajException;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Convolutions with 'same' padding, strided or atrous (dilated), whose gradients are right on CPU.
 *
 * <p>TensorFlow 2.16's CPU kernels compute dilated convolutions forward, but their backward passes
 * are missing or wrong: dilated {@code Conv3D} has no filter gradient on CPU ("Current CPU
 * implementation does not yet support dilation rates larger than 1"), and the input gradients of
 * dilated {@code Conv2D} and {@code DepthwiseConv2dNative} came out wrong when checked against
 * finite differences here (e.g. +0.59 analytic vs −0.025 numeric). So every dilated convolution is
 * built as {@code tf.nn.atrous_conv2d} does it: space-to-batch by the rate, an undilated VALID
 * convolution, batch-to-space — the same numbers forward, and only undilated kernels backward.
 */
public final class Convolutions {

    private Convolutions() {
    }

    /**
     * 3D convolution, 'same' padding.
     *
     * @param x        [batch, d, h, w, c] with static d, h, w
     * @param filter   [kd, kh, kw, c, filters]
     * @param stride   per spatial axis; must be all 1 when any dilation is above 1
     * @param dilation atrous rate per spatial axis
     */
    public static <T extends TNumber> Operand<T> conv3dSame(Ops tf, Operand<T> x, Operand<T> filter, int[] stride,
            int[] dilation) {
        if (!dilated(dilation)) {
            return tf.nn.conv3d(x, filter, longs(1, stride[0], stride[1], stride[2], 1), "SAME");
        }
        requireUnitStride(stride, dilation, "conv3d");
        return atrous(tf, x, filter, dilation, blocks -> tf.nn.conv3d(blocks, filter, longs(1, 1, 1, 1, 1), "VALID"));
    }

    /** 2D convolution, 'same' padding; filter [kh, kw, c, filters]; as {@link #conv3dSame}. */
    public static <T extends TNumber> Operand<T> conv2dSame(Ops tf, Operand<T> x, Operand<T> filter, int[] stride,
            int[] dilation) {
        if (!dilated(dilation)) {
            return tf.nn.conv2d(x, filter, longs(1, stride[0], stride[1], 1), "SAME");
        }
        requireUnitStride(stride, dilation, "conv2d");
        return atrous(tf, x, filter, dilation, blocks -> tf.nn.conv2d(blocks, filter, longs(1, 1, 1, 1), "VALID"));
    }

    /** Depthwise 2D convolution, stride 1, 'same' padding; filter [kh, kw, c, multiplier]. */
    public static <T extends TNumber> Operand<T> depthwiseConv2dSame(Ops tf, Operand<T> x, Operand<T> filter,
            int[] dilation) {
        if (!dilated(dilation)) {
            return tf.nn.depthwiseConv2dNative(x, filter, longs(1, 1, 1, 1), "SAME");
        }
        return atrous(tf, x, filter, dilation,
                blocks -> tf.nn.depthwiseConv2dNative(blocks, filter, longs(1, 1, 1, 1), "VALID"));
    }

    /** Space-to-batch by the rates with TF's 'same' padding, a VALID convolution, batch-to-space. */
    private static <T extends TNumber> Operand<T> atrous(Ops tf, Operand<T> x, Operand<T> filter, int[] dilation,
            java.util.function.UnaryOperator<Operand<T>> validConv) {
        long[] in = x.shape().asArray();
        long[] k = filter.shape().asArray();
        int n = dilation.length;
        int[][] paddings = new int[n][2];
        int[][] crops = new int[n][2];
        for (int a = 0; a < n; a++) {
            long size = in[a + 1];
            if (size < 1) {
                throw new DopajException("dilated convolution needs static spatial sizes, got shape " + x.shape());
            }
            int r = dilation[a];
            int total = (int) ((k[a] - 1) * r);
            int start = total / 2;
            int end = total - start;
            int extra = (int) ((r - (size + total) % r) % r);
            paddings[a] = new int[] {start, end + extra};
            crops[a] = new int[] {0, extra};
        }
        Operand<T> blocks = tf.spaceToBatchNd(x, tf.constant(dilation), tf.constant(paddings));
        return tf.batchToSpaceNd(validConv.apply(blocks), tf.constant(dilation), tf.constant(crops));
    }

    private static boolean dilated(int[] dilation) {
        return Arrays.stream(dilation).anyMatch(r -> r > 1);
    }

    private static void requireUnitStride(int[] stride, int[] dilation, String what) {
        if (Arrays.stream(stride).anyMatch(s -> s > 1)) {
            throw new DopajException(what + ": stride and dilation above 1 cannot be combined, got stride "
                    + Arrays.toString(stride) + " dilation " + Arrays.toString(dilation));
        }
    }

    static List<Long> longs(long... values) {
        return Arrays.stream(values).boxed().toList();
    }
}
