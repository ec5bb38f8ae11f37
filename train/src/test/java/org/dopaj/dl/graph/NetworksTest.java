package org.dopaj.dl.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ready-made networks build for the shapes DopaJ's capabilities use, with the expected sizes. */
class NetworksTest {

    @Test
    void vgg3dParameterCountFollowsItsDefinition() {
        Network vgg = Networks.vgg3d(new int[] {4, 8}, 2, 0.3f, 5, 1);
        ModelSpec spec = new ModelSpec("vgg", new long[] {20, 50, 50, 1}, new Task.Regression(1, 0), vgg);
        try (ModelGraph g = ModelGraph.build(spec, NetBuilder.Mode.INFERENCE, 1)) {
            // convs (no bias): 27·1·4 + 27·4·4 + 27·4·8 + 27·8·8; BN: 4 per channel per conv layer
            long convs = 27 * (4 + 16 + 32 + 64);
            long bn = 4L * (4 + 4 + 8 + 8);
            long dense = 8 * 5 + 5 + 5 * 1 + 1;
            assertEquals(convs + bn + dense, g.net().parameterCount());
            assertArrayEquals(new long[] {-1, 10, 25, 25, 8}, g.net().camLayer().shape().asArray());
            assertArrayEquals(new long[] {-1, 1}, g.predictionShape());
        }
    }

    @Test
    void spectSizedClassifierAndNigrosomeRegressorBuild() {
        ModelSpec spect = new ModelSpec("spect", new long[] {91, 109, 91, 1}, new Task.Classification(2, 1),
                Networks.vgg3d(new int[] {16, 32, 64, 128, 192}, 2, 0.5f, 0, 2));
        try (ModelGraph g = ModelGraph.build(spect, NetBuilder.Mode.INFERENCE, 1)) {
            System.out.println("vgg3d {16,32,64,128,192}x2 on 91x109x91: " + g.net().parameterCount() + " parameters");
            assertArrayEquals(new long[] {-1, 6, 7, 6, 192}, g.net().camLayer().shape().asArray());
        }
        ModelSpec nigro = new ModelSpec("nigrosome", new long[] {50, 50, 20, 1}, new Task.Regression(1, 0),
                Networks.vgg3d(new int[] {16, 32, 64}, 2, 0.3f, 32, 1));
        try (ModelGraph g = ModelGraph.build(nigro, NetBuilder.Mode.INFERENCE, 1)) {
            System.out.println("vgg3d {16,32,64}x2 on 50x50x20: " + g.net().parameterCount() + " parameters");
            assertArrayEquals(new long[] {-1, 13, 13, 5, 64}, g.net().camLayer().shape().asArray());
        }
    }

    @Test
    void deepLabOutputsOneLogitPerPixelAndClass() {
        ModelSpec seg = new ModelSpec("mask", new long[] {60, 44, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE),
                Networks.deepLabV3Plus(16, 2, new int[] {2, 4, 6}, 2));
        try (ModelGraph g = ModelGraph.build(seg, NetBuilder.Mode.TRAIN, 1)) {
            assertArrayEquals(new long[] {-1, 60, 44, 2}, g.predictionShape());
        }
    }
}
