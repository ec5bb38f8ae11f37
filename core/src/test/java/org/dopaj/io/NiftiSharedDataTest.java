package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the real public files in shared/data and checks their geometry against values read from their headers
 * with nibabel 5.0 (shape, zooms, aff2axcodes, codes); skipped when shared/data is absent.
 */
class NiftiSharedDataTest {
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void findData() {
        String shared = System.getProperty("dopaj.shared", "../shared");
        data = Path.of(shared, "data");
        Assumptions.assumeTrue(Files.isDirectory(data), "../shared/data absent: skipping the real-file NIfTI tests");
    }

    private static NiftiImage check(String rel, String type, int[] dims, double[] vox, String orient, int sform, int qform) {
        Path f = data.resolve(rel);
        Assumptions.assumeTrue(Files.isRegularFile(f), f + " absent");
        NiftiImage img = Nifti.read(f);
        assertEquals(type, img.datatypeName(), rel);
        assertArrayEquals(dims, img.dims(), rel);
        Grid g = img.grid();
        assertArrayEquals(vox, g.voxelMm(), 1e-5, rel);
        assertEquals(orient, g.orientation(), rel);
        assertEquals(sform, img.header().sformCode, rel);
        assertEquals(qform, img.header().qformCode, rel);
        return img;
    }

    @Test
    void mni152TwoMillimetre() {
        NiftiImage t1 = check("mni152_2mm/MNI152_T1_2mm.nii.gz", "int16", new int[]{91, 109, 91}, new double[]{2, 2, 2}, "LAS", 4, 4);
        NiftiTest.assertMatrix(new double[][]{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}}, t1.affine(), 0);
        // the qform (quaternion 0,1,0 with qfac −1) says the same as the sform
        NiftiTest.assertMatrix(t1.header().sform(), t1.header().qform(), 1e-6);
        assertEquals(0, t1.countNonFinite());
        check("mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz", "float32", new int[]{91, 109, 91}, new double[]{2, 2, 2}, "LAS", 4, 4);
        check("mni152_2mm/MNI152_T1_2mm_Brain_FAST_seg.nii.gz", "int32", new int[]{91, 109, 91}, new double[]{2, 2, 2}, "LAS", 4, 4);
        NiftiImage m1 = check("mni152_2mm/MNI152_T1_1mm_Brain_Mask.nii.gz", "float32", new int[]{182, 218, 182}, new double[]{1, 1, 1}, "LAS", 4, 4);
        NiftiTest.assertMatrix(new double[][]{{-1, 0, 0, 90}, {0, 1, 0, -126}, {0, 0, 1, -72}, {0, 0, 0, 1}}, m1.affine(), 0);
        // MNI (0,0,0) mm lies at voxel (45,63,36) of the 2 mm grid
        assertArrayEquals(new double[]{45, 63, 36}, t1.grid().toVoxel(0, 0, 0), 1e-9);
    }

    @Test
    void icbmAndAtlases() {
        NiftiImage t1 = check("icbm2009a/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz", "uint8", new int[]{197, 233, 189},
                new double[]{1, 1, 1}, "RAS", 2, 0);
        NiftiTest.assertMatrix(new double[][]{{1, 0, 0, -98}, {0, 1, 0, -134}, {0, 0, 1, -72}, {0, 0, 0, 1}}, t1.affine(), 0);
        check("icbm2009a/mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz", "uint8", new int[]{197, 233, 189}, new double[]{1, 1, 1}, "RAS", 2, 0);
        NiftiImage aal = check("atlas/aal.nii.gz", "uint8", new int[]{181, 217, 181}, new double[]{1, 1, 1}, "RAS", 4, 0);
        NiftiTest.assertMatrix(new double[][]{{1, 0, 0, -90}, {0, 1, 0, -125}, {0, 0, 1, -71}, {0, 0, 0, 1}}, aal.affine(), 0);
        Volume labels = aal.toVolume();
        float max = 0;
        for (float[] p : labels.planes()) {
            for (float v : p) {
                max = Math.max(max, v);
            }
        }
        assertTrue(max >= 116, "AAL has labels up to at least 116, max " + max);
        check("atlas/AICHAmc.nii.gz", "uint8", new int[]{91, 109, 91}, new double[]{2, 2, 2}, "LAS", 2, 2);
        check("atlas/mni_basal_ganglia.nii.gz", "uint8", new int[]{197, 233, 189}, new double[]{1, 1, 1}, "RAS", 2, 0);
    }

    @Test
    void diffusionAndSwi() {
        NiftiImage dwi = check("diffusion/small_64D.nii", "int16", new int[]{10, 10, 10, 65}, new double[]{2, 2, 2}, "PLS", 1, 1);
        assertEquals(65, dwi.nt());
        Volume v = dwi.toVolume();
        assertEquals(65, v.nt());
        // oblique: the sform and the qform agree to float precision
        NiftiTest.assertMatrix(dwi.header().sform(), dwi.header().qform(), 1e-5);
        assertEquals(-1.939744, dwi.affine()[1][0], 1e-6);
        NiftiImage s0 = check("diffusion/S0_10slices.nii.gz", "uint16", new int[]{128, 128, 10, 1}, new double[]{2, 2, 53.141319}, "RAS", 2, 0);
        assertEquals(1, s0.nt());
        NiftiImage d101 = check("diffusion/small_101D.nii.gz", "uint16", new int[]{6, 10, 10, 102}, new double[]{2.5, 2.5, 2.5}, "LAS", 1, 1);
        NiftiTest.assertMatrix(d101.header().sform(), d101.header().qform(), 1e-4);
        NiftiImage mag = check("swi/clearswi_small_Mag.nii", "float32", new int[]{40, 40, 20, 3}, new double[]{0.46875, 0.46875, 1}, "RAS", 1, 0);
        assertEquals(3, mag.nt());
        assertEquals(-104.53125, mag.affine()[0][3], 0);
    }

    @Test
    void everySharedNiftiRoundTripsBitExactThroughNiiAndGz() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".nii") || p.toString().endsWith(".nii.gz")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 15, "found " + files.size() + " NIfTI files");
        for (Path f : files) {
            byte[] orig = NiftiTest.uncompressed(f);
            NiftiImage img = Nifti.read(f);
            Path nii = dir.resolve("rt.nii");
            Nifti.write(img, nii);
            Path gz = dir.resolve("rt.nii.gz");
            Nifti.write(Nifti.read(nii), gz);
            byte[] back = NiftiTest.uncompressed(gz);
            long used = img.header().voxOffset + img.data().length;
            // bytes after the voxel data (96 padding bytes in one FSL file) are not part of the image
            assertArrayEquals(Arrays.copyOf(orig, (int) used), back, f.toString());
            Files.delete(nii);
            Files.delete(gz);
        }
    }
}
