package org.dopaj.dl.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Test fixture: a tiny SavedModel exported with plain TF Java, so tests know the exact answer.
 * Input {@code image} [-1,4,4,3,1]; outputs {@code score} = W·Σimage + B ([-1,1]) and {@code cam} = W·image
 * (same shape as the input). The names sort as cam < score, the reverse of declaration order, so a reader that
 * relied on position instead of name would fail.
 */
public final class TinyModels {
    public static final float W = 0.5f;
    public static final float B = 0.25f;
    public static final int NX = 4;
    public static final int NY = 4;
    public static final int NZ = 3;

    private TinyModels() {
    }

    /** Exports the SavedModel to {@code dir}. */
    public static void exportSavedModel(Path dir) throws Exception {
        TensorFlowRuntime.init();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.withName("image").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, NX, NY, NZ, 1)));
            Variable<TFloat32> w = tf.withName("w").variable(tf.constant(W));
            Variable<TFloat32> b = tf.withName("b").variable(tf.constant(B));
            var sum = tf.reduceSum(x, tf.constant(new int[] {1, 2, 3, 4}));
            var score = tf.withName("score").math.add(
                    tf.math.mul(tf.reshape(sum, tf.constant(new long[] {-1, 1})), w), b);
            var cam = tf.withName("cam").math.mul(x, w);
            try (Session s = new Session(g)) {
                s.initialize();
                Signature sig = Signature.builder().key("serving_default").input("image", x)
                        .output("score", score).output("cam", cam).build();
                SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig).export();
            }
        }
    }

    /** Deterministic test image, values 1..2. */
    public static Tensor image(int batch, int seed) {
        float[] d = new float[batch * NX * NY * NZ];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1f + ((i * 7 + seed * 13) % 11) / 10f;
        }
        return Tensor.of(d, batch, NX, NY, NZ, 1);
    }

    public static TensorSpec inputSpec() {
        return TensorSpec.of("image", "tiny test image", AxisSpec.batch(), AxisSpec.space("x", NX),
                AxisSpec.space("y", NY), AxisSpec.space("z", NZ), AxisSpec.channel("intensity"));
    }

    /** Writes a package around a freshly exported tiny SavedModel with the given config extras. */
    public static ModelPackage writePackage(Path root, String id, Map<String, Object> extraConfig) throws Exception {
        return writePackage(root, id, extraConfig, false);
    }

    /** {@link #writePackage(Path, String, Map)}, replacing an existing package when {@code overwrite}. */
    public static ModelPackage writePackage(Path root, String id, Map<String, Object> extraConfig, boolean overwrite)
            throws Exception {
        Path sm = root.resolve(id + "-export");
        exportSavedModel(sm);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("task", "regression");
        config.put("outputs", new LinkedHashMap<>(Map.of("prediction", "score", "cam", "cam")));
        config.putAll(extraConfig);
        return new ModelPackageWriter(root.resolve(id)).id(id).name("Tiny " + id)
                .description("tiny test model").author("DopaJ tests").license("MIT")
                .modelCard("# Tiny test model\nResearch use only.\n")
                .savedModel(sm)
                .input(inputSpec(), image(1, 3))
                .output(TensorSpec.of("score", "W·sum+B", AxisSpec.batch(), AxisSpec.channel("score")), null)
                .output(TensorSpec.of("cam", "W·image", AxisSpec.batch(), AxisSpec.space("x", NX),
                        AxisSpec.space("y", NY), AxisSpec.space("z", NZ), AxisSpec.channel("cam")), null)
                .config(config).tags(List.of("test")).overwrite(overwrite).write();
    }
}
