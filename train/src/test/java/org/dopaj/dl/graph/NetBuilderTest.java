package org.dopaj.dl.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
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
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/** Layers: shapes, names, parameter counts, modes, resampling, and that gradients flow through all of them. */
class NetBuilderTest {

    /** Every layer kind of the 3D family in one network. */
    private static final Network ALL_3D = (net, x) -> {
        Operand<TFloat32> a = net.conv3d(x, 4, new int[] {3, 3, 3}, new int[] {1, 2, 2}, new int[] {1, 1, 1}, true);
        a = net.relu(net.batchNorm(a));
        Operand<TFloat32> b = net.conv3d(a, 4, new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[] {2, 1, 2}, false);
        Operand<TFloat32> c = net.concat(a, net.relu(b));
        Operand<TFloat32> p = net.maxPool3d(c, 2);
        Operand<TFloat32> q = net.avgPool3d(c, new int[] {2, 2, 2}, new int[] {2, 2, 2});
        Operand<TFloat32> up = net.upsample3d(net.concat(p, q), 6, 4, 4);
        net.markCamLayer(up);
        Operand<TFloat32> g = net.dropout(net.globalAvgPool(up), 0.5f);
        return net.dense(g, 3, true);
    };

    /** Every layer kind of the 2D family in one network. */
    private static final Network ALL_2D = (net, x) -> {
        Operand<TFloat32> a = net.relu(net.batchNorm(net.conv2d(x, 4, new int[] {3, 3}, new int[] {2, 1},
                new int[] {1, 1}, true)));
        Operand<TFloat32> b = net.separableConv2d(a, 4, 3, 2, true);
        Operand<TFloat32> c = net.conv2d(a, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 3}, false);
        Operand<TFloat32> m = net.concat(net.maxPool2d(b, new int[] {2, 2}, new int[] {2, 2}),
                net.avgPool2d(c, new int[] {3, 3}, new int[] {2, 2}));
        Operand<TFloat32> pool = net.upsample2d(net.globalAvgPool(m, true), 2, 4);
        Operand<TFloat32> up = net.upsample2d(net.concat(m, pool), 7, 9);
        net.markCamLayer(up);
        return net.dense(net.dropout(net.flatten(up), 0.1f), 3, true);
    };

    @Test
    void gradientsFlowThroughEvery2dLayerAndMatchFiniteDifferences() {
        checkGradients(new ModelSpec("all2d", new long[] {8, 8, 2}, new Task.Classification(3, 0), ALL_2D));
    }

    @Test
    void shapesNamesAndParameterCounts() {
        long[] in = {6, 8, 8, 2};
        ModelSpec spec = new ModelSpec("all3d", in, new Task.Classification(3, -1), ALL_3D);
        try (ModelGraph train = ModelGraph.build(spec, NetBuilder.Mode.TRAIN, 1);
                ModelGraph infer = ModelGraph.build(spec, NetBuilder.Mode.INFERENCE, 1)) {
            assertArrayEquals(new long[] {-1, 3}, train.predictionShape());
            assertArrayEquals(new long[] {-1, 6, 4, 4, 16}, train.net().camLayer().shape().asArray());
            List<String> a = names(train.net().variables());
            List<String> b = names(infer.net().variables());
            assertEquals(a, b, "training and inference graphs name their variables alike");
            assertTrue(a.contains("conv3d_1/kernel") && a.contains("batch_norm_1/moving_mean")
                    && a.contains("dense_1/bias"), a.toString());
            // conv 3·3·3·2·4 + 4 bias; BN 4 gamma + 4 beta (+ 8 moving); conv 3·3·3·4·4; dense 16·3 + 3
            long trainable = 216 + 4 + 8 + 432 + 48 + 3;
            assertEquals(trainable, train.net().trainableParameterCount());
            assertEquals(trainable + 8, train.net().parameterCount());
            assertEquals(train.net().parameterCount(), infer.net().parameterCount());
        }
    }

    @Test
    void gradientsFlowThroughEvery3dLayerAndMatchFiniteDifferences() {
        checkGradients(new ModelSpec("all3d", new long[] {6, 8, 8, 2}, new Task.Classification(3, 0), ALL_3D));
    }

    private static void checkGradients(ModelSpec spec) {
        try (ModelGraph m = ModelGraph.build(spec, NetBuilder.Mode.INFERENCE, 4);
                Session s = new Session(m.graph())) {
            s.initialize();
            Ops tf = m.ops();
            Operand<TFloat32> loss = tf.sum(tf.math.square(m.head()), tf.constant(new int[] {0, 1}));
            List<Output<?>> xs = new ArrayList<>();
            xs.add(m.input().asOutput());
            m.net().trainableVariables().forEach(v -> xs.add(v.asOutput()));
            Output<?>[] grads = m.graph().addGradients(loss.asOutput(), xs.toArray(new Output<?>[0]));
            for (int i = 0; i < grads.length; i++) {
                assertNotNull(grads[i], "gradient of " + xs.get(i).op().name());
            }
            float[] x = random(new Random(5), 2 * spec.inputSize(), 1f);
            float[] d = random(new Random(6), x.length, 1f);
            float[] gx;
            try (TFloat32 xt = tensor(spec, x); Result r = s.runner().feed(m.input(), xt).fetch(grads[0]).run()) {
                gx = values((TFloat32) r.get(0));
            }
            double analytic = 0;
            for (int i = 0; i < x.length; i++) {
                analytic += (double) gx[i] * d[i];
            }
            // Small step: ReLU and max-pool kinks make larger steps cross non-smooth points
            // (measured: h=1e-2 → 6% off, h=3e-4 → 0.02% off).
            float h = 3e-4f;
            double numeric = (eval(s, m, spec, loss, x, d, h) - eval(s, m, spec, loss, x, d, -h)) / (2 * h);
            System.out.println(spec.name() + " directional derivative: analytic " + analytic + ", numeric " + numeric);
            assertEquals(analytic, numeric, 5e-3 * Math.max(1, Math.abs(analytic)),
                    "directional derivative along a random direction (float32)");
        }
    }

    @Test
    void batchNormUsesBatchStatisticsOnlyWhenTraining() {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            NetBuilder net = new NetBuilder(g, NetBuilder.Mode.TRAIN, 1);
            Ops tf = net.ops();
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
            Operand<TFloat32> y = net.batchNorm(x);
            s.initialize();
            float[] in = {1, 2, 3, 4};
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(4, 1), DataBuffers.of(in, true, false));
                    TBool on = TBool.scalarOf(true);
                    Result train = s.runner().feed(x, xt).feed(net.training(), on).fetch(y).run();
                    Result infer = s.runner().feed(x, xt).fetch(y).run()) {
                float[] t = values((TFloat32) train.get(0));
                float[] i = values((TFloat32) infer.get(0));
                // batch mean 2.5, variance 1.25 → standardised; moving stats start at 0 and 1
                assertEquals((1 - 2.5) / Math.sqrt(1.25 + 1e-3), t[0], 1e-5);
                assertEquals(1 / Math.sqrt(1 + 1e-3), i[0], 1e-5);
            }
            // The update moves the moving mean by (1-momentum)·batch mean.
            s.runner().feed(x, TFloat32.tensorOf(Shape.of(4, 1), DataBuffers.of(in, true, false)))
                    .addTarget(net.updateOps().get(0)).run();
            try (Result r = s.runner().fetch(net.variables().get(2)).run()) {
                assertEquals("batch_norm_1/moving_mean", net.variables().get(2).op().name());
                assertEquals(0.25f, values((TFloat32) r.get(0))[0], 1e-6);
            }
        }
    }

    @Test
    void trilinearUpsamplingMatchesAReference() {
        int d = 3, h = 4, w = 5, c = 2;
        int od = 7, oh = 6, ow = 9;
        float[] v = random(new Random(9), d * h * w * c, 1f);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.constant(Shape.of(1, d, h, w, c), DataBuffers.of(v, true, false));
            Operand<TFloat32> y = Resampling.trilinear(tf, x, od, oh, ow);
            assertArrayEquals(new long[] {od, oh, ow, c}, java.util.Arrays.copyOfRange(y.shape().asArray(), 1, 5));
            float[] out;
            try (Result r = s.runner().fetch(y).run()) {
                out = values((TFloat32) r.get(0));
            }
            for (int z = 0; z < od; z++) {
                for (int yy = 0; yy < oh; yy++) {
                    for (int xx = 0; xx < ow; xx++) {
                        for (int ch = 0; ch < c; ch++) {
                            double ref = reference(v, d, h, w, c, src(z, d, od), src(yy, h, oh), src(xx, w, ow), ch);
                            assertEquals(ref, out[((z * oh + yy) * ow + xx) * c + ch], 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void badLayerInputsAreRefusedClearly() {
        try (Graph g = new Graph()) {
            NetBuilder net = new NetBuilder(g, NetBuilder.Mode.INFERENCE, 1);
            Operand<TFloat32> x2d = net.ops().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
            DopajException e = assertThrows(DopajException.class, () -> net.conv3d(x2d, 4, 3));
            assertTrue(e.getMessage().contains("conv3d needs a rank-5 tensor"), e.getMessage());
            assertThrows(DopajException.class, () -> net.dropout(x2d, 1f));
            Operand<TFloat32> x3d = net.ops().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 8, 1)));
            assertThrows(DopajException.class, () -> net.conv3d(x3d, 4, new int[] {3, 3, 3}, new int[] {2, 1, 1},
                    new int[] {1, 2, 1}, true));
        }
    }

    /** Half-pixel source coordinate of output index i (clamped like TensorFlow). */
    private static double src(int i, int in, int out) {
        return Math.max(0, (i + 0.5) * in / out - 0.5);
    }

    private static double reference(float[] v, int d, int h, int w, int c, double z, double y, double x, int ch) {
        int z0 = (int) Math.floor(z), y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double fz = z - z0, fy = y - y0, fx = x - x0;
        double sum = 0;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                for (int e = 0; e < 2; e++) {
                    int zi = Math.min(d - 1, z0 + a), yi = Math.min(h - 1, y0 + b), xi = Math.min(w - 1, x0 + e);
                    double wgt = (a == 0 ? 1 - fz : fz) * (b == 0 ? 1 - fy : fy) * (e == 0 ? 1 - fx : fx);
                    sum += wgt * v[((zi * h + yi) * w + xi) * c + ch];
                }
            }
        }
        return sum;
    }

    private static double eval(Session s, ModelGraph m, ModelSpec spec, Operand<TFloat32> loss, float[] x, float[] d,
            float h) {
        float[] xh = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xh[i] = x[i] + h * d[i];
        }
        try (TFloat32 xt = tensor(spec, xh); Result r = s.runner().feed(m.input(), xt).fetch(loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    private static TFloat32 tensor(ModelSpec spec, float[] x) {
        long[] shape = spec.batchInputShape();
        shape[0] = 2;
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x.clone(), true, false));
    }

    private static List<String> names(List<Variable<TFloat32>> vars) {
        return vars.stream().map(v -> v.op().name()).toList();
    }

    private static float[] values(TFloat32 t) {
        float[] out = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    private static float[] random(Random rng, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return v;
    }
}
