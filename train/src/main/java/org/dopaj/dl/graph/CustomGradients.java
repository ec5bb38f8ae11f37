package org.dopaj.dl.graph;

import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.family.TNumber;

/**
 * Gradients that TensorFlow's C++ gradient registry lacks and TF Java therefore cannot build:
 * today only {@code Conv3D}. Without it {@code Graph.addGradients} fails on any 3D CNN, so every
 * graph builder in DopaJ calls {@link #register()} first. Registration is process-wide and
 * idempotent.
 */
public final class CustomGradients {

    private static boolean registered;

    private CustomGradients() {
    }

    /** Registers the missing gradients once per JVM; later calls do nothing. */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        // natives first, from DopaJ's offline cache: the CUDA build is found only there
        org.dopaj.dl.runtime.TensorFlowRuntime.init();
        // TF refuses a second registration for the same op (returns false): that is fine, it is
        // ours from an earlier class loader or an earlier call.
        TensorFlow.registerCustomGradient(Conv3d.Inputs.class, CustomGradients::conv3dGradient);
        registered = true;
    }

    /**
     * d(loss)/d(input) and d(loss)/d(filter) of {@code Conv3D}: the transposed convolutions
     * {@code Conv3DBackpropInputV2} and {@code Conv3DBackpropFilterV2} with the forward op's
     * strides, padding, dilations and data format.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Operand<?>> conv3dGradient(org.tensorflow.op.Ops tf, Conv3d.Inputs inputs,
            List<org.tensorflow.Output<?>> gradOutputs) {
        Operand input = inputs.input;
        Operand filter = inputs.filter;
        Operand grad = gradOutputs.get(0);
        List<Long> strides = toList(inputs.strides);
        List<Long> dilations = toList(inputs.dilations);
        Operand<? extends TNumber> inputSizes = tf.shape(input);
        Operand dInput = tf.nn.conv3dBackpropInput(inputSizes, filter, grad, strides, inputs.padding,
                Conv3dBackpropInput.dilations(dilations), Conv3dBackpropInput.dataFormat(inputs.dataFormat));
        Operand dFilter = tf.nn.conv3dBackpropFilter(input, tf.shape(filter), grad, strides, inputs.padding,
                Conv3dBackpropFilter.dilations(dilations), Conv3dBackpropFilter.dataFormat(inputs.dataFormat));
        return Arrays.asList(dInput, dFilter);
    }

    private static List<Long> toList(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
