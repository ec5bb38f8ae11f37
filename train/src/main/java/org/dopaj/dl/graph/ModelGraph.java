package org.dopaj.dl.graph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.dopaj.DopajException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A {@link ModelSpec} built into a fresh graph: the {@code input} placeholder
 * [-1, inputShape...], the network head and the prediction (softmax probabilities for
 * classification and segmentation, the head itself for regression). Training and export both
 * start from this, so the two graphs agree op for op up to the head.
 */
public final class ModelGraph implements AutoCloseable {

    /** Name of the input placeholder and of the exported input. */
    public static final String INPUT = "input";

    /** File prefix of the variables inside a checkpoint folder ({@code variables.index}, data shards). */
    public static final String VARIABLES = "variables";

    private final ModelSpec spec;
    private final Graph graph;
    private final NetBuilder net;
    private final Placeholder<TFloat32> input;
    private final Operand<TFloat32> head;
    private final Operand<TFloat32> prediction;

    private ModelGraph(ModelSpec spec, NetBuilder.Mode mode, long seed) {
        this.spec = spec;
        CustomGradients.register(); // brings the natives up (offline) before the first TF Java object
        this.graph = new Graph();
        try {
            this.net = new NetBuilder(graph, mode, seed);
            Ops tf = net.ops();
            this.input = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(spec.batchInputShape())));
            this.head = spec.network().build(net, input);
            checkHead();
            this.prediction = spec.task() instanceof Task.Regression
                    ? tf.withName("prediction").identity(head)
                    : tf.withName("probabilities").nn.softmax(head);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** Builds {@code spec} into a new graph; the caller closes it. */
    public static ModelGraph build(ModelSpec spec, NetBuilder.Mode mode, long seed) {
        return new ModelGraph(spec, mode, seed);
    }

    private void checkHead() {
        long[] h = head.shape().asArray();
        long last = h[h.length - 1];
        if (spec.task() instanceof Task.Classification c) {
            expect(h.length == 2 && last == c.classes(), "[batch, " + c.classes() + "]");
        } else if (spec.task() instanceof Task.Regression r) {
            expect(h.length == 2 && last == r.outputs(), "[batch, " + r.outputs() + "]");
        } else if (spec.task() instanceof Task.Segmentation s) {
            expect(h.length == spec.inputShape().length + 1 && last == s.classes(),
                    "[batch, spatial..., " + s.classes() + "]");
        }
        if (spec.task().hasCam() && net.camLayer() == null) {
            throw new DopajException("model " + spec.name() + ": the network must mark its last convolution block "
                    + "with markCamLayer(...) for Grad-CAM");
        }
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            throw new DopajException("model " + spec.name() + ": network head has shape " + head.shape()
                    + ", expected " + what);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public Graph graph() {
        return graph;
    }

    public NetBuilder net() {
        return net;
    }

    public Ops ops() {
        return net.ops();
    }

    public Placeholder<TFloat32> input() {
        return input;
    }

    /** Logits (classification, segmentation) or values (regression). */
    public Operand<TFloat32> head() {
        return head;
    }

    /** The exported prediction: softmax probabilities, or the regression values. */
    public Operand<TFloat32> prediction() {
        return prediction;
    }

    /** Static shape of the prediction with -1 for the batch axis. */
    public long[] predictionShape() {
        return prediction.shape().asArray();
    }

    /** Restores a checkpoint, turning TensorFlow's multi-line error into one line naming the folder. */
    public static void restore(Session session, Path folder, String modelName) {
        if (!Files.isRegularFile(folder.resolve(VARIABLES + ".index"))) {
            throw new DopajException("no checkpoint in " + folder + " (missing " + VARIABLES + ".index)");
        }
        try {
            session.restore(folder.resolve(VARIABLES).toString());
        } catch (RuntimeException e) {
            String first = String.valueOf(e.getMessage()).strip().split("\\R", 2)[0];
            throw new DopajException("checkpoint " + folder + " does not fit model " + modelName + ": " + first);
        }
    }

    @Override
    public void close() {
        graph.close();
    }

    @Override
    public String toString() {
        return "ModelGraph[" + spec.name() + ", input " + Arrays.toString(spec.batchInputShape()) + "]";
    }
}
