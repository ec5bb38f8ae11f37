package org.dopaj.dl.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.Adam;
import org.dopaj.dl.graph.Losses;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.graph.Task;
import org.dopaj.image.Memory;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A model's training graph and its session: the {@link ModelGraph} in TRAIN mode plus a
 * {@code target} placeholder, the task's loss, a {@code learning_rate} placeholder and one Adam
 * step. Also runs inference on the same weights ({@code training} = false: moving batch-norm
 * statistics, no dropout), which is what an export must reproduce.
 *
 * <p>Checkpoints are TensorFlow's own format (a {@code variables.index} and data shards under a
 * folder), holding network weights, batch-norm statistics and Adam state.
 */
public final class TrainingGraph implements AutoCloseable {

    /** File prefix of the variables inside a checkpoint folder. */
    public static final String VARIABLES = ModelGraph.VARIABLES;

    private final ModelGraph model;
    private final Session session;
    private final Placeholder<TFloat32> target;
    private final Placeholder<TFloat32> learningRate;
    private final Operand<TFloat32> loss;
    private final Op step;
    private final long[] targetShape;

    private TrainingGraph(ModelSpec spec, long seed, int threads) {
        this.model = ModelGraph.build(spec, NetBuilder.Mode.TRAIN, seed);
        try {
            Ops tf = model.ops();
            this.targetShape = targetShape(spec);
            this.target = tf.withName("target").placeholder(TFloat32.class, Placeholder.shape(Shape.of(targetShape)));
            this.loss = tf.withName("loss").identity(lossOf(tf, spec.task()));
            this.learningRate = tf.withName("learning_rate").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.scalar()));
            this.step = Adam.minimize(model.graph(), tf, loss, model.net().trainableVariables(), learningRate,
                    0.9f, 0.999f, 1e-7f, model.net().updateOps());
            ConfigProto.Builder config = ConfigProto.newBuilder();
            if (threads > 0) {
                config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
            }
            this.session = new Session(model.graph(), config.build());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Builds the training graph and initialises all variables from their seeded initialisers.
     *
     * @param threads TensorFlow CPU threads (intra- and inter-op); 0 = TensorFlow's default
     */
    public static TrainingGraph create(ModelSpec spec, long seed, int threads) {
        TrainingGraph g = new TrainingGraph(spec, seed, threads);
        g.session.initialize();
        return g;
    }

    /** [-1] labels, [-1, outputs] values, or [-1, spatial...] class-index maps. */
    static long[] targetShape(ModelSpec spec) {
        Task task = spec.task();
        if (task instanceof Task.Classification) {
            return new long[] {-1};
        }
        if (task instanceof Task.Regression r) {
            return new long[] {-1, r.outputs()};
        }
        long[] in = spec.inputShape();
        long[] t = new long[in.length];
        t[0] = -1;
        System.arraycopy(in, 0, t, 1, in.length - 1);
        return t;
    }

    /** Number of floats of one sample's target. */
    public int targetSize() {
        long n = 1;
        for (int i = 1; i < targetShape.length; i++) {
            n *= targetShape[i];
        }
        return (int) n;
    }

    private Operand<TFloat32> lossOf(Ops tf, Task task) {
        Operand<TFloat32> head = model.head();
        if (task instanceof Task.Regression) {
            return Losses.meanSquaredError(tf, head, target);
        }
        int classes = task instanceof Task.Classification c ? c.classes() : ((Task.Segmentation) task).classes();
        Operand<TInt32> labels = tf.dtypes.cast(target, TInt32.class);
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
        if (task instanceof Task.Classification) {
            return Losses.softmaxCrossEntropy(tf, head, oneHot);
        }
        Task.Segmentation seg = (Task.Segmentation) task;
        return switch (seg.loss()) {
            case SOFT_DICE -> Losses.softDice(tf, model.prediction(), oneHot);
            case CROSS_ENTROPY -> Losses.softmaxCrossEntropy(tf, head, oneHot);
            case SOFT_DICE_PLUS_CROSS_ENTROPY -> tf.math.add(Losses.softDice(tf, model.prediction(), oneHot),
                    Losses.softmaxCrossEntropy(tf, head, oneHot));
        };
    }

    public ModelGraph model() {
        return model;
    }

    public Session session() {
        return session;
    }

    /**
     * One Adam step on a batch; returns the batch loss before the update.
     *
     * @param stepIndex global step number (seeds the dropout masks: pass the same number for the
     *                  same step of a rerun or a resumed run)
     */
    public float step(List<Sample> batch, double rate, long stepIndex) {
        try (TFloat32 x = inputs(batch); TFloat32 y = targets(batch); TFloat32 lr = TFloat32.scalarOf((float) rate);
                TBool on = TBool.scalarOf(true); TInt64 k = TInt64.scalarOf(stepIndex);
                Result r = session.runner().feed(model.input(), x).feed(target, y).feed(learningRate, lr)
                        .feed(model.net().training(), on).feed(model.net().step(), k).fetch(loss).addTarget(step)
                        .run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Loss on a batch in inference mode (moving statistics, no dropout, no update). */
    public float loss(List<Sample> batch) {
        try (TFloat32 x = inputs(batch); TFloat32 y = targets(batch);
                Result r = session.runner().feed(model.input(), x).feed(target, y).fetch(loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Predictions (inference mode), one float[] per sample in the prediction's C order. */
    public float[][] predict(List<float[]> inputs) {
        try (TFloat32 x = tensor(inputs, model.spec().batchInputShape(), model.spec().inputSize(), "input");
                Result r = session.runner().feed(model.input(), x).fetch(model.prediction()).run()) {
            return split((TFloat32) r.get(0), inputs.size());
        }
    }

    /** Writes all variables (network, batch-norm statistics, Adam state) to {@code folder}. */
    public void save(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DopajException("cannot create checkpoint folder " + folder + ": " + e.getMessage());
        }
        session.save(folder.resolve(VARIABLES).toString());
    }

    /** Restores all variables from a checkpoint folder written by {@link #save}. */
    public void restore(Path folder) {
        ModelGraph.restore(session, folder, model.spec().name());
    }

    private TFloat32 inputs(List<Sample> batch) {
        return tensor(batch.stream().map(Sample::input).toList(), model.spec().batchInputShape(),
                model.spec().inputSize(), "input");
    }

    private TFloat32 targets(List<Sample> batch) {
        return tensor(batch.stream().map(Sample::target).toList(), targetShape, targetSize(), "target");
    }

    static TFloat32 tensor(List<float[]> rows, long[] shapeWithBatch, int rowSize, String what) {
        if (rows.isEmpty()) {
            throw new DopajException("empty batch");
        }
        long count = (long) rows.size() * rowSize;
        if (count > Integer.MAX_VALUE) {
            throw new DopajException(what + " batch of " + rows.size() + " samples is too large; use a smaller batch");
        }
        Memory.require(count * Float.BYTES * 2, what + " batch"); // the array and its tensor copy
        float[] flat = new float[(int) count];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            if (r.length != rowSize) {
                throw new DopajException(what + " of sample " + i + " has " + r.length + " values, expected " + rowSize);
            }
            System.arraycopy(r, 0, flat, i * rowSize, rowSize);
        }
        long[] shape = shapeWithBatch.clone();
        shape[0] = rows.size();
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(flat, true, false));
    }

    static float[][] split(TFloat32 t, int n) {
        float[] flat = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(flat, false, false));
        int per = flat.length / n;
        float[][] out = new float[n][per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * per, out[i], 0, per);
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        model.close();
    }
}
