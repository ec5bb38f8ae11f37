package org.dopaj.dl.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dopaj.dl.model.Tensor;

/**
 * Run in a fresh JVM by {@link TensorFlowRuntimeTest}: brings TF up in the order given by {@code args[0]}
 * ({@code dopaj-first}: TensorFlowRuntime.init, then TF Java; {@code tf-first}: TF Java, then init), then uses both
 * TF Java (export a SavedModel through a Graph/Session) and DJL (predict it), printing {@code PROBE-OK} lines.
 */
public final class TfOrderProbe {
    private TfOrderProbe() {
    }

    public static void main(String[] args) throws Exception {
        String order = args[0];
        if (order.equals("tf-first")) {
            System.out.println("PROBE tfjava " + org.tensorflow.TensorFlow.version());
            System.out.println("PROBE " + TensorFlowRuntime.init().describe());
        } else {
            System.out.println("PROBE " + TensorFlowRuntime.init().describe());
            System.out.println("PROBE tfjava " + org.tensorflow.TensorFlow.version());
        }
        System.out.println("PROBE offline=" + System.getProperty("ai.djl.offline") + " pathsFirst="
                + System.getProperty("org.bytedeco.javacpp.pathsFirst"));
        System.out.println("PROBE loaded " + org.bytedeco.javacpp.Loader.getLoadedLibraries());
        Path root = Files.createTempDirectory("dopaj-order-probe");
        try (DopajModel m = DopajModel.load(TinyModels.writePackage(root, "probe", Map.of()).dir(), ComputeDevice.CPU)) {
            Tensor score = m.predict(TinyModels.image(1, 5));
            float sum = 0;
            for (float v : TinyModels.image(1, 5).data()) {
                sum += v;
            }
            float expected = TinyModels.W * sum + TinyModels.B;
            if (Math.abs(score.data()[0] - expected) > 1e-4) {
                throw new AssertionError("score " + score.data()[0] + " != " + expected);
            }
            System.out.println("PROBE-OK " + order + " score " + score.data()[0]);
        }
    }
}
