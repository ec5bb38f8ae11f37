package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class CropPadTest {
    private static Volume marked(Grid g) {
        Volume v = Volume.allocate(g, 2);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    float code = 1 + x + 100 * y + 10000 * z;
                    v.set(x, y, z, 0, code);
                    v.set(x, y, z, 1, -code);
                }
            }
        }
        return v;
    }

    private static Grid grid() {
        return Grid.fromAffine(20, 18, 12, TestVolumes.obliqueAffine(0.3, 0.1, new double[]{0.5, 0.6, 2},
                new double[]{-10, 5, 3}));
    }

    @Test
    void cropKeepsVoxelsAndTheirMmPositionsAndPadsOutside() {
        Volume v = marked(grid());
        int x0 = -3;
        int y0 = 4;
        int z0 = 9;
        Volume c = CropPad.crop(v, x0, y0, z0, 8, 6, 5, -1f);
        assertArrayEquals(new int[]{8, 6, 5}, c.grid().dims());
        assertEquals(2, c.nt());
        for (int z = 0; z < 5; z++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 8; x++) {
                    int sx = x + x0;
                    int sy = y + y0;
                    int sz = z + z0;
                    boolean in = sx >= 0 && sx < 20 && sy >= 0 && sy < 18 && sz >= 0 && sz < 12;
                    assertEquals(in ? v.get(sx, sy, sz, 0) : -1f, c.get(x, y, z, 0), 0f);
                    assertEquals(in ? v.get(sx, sy, sz, 1) : -1f, c.get(x, y, z, 1), 0f);
                    assertArrayEquals(v.grid().toMm(sx, sy, sz), c.grid().toMm(x, y, z), 1e-9);
                }
            }
        }
        assertArrayEquals(v.grid().voxelMm(), c.grid().voxelMm(), 1e-12);
    }

    @Test
    void boxWhollyOutsideIsAllPadding() {
        Volume c = CropPad.crop(marked(grid()), 30, 0, 0, 4, 4, 4, 9f);
        for (float[] p : c.planes()) {
            for (float x : p) {
                assertEquals(9f, x, 0f);
            }
        }
        assertThrows(DopajException.class, () -> CropPad.crop(marked(grid()), 0, 0, 0, 0, 4, 4, 0));
    }

    @Test
    void centredCropPutsTheCentreAtHalfTheSize() {
        Grid g = Grid.of(120, 120, 40, 0.5, 0.5, 1);
        Volume v = Volume.allocate(g);
        v.set(61, 58, 20, 5f); // centroid marker
        v.set(61 - 25, 58 - 25, 20 - 10, 7f); // first voxel of the crop
        v.set(61 + 24, 58 + 24, 20 + 9, 8f); // last voxel of the crop
        v.set(61 + 25, 58, 20, 9f); // just outside
        Volume c = CropPad.centred(v, 61, 58, 20, 50, 50, 20, 0);
        assertEquals(5f, c.get(25, 25, 10), 0f);
        assertEquals(7f, c.get(0, 0, 0), 0f);
        assertEquals(8f, c.get(49, 49, 19), 0f);
        double sum = 0;
        for (float[] p : c.planes()) {
            for (float x : p) {
                sum += x;
            }
        }
        assertEquals(20, sum, 0, "the marker outside the crop leaked in");
        assertArrayEquals(g.toMm(61, 58, 20), c.grid().toMm(25, 25, 10), 1e-12);
    }

    @Test
    void padToCentresTheInput() {
        Volume v = marked(Grid.of(5, 4, 3, 1, 1, 1));
        Volume p = CropPad.padTo(v, 8, 4, 6, 0);
        assertArrayEquals(new int[]{-1, 0, -1}, CropPad.padStart(v.grid(), 8, 4, 6));
        assertEquals(v.get(0, 0, 0), p.get(1, 0, 1), 0f);
        assertEquals(v.get(4, 3, 2), p.get(5, 3, 3), 0f);
        assertEquals(0f, p.get(0, 0, 0), 0f);
        assertEquals(0f, p.get(7, 3, 5), 0f);
        // smaller size crops the middle
        Volume q = CropPad.padTo(v, 3, 2, 1, 0);
        assertEquals(v.get(1, 1, 1), q.get(0, 0, 0), 0f);
    }
}
