package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.image.Resample.Interpolation;
import org.junit.jupiter.api.Test;

class ResampleTest {
    private static Grid oblique(int nx, int ny, int nz) {
        return Grid.fromAffine(nx, ny, nz, TestVolumes.obliqueAffine(0.3, -0.2, new double[]{1.5, 0.9, 2.2},
                new double[]{-40.3, 17.9, 8.1}));
    }

    @Test
    void identityGridCopiesVoxelsBitForBit() {
        Grid g = oblique(13, 11, 9);
        Volume v = TestVolumes.random(g, 2, 1);
        for (Interpolation ip : Interpolation.values()) {
            Volume r = Resample.toGrid(v, g, ip, Float.NaN);
            assertEquals(2, r.nt());
            for (int p = 0; p < v.planes().length; p++) {
                assertArrayEquals(v.planes()[p], r.planes()[p], 0f, ip + " plane " + p);
            }
        }
    }

    @Test
    void integerShiftMovesVoxelsExactlyAndFillsOutside() {
        Grid g = oblique(12, 10, 8);
        Volume v = TestVolumes.random(g, 1, 2);
        // target voxel (i,j,k) sits where source voxel (i+3, j, k-2) is
        double[][] a = g.affine();
        for (int r = 0; r < 3; r++) {
            a[r][3] += 3 * a[r][0] - 2 * a[r][2];
        }
        Grid t = new Grid(12, 10, 8, g.voxelMm(), a);
        for (Interpolation ip : Interpolation.values()) {
            Volume r = Resample.toGrid(v, t, ip, -7f);
            for (int z = 0; z < 8; z++) {
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 12; x++) {
                        int sx = x + 3;
                        int sz = z - 2;
                        float want = sx < 12 && sz >= 0 ? v.get(sx, y, sz) : -7f;
                        assertEquals(want, r.get(x, y, z), 0f, ip + " at " + x + "," + y + "," + z);
                    }
                }
            }
        }
    }

    @Test
    void trilinearReproducesALinearRamp() {
        Grid s = Grid.of(30, 28, 26, 1.0, 1.2, 1.5);
        Volume v = Volume.allocate(s);
        for (int z = 0; z < 26; z++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 30; x++) {
                    double[] mm = s.toMm(x, y, z);
                    v.set(x, y, z, (float) (2 * mm[0] - 3 * mm[1] + 0.5 * mm[2] + 7));
                }
            }
        }
        // a rotated, finer grid lying well inside the source
        Grid t = Grid.fromAffine(20, 18, 14, TestVolumes.obliqueAffine(0.4, 0.25, new double[]{0.7, 0.8, 0.9},
                new double[]{10, 6, 9}));
        Volume r = Resample.toGrid(v, t, Interpolation.LINEAR, Float.NaN);
        int checked = 0;
        for (int z = 0; z < 14; z++) {
            for (int y = 0; y < 18; y++) {
                for (int x = 0; x < 20; x++) {
                    double[] mm = t.toMm(x, y, z);
                    double[] sv = s.toVoxel(mm[0], mm[1], mm[2]);
                    if (sv[0] < 0 || sv[1] < 0 || sv[2] < 0 || sv[0] > 29 || sv[1] > 27 || sv[2] > 25) {
                        continue;
                    }
                    double want = 2 * mm[0] - 3 * mm[1] + 0.5 * mm[2] + 7;
                    assertEquals(want, r.get(x, y, z), 2e-4 * Math.max(1, Math.abs(want)));
                    checked++;
                }
            }
        }
        assertTrue(checked > 3000, "too few voxels inside: " + checked);
    }

    @Test
    void nearestKeepsTheLabelSet() {
        Grid s = Grid.of(24, 24, 24, 1, 1, 1);
        Volume v = Volume.allocate(s);
        float[] labels = {0, 3, 7, 42};
        for (int z = 0; z < 24; z++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    v.set(x, y, z, labels[(x / 12) + 2 * (y / 12)]);
                }
            }
        }
        Grid t = Grid.fromAffine(30, 30, 20, TestVolumes.obliqueAffine(0.5, 0.1, new double[]{0.77, 0.77, 1.3},
                new double[]{2, -3, 1}));
        Volume r = Resample.toGrid(v, t, Interpolation.NEAREST, -1);
        Set<Float> seen = new HashSet<>();
        for (float[] p : r.planes()) {
            for (float x : p) {
                seen.add(x);
            }
        }
        seen.remove(-1f);
        assertEquals(Set.of(0f, 3f, 7f, 42f), seen);
        Volume lin = Resample.toGrid(v, t, Interpolation.LINEAR, -1);
        Set<Float> mixed = new HashSet<>();
        for (float[] p : lin.planes()) {
            for (float x : p) {
                mixed.add(x);
            }
        }
        assertTrue(mixed.size() > 5, "linear interpolation should blend labels (control)");
    }

    @Test
    void voxelSizeChangeKeepsCentreAndOrientation() {
        Grid g = Grid.fromAffine(40, 30, 21, TestVolumes.obliqueAffine(0.2, 0.0, new double[]{1, 1, 1},
                new double[]{-20, -15, -10}));
        Grid t = Resample.gridWithVoxelSize(g, 2, 2, 3);
        assertArrayEquals(new int[]{20, 15, 7}, t.dims());
        assertArrayEquals(new double[]{2, 2, 3}, t.voxelMm(), 1e-12);
        assertEquals(g.orientation(), t.orientation());
        assertArrayEquals(g.toMm(19.5, 14.5, 10), t.toMm(9.5, 7, 3), 1e-9);
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            java.util.Arrays.fill(p, 5f);
        }
        Volume r = Resample.toVoxelSize(v, 2, 2, 3, Interpolation.LINEAR, Float.NaN);
        for (float[] p : r.planes()) {
            for (float x : p) {
                assertEquals(5f, x, 1e-6f);
            }
        }
        assertThrows(DopajException.class, () -> Resample.gridWithVoxelSize(g, 0, 1, 1));
    }

    @Test
    void framesAreResampledIndependently() {
        Grid g = Grid.of(10, 9, 8, 1, 1, 1);
        Volume v = TestVolumes.random(g, 1, 5);
        Volume v4 = Volume.allocate(g, 2);
        for (int z = 0; z < 8; z++) {
            float[] a = v.plane(z);
            float[] b0 = v4.plane(z, 0);
            float[] b1 = v4.plane(z, 1);
            for (int i = 0; i < a.length; i++) {
                b0[i] = a[i];
                b1[i] = 2 * a[i];
            }
        }
        Grid t = Grid.fromAffine(7, 7, 7, TestVolumes.obliqueAffine(0.3, 0.2, new double[]{1.1, 1.1, 1.1},
                new double[]{1, 1, 1}));
        Volume r = Resample.toGrid(v4, t, Interpolation.LINEAR, 0);
        Volume r0 = Resample.toGrid(v, t, Interpolation.LINEAR, 0);
        for (int z = 0; z < 7; z++) {
            for (int i = 0; i < 49; i++) {
                assertEquals(r0.plane(z)[i], r.plane(z, 0)[i], 0f);
                assertEquals(2 * r0.plane(z)[i], r.plane(z, 1)[i], 1e-4f * Math.abs(r0.plane(z)[i]) + 1e-5f);
            }
        }
    }
}
