package org.dopaj.brainmask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/** 3D post-processing, working grid and pseudo-colour, without the network. */
class PostProcessingTest {

    static Volume ball(Grid g, double cx, double cy, double cz, double r, float value, Volume into) {
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r) {
                        into.set(x, y, z, value);
                    }
                }
            }
        }
        return into;
    }

    @Test
    void keepsTheLargestComponentAndFillsItsHoles() {
        Grid g = Grid.of(40, 40, 40, 1, 1, 1);
        Volume p = Volume.allocate(g);
        ball(g, 20, 20, 20, 12, 0.9f, p);
        ball(g, 20, 20, 20, 4, 0.1f, p);   // a hole (low probability) inside: the ventricles
        ball(g, 4, 4, 4, 2, 0.8f, p);      // a separate blob: the eyes or fat
        Volume m = BrainMasker.postProcess(p, 0.5, 0);
        assertEquals(1f, m.get(20, 20, 20), "hole filled");
        assertEquals(0f, m.get(4, 4, 4), "small component removed");
        long expected = Components.count(ball(g, 20, 20, 20, 12, 1, Volume.allocate(g)));
        assertEquals(expected, Components.count(m));
    }

    @Test
    void closingBridgesANarrowNotch() {
        Grid g = Grid.of(40, 40, 40, 1, 1, 1);
        Volume p = ball(g, 20, 20, 20, 12, 1, Volume.allocate(g));
        for (int z = 0; z < 40; z++) {
            for (int x = 19; x <= 20; x++) {
                for (int y = 28; y < 40; y++) {
                    p.set(x, y, z, 0);  // a 2-voxel-wide cleft from the surface inwards
                }
            }
        }
        assertEquals(0f, BrainMasker.postProcess(p, 0.5, 0).get(19, 30, 20));
        assertEquals(1f, BrainMasker.postProcess(p, 0.5, 3).get(19, 30, 20), "closing with a 3 mm ball fills it");
    }

    @Test
    void borderMovesTheSurfaceOnTheInputGrid() {
        // a 2 mm probability ball of radius 30 mm, brought onto a 1 mm grid with borders of 0, +3 and -3 mm
        Grid g2 = Grid.of(60, 60, 60, 2, 2, 2);
        Volume p = ball(g2, 30, 30, 30, 15, 1, Volume.allocate(g2));
        Grid g1 = Grid.of(120, 120, 120, 1, 1, 1);
        double r0 = Math.cbrt(Components.count(BrainMasker.toInputGrid(p, g1, 0, 0, 0.5)[1]) * 3 / (4 * Math.PI));
        double rOut = Math.cbrt(Components.count(BrainMasker.toInputGrid(p, g1, 0, 3, 0.5)[1]) * 3 / (4 * Math.PI));
        double rIn = Math.cbrt(Components.count(BrainMasker.toInputGrid(p, g1, 0, -3, 0.5)[1]) * 3 / (4 * Math.PI));
        assertEquals(30, r0, 1.0, "no border: the ball's own radius");
        assertEquals(r0 + 3, rOut, 0.5, "+3 mm: the dilation is not cut by the box around the 2 mm brain");
        assertEquals(r0 - 3, rIn, 0.5);
    }

    @Test
    void workingGridIsTwoMillimetreRasCoveringTheFieldOfView() {
        double[][] lps = {{-1, 0, 0, 100}, {0, -1, 0, 120}, {0, 0, 1.5, -60}, {0, 0, 0, 1}};
        Grid in = new Grid(200, 240, 100, new double[] {1, 1, 1.5}, lps);
        Grid w = BrainMasker.workingGrid(in);
        assertEquals("RAS", w.orientation());
        assertEquals(100, w.nx());
        assertEquals(120, w.ny());
        assertEquals(75, w.nz());
        double[] c = in.toMm(99.5, 119.5, 49.5);
        double[] wc = w.toMm((w.nx() - 1) / 2.0, (w.ny() - 1) / 2.0, (w.nz() - 1) / 2.0);
        for (int a = 0; a < 3; a++) {
            assertEquals(c[a], wc[a], 1e-9, "same centre");
        }
    }

    @Test
    void refusesFourDEmptyAndNonFiniteImages() {
        Grid g = Grid.of(8, 8, 8, 2, 2, 2);
        DopajException e = assertThrows(DopajException.class, () -> BrainMasker.check(Volume.allocate(g, 3)));
        assertTrue(e.getMessage().contains("4D") && e.getMessage().contains("frame"), e.getMessage());
        e = assertThrows(DopajException.class, () -> BrainMasker.check(Volume.allocate(g)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Volume nan = Volume.allocate(g);
        nan.set(1, 1, 1, Float.NaN);
        e = assertThrows(DopajException.class, () -> BrainMasker.check(nan));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void pseudoColourSplitsTheMaskedRangeIntoEqualIntervals() {
        Grid g = Grid.of(100, 10, 1, 1, 1, 1);
        Volume img = Volume.allocate(g);
        Volume mask = Volume.allocate(g);
        for (int x = 0; x < 100; x++) {
            for (int y = 0; y < 10; y++) {
                img.set(x, y, 0, x);
                mask.set(x, y, 0, y < 8 ? 1 : 0);
            }
        }
        PseudoColour pc = PseudoColour.of(img, mask, 49);
        assertEquals(49, pc.intervals());
        // 800 masked values, each of 0..99 eight times: numpy-style percentiles 0.5 → 0, 99.5 → 99
        assertEquals(0, pc.low(), 1e-6);
        assertEquals(99, pc.high(), 1e-6);
        assertEquals(0f, pc.classes().get(50, 9, 0), "outside the mask");
        assertEquals(1f, pc.classes().get(0, 0, 0), "below the range: first interval");
        assertEquals(49f, pc.classes().get(99, 0, 0), "above the range: last interval");
        int[] hist = new int[50];
        for (int x = 0; x < 100; x++) {
            hist[(int) pc.classes().get(x, 0, 0)]++;
        }
        for (int k = 1; k <= 49; k++) {
            assertTrue(hist[k] >= 1 && hist[k] <= 3, "interval " + k + " holds " + hist[k] + " of 100 values");
        }
        assertTrue(pc.reds()[1] != pc.reds()[49] || pc.blues()[1] != pc.blues()[49], "first and last colours differ");
        assertEquals(0, pc.reds()[0]);
        assertEquals(7, PseudoColour.of(img, mask, 7).intervals());
        assertThrows(DopajException.class, () -> PseudoColour.of(img, mask, 1));
    }

    @Test
    void fieldOfViewCutsNameTheSideWhereTheMaskTouchesTheEdge() {
        Grid g = Grid.of(30, 30, 30, 2, 2, 2); // RAS, k = inferior -> superior
        Volume m = Volume.allocate(g);
        ball(g, 15, 15, 26, 8, 1, m); // reaches the top plane k = 29
        List<String> notes = BrainMasker.fieldOfViewCuts(m);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith(BrainMaskResult.FOV_CUT) && notes.get(0).contains("superior")
                && notes.get(0).contains("k = 29"), notes.get(0));
        Volume inside = ball(g, 15, 15, 15, 8, 1, Volume.allocate(g));
        assertTrue(BrainMasker.fieldOfViewCuts(inside).isEmpty());
    }

    @Test
    void conventionsParseAndPlanesOfThinGrids() {
        assertEquals(BrainMaskModel.Convention.INTRACRANIAL, BrainMaskModel.Convention.parse("Intracranial"));
        assertEquals(BrainMaskModel.Convention.BRAIN, BrainMaskModel.Convention.parse("brain"));
        DopajException e = assertThrows(DopajException.class, () -> BrainMaskModel.Convention.parse("skull"));
        assertTrue(e.getMessage().contains("brain or intracranial"), e.getMessage());
        assertEquals(null, BrainMasker.planeOf(Grid.of(50, 60, 40, 2, 2, 2)));
        assertEquals(BrainMaskModel.Plane.AXIAL, BrainMasker.planeOf(Grid.of(50, 60, 1, 2, 2, 2)));
        assertEquals(BrainMaskModel.Plane.SAGITTAL, BrainMasker.planeOf(Grid.of(1, 60, 40, 2, 2, 2)));
        assertThrows(DopajException.class, () -> BrainMasker.planeOf(Grid.of(1, 1, 40, 2, 2, 2)));
    }

    @Test
    void imagesWithoutUsableGeometryAreRefused() {
        double[][] flat = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}};
        Grid g;
        try {
            g = new Grid(10, 10, 10, new double[] {1, 1, 1}, flat);
        } catch (DopajException e) {
            return; // the grid itself refuses a singular affine: nothing can reach the masker
        }
        Volume v = Volume.allocate(g);
        v.set(3, 3, 3, 5);
        DopajException e = assertThrows(DopajException.class, () -> BrainMasker.check(v));
        assertTrue(e.getMessage().contains("geometry"), e.getMessage());
    }
}
