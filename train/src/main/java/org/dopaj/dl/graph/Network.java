package org.dopaj.dl.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A network definition: a short sequence of {@link NetBuilder} calls from the input to the head.
 * It is called twice (training graph, inference graph) and must build the same layers in the same
 * order each time. Classifiers and regressors mark their last convolution block with
 * {@link NetBuilder#markCamLayer} so the export can add Grad-CAM.
 */
@FunctionalInterface
public interface Network {

    /**
     * @param net   the layer API bound to the graph being built
     * @param input [batch, (depth,) height, width, channels]
     * @return the head: logits [batch, classes] (classification), values [batch, outputs]
     *         (regression) or logits [batch, (depth,) height, width, classes] (segmentation)
     */
    Operand<TFloat32> build(NetBuilder net, Operand<TFloat32> input);
}
