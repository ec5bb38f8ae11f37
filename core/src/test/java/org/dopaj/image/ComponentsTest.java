package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class ComponentsTest {
    private static Volume randomMask(Grid g, double density, long seed) {
        Random r = new Random(seed);
        Volume m = Volume.allocate(g);
        for (float[] p : m.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextDouble() < density ? 1 : 0;
            }
        }
        return m;
    }

    private static Volume ball(Grid g, double cx, double cy, double cz, double rMm) {
        Volume m = Volume.allocate(g);
        double[] v = g.voxelMm();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double dx = (x - cx) * v[0];
                    double dy = (y - cy) * v[1];
                    double dz = (z - cz) * v[2];
                    if (dx * dx + dy * dy + dz * dz <= rMm * rMm) {
                        m.set(x, y, z, 1);
                    }
                }
            }
        }
        return m;
    }

    private static long ones(Volume v) {
        long n = 0;
        for (float[] p : v.planes()) {
            for (float x : p) {
                assertTrue(x == 0 || x == 1, "mask values must be 0/1, got " + x);
                n += (long) x;
            }
        }
        return n;
    }

    /** Labels by breadth-first search, the obvious way, for comparison. */
    private static int[][][] bfsLabels(Volume m, int conn, int[] count) {
        int nx = m.nx();
        int ny = m.ny();
        int nz = m.nz();
        int[][][] lab = new int[nz][ny][nx];
        int[][] offs = Components.neighbours3d(conn);
        int c = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (m.get(x, y, z) == 0 || lab[z][y][x] != 0) {
                        continue;
                    }
                    c++;
                    ArrayDeque<int[]> q = new ArrayDeque<>();
                    q.add(new int[]{x, y, z});
                    lab[z][y][x] = c;
                    while (!q.isEmpty()) {
                        int[] p = q.poll();
                        for (int[] o : offs) {
                            int a = p[0] + o[0];
                            int b = p[1] + o[1];
                            int d = p[2] + o[2];
                            if (a >= 0 && b >= 0 && d >= 0 && a < nx && b < ny && d < nz && m.get(a, b, d) != 0
                                    && lab[d][b][a] == 0) {
                                lab[d][b][a] = c;
                                q.add(new int[]{a, b, d});
                            }
                        }
                    }
                }
            }
        }
        count[0] = c;
        return lab;
    }

    @Test
    void labellingMatchesBreadthFirstSearch() {
        Grid g = Grid.of(23, 19, 17, 1, 1, 1);
        for (int conn : new int[]{6, 18, 26}) {
            // densities below each connectivity's percolation threshold, so there are many components
            Volume m = randomMask(g, conn == 6 ? 0.2 : conn == 18 ? 0.1 : 0.06, conn);
            int[] n = new int[1];
            int[][][] ref = bfsLabels(m, conn, n);
            Components.Labels l = Components.label(m, conn);
            assertEquals(n[0], l.count(), "connectivity " + conn);
            assertTrue(n[0] > 5, "test mask too connected");
            // BFS numbers components in scan order of their first voxel too: labels must agree exactly
            long[] sizes = new long[n[0] + 1];
            for (int z = 0; z < 17; z++) {
                for (int y = 0; y < 19; y++) {
                    for (int x = 0; x < 23; x++) {
                        assertEquals(ref[z][y][x], l.get(x, y, z));
                        sizes[ref[z][y][x]]++;
                    }
                }
            }
            assertArrayEquals(sizes, l.sizes());
        }
    }

    @Test
    void twoBlobsAndDiagonalContacts() {
        Grid g = Grid.of(30, 20, 20, 1, 1, 1);
        Volume m = ball(g, 7, 10, 10, 4);
        Volume b2 = ball(g, 21, 10, 10, 6);
        for (int z = 0; z < 20; z++) {
            for (int i = 0; i < 600; i++) {
                m.plane(z)[i] = Math.max(m.plane(z)[i], b2.plane(z)[i]);
            }
        }
        Components.Labels l = Components.label(m, 26);
        assertEquals(2, l.count());
        // the bigger ball reaches lower z, so it is met first in scan order
        assertEquals(ones(b2), l.sizes()[1]);
        assertEquals(ones(ball(g, 7, 10, 10, 4)), l.sizes()[2]);
        assertEquals(1, l.largest());
        Volume big = Components.largestComponent(m, 6);
        for (int z = 0; z < 20; z++) {
            assertArrayEquals(b2.plane(z), big.plane(z), 0f);
        }
        // corner contact: one component with 26-, two with 6- and 18-connectivity
        Volume c = Volume.allocate(Grid.of(4, 4, 4, 1, 1, 1));
        c.set(1, 1, 1, 1);
        c.set(2, 2, 2, 1);
        assertEquals(1, Components.label(c, 26).count());
        assertEquals(2, Components.label(c, 18).count());
        c.set(2, 2, 1, 1); // now an edge contact between (1,1,1) and (2,2,1)
        assertEquals(1, Components.label(c, 18).count());
        assertEquals(2, Components.label(c, 6).count());
        assertThrows(DopajException.class, () -> Components.label(c, 8));
        assertEquals(0, Components.label(Volume.allocate(g), 6).count());
    }

    @Test
    void fillHolesFillsAHollowSphereButNotAnOpenOne() {
        Grid g = Grid.of(25, 25, 25, 1, 1, 1);
        Volume solid = ball(g, 12, 12, 12, 9);
        Volume inner = ball(g, 12, 12, 12, 6);
        Volume shell = solid.copy();
        for (int z = 0; z < 25; z++) {
            for (int i = 0; i < 625; i++) {
                if (inner.plane(z)[i] == 1) {
                    shell.plane(z)[i] = 0;
                }
            }
        }
        Volume filled = Components.fillHoles(shell, 6);
        for (int z = 0; z < 25; z++) {
            assertArrayEquals(solid.plane(z), filled.plane(z), 0f);
        }
        // drill a tunnel from the cavity to the outside along +x: nothing is filled any more
        Volume open = shell.copy();
        for (int x = 12; x < 25; x++) {
            open.set(x, 12, 12, 0);
        }
        assertEquals(ones(open), ones(Components.fillHoles(open, 6)));
        // a box with 2-voxel walls and an escape route through an edge-diagonal step only: 6-connected
        // background cannot pass it (cavity filled), 18/26-connected background can (nothing filled)
        Volume box = Volume.allocate(g);
        for (int z = 4; z <= 20; z++) {
            for (int y = 4; y <= 20; y++) {
                for (int x = 4; x <= 20; x++) {
                    boolean cavity = x >= 6 && x <= 18 && y >= 6 && y <= 18 && z >= 6 && z <= 18;
                    box.set(x, y, z, cavity ? 0 : 1);
                }
            }
        }
        box.set(5, 12, 12, 0);
        box.set(4, 13, 12, 0);
        assertEquals(17L * 17 * 17 - 1, ones(Components.fillHoles(box, 6)));
        assertEquals(ones(box), ones(Components.fillHoles(box, 18)));
        assertEquals(ones(box), ones(Components.fillHoles(box, 26)));
        box.set(4, 13, 12, 1); // closes the route: the cavity and the dent (5,12,12) are enclosed even for 26
        assertEquals(17L * 17 * 17, ones(Components.fillHoles(box, 26)));

    }

    @Test
    void sliceWiseFillClosesATubeThat3dFillLeavesOpen() {
        Grid g = Grid.of(15, 15, 6, 1, 1, 3);
        Volume tube = Volume.allocate(g);
        for (int z = 0; z < 6; z++) {
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 15; x++) {
                    double r = Math.hypot(x - 7, y - 7);
                    if (r >= 3 && r < 5) {
                        tube.set(x, y, z, 1);
                    }
                }
            }
        }
        assertEquals(ones(tube), ones(Components.fillHoles(tube, 6)));
        Volume f = Components.fillHolesSliceWise(tube, 4);
        for (int z = 0; z < 6; z++) {
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 15; x++) {
                    assertEquals(Math.hypot(x - 7, y - 7) < 5 ? 1f : 0f, f.get(x, y, z), 0f);
                }
            }
        }
        assertThrows(DopajException.class, () -> Components.fillHolesSliceWise(tube, 6));
    }

    /** Dilation by definition: a voxel is set when a foreground voxel lies within r mm. */
    private static Volume bruteDilate(Volume m, double r) {
        Grid g = m.grid();
        double[] v = g.voxelMm();
        Volume out = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    search:
                    for (int k = 0; k < g.nz(); k++) {
                        for (int j = 0; j < g.ny(); j++) {
                            for (int i = 0; i < g.nx(); i++) {
                                if (m.get(i, j, k) == 0) {
                                    continue;
                                }
                                double dx = (i - x) * v[0];
                                double dy = (j - y) * v[1];
                                double dz = (k - z) * v[2];
                                if (dx * dx + dy * dy + dz * dz <= r * r * (1 + 1e-9)) {
                                    out.set(x, y, z, 1);
                                    break search;
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Volume not(Volume m) {
        Volume o = Volume.allocate(m.grid());
        for (int z = 0; z < m.nz(); z++) {
            for (int i = 0; i < m.plane(z).length; i++) {
                o.plane(z)[i] = m.plane(z)[i] == 0 ? 1 : 0;
            }
        }
        return o;
    }

    private static void assertSameMask(Volume a, Volume b, String what) {
        for (int z = 0; z < a.nz(); z++) {
            assertArrayEquals(a.plane(z), b.plane(z), 0f, what + " plane " + z);
        }
    }

    @Test
    void morphologyMatchesBruteForceWithAnisotropicVoxels() {
        Grid g = Grid.of(14, 12, 9, 0.8, 1.0, 1.6);
        Volume m = randomMask(g, 0.04, 7);
        for (double r : new double[]{0, 1.0, 1.6, 2.3}) {
            Volume d = Components.dilate(m, r);
            assertSameMask(bruteDilate(m, r), d, "dilation r=" + r);
            // erosion is the complement of the dilated complement
            Volume dense = randomMask(g, 0.9, 8);
            assertSameMask(not(bruteDilate(not(dense), r)), Components.erode(dense, r), "erosion r=" + r);
            assertSameMask(Components.erode(Components.dilate(m, r), r), Components.close(m, r), "closing");
            assertSameMask(Components.dilate(Components.erode(dense, r), r), Components.open(dense, r), "opening");
        }
        assertThrows(DopajException.class, () -> Components.dilate(m, -1));
    }

    @Test
    void dilatedPointIsABallOfTheRightVolume() {
        Grid g = Grid.of(41, 41, 41, 1, 1, 1);
        Volume p = Volume.allocate(g);
        p.set(20, 20, 20, 1);
        Volume b = Components.dilate(p, 10);
        assertEquals(ones(ball(g, 20, 20, 20, 10)), ones(b));
        double ideal = 4.0 / 3 * Math.PI * 1000;
        assertEquals(ideal, ones(b), 0.02 * ideal);
        // closing fills a gap narrower than the ball but keeps a mask that touches the border
        Volume slab = Volume.allocate(Grid.of(20, 20, 20, 1, 1, 1));
        for (int z = 0; z < 20; z++) {
            for (int i = 0; i < 400; i++) {
                slab.plane(z)[i] = (i % 20 == 10) ? 0 : 1; // a 1-voxel cleft at x = 10
            }
        }
        assertEquals(8000, ones(Components.close(slab, 2)));
        Volume full = Volume.allocate(Grid.of(10, 10, 10, 1, 1, 1));
        for (float[] q : full.planes()) {
            java.util.Arrays.fill(q, 1f);
        }
        assertEquals(1000, ones(Components.erode(full, 3)), "erosion must not eat in from the volume edge");
    }

    @Test
    void distanceTransformMatchesBruteForce() {
        Grid g = Grid.of(13, 11, 9, 0.7, 1.1, 2.0);
        Volume m = randomMask(g, 0.02, 3);
        Volume d = DistanceTransform.edtMm(m);
        double[] v = g.voxelMm();
        for (int z = 0; z < 9; z++) {
            for (int y = 0; y < 11; y++) {
                for (int x = 0; x < 13; x++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int k = 0; k < 9; k++) {
                        for (int j = 0; j < 11; j++) {
                            for (int i = 0; i < 13; i++) {
                                if (m.get(i, j, k) != 0) {
                                    double dx = (i - x) * v[0];
                                    double dy = (j - y) * v[1];
                                    double dz = (k - z) * v[2];
                                    best = Math.min(best, dx * dx + dy * dy + dz * dz);
                                }
                            }
                        }
                    }
                    assertEquals(Math.sqrt(best), d.get(x, y, z), 1e-5 * (1 + Math.sqrt(best)));
                }
            }
        }
        Volume empty = DistanceTransform.edtMm(Volume.allocate(g));
        assertEquals(Float.POSITIVE_INFINITY, empty.get(3, 3, 3), 0f);
    }
}
