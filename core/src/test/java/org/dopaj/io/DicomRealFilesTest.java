package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;

/**
 * Real DICOM files from pydicom's test set, where the Debian package python3-pydicom installed them
 * ({@value #DIR}; not copied into this repository). Each test is skipped when its file is absent. Expected
 * affines are computed here from the files' tags (RAS = diag(−1,−1,1)·LPS); expected pixel values are those
 * pydicom 2.3.1 decodes ({@code pixel_array}, times RescaleSlope/DoseGridScaling plus RescaleIntercept).
 */
class DicomRealFilesTest {
    static final String DIR = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    static Path file(String name) {
        Path p = Path.of(DIR, name);
        assumeTrue(Files.isReadable(p), p + " absent (apt-get install python3-pydicom to run this test)");
        return p;
    }

    static void assertRow(double[] expected, double[] actual, String what) {
        assertArrayEquals(expected, actual, 1e-3, what);
    }

    /** MR_small: 64×64 int16, IPP −83.9063\−91.2\6.6406, axial IOP, PixelSpacing 0.3125, SliceThickness 0.8. */
    static void assertMrSmall(LoadedImage li) {
        assertEquals("int16", li.datatype());
        assertNull(li.warning(), li.warning());
        Volume v = li.volume();
        assertArrayEquals(new int[]{64, 64, 1}, v.grid().dims());
        double[][] a = v.grid().affine();
        assertRow(new double[]{-0.3125, 0, 0, 83.9063}, a[0], "row 0");
        assertRow(new double[]{0, -0.3125, 0, 91.2}, a[1], "row 1");
        assertRow(new double[]{0, 0, 0.8, 6.6406}, a[2], "row 2");
        // pydicom pixel_array[row, column]
        assertEquals(905, v.get(0, 0, 0));
        assertEquals(1073, v.get(10, 3, 0));
        assertEquals(390, v.get(1, 60, 0));
        assertEquals(451, v.get(2, 7, 0));
        assertEquals(416, v.get(7, 2, 0));
    }

    @Test
    void mrSmallExplicitImplicitAndBigEndianReadTheSame() {
        assertMrSmall(ImageFiles.load(file("MR_small.dcm")));
        assertMrSmall(ImageFiles.load(file("MR_small_implicit.dcm")));
        assertMrSmall(ImageFiles.load(file("MR_small_bigendian.dcm")));
    }

    /** CT_small: int16 with RescaleIntercept −1024, IPP −158.135803\−179.035797\−75.699997, PixelSpacing 0.661468. */
    @Test
    void ctSmallIsRescaled() {
        LoadedImage li = ImageFiles.load(file("CT_small.dcm"));
        Volume v = li.volume();
        double[][] a = v.grid().affine();
        assertRow(new double[]{-0.661468, 0, 0, 158.135803}, a[0], "row 0");
        assertRow(new double[]{0, -0.661468, 0, 179.035797}, a[1], "row 1");
        assertRow(new double[]{0, 0, 5, -75.699997}, a[2], "row 2");
        assertEquals(175 - 1024, v.get(0, 0, 0));
        assertEquals(223 - 1024, v.get(10, 3, 0));
        assertEquals(399 - 1024, v.get(1, 60, 0));
    }

    /**
     * rtdose: implicit VR little endian, 15 frames of 10×10 uint32, IPP 189.43125\199.43125\−761.87, axial,
     * PixelSpacing 10\10, Frame Increment Pointer → Grid Frame Offset Vector 0\5\…\70, Dose Grid Scaling 1e−6.
     */
    @Test
    void rtDoseUsesTheGridFrameOffsetVector() {
        LoadedImage li = ImageFiles.load(file("rtdose.dcm"));
        assertEquals("uint32", li.datatype());
        Volume v = li.volume();
        assertArrayEquals(new int[]{10, 10, 15}, v.grid().dims());
        double[][] a = v.grid().affine();
        assertRow(new double[]{-10, 0, 0, -189.43125}, a[0], "row 0");
        assertRow(new double[]{0, -10, 0, -199.43125}, a[1], "row 1");
        assertRow(new double[]{0, 0, 5, -761.87}, a[2], "row 2");
        assertEquals(1.249, v.get(0, 0, 0), 1e-6);
        assertEquals(1.086, v.get(8, 3, 0), 1e-6);
        assertEquals(0.888, v.get(2, 7, 14), 1e-6);
        assertEquals(1.139, v.get(7, 2, 14), 1e-6);
    }

    static void assertRefused(Path f, String... words) {
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.load(f));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(f.toString()), m);
        for (String w : words) {
            assertTrue(m.contains(w), "'" + w + "' in: " + m);
        }
    }

    @Test
    void truncatedAndCompressedFilesAreRefusedInOneLine() {
        assertRefused(file("MR_truncated.dcm"), "truncated", "copy or export it again");
        assertRefused(file("MR_small_RLE.dcm"), "RLE", "convert with dcm2niix, or open it with Bio-Formats in Fiji");
        // an NM image in JPEG 2000
        assertRefused(file("JPEG2000.dcm"), "JPEG 2000", "1.2.840.10008.1.2.4.91", "convert with dcm2niix");
        assertRefused(file("MR_small_jp2klossless.dcm"), "JPEG 2000", "1.2.840.10008.1.2.4.90");
    }
}
