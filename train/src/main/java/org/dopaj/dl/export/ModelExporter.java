package org.dopaj.dl.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.graph.Task;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Exports a trained network as a TensorFlow SavedModel for inference (DJL or TF Java).
 *
 * <p>The network is rebuilt from its {@link ModelSpec} in {@link NetBuilder.Mode#INFERENCE}
 * (batch norm with moving statistics, no dropout, no optimizer), its variables are restored from a
 * training checkpoint by name, and one signature {@code serving_default} is written with input
 * {@code input} and outputs: {@code probabilities} (classification, segmentation) or
 * {@code prediction} (regression), plus {@code cam} (Grad-CAM, see {@link GradCam}) for classifiers
 * (explaining the logit of {@code camClass}, or of the predicted class) and regressors (explaining
 * output {@code camOutput}). The folder is written under a temporary name and moved into place.
 */
public final class ModelExporter {

    /** Signature key. */
    public static final String SIGNATURE = Signature.DEFAULT_KEY;

    /** Name of the CAM output. */
    public static final String CAM = "cam";

    private ModelExporter() {
    }

    /**
     * @param checkpoint a checkpoint folder written by the training loop (e.g. {@code best/})
     * @param folder     the SavedModel folder to create; must not exist yet
     */
    public static ExportedModel export(ModelSpec spec, Path checkpoint, Path folder) {
        if (Files.exists(folder)) {
            throw new DopajException("export folder " + folder + " already exists; choose a new one");
        }
        Path parent = folder.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + folder.getFileName() + ".tmp");
        try (ModelGraph model = ModelGraph.build(spec, NetBuilder.Mode.INFERENCE, 0L);
                Session session = new Session(model.graph())) {
            Ops tf = model.ops();
            Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
            outputs.put(spec.task().predictionName(), model.prediction());
            if (spec.task().hasCam()) {
                Operand<TFloat32> score = explainedScore(tf, spec.task(), model.head());
                long[] in = spec.inputShape();
                long[] spatial = new long[in.length - 1];
                System.arraycopy(in, 0, spatial, 0, spatial.length);
                Operand<TFloat32> cam = GradCam.build(model.graph(), tf, score, model.net().camLayer(), spatial,
                        model.net().camMethod());
                outputs.put(CAM, tf.withName(CAM).identity(cam));
            }
            ModelGraph.restore(session, checkpoint, spec.name());
            Signature.Builder sig = Signature.builder().key(SIGNATURE).input(ModelGraph.INPUT, model.input());
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, Operand<TFloat32>> e : outputs.entrySet()) {
                sig.output(e.getKey(), e.getValue());
                shapes.put(e.getKey(), e.getValue().shape().asArray());
            }
            Files.createDirectories(parent);
            deleteTree(tmp);
            SavedModelBundle.exporter(tmp.toString()).withSession(session)
                    .withFunction(SessionFunction.create(sig.build(), session)).export();
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            return new ExportedModel(folder, SavedModelBundle.DEFAULT_TAG, SIGNATURE, ModelGraph.INPUT,
                    spec.batchInputShape(), shapes, spec.task().hasCam() ? CAM : null, spec.task(),
                    model.net().parameterCount(), TensorFlow.version());
        } catch (IOException e) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new DopajException("cannot export model " + spec.name() + " to " + folder + ": " + e.getMessage());
        }
    }

    /** [batch] score that Grad-CAM explains: a class logit (fixed or predicted) or one regression output. */
    static Operand<TFloat32> explainedScore(Ops tf, Task task, Operand<TFloat32> head) {
        Ops s = tf.withSubScope("cam_target");
        int width = (int) head.shape().size(1);
        Operand<TInt32> index;
        if (task instanceof Task.Classification c && c.camClass() < 0) {
            // The predicted class; its choice carries no gradient.
            index = s.stopGradient(s.math.argMax(head, s.constant(1), TInt32.class));
        } else {
            int fixed = task instanceof Task.Classification c ? c.camClass() : ((Task.Regression) task).camOutput();
            Operand<TInt32> batch = s.slice(s.shape(head, TInt32.class), s.constant(new int[] {0}),
                    s.constant(new int[] {1}));
            index = s.fill(batch, s.constant(fixed));
        }
        Operand<TFloat32> select = s.stopGradient(s.oneHot(index, s.constant(width), s.constant(1f), s.constant(0f)));
        return s.sum(s.math.mul(head, select), s.constant(1));
    }

    private static void deleteTree(Path p) throws IOException {
        org.dopaj.FileTrees.delete(p);
    }
}
