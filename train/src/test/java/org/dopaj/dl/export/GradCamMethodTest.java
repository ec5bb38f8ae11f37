package org.dopaj.dl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Grad-CAM vs HiResCAM on a head with position-specific weights, where only one position counts. */
class GradCamMethodTest {

    /** CAM of score = Σ A·W for A = [1 2; 3 4] and W = [1 0; 0 0] (a flatten + dense head that reads one position). */
    private static float[] cam(CamMethod method) {
        TensorFlowRuntime.init();
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 2, 2, 1)));
            Operand<TFloat32> w = tf.constant(new float[][][][] {{{{1}, {0}}, {{0}, {0}}}});
            Operand<TFloat32> score = tf.sum(tf.math.mul(a, w), tf.constant(new int[] {1, 2, 3}));
            Operand<TFloat32> cam = GradCam.build(g, tf, score, a, new long[] {2, 2}, method);
            try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, 2, 2, 1), DataBuffers.of(new float[] {1, 2, 3, 4}));
                 var r = s.runner().feed(a, in).fetch(cam).run()) {
                float[] out = new float[4];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                return out;
            }
        }
    }

    @Test
    void hiResCamKeepsWhereTheEvidenceIsGradCamSpreadsIt() {
        // HiResCAM: W·A = [1 0; 0 0] -> all of the map at the one position the head reads
        assertArrayEquals(new float[] {1, 0, 0, 0}, cam(CamMethod.HI_RES_CAM), 1e-6f);
        // Grad-CAM: one weight (mean gradient 1/4) times A -> brightest where A is largest, at a position the
        // score does not depend on
        assertArrayEquals(new float[] {0, 1 / 3f, 2 / 3f, 1}, cam(CamMethod.GRAD_CAM), 1e-6f);
    }
}
