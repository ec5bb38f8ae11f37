package org.dopaj.nigrosome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.junit.jupiter.api.Test;

class CentroidsTest {
    /** 120×100×40 at 0.5×0.5×1 mm, RAS: voxel x 30 is at 15 mm, voxel x 90 at 45 mm (patient right). */
    static final Grid RAS = Grid.of(120, 100, 40, 0.5, 0.5, 1);
    /** The same field of view stored LAS (radiological x): voxel x 30 is at 44.5 mm, voxel 90 at 14.5 mm. */
    static final Grid LAS = new Grid(120, 100, 40, new double[]{0.5, 0.5, 1},
            new double[][]{{-0.5, 0, 0, 59.5}, {0, 0.5, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
    /** LPS (DICOM-like): x and y flipped. */
    static final Grid LPS = new Grid(120, 100, 40, new double[]{0.5, 0.5, 1},
            new double[][]{{-0.5, 0, 0, 59.5}, {0, -0.5, 0, 49.5}, {0, 0, 1, 0}, {0, 0, 0, 1}});

    @Test
    void parsesVoxelsAndMm() {
        Centroids c = Centroids.parse("left=30,50,20 right=90,50.5,21", Units.VOXEL, RAS);
        assertEquals(new Point3(30, 50, 20), c.left().voxel());
        assertEquals(new Point3(15, 25, 20), c.left().mm());
        assertEquals(new Point3(90, 50.5, 21), c.right().voxel());
        assertEquals(Side.LEFT, c.left().side());
        // either order, case, spaces and ';'
        Centroids d = Centroids.parse(" RIGHT = 90, 50.5, 21 ;  Left=30 ,50,20 ", Units.VOXEL, RAS);
        assertEquals(c, d);
        Centroids mm = Centroids.parse("left=15,25,20 right=45,25.25,21", Units.MM, RAS);
        assertEquals(c, mm);
        assertEquals(Math.sqrt(30 * 30 + 0.25 * 0.25 + 1), c.separationMm(), 1e-12);
        assertEquals(Units.MM, Units.parse(" mm"));
        assertEquals(Units.VOXEL, Units.parse("Voxels"));
        assertThrows(DopajException.class, () -> Units.parse("cm"));
    }

    @Test
    void labelsThatContradictTheAffineAreRefused() {
        // on LAS storage voxel x 30 is the patient's right
        DopajException e = assertThrows(DopajException.class,
                () -> Centroids.parse("left=30,50,20 right=90,50,20", Units.VOXEL, LAS));
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
        Centroids ok = Centroids.parse("left=90,50,20 right=30,50,20", Units.VOXEL, LAS);
        assertEquals(14.5, ok.left().mm().x(), 1e-12);
    }

    @Test
    void sidesComeFromTheAffineNotFromClickOrder() {
        double[] a = {30, 52, 20};
        double[] b = {90, 48, 21};
        for (Grid g : new Grid[]{RAS, LAS, LPS}) {
            Centroids ab = Centroids.fromPoints(List.of(a, b), g);
            Centroids ba = Centroids.fromPoints(List.of(b, a), g);
            assertEquals(ab, ba, g.orientation());
            assertTrue(ab.left().mm().x() < ab.right().mm().x(), g.orientation());
        }
        assertEquals(new Point3(30, 52, 20), Centroids.fromPoints(List.of(a, b), RAS).left().voxel());
        assertEquals(new Point3(90, 48, 21), Centroids.fromPoints(List.of(a, b), LAS).left().voxel());
        assertEquals(new Point3(90, 48, 21), Centroids.fromPoints(List.of(a, b), LPS).left().voxel());
        // mm input
        Centroids mm = Centroids.fromPoints(List.of(new double[]{40, 20, 5}, new double[]{20, 20, 5}), Units.MM, LAS);
        assertEquals(20, mm.left().mm().x(), 1e-12);
        assertEquals(79, mm.left().voxel().x(), 1e-9);
    }

    @Test
    void obliqueImageUsesScannerX() {
        // voxel axes rotated 90° about S: +i points anterior, +j points to the patient's LEFT
        Grid rot = new Grid(100, 120, 40, new double[]{0.5, 0.5, 1},
                new double[][]{{0, -0.5, 0, 30}, {0.5, 0, 0, -25}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        Centroids c = Centroids.fromPoints(List.of(new double[]{50, 30, 20}, new double[]{50, 90, 20}), rot);
        // j = 90 is further toward the patient's left
        assertEquals(90, c.left().voxel().y(), 0);
        // same x, different y: cannot tell the sides
        DopajException e = assertThrows(DopajException.class,
                () -> Centroids.fromPoints(List.of(new double[]{20, 60, 20}, new double[]{80, 60, 20}), rot));
        assertTrue(e.getMessage().contains("cannot tell left from right"), e.getMessage());
    }

    @Test
    void refusesBadPairs() {
        String m = assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{30, 50, 20}, new double[]{30, 50, 20}), RAS)).getMessage();
        assertTrue(m.contains("coincide"), m);
        // 3 mm apart (6 voxels of 0.5 mm along x)
        m = assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{30, 50, 20}, new double[]{36, 50, 20}), RAS)).getMessage();
        assertTrue(m.contains("only 3.00 mm apart"), m);
        // 20 mm apart, but front to back
        m = assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{60, 20, 20}, new double[]{62, 60, 20}), RAS)).getMessage();
        assertTrue(m.contains("cannot tell left from right") && m.contains("1.00 mm"), m);
        // still accepted at exactly the limit: 4 mm along x
        Centroids c = Centroids.fromPoints(List.of(new double[]{30, 50, 20}, new double[]{38, 50, 20}), RAS);
        assertEquals(4, c.separationMm(), 1e-12);
    }

    @Test
    void refusesPointsOutsideAndMalformedInput() {
        String m = assertThrows(DopajException.class,
                () -> Centroids.parse("left=30,50,20 right=120,50,20", Units.VOXEL, RAS)).getMessage();
        assertTrue(m.contains("right") && m.contains("outside the image"), m);
        m = assertThrows(DopajException.class,
                () -> Centroids.parse("left=30,50,-1 right=90,50,20", Units.VOXEL, RAS)).getMessage();
        assertTrue(m.contains("left") && m.contains("outside"), m);
        m = assertThrows(DopajException.class,
                () -> Centroids.parse("left=15,25,20 right=45,25,45", Units.MM, RAS)).getMessage();
        assertTrue(m.contains("mm 45, 25, 45 = voxel 90, 50, 45"), m);
        // half a voxel beyond the edge voxel centre is still inside
        assertEquals(-0.5, Centroids.parse("left=-0.5,50,20 right=90,50,20", Units.VOXEL, RAS).left().voxel().x());
        for (String bad : new String[]{"", "left=30,50,20", "left=30,50 right=90,50,20", "left=30,50,20 right=90,50,20 x",
                "left=30,50,20 left=31,50,20 right=90,50,20", "centre=1,2,3 right=90,50,20", "left=a,b,c right=1,2,3"}) {
            assertThrows(DopajException.class, () -> Centroids.parse(bad, Units.VOXEL, RAS), bad);
        }
        assertThrows(DopajException.class, () -> Centroids.fromPoints(List.of(new double[]{30, 50, 20}), RAS));
        assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{30, 50, 20}, new double[]{90, 50, 20}, new double[]{60, 50, 20}), RAS));
        assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{Double.NaN, 50, 20}, new double[]{90, 50, 20}), RAS));
        assertThrows(DopajException.class, () -> Centroids.fromPoints(
                List.of(new double[]{30, 50}, new double[]{90, 50, 20}), RAS));
    }

    @Test
    void onVoxelAndMap() {
        Centroids c = Centroids.parse("left=30,50,20 right=90.25,50,20", Units.VOXEL, RAS);
        assertTrue(c.left().isOnVoxel());
        assertFalse(c.right().isOnVoxel());
        assertEquals(List.of(30.0, 50.0, 20.0), c.left().toMap().get("voxel"));
        assertEquals("right", c.right().toMap().get("side"));
        assertTrue(c.toMap().containsKey("separation_mm"));
    }
}
