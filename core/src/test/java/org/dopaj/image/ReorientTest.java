package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class ReorientTest {
    private static void assertSameMm(Volume a, Volume b) {
        // every voxel of b holds the value of the voxel of a at the same scanner position
        Grid gb = b.grid();
        for (int t = 0; t < b.nt(); t++) {
            for (int z = 0; z < gb.nz(); z++) {
                for (int y = 0; y < gb.ny(); y++) {
                    for (int x = 0; x < gb.nx(); x++) {
                        double[] mm = gb.toMm(x, y, z);
                        double[] va = a.grid().toVoxel(mm[0], mm[1], mm[2]);
                        int[] ia = new int[3];
                        for (int c = 0; c < 3; c++) {
                            ia[c] = (int) Math.round(va[c]);
                            assertEquals(ia[c], va[c], 1e-6);
                        }
                        assertEquals(a.get(ia[0], ia[1], ia[2], t), b.get(x, y, z, t), 0f);
                    }
                }
            }
        }
    }

    @Test
    void lasToRasAndBackIsBitExact() {
        double[][] las = {{-1.2, 0, 0, 60}, {0, 1.0, 0, -80}, {0, 0, 2.5, -30}, {0, 0, 0, 1}};
        Grid g = Grid.fromAffine(11, 9, 7, las);
        assertEquals("LAS", g.orientation());
        Volume v = TestVolumes.random(g, 2, 4);
        Volume ras = Reorient.toRas(v);
        assertEquals("RAS", ras.grid().orientation());
        assertSameMm(v, ras);
        assertEquals(v.get(10, 3, 2, 1), ras.get(0, 3, 2, 1), 0f);
        Volume back = Reorient.to(ras, "LAS");
        for (int p = 0; p < v.planes().length; p++) {
            assertArrayEquals(v.planes()[p], back.planes()[p], 0f);
        }
        double[][] a = v.grid().affine();
        double[][] b = back.grid().affine();
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(a[r], b[r], 1e-12);
        }
    }

    @Test
    void permutedObliqueAxesAreRearranged() {
        // voxel i runs posterior, j inferior, k right (a sagittal acquisition), slightly oblique
        double[][] rot = TestVolumes.obliqueAffine(0.1, 0.05, new double[]{1, 1, 1}, new double[]{0, 0, 0});
        double[][] perm = {{0, 0, 1.1, 0}, {-0.9, 0, 0, 0}, {0, -1.3, 0, 0}, {0, 0, 0, 1}};
        double[][] a = Affines.multiply(rot, perm);
        a[0][3] = 12;
        a[1][3] = 40;
        a[2][3] = 25;
        Grid g = Grid.fromAffine(8, 10, 6, a);
        assertEquals("PIR", g.orientation());
        Volume v = TestVolumes.random(g, 1, 9);
        Volume ras = Reorient.to(v, "ras");
        assertEquals("RAS", ras.grid().orientation());
        assertArrayEquals(new int[]{6, 8, 10}, ras.grid().dims());
        assertArrayEquals(new double[]{1.1, 0.9, 1.3}, ras.grid().voxelMm(), 1e-9);
        assertSameMm(v, ras);
        Volume lpi = Reorient.to(ras, "LPI");
        assertEquals("LPI", lpi.grid().orientation());
        assertSameMm(v, lpi);
        Volume back = Reorient.to(lpi, "PIR");
        for (int z = 0; z < 6; z++) {
            assertArrayEquals(v.plane(z), back.plane(z), 0f);
        }
    }

    @Test
    void sameOrientationReturnsInputAndBadCodesAreRefused() {
        Volume v = Volume.allocate(Grid.of(3, 3, 3, 1, 1, 1));
        assertSame(v, Reorient.to(v, "RAS"));
        assertThrows(DopajException.class, () -> Reorient.to(v, "RAX"));
        assertThrows(DopajException.class, () -> Reorient.to(v, "RLS"));
        assertThrows(DopajException.class, () -> Reorient.to(v, "RA"));
    }
}
