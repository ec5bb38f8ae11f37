package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.TreeMap;

import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.registration.AffineTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missed lesions by MNI level: bands follow the head's registration, not its voxel indices. */
class WmhFoundByLevelTest {
    @TempDir
    Path tmp;

    @Test
    void countsTrueAndMarkedVoxelsPerTenMillimetreBandOfMniZ() throws Exception {
        // 1 mm grid whose voxel z = k sits at 2k − 20 mm natively; the head's registration moves it up by 5 mm
        Grid g = Grid.of(4, 4, 20, 1, 1, 2);
        double[][] a = g.affine();
        a[2][3] = -20;
        g = Grid.fromAffine(4, 4, 20, a);
        double[][] up = Affines.identity();
        up[2][3] = 5;
        Volume t1 = Volume.allocate(g);
        LesionSynthesis.Head head = new LesionSynthesis.Head("tiny", t1, t1, t1, AffineTransform.of(Affines.invert(up)),
                AffineTransform.of(up), null, 1, 0.8, 1, null, null);
        Volume truth = Volume.allocate(g);
        Volume mask = Volume.allocate(g);
        truth.plane(2)[0] = 1;   // z = −16 + 5 = −11 mm: band −20
        truth.plane(2)[1] = 1;
        mask.plane(2)[1] = 1;    // one of the two marked
        truth.plane(10)[5] = 1;  // z = 0 + 5 = 5 mm: band 0, missed
        mask.plane(15)[3] = 1;   // z = 15 mm: marked outside the truth, band 10
        Nifti.write(truth, tmp.resolve("tiny_20_5300_truth.nii.gz"), null);
        Nifti.write(mask, tmp.resolve("tiny_20_5300_network.nii.gz"), null);
        TreeMap<Integer, long[]> bands = WmhFoundByLevel.count(tmp, head, "network");
        assertEquals(3, bands.size(), bands.keySet().toString());
        assertArrayEquals(new long[] {2, 1, 0}, bands.get(-20));
        assertArrayEquals(new long[] {1, 0, 0}, bands.get(0));
        assertArrayEquals(new long[] {0, 0, 1}, bands.get(10));
        DopajException e = assertThrows(DopajException.class, () -> WmhFoundByLevel.count(tmp, head, "threshold"));
        assertEquals(true, e.getMessage().contains("no threshold mask"), e.getMessage());
    }
}
