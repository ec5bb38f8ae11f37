package org.dopaj.dl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The input gradient of every layer, alone (then flatten → dense), against a central finite
 * difference along a random direction, in float32. This is the test that caught TensorFlow's wrong
 * CPU gradients of dilated Conv2D / depthwise convolutions (see {@link Convolutions}).
 */
class LayerGradientsTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                layer("conv2d stride (2,1)", 2, (n, x) -> n.conv2d(x, 4, new int[] {3, 3}, new int[] {2, 1},
                        new int[] {1, 1}, true)),
                layer("conv2d dilation (2,3)", 2, (n, x) -> n.conv2d(x, 4, new int[] {3, 3}, new int[] {1, 1},
                        new int[] {2, 3}, false)),
                layer("separable conv2d", 2, (n, x) -> n.separableConv2d(x, 4, 3, 1, true)),
                layer("separable conv2d dilation 2", 2, (n, x) -> n.separableConv2d(x, 4, 3, 2, true)),
                layer("max-pool 2D", 2, (n, x) -> n.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2})),
                layer("average-pool 2D 3x3/2", 2, (n, x) -> n.avgPool2d(x, new int[] {3, 3}, new int[] {2, 2})),
                layer("bilinear upsampling", 2, (n, x) -> n.upsample2d(x, 7, 9)),
                layer("image pooling", 2, (n, x) -> n.upsample2d(n.globalAvgPool(x, true), 2, 4)),
                layer("batch norm (inference)", 2, (n, x) -> n.batchNorm(x)),
                layer("conv3d stride (1,2,2)", 3, (n, x) -> n.conv3d(x, 3, new int[] {3, 3, 3}, new int[] {1, 2, 2},
                        new int[] {1, 1, 1}, true)),
                layer("conv3d dilation (2,1,2)", 3, (n, x) -> n.conv3d(x, 3, new int[] {3, 3, 3}, new int[] {1, 1, 1},
                        new int[] {2, 1, 2}, false)),
                layer("max-pool 3D", 3, (n, x) -> n.maxPool3d(x, 2)),
                layer("average-pool 3D", 3, (n, x) -> n.avgPool3d(x, new int[] {2, 2, 2}, new int[] {2, 2, 2})),
                layer("trilinear upsampling", 3, (n, x) -> n.upsample3d(x, 7, 5, 9)),
                layer("concat + global mean", 3, (n, x) -> n.concat(x, n.upsample3d(n.globalAvgPool(x, true), 4, 6, 6))));
    }

    private static Arguments layer(String name, int dims,
            BiFunction<NetBuilder, Operand<TFloat32>, Operand<TFloat32>> f) {
        return Arguments.of(name, dims, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void inputGradientMatchesFiniteDifference(String name, int dims,
            BiFunction<NetBuilder, Operand<TFloat32>, Operand<TFloat32>> layer) {
        long[] in = dims == 2 ? new long[] {8, 8, 2} : new long[] {4, 6, 6, 2};
        ModelSpec spec = new ModelSpec("layer", in, new Task.Regression(1, 0), (n, x) -> {
            Operand<TFloat32> y = layer.apply(n, x);
            n.markCamLayer(y.shape().numDimensions() >= 4 ? y : x);
            return n.dense(n.flatten(y), 1, true);
        });
        try (ModelGraph m = ModelGraph.build(spec, NetBuilder.Mode.INFERENCE, 4); Session s = new Session(m.graph())) {
            s.initialize();
            Ops tf = m.ops();
            Operand<TFloat32> loss = tf.sum(tf.math.square(m.head()), tf.constant(new int[] {0, 1}));
            Output<?>[] g = m.graph().addGradients(loss.asOutput(), new Output<?>[] {m.input().asOutput()});
            assertNotNull(g[0], name + ": no gradient");
            Random r = new Random(5);
            float[] x = new float[2 * spec.inputSize()];
            float[] d = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
                d[i] = (float) r.nextGaussian();
            }
            float[] gx = new float[x.length];
            try (TFloat32 xt = tensor(spec, x); Result res = s.runner().feed(m.input(), xt).fetch(g[0]).run()) {
                ((TFloat32) res.get(0)).copyTo(DataBuffers.of(gx, false, false));
            }
            double analytic = 0;
            for (int i = 0; i < x.length; i++) {
                analytic += (double) gx[i] * d[i];
            }
            float h = 1e-2f;
            double numeric = (loss(s, m, spec, loss, x, d, h) - loss(s, m, spec, loss, x, d, -h)) / (2 * h);
            assertEquals(numeric, analytic, 2e-3 * Math.max(1, Math.abs(numeric)), name);
        }
    }

    private static double loss(Session s, ModelGraph m, ModelSpec spec, Operand<TFloat32> loss, float[] x, float[] d,
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
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false));
    }
}
