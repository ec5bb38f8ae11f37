package org.dopaj.dl.export;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.CamMethod;
import org.dopaj.dl.graph.Resampling;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Grad-CAM (Selvaraju et al. 2017) as graph ops, so one inference call returns the prediction and
 * its class-activation map. For each sample b, with A the marked feature map [b, s..., C] (the last
 * convolution block) and y the explained score of sample b:
 * <ol>
 * <li>G = ∂y/∂A ({@code Graph.addGradients}; samples are independent in inference mode, so the
 * gradient of Σ_b y_b gives each sample its own gradient);</li>
 * <li>channel weights α_c = mean of G over the spatial axes;</li>
 * <li>map = ReLU(Σ_c α_c · A_c);</li>
 * <li>min–max normalised per sample to [0,1]; a map with no range (all equal, e.g. all zero) becomes 0;</li>
 * <li>resized (bilinear in 2D, trilinear in 3D, half-pixel centres) to the input's spatial grid.</li>
 * </ol>
 * Linear interpolation of values in [0,1] stays in [0,1]. Output: [b, s_input..., 1].
 *
 * <p>{@link CamMethod#HI_RES_CAM} (Draelos &amp; Carin 2020) skips step 2: map = ReLU(Σ_c G_c · A_c), position by
 * position. For a network whose head flattens the feature map into a dense layer (position-specific weights),
 * averaging the gradient over space throws away where the evidence was; HiResCAM keeps it, and for such heads it
 * is exactly the contribution of each position to the score (up to the bias).
 */
public final class GradCam {


    /** Ranges below this count as "no range". */
    static final float MIN_RANGE = 1e-12f;

    private GradCam() {
    }

    /**
     * @param score       [batch] explained score per sample
     * @param activation  [batch, d, h, w, C] or [batch, h, w, C]
     * @param inputSpatial spatial size of the network input: {d,h,w} or {h,w}
     */
    public static Operand<TFloat32> build(Graph graph, Ops tf, Operand<TFloat32> score, Operand<TFloat32> activation,
            long[] inputSpatial) {
        return build(graph, tf, score, activation, inputSpatial, CamMethod.GRAD_CAM);
    }

    /** As {@link #build(Graph, Ops, Operand, Operand, long[])} with the given weighting. */
    public static Operand<TFloat32> build(Graph graph, Ops tf, Operand<TFloat32> score, Operand<TFloat32> activation,
            long[] inputSpatial, CamMethod method) {
        int rank = activation.shape().numDimensions();
        if (rank != 4 && rank != 5 || inputSpatial.length != rank - 2) {
            throw new DopajException("Grad-CAM needs a 2D or 3D feature map matching the input, got "
                    + activation.shape());
        }
        Ops cam = tf.withSubScope("gradcam");
        Operand<TFloat32> total = cam.sum(score, cam.constant(0));
        Output<?>[] g = graph.addGradients("gradcam_gradients", new Output<?>[] {total.asOutput()},
                new Output<?>[] {activation.asOutput()}, null);
        if (g[0] == null) {
            throw new DopajException("Grad-CAM: the explained score does not depend on the marked CAM layer");
        }
        @SuppressWarnings("unchecked")
        Operand<TFloat32> grad = (Operand<TFloat32>) g[0];
        Operand<TInt32> spatial = cam.constant(rank == 5 ? new int[] {1, 2, 3} : new int[] {1, 2});
        Operand<TFloat32> weights = method == CamMethod.HI_RES_CAM ? grad
                : cam.math.mean(grad, spatial, Mean.keepDims(true));
        Operand<TFloat32> weighted = cam.sum(cam.math.mul(activation, weights), cam.constant(rank - 1),
                Sum.keepDims(true));
        Operand<TFloat32> map = cam.nn.relu(weighted);
        Operand<TFloat32> lo = cam.min(map, spatial, Min.keepDims(true));
        Operand<TFloat32> hi = cam.max(map, spatial, Max.keepDims(true));
        Operand<TFloat32> range = cam.math.sub(hi, lo);
        Operand<TFloat32> hasRange = cam.dtypes.cast(cam.math.greater(range, cam.constant(MIN_RANGE)), TFloat32.class);
        Operand<TFloat32> normalised = cam.math.mul(
                cam.math.div(cam.math.sub(map, lo), cam.math.maximum(range, cam.constant(MIN_RANGE))), hasRange);
        Operand<TFloat32> resized = rank == 5
                ? Resampling.trilinear(cam, normalised, (int) inputSpatial[0], (int) inputSpatial[1], (int) inputSpatial[2])
                : Resampling.bilinear(cam, normalised, (int) inputSpatial[0], (int) inputSpatial[1]);
        // Interpolation rounding can step a hair outside [0,1]; keep the documented range exact.
        return cam.math.minimum(cam.math.maximum(resized, cam.constant(0f)), cam.constant(1f));
    }
}
