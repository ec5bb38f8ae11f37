package org.dopaj.wmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesion placement version 2 ({@link LesionSynthesis.Placement#LEVELLED}) on the MNI152 head and on the same head
 * with a strong bias field: its territory does not follow the bias, its lesions stay darker than the white matter
 * around them, and it puts more lesion above the ventricles than version 1.
 */
class LesionPlacementTest {
    private static Path shared;
    private static LesionSynthesis.Head plain;
    private static LesionSynthesis.Head biased;
    private static LesionLibrary library;

    @BeforeAll
    static void heads() {
        shared = WmhData.shared();
        plain = LesionSynthesis.head(shared, "mni152");
        Volume t1 = ImageFiles.read(shared.resolve("mni152_2mm/MNI152_T1_2mm.nii.gz"));
        Volume mask = ImageFiles.read(shared.resolve("mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz"));
        // 40 % darker at the top of the head than at the bottom, linear in z
        Volume b = t1.copy();
        for (int z = 0; z < b.nz(); z++) {
            double f = 1 - 0.4 * z / (b.nz() - 1.0);
            float[] p = b.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (p[i] * f);
            }
        }
        biased = LesionSynthesis.prepare("biased", b, mask);
        library = LesionLibrary.build(shared);
    }

    @Test
    void theLevelledTerritoryDoesNotFollowABiasField() {
        // above MNI z 40 mm the raw territory of the biased head loses much of the white matter; the levelled one not
        long plainTop = countAbove(plain.levelledAllowed(), 40);
        long rawTop = countAbove(biased.allowed(), 40);
        long levelledTop = countAbove(biased.levelledAllowed(), 40);
        assertTrue(rawTop < 0.8 * plainTop, "raw territory above 40 mm " + rawTop + " vs " + plainTop);
        assertTrue(Math.abs(levelledTop - plainTop) < 0.15 * plainTop,
                "levelled territory above 40 mm " + levelledTop + " vs " + plainTop);
        // and the field carries the bias: the white matter at z 50 mm reads darker than at z −10 mm
        double ratio = biased.level(0, -20, 50) / biased.level(0, -20, -10);
        double plainRatio = plain.level(0, -20, 50) / plain.level(0, -20, -10);
        assertTrue(ratio < 0.9 * plainRatio, "field ratio top/bottom " + ratio + " vs " + plainRatio);
    }

    @Test
    void versionTwoLesionsAreDarkerThanTheirOwnWhiteMatter() {
        LesionSynthesis v2 = new LesionSynthesis(List.of(biased), library, WmhModel.Normalisation.TISSUE,
                LesionSynthesis.Placement.LEVELLED_V2);
        Random rng = new Random(3);
        Volume t1 = biased.t1().copy();
        double[][] toMni = Affines.multiply(biased.movingToFixed().matrix(), t1.grid().affine());
        Volume[] fa = LesionSynthesis.render(t1.grid(), toMni, v2.lesions(biased, 30, rng), v2.territory(biased));
        v2.blend(t1, toMni, fa, biased, rng);
        Grid g = t1.grid();
        long full = 0;
        for (int z = 0; z < g.nz(); z++) {
            float[] f = fa[0].plane(z);
            float[] p = t1.plane(z);
            for (int i = 0; i < f.length; i++) {
                if (f[i] >= 1) {
                    double[] m = apply(toMni, i % g.nx(), i / g.nx(), z);
                    double local = biased.level(m[0], m[1], m[2]) * biased.wm();
                    assertTrue(p[i] < local, "lesion voxel " + p[i] + " not below its white matter " + local);
                    full++;
                }
            }
        }
        assertTrue(full > 1000, full + " whole lesion voxels");
    }

    @Test
    void versionTwoPutsMoreLesionAboveTheVentriclesThanVersionOne() {
        double[] share = new double[2];
        for (LesionSynthesis.Placement p : LesionSynthesis.Placement.values()) {
            LesionSynthesis s = new LesionSynthesis(List.of(plain), library, WmhModel.Normalisation.TISSUE, p);
            Random rng = new Random(11);
            long above = 0;
            long all = 0;
            for (int d = 0; d < 12; d++) {
                Grid b = WmhModel.box();
                Volume f = LesionSynthesis.render(b, b.affine(), s.lesions(plain, 20, rng), s.territory(plain))[0];
                for (int z = 0; z < b.nz(); z++) {
                    boolean top = b.toMm(0, 0, z)[2] >= 40;
                    for (float v : f.plane(z)) {
                        if (v >= 0.5f) {
                            all++;
                            above += top ? 1 : 0;
                        }
                    }
                }
            }
            share[p.ordinal()] = (double) above / all;
        }
        assertTrue(share[1] > share[0] + 0.03, "above 40 mm: v1 " + share[0] + ", v2 " + share[1]);
    }

    @Test
    void theRealLabelsProfileIsAShareByBand() {
        double[] p = library.depthProfile();
        assertEquals(LesionSynthesis.PROFILE_BANDS, p.length);
        assertEquals(1, java.util.Arrays.stream(p).sum(), 1e-9);
        // the hand-drawn lesions sit mostly at and above the ventricles (MNI z 0–60 mm)
        double mid = 0;
        for (int k = LesionSynthesis.band(0); k <= LesionSynthesis.band(55); k++) {
            mid += p[k];
        }
        assertTrue(mid > 0.6, "share at 0–60 mm " + mid);
    }

    @Test
    void placementsParseByIdAndRefuseOthers() {
        for (LesionSynthesis.Placement p : LesionSynthesis.Placement.values()) {
            assertEquals(p, LesionSynthesis.Placement.parse(p.id()));
        }
        DopajException e = assertThrows(DopajException.class, () -> LesionSynthesis.Placement.parse("v9"));
        assertTrue(e.getMessage().contains("raw-v1"), e.getMessage());
    }

    private static double[] apply(double[][] a, double x, double y, double z) {
        return new double[] {a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3],
            a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3], a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3]};
    }

    private static long countAbove(Volume box, double zMm) {
        long n = 0;
        for (int z = 0; z < box.nz(); z++) {
            if (box.grid().toMm(0, 0, z)[2] >= zMm) {
                for (float v : box.plane(z)) {
                    n += v > 0 ? 1 : 0;
                }
            }
        }
        return n;
    }
}
