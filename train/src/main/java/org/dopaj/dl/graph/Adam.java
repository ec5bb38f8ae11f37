package org.dopaj.dl.graph;

import java.util.ArrayList;
import java.util.List;

import org.dopaj.DopajException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma & Ba 2015) as graph ops: gradients by {@code Graph.addGradients}, updates by
 * TensorFlow's fused {@code ApplyAdam} kernel. The learning rate is an operand (a placeholder the
 * training loop feeds from a {@link LearningRateSchedule}). Slot variables are named
 * {@code adam/<variable>.m}, {@code adam/<variable>.v} (slashes of the variable name as dots),
 * {@code adam/beta1_power},
 * {@code adam/beta2_power} and are saved with checkpoints, so a resumed run continues exactly.
 *
 * <p>tensorflow-framework 1.0.0's {@code Adam} does run against the TF Java 1.0.0-rc.1 classes on
 * our classpath (checked: it minimises (w−1)² from w=3). We keep this one because the training loop
 * needs three things it does not promise: a learning rate fed per step from a schedule, the
 * batch-norm moving-average updates in the same step, and updates that wait for all gradients
 * (see below) so runs are bit-for-bit repeatable.
 */
public final class Adam {

    private Adam() {
    }

    /**
     * @param extraUpdates ops to run with each step (batch-norm moving averages)
     * @return one op that applies one Adam step to all {@code variables}
     */
    public static Op minimize(Graph graph, Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
            Operand<TFloat32> learningRate, float beta1, float beta2, float epsilon, List<Op> extraUpdates) {
        if (variables.isEmpty()) {
            throw new DopajException("the network has no trainable variables");
        }
        Output<?>[] xs = new Output<?>[variables.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = variables.get(i).asOutput();
        }
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
        Ops init = tf.withInitScope();
        Ops adam = tf.withSubScope("adam");
        Variable<TFloat32> beta1Power = adam.withName("beta1_power").variable(tf.withInitScope().constant(beta1));
        Variable<TFloat32> beta2Power = adam.withName("beta2_power").variable(tf.withInitScope().constant(beta2));
        Operand<TFloat32> b1 = adam.constant(beta1);
        Operand<TFloat32> b2 = adam.constant(beta2);
        Operand<TFloat32> eps = adam.constant(epsilon);
        // Variables are updated in place. A gradient op may read a variable (e.g. dx = dy·Wᵀ) after
        // another variable's update is ready, so every update waits for ALL gradients: otherwise a
        // backward pass could read half-updated weights and the result would depend on thread timing.
        List<Op> gradientOps = new ArrayList<>();
        List<Operand<TFloat32>> gradients = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (grads[i] == null) {
                throw new DopajException("no gradient reaches variable " + variables.get(i).op().name()
                        + ": is it used by the loss?");
            }
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = adam.identity((Operand<TFloat32>) grads[i]);
            gradients.add(g);
            gradientOps.add((Op) g);
        }
        Ops update = adam.withControlDependencies(gradientOps);
        List<Op> applied = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            Variable<TFloat32> v = variables.get(i);
            String name = v.op().name().replace('/', '.');
            Variable<TFloat32> m = adam.withName(name + ".m").variable(zeros(init, v));
            Variable<TFloat32> s = adam.withName(name + ".v").variable(zeros(init, v));
            applied.add(update.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, b1, b2, eps,
                    gradients.get(i)));
        }
        applied.addAll(extraUpdates);
        Ops after = adam.withControlDependencies(applied);
        List<Op> powers = List.of(after.assign(beta1Power, after.math.mul(beta1Power, b1)),
                after.assign(beta2Power, after.math.mul(beta2Power, b2)));
        return adam.withName("step").withControlDependencies(powers).noOp();
    }

    /** A zero tensor of the variable's static shape, built in the init scope. */
    private static Operand<TFloat32> zeros(Ops init, Variable<TFloat32> v) {
        long[] dims = v.shape().asArray();
        return init.fill(init.constant(dims), init.constant(0f));
    }
}
