package org.dopaj.dl.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A small, readable layer API over TF Java's {@link Ops} in graph mode, channels-last
 * ({@code [batch, (depth,) height, width, channels]}), 'same' padding throughout.
 *
 * <p>Why it exists: TF Java has ops but no layers; DopaJ networks (3D classifiers and regressors,
 * a DeepLabv3+-style 2D segmenter) are written as a short sequence of calls on this class, once
 * for training ({@link Mode#TRAIN}) and once again for export ({@link Mode#INFERENCE}). Both
 * builds create the same variables under the same names in the same order ({@code conv3d_1/kernel},
 * {@code batch_norm_2/moving_mean}, ...), so a checkpoint written by the training graph restores
 * into the inference graph.
 *
 * <p>Variables start from deterministic, seeded stateless initialisers (He-uniform for
 * convolutions, Glorot-uniform for dense layers): the same seed gives the same start on any
 * machine. In TRAIN mode a boolean placeholder {@code training} (default false) switches batch
 * normalisation between batch statistics and moving averages and turns dropout on; the moving
 * averages are updated by {@link #updateOps()}, which the optimizer runs with every step.
 * In INFERENCE mode there is no such switch: batch normalisation uses the moving averages and
 * dropout is the identity. Dropout masks are drawn statelessly from (seed, layer, {@link #step()}).
 */
public final class NetBuilder {

    /** Which graph is being built. */
    public enum Mode { TRAIN, INFERENCE }

    private final Graph graph;
    private final Ops tf;
    private final Mode mode;
    private final long seed;
    private final Operand<TBool> training;
    private final Operand<TInt64> step;
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Variable<TFloat32>> nonTrainable = new ArrayList<>();
    private final List<Op> updates = new ArrayList<>();
    private final Map<String, Integer> layerCounters = new HashMap<>();
    private int variableCounter;
    private long trainableParameters;
    private long nonTrainableParameters;
    private Operand<TFloat32> camLayer;
    private CamMethod camMethod = CamMethod.GRAD_CAM;
    private float batchNormMomentum = 0.9f;
    private float batchNormEpsilon = 1e-3f;

    /**
     * @param graph an empty (or input-only) graph to build into
     * @param mode  TRAIN (with a {@code training} switch and moving-average updates) or INFERENCE
     * @param seed  seed of every initialiser and dropout mask of this network
     */
    public NetBuilder(Graph graph, Mode mode, long seed) {
        CustomGradients.register();
        this.graph = graph;
        this.tf = Ops.create(graph);
        this.mode = mode;
        this.seed = seed;
        this.training = mode == Mode.TRAIN
                ? tf.withName("training").placeholderWithDefault(tf.constant(false), Shape.scalar())
                : tf.constant(false);
        this.step = mode == Mode.TRAIN
                ? tf.withName("step").placeholderWithDefault(tf.constant(0L), Shape.scalar())
                : tf.constant(0L);
    }

    /** Momentum of the batch-norm moving averages (default 0.9: tracks quickly on small data sets). */
    public NetBuilder batchNormMomentum(float momentum) {
        if (!(momentum > 0 && momentum < 1)) {
            throw new DopajException("batch-norm momentum must lie in (0,1), got " + momentum);
        }
        this.batchNormMomentum = momentum;
        return this;
    }

    public Graph graph() {
        return graph;
    }

    public Ops ops() {
        return tf;
    }

    public Mode mode() {
        return mode;
    }

    public long seed() {
        return seed;
    }

    /** The training switch: a placeholder with default false in TRAIN mode, constant false otherwise. */
    public Operand<TBool> training() {
        return training;
    }

    /** Training step counter fed by the loop (placeholder, default 0): seeds the dropout masks. */
    public Operand<TInt64> step() {
        return step;
    }

    /** Weights the optimizer updates (kernels, biases, batch-norm scale and offset). */
    public List<Variable<TFloat32>> trainableVariables() {
        return Collections.unmodifiableList(trainable);
    }

    /** All network variables: trainable ones, then batch-norm moving statistics. */
    public List<Variable<TFloat32>> variables() {
        List<Variable<TFloat32>> all = new ArrayList<>(trainable);
        all.addAll(nonTrainable);
        return all;
    }

    /** Moving-average updates of batch normalisation; run them with each training step (TRAIN only). */
    public List<Op> updateOps() {
        return Collections.unmodifiableList(updates);
    }

    /** Number of trainable weights. */
    public long trainableParameterCount() {
        return trainableParameters;
    }

    /** Number of all network weights, including batch-norm moving statistics (as Keras counts them). */
    public long parameterCount() {
        return trainableParameters + nonTrainableParameters;
    }

    /**
     * Marks {@code x} as the activation that Grad-CAM explains: normally the output of the last
     * convolution block, before global pooling. The last call wins.
     */
    public Operand<TFloat32> markCamLayer(Operand<TFloat32> x) {
        return markCamLayer(x, CamMethod.GRAD_CAM);
    }

    /** As {@link #markCamLayer(Operand)}, choosing how the export weights the feature map. */
    public Operand<TFloat32> markCamLayer(Operand<TFloat32> x, CamMethod method) {
        camMethod = method;
        int rank = x.shape().numDimensions();
        if (rank != 4 && rank != 5) {
            throw new DopajException("CAM layer must be a 2D or 3D feature map [batch,...,channels], got shape " + x.shape());
        }
        camLayer = x;
        return x;
    }

    /** How the export weights the marked activation. */
    public CamMethod camMethod() {
        return camMethod;
    }

    /** The activation marked by {@link #markCamLayer}, or null. */
    public Operand<TFloat32> camLayer() {
        return camLayer;
    }

    // ------------------------------------------------------------------ convolutions

    /** 3D convolution, kernel k³, stride 1, no dilation, with bias. */
    public Operand<TFloat32> conv3d(Operand<TFloat32> x, int filters, int kernel) {
        return conv3d(x, filters, new int[] {kernel, kernel, kernel}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, true);
    }

    /**
     * 3D convolution with 'same' padding. Strides and dilations (atrous rates) are per spatial axis
     * (depth, height, width); strides above 1 and dilations above 1 cannot be combined. Dilated
     * kernels are built through space-to-batch (see {@link Convolutions}).
     */
    public Operand<TFloat32> conv3d(Operand<TFloat32> x, int filters, int[] kernel, int[] stride, int[] dilation,
            boolean bias) {
        requireRank(x, 5, "conv3d");
        check(kernel, 3, "conv3d kernel");
        check(stride, 3, "conv3d stride");
        check(dilation, 3, "conv3d dilation");
        String name = nextName("conv3d");
        Ops s = tf.withSubScope(name);
        long inChannels = channels(x);
        long fanIn = inChannels * kernel[0] * kernel[1] * kernel[2];
        Variable<TFloat32> w = weight(s, "kernel",
                new long[] {kernel[0], kernel[1], kernel[2], inChannels, filters}, heLimit(fanIn));
        Operand<TFloat32> y = Convolutions.conv3dSame(s, x, w, stride, dilation);
        return bias ? s.nn.biasAdd(y, zerosVariable(s, "bias", filters, true)) : y;
    }

    /** 2D convolution, kernel k², stride 1, no dilation, with bias. */
    public Operand<TFloat32> conv2d(Operand<TFloat32> x, int filters, int kernel) {
        return conv2d(x, filters, new int[] {kernel, kernel}, new int[] {1, 1}, new int[] {1, 1}, true);
    }

    /**
     * 2D convolution with 'same' padding, per-axis (height, width) stride and dilation (not both
     * above 1); dilated kernels go through space-to-batch (see {@link Convolutions}).
     */
    public Operand<TFloat32> conv2d(Operand<TFloat32> x, int filters, int[] kernel, int[] stride, int[] dilation,
            boolean bias) {
        requireRank(x, 4, "conv2d");
        check(kernel, 2, "conv2d kernel");
        check(stride, 2, "conv2d stride");
        check(dilation, 2, "conv2d dilation");
        String name = nextName("conv2d");
        Ops s = tf.withSubScope(name);
        long inChannels = channels(x);
        Variable<TFloat32> w = weight(s, "kernel", new long[] {kernel[0], kernel[1], inChannels, filters},
                heLimit(inChannels * kernel[0] * kernel[1]));
        Operand<TFloat32> y = Convolutions.conv2dSame(s, x, w, stride, dilation);
        return bias ? s.nn.biasAdd(y, zerosVariable(s, "bias", filters, true)) : y;
    }

    /**
     * Depthwise-separable 2D convolution (as in Xception/DeepLabv3+): a k×k depthwise convolution
     * with the given atrous rate, then a 1×1 pointwise convolution to {@code filters} channels.
     */
    public Operand<TFloat32> separableConv2d(Operand<TFloat32> x, int filters, int kernel, int dilation, boolean bias) {
        requireRank(x, 4, "separableConv2d");
        if (kernel < 1 || dilation < 1 || filters < 1) {
            throw new DopajException("separableConv2d: kernel, dilation and filters must be >= 1");
        }
        String name = nextName("separable_conv2d");
        Ops s = tf.withSubScope(name);
        long inChannels = channels(x);
        Variable<TFloat32> depthwise = weight(s, "depthwise_kernel", new long[] {kernel, kernel, inChannels, 1},
                heLimit((long) kernel * kernel));
        Variable<TFloat32> pointwise = weight(s, "pointwise_kernel", new long[] {1, 1, inChannels, filters},
                heLimit(inChannels));
        Operand<TFloat32> y = Convolutions.depthwiseConv2dSame(s, x, depthwise, new int[] {dilation, dilation});
        y = s.nn.conv2d(y, pointwise, longs(1, 1, 1, 1), "VALID");
        return bias ? s.nn.biasAdd(y, zerosVariable(s, "bias", filters, true)) : y;
    }

    /** conv3d (no bias) → batch norm → ReLU: the usual 3D block. */
    public Operand<TFloat32> convBnRelu3d(Operand<TFloat32> x, int filters, int kernel) {
        return relu(batchNorm(conv3d(x, filters, new int[] {kernel, kernel, kernel}, new int[] {1, 1, 1},
                new int[] {1, 1, 1}, false)));
    }

    /** conv2d (no bias) → batch norm → ReLU, with an atrous rate. */
    public Operand<TFloat32> convBnRelu2d(Operand<TFloat32> x, int filters, int kernel, int dilation) {
        return relu(batchNorm(conv2d(x, filters, new int[] {kernel, kernel}, new int[] {1, 1},
                new int[] {dilation, dilation}, false)));
    }

    // ------------------------------------------------------------------ normalisation, activations

    /**
     * Batch normalisation over all axes but the channel axis, with learnable scale (gamma) and
     * offset (beta). TRAIN: batch statistics when {@code training} is true, moving averages when
     * false; moving averages are updated by {@link #updateOps()}. INFERENCE: moving averages.
     */
    public Operand<TFloat32> batchNorm(Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        if (rank < 2) {
            throw new DopajException("batchNorm needs a [batch,...,channels] tensor, got shape " + x.shape());
        }
        String name = nextName("batch_norm");
        Ops s = tf.withSubScope(name);
        int c = (int) channels(x);
        Variable<TFloat32> gamma = constantVariable(s, "gamma", c, 1f, true);
        Variable<TFloat32> beta = constantVariable(s, "beta", c, 0f, true);
        Variable<TFloat32> movingMean = constantVariable(s, "moving_mean", c, 0f, false);
        Variable<TFloat32> movingVariance = constantVariable(s, "moving_variance", c, 1f, false);
        Operand<TFloat32> mean;
        Operand<TFloat32> variance;
        if (mode == Mode.TRAIN) {
            int[] axes = new int[rank - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
            Operand<TInt32> reduce = s.constant(axes);
            Operand<TFloat32> batchMean = s.math.mean(x, reduce);
            Operand<TFloat32> batchVariance = s.math.mean(s.math.square(s.math.sub(x, batchMean)), reduce);
            Operand<TFloat32> m = s.constant(batchNormMomentum);
            Operand<TFloat32> oneMinusM = s.constant(1f - batchNormMomentum);
            updates.add(s.assign(movingMean, s.math.add(s.math.mul(movingMean, m), s.math.mul(batchMean, oneMinusM))));
            updates.add(s.assign(movingVariance,
                    s.math.add(s.math.mul(movingVariance, m), s.math.mul(batchVariance, oneMinusM))));
            mean = s.select(training, batchMean, movingMean);
            variance = s.select(training, batchVariance, movingVariance);
        } else {
            mean = movingMean;
            variance = movingVariance;
        }
        Operand<TFloat32> scale = s.math.mul(gamma, s.math.rsqrt(s.math.add(variance, s.constant(batchNormEpsilon))));
        return s.math.add(s.math.mul(s.math.sub(x, mean), scale), beta);
    }

    public Operand<TFloat32> relu(Operand<TFloat32> x) {
        return tf.nn.relu(x);
    }

    /** Inverted dropout: in training, zero a fraction {@code rate} and scale the rest; identity otherwise. */
    public Operand<TFloat32> dropout(Operand<TFloat32> x, float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new DopajException("dropout rate must lie in [0,1), got " + rate);
        }
        String name = nextName("dropout");
        if (mode == Mode.INFERENCE || rate == 0f) {
            return x;
        }
        Ops s = tf.withSubScope(name);
        float keep = 1f - rate;
        // Stateless: the mask is a function of (seed, layer, training step), so a resumed run draws
        // the same masks as an uninterrupted one.
        Operand<TInt64> seedPair = s.math.add(
                s.constant(new long[] {seed * 1_000_003L + layerCounters.get("dropout"), 0L}),
                s.math.mul(s.constant(new long[] {0L, 1L}), step));
        Operand<TFloat32> u = s.random.statelessRandomUniform(s.shape(x), seedPair);
        Operand<TFloat32> mask = s.math.floor(s.math.add(u, s.constant(keep)));
        Operand<TFloat32> dropped = s.math.mul(x, s.math.mul(mask, s.constant(1f / keep)));
        return s.select(training, dropped, x);
    }

    // ------------------------------------------------------------------ pooling

    public Operand<TFloat32> maxPool3d(Operand<TFloat32> x, int size) {
        return maxPool3d(x, new int[] {size, size, size}, new int[] {size, size, size});
    }

    public Operand<TFloat32> maxPool3d(Operand<TFloat32> x, int[] size, int[] stride) {
        requireRank(x, 5, "maxPool3d");
        check(size, 3, "maxPool3d size");
        check(stride, 3, "maxPool3d stride");
        return tf.nn.maxPool3d(x, longs(1, size[0], size[1], size[2], 1), longs(1, stride[0], stride[1], stride[2], 1),
                "SAME");
    }

    public Operand<TFloat32> avgPool3d(Operand<TFloat32> x, int[] size, int[] stride) {
        requireRank(x, 5, "avgPool3d");
        check(size, 3, "avgPool3d size");
        check(stride, 3, "avgPool3d stride");
        return tf.nn.avgPool3d(x, longs(1, size[0], size[1], size[2], 1), longs(1, stride[0], stride[1], stride[2], 1),
                "SAME");
    }

    public Operand<TFloat32> maxPool2d(Operand<TFloat32> x, int[] size, int[] stride) {
        requireRank(x, 4, "maxPool2d");
        check(size, 2, "maxPool2d size");
        check(stride, 2, "maxPool2d stride");
        return tf.nn.maxPool(x, tf.constant(new int[] {1, size[0], size[1], 1}),
                tf.constant(new int[] {1, stride[0], stride[1], 1}), "SAME");
    }

    public Operand<TFloat32> avgPool2d(Operand<TFloat32> x, int[] size, int[] stride) {
        requireRank(x, 4, "avgPool2d");
        check(size, 2, "avgPool2d size");
        check(stride, 2, "avgPool2d stride");
        return tf.nn.avgPool(x, longs(1, size[0], size[1], 1), longs(1, stride[0], stride[1], 1), "SAME");
    }

    /** Mean over all spatial axes: [batch, ..., channels] → [batch, channels]. */
    public Operand<TFloat32> globalAvgPool(Operand<TFloat32> x) {
        return globalAvgPool(x, false);
    }

    /**
     * Mean over all spatial axes; with {@code keepSpatialAxes} the result is [batch, 1, ..., 1,
     * channels] (the image-pooling branch of ASPP, ready for a 1×1 convolution and upsampling).
     */
    public Operand<TFloat32> globalAvgPool(Operand<TFloat32> x, boolean keepSpatialAxes) {
        int rank = x.shape().numDimensions();
        if (rank < 3) {
            throw new DopajException("globalAvgPool needs a [batch,...,channels] feature map, got shape " + x.shape());
        }
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return tf.math.mean(x, tf.constant(axes), org.tensorflow.op.math.Mean.keepDims(keepSpatialAxes));
    }

    /** [batch, ...] → [batch, product of the rest]; all but the batch axis must be known. */
    public Operand<TFloat32> flatten(Operand<TFloat32> x) {
        long[] dims = x.shape().asArray();
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new DopajException("flatten needs known sizes except the batch axis, got shape " + x.shape());
            }
            n *= dims[i];
        }
        return tf.reshape(x, tf.constant(new long[] {-1, n}));
    }

    // ------------------------------------------------------------------ dense

    /** Fully connected layer on [batch, features] with Glorot-uniform kernel and zero bias. */
    public Operand<TFloat32> dense(Operand<TFloat32> x, int units, boolean bias) {
        requireRank(x, 2, "dense");
        String name = nextName("dense");
        Ops s = tf.withSubScope(name);
        long in = channels(x);
        double limit = Math.sqrt(6.0 / (in + units));
        Variable<TFloat32> w = weight(s, "kernel", new long[] {in, units}, limit);
        Operand<TFloat32> y = s.linalg.matMul(x, w);
        return bias ? s.nn.biasAdd(y, zerosVariable(s, "bias", units, true)) : y;
    }

    // ------------------------------------------------------------------ resampling, merging

    /** Bilinear resize of [batch,h,w,c] to (height,width), half-pixel centres (as tf.image.resize). */
    public Operand<TFloat32> upsample2d(Operand<TFloat32> x, int height, int width) {
        requireRank(x, 4, "upsample2d");
        return Resampling.bilinear(tf, x, height, width);
    }

    /** Trilinear resize of [batch,d,h,w,c] to (depth,height,width), half-pixel centres. */
    public Operand<TFloat32> upsample3d(Operand<TFloat32> x, int depth, int height, int width) {
        requireRank(x, 5, "upsample3d");
        return Resampling.trilinear(tf, x, depth, height, width);
    }

    /** Concatenation along the channel axis. */
    @SafeVarargs
    public final Operand<TFloat32> concat(Operand<TFloat32>... xs) {
        if (xs.length == 0) {
            throw new DopajException("concat needs at least one tensor");
        }
        int rank = xs[0].shape().numDimensions();
        return tf.concat(Arrays.asList(xs), tf.constant(rank - 1));
    }

    // ------------------------------------------------------------------ helpers

    /** Static shape of {@code x} ({@code -1} where unknown, e.g. the batch axis). */
    public static long[] shapeOf(Operand<?> x) {
        return x.shape().asArray();
    }

    private String nextName(String kind) {
        int n = layerCounters.merge(kind, 1, Integer::sum);
        return kind + "_" + n;
    }

    private Variable<TFloat32> weight(Ops scope, String name, long[] shape, double limit) {
        Ops init = scope.withInitScope();
        int[] ishape = Arrays.stream(shape).mapToInt(v -> (int) v).toArray();
        // Stateless uniform: same seed pair → same numbers, whatever else the graph contains.
        Operand<TFloat32> u = init.random.statelessRandomUniform(init.constant(ishape),
                init.constant(new long[] {seed, ++variableCounter}));
        Operand<TFloat32> value = init.math.mul(init.math.sub(init.math.mul(u, init.constant(2f)), init.constant(1f)),
                init.constant((float) limit));
        Variable<TFloat32> v = scope.withName(name).variable(value);
        trainable.add(v);
        trainableParameters += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        return v;
    }

    private Variable<TFloat32> zerosVariable(Ops scope, String name, int size, boolean isTrainable) {
        return constantVariable(scope, name, size, 0f, isTrainable);
    }

    private Variable<TFloat32> constantVariable(Ops scope, String name, int size, float value, boolean isTrainable) {
        Ops init = scope.withInitScope();
        Operand<TFloat32> v0 = init.fill(init.constant(new int[] {size}), init.constant(value));
        Variable<TFloat32> v = scope.withName(name).variable(v0);
        variableCounter++;
        if (isTrainable) {
            trainable.add(v);
            trainableParameters += size;
        } else {
            nonTrainable.add(v);
            nonTrainableParameters += size;
        }
        return v;
    }

    private static double heLimit(long fanIn) {
        return Math.sqrt(6.0 / fanIn);
    }

    private static long channels(Operand<TFloat32> x) {
        long[] d = x.shape().asArray();
        long c = d[d.length - 1];
        if (c < 1) {
            throw new DopajException("the channel axis must have a known size, got shape " + x.shape());
        }
        return c;
    }

    private static void requireRank(Operand<?> x, int rank, String layer) {
        if (x.shape().numDimensions() != rank) {
            throw new DopajException(layer + " needs a rank-" + rank + " tensor, got shape " + x.shape());
        }
    }

    private static void check(int[] values, int length, String what) {
        if (values == null || values.length != length) {
            throw new DopajException(what + " must have " + length + " values");
        }
        for (int v : values) {
            if (v < 1) {
                throw new DopajException(what + " must be >= 1, got " + Arrays.toString(values));
            }
        }
    }

    private static List<Long> longs(long... values) {
        return Arrays.stream(values).boxed().toList();
    }
}
