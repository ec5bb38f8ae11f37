package org.dopaj.dl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.types.TFloat64;

/** The registered Conv3D gradient against central finite differences, in float64. */
class CustomGradientsTest {

    @Test
    void conv3dGradientMatchesFiniteDifferencesWithStride() {
        check(new long[] {2, 5, 4, 6, 2}, new long[] {3, 2, 3, 2, 3}, List.of(1L, 2L, 1L, 2L, 1L),
                List.of(1L, 1L, 1L, 1L, 1L), "SAME");
    }

    @Test
    void atrousConv3dGradientMatchesFiniteDifferences() {
        // Dilated 3D convolutions go through space-to-batch (the CPU kernel has no dilated filter gradient).
        check(new long[] {1, 6, 5, 7, 2}, new long[] {2, 3, 3, 2, 2}, List.of(1L, 1L, 1L, 1L, 1L),
                List.of(1L, 2L, 1L, 3L, 1L), "SAME");
    }

    @Test
    void atrousConv3dEqualsDilatedKernel() {
        // Forward pass of the space-to-batch route against an undilated SAME convolution with the
        // kernel spread out by zeros (TF's CPU Conv3D has no float64 dilation).
        Random rng = new Random(3);
        long[] xShape = {2, 7, 6, 5, 2};
        long[] fShape = {3, 3, 2, 2, 3};
        double[] x = random(rng, size(xShape));
        double[] f = random(rng, size(fShape));
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TFloat64> xc = tf.constant(Shape.of(xShape), DataBuffers.of(x, true, false));
            Operand<TFloat64> fc = tf.constant(Shape.of(fShape), DataBuffers.of(f, true, false));
            Operand<TFloat64> ours = Convolutions.conv3dSame(tf, xc, fc, new int[] {1, 1, 1}, new int[] {2, 3, 2});
            int[] r3 = {2, 3, 2};
            long[] sShape = {(fShape[0] - 1) * r3[0] + 1, (fShape[1] - 1) * r3[1] + 1, (fShape[2] - 1) * r3[2] + 1,
                fShape[3], fShape[4]};
            double[] spread = new double[size(sShape)];
            int cio = (int) (fShape[3] * fShape[4]);
            for (int a = 0; a < fShape[0]; a++) {
                for (int b = 0; b < fShape[1]; b++) {
                    for (int c = 0; c < fShape[2]; c++) {
                        int src = (int) (((a * fShape[1] + b) * fShape[2] + c) * cio);
                        int dst = (int) ((((long) a * r3[0] * sShape[1] + (long) b * r3[1]) * sShape[2] + (long) c * r3[2]) * cio);
                        System.arraycopy(f, src, spread, dst, cio);
                    }
                }
            }
            Operand<TFloat64> sc = tf.constant(Shape.of(sShape), DataBuffers.of(spread, true, false));
            Operand<TFloat64> theirs = tf.nn.conv3d(xc, sc, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
            try (Result r = s.runner().fetch(ours).fetch(theirs).run()) {
                double[] a = values((TFloat64) r.get(0));
                double[] b = values((TFloat64) r.get(1));
                assertEquals(b.length, a.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-12, "element " + i);
                }
            }
        }
    }

    @Test
    void conv3dGradientMatchesFiniteDifferencesValidPadding() {
        check(new long[] {1, 4, 4, 4, 1}, new long[] {2, 2, 2, 1, 2}, List.of(1L, 1L, 1L, 1L, 1L),
                List.of(1L, 1L, 1L, 1L, 1L), "VALID");
    }

    private static void check(long[] xShape, long[] fShape, List<Long> strides, List<Long> dilations, String padding) {
        CustomGradients.register();
        Random rng = new Random(42);
        double[] x = random(rng, size(xShape));
        double[] f = random(rng, size(fShape));
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat64> xp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(xShape)));
            Placeholder<TFloat64> fp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(fShape)));
            int[] rate = {dilations.get(1).intValue(), dilations.get(2).intValue(), dilations.get(3).intValue()};
            int[] stride = {strides.get(1).intValue(), strides.get(2).intValue(), strides.get(3).intValue()};
            Operand<TFloat64> y = padding.equals("SAME")
                    ? Convolutions.conv3dSame(tf, xp, fp, stride, rate)
                    : tf.nn.conv3d(xp, fp, strides, padding, Conv3d.dilations(dilations));
            long[] yShape = y.shape().asArray();
            // A weighted sum so every output voxel contributes a different amount.
            double[] w = random(new Random(7), size(yShape));
            Operand<TFloat64> weights = tf.constant(Shape.of(yShape), DataBuffers.of(w, true, false));
            Operand<TFloat64> loss = tf.sum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1, 2, 3, 4}));
            Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {xp.asOutput(), fp.asOutput()});
            double[] gx;
            double[] gf;
            try (TFloat64 xt = tensor(xShape, x); TFloat64 ft = tensor(fShape, f);
                    Result r = s.runner().feed(xp, xt).feed(fp, ft).fetch(grads[0]).fetch(grads[1]).run()) {
                gx = values((TFloat64) r.get(0));
                gf = values((TFloat64) r.get(1));
            }
            double h = 1e-6;
            double[] nx = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                nx[i] = central(s, loss, xp, fp, xShape, fShape, x, f, i, h, true);
            }
            double[] nf = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                nf[i] = central(s, loss, xp, fp, xShape, fShape, x, f, i, h, false);
            }
            double ex = relativeError(gx, nx);
            double ef = relativeError(gf, nf);
            assertTrue(ex < 1e-3, "input gradient relative error " + ex);
            assertTrue(ef < 1e-3, "filter gradient relative error " + ef);
            assertEquals(x.length, gx.length);
            assertTrue(Arrays.stream(gx).anyMatch(v -> Math.abs(v) > 1e-3), "input gradient is not all zero");
        }
    }

    private static double central(Session s, Operand<TFloat64> loss, Placeholder<TFloat64> xp, Placeholder<TFloat64> fp,
            long[] xShape, long[] fShape, double[] x, double[] f, int i, double h, boolean wrtInput) {
        double[] target = wrtInput ? x : f;
        double saved = target[i];
        target[i] = saved + h;
        double plus = eval(s, loss, xp, fp, xShape, fShape, x, f);
        target[i] = saved - h;
        double minus = eval(s, loss, xp, fp, xShape, fShape, x, f);
        target[i] = saved;
        return (plus - minus) / (2 * h);
    }

    private static double eval(Session s, Operand<TFloat64> loss, Placeholder<TFloat64> xp, Placeholder<TFloat64> fp,
            long[] xShape, long[] fShape, double[] x, double[] f) {
        try (TFloat64 xt = tensor(xShape, x); TFloat64 ft = tensor(fShape, f);
                Result r = s.runner().feed(xp, xt).feed(fp, ft).fetch(loss).run()) {
            return ((TFloat64) r.get(0)).getDouble();
        }
    }

    /** max |a−n| / max(1, max |n|): relative to the gradient's scale. */
    private static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < analytic.length; i++) {
            diff = Math.max(diff, Math.abs(analytic[i] - numeric[i]));
            scale = Math.max(scale, Math.abs(numeric[i]));
        }
        return diff / scale;
    }

    private static TFloat64 tensor(long[] shape, double[] v) {
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(v.clone(), true, false));
    }

    private static double[] values(TFloat64 t) {
        double[] out = new double[(int) t.size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    private static double[] random(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static int size(long[] shape) {
        long n = 1;
        for (long v : shape) {
            n *= v;
        }
        return (int) n;
    }
}
