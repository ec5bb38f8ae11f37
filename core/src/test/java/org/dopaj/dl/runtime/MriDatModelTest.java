package org.dopaj.dl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.MriDatPackageMaker;
import org.dopaj.dl.model.Npy;
import org.dopaj.dl.model.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The proof case: the bundled packages {@code models/mri-dat-nigral-vgg-{left,right}} run the published third-party
 * SavedModels (read from ../shared) and give exactly what TF Java's own SavedModelBundle gives when the authors'
 * preprocessing is applied by hand. Skips when ../shared/data is absent.
 */
class MriDatModelTest {
    static Path shared;

    @BeforeEach
    void needShared() {
        // per test, so surefire reports each as skipped with this message
        String s = System.getProperty("dopaj.shared");
        shared = s == null ? null : Paths.get(s);
        Assumptions.assumeTrue(shared != null && Files.isDirectory(shared.resolve("data/thirdparty-models/mri_dat")),
                "../shared/data absent: skipping the mri_dat proof case");
        TensorFlowRuntime.init();
    }

    private static Path pkgDir(String side) {
        return Paths.get("models", "mri-dat-nigral-vgg-" + side).toAbsolutePath();
    }

    /** The authors' smwi_dat.py steps, by hand: divide by mean; for the right patch np.flip(axis=2); run; ×6.84. */
    private static float byHandWithTfJava(String side, Tensor patch, int flipAxisOfBatchedTensor) {
        float[] x = patch.data().clone();
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / mean);
        }
        float[] y = x.clone();
        if (flipAxisOfBatchedTensor > 0) {
            int[] dims = {1, 50, 50, 20, 1};
            for (int a = 0; a < 50; a++) {
                for (int b = 0; b < 50; b++) {
                    for (int c = 0; c < 20; c++) {
                        int[] src = {a, b, c};
                        int k = flipAxisOfBatchedTensor - 1;
                        src[k] = dims[flipAxisOfBatchedTensor] - 1 - src[k];
                        y[(a * 50 + b) * 20 + c] = x[(src[0] * 50 + src[1]) * 20 + src[2]];
                    }
                }
            }
        }
        Path sm = shared.resolve("data/thirdparty-models/mri_dat/net_vgg_" + side);
        try (SavedModelBundle b = SavedModelBundle.load(sm.toString(), "serve");
             TFloat32 in = TFloat32.tensorOf(Shape.of(1, 50, 50, 20, 1), DataBuffers.of(y, true, false));
             Result r = b.call(Map.of("input_1", in))) {
            TFloat32 out = (TFloat32) r.get("dense").orElseThrow();
            return out.getFloat(0, 0) * 6.84f;
        }
    }

    private static void check(String side) {
        ModelPackage pkg = ModelPackage.load(pkgDir(side));
        Tensor patch = MriDatPackageMaker.syntheticPatch(42);
        int flip = side.equals("right") ? 2 : 0;
        try (DopajModel m = DopajModel.load(pkg, ComputeDevice.AUTO)) {
            float dopaj = m.predict(patch).data()[0];
            float tfJava = byHandWithTfJava(side, patch, flip);
            System.out.printf("[mri_dat %s] DopaJ %.7f, TF Java by hand %.7f, |diff| %.2e%n", side, dopaj, tfJava,
                    Math.abs(dopaj - tfJava));
            assertEquals(tfJava, dopaj, 1e-5, side);
            assertTrue(dopaj > 0 && dopaj < 20, "an SBR-like number, got " + dopaj);
            // the package's own test tensors reproduce
            Tensor testIn = Npy.read(pkg.dir().resolve(pkg.input("input_1").testTensor()));
            Tensor testOut = Npy.read(pkg.dir().resolve(pkg.output("dense").testTensor()));
            assertEquals(0, testOut.maxAbsDiff(m.predict(Map.of("input_1", testIn)).get("dense")), 1e-5);
            if (side.equals("right")) {
                // The flip matters: flipping z (the README's literal "third axis" of the patch) gives another value.
                float wrongAxis = byHandWithTfJava(side, patch, 3);
                float noFlip = byHandWithTfJava(side, patch, 0);
                System.out.printf("[mri_dat right] flip z instead: %.7f, no flip: %.7f%n", wrongAxis, noFlip);
                assertTrue(Math.abs(wrongAxis - dopaj) > 1e-4 && Math.abs(noFlip - dopaj) > 1e-4,
                        "the synthetic patch must tell the flips apart");
            }
        }
    }

    @Test
    void leftMatchesTfJava() {
        check("left");
    }

    @Test
    void rightMatchesTfJavaWithSecondAxisFlip() {
        check("right");
    }
}
