package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.dopaj.DopajException;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The anchored head of the DaT-SPECT network: its anchor, and the bound on what the image branch may add. */
class DatCnnTest {
    private static final double[] WEIGHTS = {1.5, -0.5, 2.0, 0.7, -3.0, 1.2, -2.5, 0.8, -1.7, 4.0};

    /** A 4 mm map: background noise plus a different SBR in each of the six VOIs. */
    private static float[] map(SplittableRandom r) {
        float[] x = new float[DatCnn.PX * DatCnn.PY * DatCnn.PZ];
        double[] level = new double[DatCnn.VOI_FEATURES];
        for (int c = 0; c < level.length; c++) {
            level[c] = 0.2 + 2.8 * r.nextDouble();
        }
        float[][] w = DatCnn.Features.WEIGHTS;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.1 * r.nextGaussian());
            for (int c = 0; c < level.length; c++) {
                if (w[i][c] > 0) {
                    x[i] = (float) level[c];
                }
            }
        }
        return x;
    }

    @Test
    void theAnchoredHeadIsTheAnchorPlusAtMostTheBound() {
        DatCnn.Anchor a = new DatCnn.Anchor(WEIGHTS, -0.4);
        TensorFlowRuntime.init();
        SplittableRandom r = new SplittableRandom(3);
        try (ModelGraph g = ModelGraph.build(DatNetwork.trainingSpec(DatCnn.Head.ANCHORED, a), NetBuilder.Mode.INFERENCE, 5);
                Session s = new Session(g.graph())) {
            s.initialize();
            double spread = 0;
            double[] first = null;
            for (int k = 0; k < 4; k++) {
                float[] x = map(r);
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, DatCnn.PX, DatCnn.PY, DatCnn.PZ, 1),
                        DataBuffers.of(x, true, false));
                        var out = s.runner().feed(g.input(), in).fetch(g.head()).run()) {
                    TFloat32 logits = (TFloat32) out.get(0);
                    double expected = a.logOdds(x);
                    double logOdds = logits.getFloat(0, 1) - logits.getFloat(0, 0);
                    // the graph's binding numbers are the Java ones (a wrong order would miss by far more than 2)
                    assertTrue(Math.abs(logOdds - expected) <= DatCnn.RESIDUAL_BOUND + 1e-3,
                            "log-odds " + logOdds + " vs anchor " + expected);
                    if (first == null) {
                        first = new double[] {expected};
                    }
                    spread = Math.max(spread, Math.abs(expected - first[0]));
                }
            }
            assertTrue(spread > 2 * DatCnn.RESIDUAL_BOUND, "the maps' anchors differ by more than the bound: " + spread);
        }
        assertThrows(DopajException.class, () -> DatNetwork.network(DatCnn.Head.ANCHORED, null));
    }

    @Test
    void theAnchorIsALogisticRegressionOnTheBindingNumbers() {
        // label = lower posterior putamen below 1.2: the fitted anchor must separate the classes on fresh maps
        SplittableRandom r = new SplittableRandom(11);
        List<DatData.Item> train = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] x = map(r);
            int label = DatCnn.bindingFeatures(x)[6] < 1.2 ? 1 : 0;
            train.add(new DatData.Item(i, label, 0, x, x, new double[4], false));
        }
        DatCnn.Anchor a = DatCnnTraining.fitAnchor(train);
        int correct = 0;
        for (int i = 0; i < 100; i++) {
            float[] x = map(r);
            boolean pd = DatCnn.bindingFeatures(x)[6] < 1.2;
            correct += (a.logOdds(x) >= 0) == pd ? 1 : 0;
        }
        assertTrue(correct >= 95, "anchor correct on " + correct + " of 100");
        assertTrue(a.weights()[6] < 0, "a lower posterior putamen is evidence for parkinsonian");
        assertEquals(DatCnn.BINDING_FEATURES, a.weights().length);
    }
}
