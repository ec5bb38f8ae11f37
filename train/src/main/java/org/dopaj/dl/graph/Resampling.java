package org.dopaj.dl.graph;

import org.dopaj.DopajException;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * Bilinear and trilinear resizing inside a TF graph, with half-pixel centres (the convention of
 * {@code tf.image.resize} and of scipy's {@code zoom(..., grid_mode=True)}): output voxel centre i
 * maps to input coordinate (i + 0.5)·in/out − 0.5, clamped at the borders.
 *
 * <p>TensorFlow has no 3D resize op. Trilinear interpolation is separable, so it is built from two
 * {@code ResizeBilinear} calls (whose gradient TensorFlow knows): first (height,width) on every
 * depth slice, then depth against a flattened (height·width) axis whose size is kept, which is an
 * exact identity along that axis with half-pixel centres.
 */
public final class Resampling {

    private Resampling() {
    }

    /** [batch,h,w,c] → [batch,height,width,c]. */
    public static Operand<TFloat32> bilinear(Ops tf, Operand<TFloat32> x, int height, int width) {
        if (height < 1 || width < 1) {
            throw new DopajException("resize target must be >= 1, got " + height + "x" + width);
        }
        return tf.image.resizeBilinear(x, tf.constant(new int[] {height, width}),
                ResizeBilinear.halfPixelCenters(true));
    }

    /** [batch,d,h,w,c] → [batch,depth,height,width,c]; d,h,w,c must be known statically. */
    public static Operand<TFloat32> trilinear(Ops tf, Operand<TFloat32> x, int depth, int height, int width) {
        long[] s = x.shape().asArray();
        if (s.length != 5 || s[1] < 1 || s[2] < 1 || s[3] < 1 || s[4] < 1) {
            throw new DopajException("trilinear resize needs [batch,d,h,w,c] with known d,h,w,c, got " + x.shape());
        }
        if (depth < 1 || height < 1 || width < 1) {
            throw new DopajException("resize target must be >= 1, got " + depth + "x" + height + "x" + width);
        }
        long d = s[1];
        long h = s[2];
        long w = s[3];
        long c = s[4];
        Operand<TFloat32> slices = tf.reshape(x, tf.constant(new long[] {-1, h, w, c}));
        Operand<TFloat32> inPlane = bilinear(tf, slices, height, width);
        Operand<TFloat32> columns = tf.reshape(inPlane, tf.constant(new long[] {-1, d, (long) height * width, c}));
        Operand<TFloat32> throughPlane = bilinear(tf, columns, depth, height * width);
        return tf.reshape(throughPlane, tf.constant(new long[] {-1, depth, height, width, c}));
    }
}
