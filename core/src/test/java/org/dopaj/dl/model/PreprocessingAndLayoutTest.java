package org.dopaj.dl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

class PreprocessingAndLayoutTest {
    private static final TensorSpec SPEC = TensorSpec.of("in", null, AxisSpec.batch(), AxisSpec.space("x", 3),
            AxisSpec.space("y", 2), AxisSpec.space("z", 2), AxisSpec.channel("c"));

    private static Tensor ramp(int batch) {
        float[] d = new float[batch * 12];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return Tensor.of(d, batch, 3, 2, 2, 1);
    }

    @Test
    void divideByMeanIsPerSampleAndLeavesInputAlone() {
        Preprocessing p = Preprocessing.parse(List.of("divide_by_mean"), SPEC, "test");
        Tensor in = ramp(2);
        float[] before = in.data().clone();
        Tensor out = p.apply(in, SPEC);
        assertArrayEquals(before, in.data(), "input unchanged");
        // sample 0: 1..12, mean 6.5; sample 1: 13..24, mean 18.5
        assertEquals(1 / 6.5f, out.get(0, 0, 0, 0, 0), 1e-7);
        assertEquals(13 / 18.5f, out.get(1, 0, 0, 0, 0), 1e-7);
        double m = 0;
        for (int i = 12; i < 24; i++) {
            m += out.data()[i];
        }
        assertEquals(1.0, m / 12, 1e-6);
    }

    @Test
    void flipAxisByIdOrNumpyIndexReversesOnlyThatAxis() {
        Tensor in = ramp(1);
        Tensor byId = Preprocessing.parse(List.of(Map.of("flip_axis", "y")), SPEC, "t").apply(in, SPEC);
        Tensor byIndex = Preprocessing.parse(List.of(Map.of("flip_axis", 2)), SPEC, "t").apply(in, SPEC);
        assertEquals(byId, byIndex);
        for (int x = 0; x < 3; x++) {
            for (int y = 0; y < 2; y++) {
                for (int z = 0; z < 2; z++) {
                    assertEquals(in.get(0, x, 1 - y, z, 0), byId.get(0, x, y, z, 0));
                }
            }
        }
        DopajException e = assertThrows(DopajException.class,
                () -> Preprocessing.parse(List.of(Map.of("flip_axis", 0)), SPEC, "pre"));
        assertTrue(e.getMessage().contains("not a non-batch axis"), e.getMessage());
        e = assertThrows(DopajException.class, () -> Preprocessing.parse(List.of("sharpen"), SPEC, "pre"));
        assertTrue(e.getMessage().contains("unknown preprocessing step 'sharpen'"), e.getMessage());
    }

    @Test
    void percentileAndLinearSteps() {
        Tensor in = ramp(1);
        Tensor out = Preprocessing.parse(List.of(Map.of("percentile_normalize",
                Map.of("min_percentile", 0, "max_percentile", 100))), SPEC, "t").apply(in, SPEC);
        assertEquals(0f, out.data()[0], 1e-7);
        assertEquals(1f, out.data()[11], 1e-7);
        Tensor lin = Preprocessing.parse(List.of(Map.of("scale_linear", Map.of("gain", 2, "offset", -1))), SPEC, "t")
                .apply(in, SPEC);
        assertEquals(1f, lin.data()[0]);
        Tensor z = Preprocessing.parse(List.of("zero_mean_unit_variance"), SPEC, "t").apply(in, SPEC);
        double s = 0;
        for (float v : z.data()) {
            s += v;
        }
        assertEquals(0, s, 1e-5);
    }

    @Test
    void volumeToTensorTransposesXFastestToZFastest() {
        Grid g = Grid.of(3, 2, 2, 1, 1, 1);
        Volume v = Volume.allocate(g);
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    v.set(x, y, z, 100 * x + 10 * y + z);
                }
            }
        }
        Tensor t = TensorLayout.fromVolume(v, SPEC);
        assertArrayEquals(new long[] {1, 3, 2, 2, 1}, t.shape());
        // C order: z fastest in the tensor
        assertEquals(0f, t.data()[0]);
        assertEquals(1f, t.data()[1]);
        assertEquals(10f, t.data()[2]);
        assertEquals(100f, t.data()[4]);
        assertEquals(111f, t.get(0, 1, 1, 1, 0));
        Volume back = TensorLayout.toVolume(t, SPEC, g);
        assertArrayEquals(v.toArray(), back.toArray());
        DopajException e = assertThrows(DopajException.class,
                () -> TensorLayout.fromVolume(Volume.allocate(Grid.of(2, 2, 2, 1, 1, 1)), SPEC));
        assertTrue(e.getMessage().contains("expected [batch, x=3, y=2, z=2, channel=1]"), e.getMessage());
    }
}
