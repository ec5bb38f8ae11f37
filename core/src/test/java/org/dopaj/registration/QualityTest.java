package org.dopaj.registration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.registration.Registration.Options;
import org.dopaj.registration.Registration.Result;
import org.junit.jupiter.api.Test;

/** Images that are not the template's kind must fail the quality check, never come back "ok". */
class QualityTest {
    /** The limits a DaT-SPECT caller would use. */
    private static final Options DAT = Options.defaults().withMinNcc(0.7);

    private static Volume noise(Grid g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextDouble(0, 10);
            }
        }
        return v;
    }

    @Test
    void pureNoiseFails() {
        Result r = Registration.register(noise(TestObjects.spectGrid(), 1), TestObjects.fixed(), DAT);
        assertFalse(r.quality().ok());
        assertTrue(r.ncc() < 0.7, "NCC " + r.ncc());
        assertTrue(r.quality().reason().startsWith("NCC "), r.quality().reason());
    }

    @Test
    void constantImageFails() {
        Volume v = Volume.allocate(TestObjects.spectGrid());
        for (float[] p : v.planes()) {
            Arrays.fill(p, 5);
        }
        Result r = Registration.register(v, TestObjects.fixed(), DAT);
        assertFalse(r.quality().ok());
        assertTrue(Double.isNaN(r.ncc()));
        assertTrue(r.quality().reason().contains("constant"), r.quality().reason());
        // an all-zero image too (no centre of mass at all)
        Result z = Registration.register(Volume.allocate(TestObjects.spectGrid()), TestObjects.fixed(), DAT);
        assertFalse(z.quality().ok());
    }

    @Test
    void unrelatedSmoothImageFails() {
        // smooth random texture (20 mm blobs) filling the field of view: structure, but not a head
        Volume v = Gaussian.smooth(noise(TestObjects.spectGrid(), 2), 20);
        Result r = Registration.register(v, TestObjects.fixed(), DAT);
        assertFalse(r.quality().ok(), "NCC " + r.ncc());
        // a single off-centre ball: one blob, no striatum
        Volume ball = Volume.allocate(TestObjects.spectGrid());
        Grid g = ball.grid();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] p = g.toMm(x, y, z);
                    double d = Math.sqrt((p[0] - 60) * (p[0] - 60) + (p[1] + 30) * (p[1] + 30) + p[2] * p[2]);
                    ball.set(x, y, z, d < 40 ? 1 : 0);
                }
            }
        }
        Result b = Registration.register(ball, TestObjects.fixed(), DAT);
        assertFalse(b.quality().ok(), "NCC " + b.ncc());
    }

    @Test
    void requireOkNamesTheTemplateAndTheProblem() {
        Result r = Registration.register(noise(TestObjects.spectGrid(), 3), TestObjects.fixed(), DAT);
        DopajException e = assertThrows(DopajException.class,
                () -> r.requireOk("the DaT-SPECT template", "is this a brain DaT-SPECT image?"));
        assertTrue(e.getMessage().matches("registration to the DaT-SPECT template failed its quality check: "
                + "NCC -?\\d\\.\\d\\d < 0\\.70 \\(is this a brain DaT-SPECT image\\?\\)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(DopajException.class, r::requireOk);
    }

    @Test
    void scaleOutsideTheLimitsFails() {
        AffineTransform truth = TestObjects.motion(new double[]{5, 0, 0}, new double[]{0, 0, 5},
                new double[]{1.2, 1.2, 1.2}, new double[3]);
        Volume m = TestObjects.render(TestObjects.spectGrid(), truth, null, 0.3, 4);
        Result ok = Registration.register(m, TestObjects.fixed(), DAT);
        assertTrue(ok.quality().ok(), ok.quality().reason());
        assertSame(ok, ok.requireOk());
        Result r = Registration.register(m, TestObjects.fixed(), DAT.withScaleRange(0.8, 1.1));
        assertFalse(r.quality().ok());
        assertTrue(r.quality().reason().matches("scale 1\\.[12]\\d, .* outside 0\\.80…1\\.10"), r.quality().reason());
    }

    @Test
    void smallOverlapFails() {
        // a slab 12 slices thick through the top of the head: most of the template is outside it
        Grid full = TestObjects.spectGrid();
        double[][] a = full.affine();
        double[] top = full.toMm(0, 0, 60);
        for (int r = 0; r < 3; r++) {
            a[r][3] = top[r];
        }
        Grid slab = Grid.fromAffine(128, 128, 12, a);
        Volume m = TestObjects.render(slab, AffineTransform.identity(), null, 0.1, 5);
        Result r = Registration.register(m, TestObjects.fixed(), DAT.withMultiStart(false, 0)
                .withInitial(AffineTransform.identity()));
        assertFalse(r.quality().ok());
        assertTrue(r.overlap() < 0.5, "overlap " + r.overlap());
        assertTrue(r.quality().reason().startsWith("only "), r.quality().reason());
    }
}
