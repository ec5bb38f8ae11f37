package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- a minimal DICOM writer (explicit VR little endian)

    private static void element(ByteArrayOutputStream out, int group, int elem, String vr, byte[] value) {
        boolean longForm = vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT");
        ByteBuffer b = ByteBuffer.allocate(longForm ? 12 : 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) group).putShort((short) elem).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (longForm) {
            b.putShort((short) 0).putInt(value.length);
        } else {
            b.putShort((short) value.length);
        }
        out.writeBytes(b.array());
        out.writeBytes(value);
    }

    private static byte[] text(String s, boolean uid) {
        if (s.length() % 2 == 1) {
            s = s + (uid ? "\0" : " ");
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] us(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
    }

    /** One 16-bit MR slice with position, orientation, spacing and rescale tags. */
    static byte[] dicomSlice(int rows, int cols, int instance, double[] ipp, double[] iop, double[] spacing,
                             double slope, double intercept, short[] pixels) {
        return dicomSlice(rows, cols, instance, ipp, iop, spacing, slope, intercept, pixels, false);
    }

    static byte[] dicomSlice(int rows, int cols, int instance, double[] ipp, double[] iop, double[] spacing,
                             double slope, double intercept, short[] pixels, boolean signed) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0001, "OB", new byte[]{0, 1});
        element(meta, 0x0002, 0x0002, "UI", text("1.2.840.10008.5.1.4.1.1.4", true));
        element(meta, 0x0002, 0x0003, "UI", text("1.2.3.4.5." + instance, true));
        element(meta, 0x0002, 0x0010, "UI", text("1.2.840.10008.1.2.1", true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(out, 0x0002, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
        out.writeBytes(meta.toByteArray());
        element(out, 0x0008, 0x0016, "UI", text("1.2.840.10008.5.1.4.1.1.4", true));
        element(out, 0x0008, 0x0018, "UI", text("1.2.3.4.5." + instance, true));
        element(out, 0x0008, 0x0060, "CS", text("MR", false));
        element(out, 0x0018, 0x0050, "DS", text(fmt(spacing[2]), false));
        element(out, 0x0020, 0x0013, "IS", text(Integer.toString(instance), false));
        element(out, 0x0020, 0x0032, "DS", text(fmt(ipp[0]) + "\\" + fmt(ipp[1]) + "\\" + fmt(ipp[2]), false));
        StringBuilder o = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            o.append(i > 0 ? "\\" : "").append(fmt(iop[i]));
        }
        element(out, 0x0020, 0x0037, "DS", text(o.toString(), false));
        element(out, 0x0028, 0x0002, "US", us(1));
        element(out, 0x0028, 0x0004, "CS", text("MONOCHROME2", false));
        element(out, 0x0028, 0x0010, "US", us(rows));
        element(out, 0x0028, 0x0011, "US", us(cols));
        element(out, 0x0028, 0x0030, "DS", text(fmt(spacing[0]) + "\\" + fmt(spacing[1]), false));
        element(out, 0x0028, 0x0100, "US", us(16));
        element(out, 0x0028, 0x0101, "US", us(16));
        element(out, 0x0028, 0x0102, "US", us(15));
        element(out, 0x0028, 0x0103, "US", us(signed ? 1 : 0));
        element(out, 0x0028, 0x1052, "DS", text(fmt(intercept), false));
        element(out, 0x0028, 0x1053, "DS", text(fmt(slope), false));
        ByteBuffer px = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pixels) {
            px.putShort(s);
        }
        element(out, 0x7FE0, 0x0010, "OW", px.array());
        return out.toByteArray();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * A 4-slice axial series, 5 columns × 3 rows, pixel spacing 0.75 (rows) × 0.5 (columns), slices 2 mm apart going
     * up (+z, superior). Files are named in reverse order so that ImageJ has to sort them. Each raw pixel encodes
     * its slice: raw = 100·instance + index.
     */
    private Path axialSeries() throws IOException {
        Path series = dir.resolve("series");
        Files.createDirectories(series);
        double[] iop = {1, 0, 0, 0, 1, 0};
        for (int k = 0; k < 4; k++) {
            short[] px = new short[15];
            for (int i = 0; i < 15; i++) {
                px[i] = (short) (100 * (k + 1) + i);
            }
            byte[] f = dicomSlice(3, 5, k + 1, new double[]{-10, 20, -30 + 2 * k}, iop, new double[]{0.75, 0.5, 2}, 2, -100 + 10 * k, px);
            Files.write(series.resolve(String.format("IM%02d.dcm", 10 - k)), f);
        }
        return series;
    }

    @Test
    void dicomSeriesGetsItsRasAffineAndRescale() throws IOException {
        Path series = axialSeries();
        LoadedImage li = ImageFiles.load(series);
        assertEquals("dicom-series", li.format());
        assertEquals("uint16", li.datatype());
        assertTrue(li.calibrated());
        assertNull(li.warning(), li.warning());
        Volume v = li.volume();
        assertArrayEquals(new int[]{5, 3, 4}, v.grid().dims());
        assertArrayEquals(new double[]{0.5, 0.75, 2}, v.grid().voxelMm(), 1e-9);
        // DICOM LPS row direction (1,0,0) = towards Left; column direction (0,1,0) = Posterior; slices go Superior
        assertEquals("LPS", v.grid().orientation());
        double[][] a = v.grid().affine();
        assertArrayEquals(new double[]{-0.5, 0, 0, 10}, a[0], 1e-9);
        assertArrayEquals(new double[]{0, -0.75, 0, -20}, a[1], 1e-9);
        // slice k must hold the file whose position is affine·(0,0,k): instance k+1 at z = -30 + 2k
        for (int k = 0; k < 4; k++) {
            double[] mm = v.grid().toMm(0, 0, k);
            int instance = (int) Math.round((mm[2] + 30) / 2) + 1;
            // each slice has its own rescale intercept (−100 + 10·(instance−1)), slope 2
            double inter = -100 + 10 * (instance - 1);
            assertEquals((100 * instance + 0) * 2 + inter, v.get(0, 0, k), 1e-3, "slice " + k);
            assertEquals((100 * instance + 7) * 2 + inter, v.get(2, 1, k), 1e-3, "slice " + k + " pixel (2,1)");
        }
    }

    @Test
    void singleDicomFileAndCoronalOrientation() throws IOException {
        short[] px = new short[6];
        for (int i = 0; i < 6; i++) {
            px[i] = (short) (i * 10);
        }
        // coronal: rows go to patient Left, columns go Inferior (LPS (0,0,-1))
        Path f = dir.resolve("one.dcm");
        Files.write(f, dicomSlice(2, 3, 1, new double[]{5, -7, 40}, new double[]{1, 0, 0, 0, 0, -1}, new double[]{1.5, 1.25, 3}, 1, 0, px));
        LoadedImage li = ImageFiles.load(f);
        assertEquals("dicom", li.format());
        Volume v = li.volume();
        assertArrayEquals(new int[]{3, 2, 1}, v.grid().dims());
        assertEquals(50f, v.get(2, 1, 0));
        // normal = row × col = (1,0,0)×(0,0,-1) = (0,1,0) in LPS = Posterior
        assertEquals("LIP", v.grid().orientation());
        assertArrayEquals(new double[]{-5, 7, 40}, v.grid().toMm(0, 0, 0), 1e-9);
        assertArrayEquals(new double[]{1.25, 1.5, 3}, v.grid().voxelMm(), 1e-9);
    }

    @Test
    void signedDicomWithSlopeKeepsNegativeValuesAndImageJPrefs() throws IOException {
        short[] px = {-1000, -1, 0, 1, 2000, Short.MIN_VALUE};
        Path f = dir.resolve("ct.dcm");
        Files.write(f, dicomSlice(2, 3, 1, new double[]{0, 0, 0}, new double[]{1, 0, 0, 0, 1, 0}, new double[]{1, 1, 1}, 0.5, -1024, px, true));
        boolean before = ij.Prefs.ignoreRescaleSlope;
        LoadedImage li = ImageFiles.load(f);
        assertEquals(before, ij.Prefs.ignoreRescaleSlope, "ImageJ preferences restored");
        assertEquals("int16", li.datatype());
        Volume v = li.volume();
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] * 0.5 - 1024, v.get(i % 3, i / 3, 0), 1e-4, "pixel " + i);
        }
    }

    @Test
    void tiffIsReadWithCalibrationOrMarkedUncalibrated() throws IOException {
        ImagePlus imp = new ImagePlus("t", new ShortProcessor(4, 3));
        imp.getProcessor().putPixel(3, 2, 1234);
        Path plain = dir.resolve("plain.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(plain.toString()));
        LoadedImage li = ImageFiles.load(plain);
        assertEquals("tiff", li.format());
        assertEquals("uint16", li.datatype());
        assertFalse(li.calibrated());
        assertTrue(li.warning().contains("1 mm"), li.warning());
        assertEquals(1234f, li.volume().get(3, 2, 0));

        imp.getCalibration().setUnit("micron");
        imp.getCalibration().pixelWidth = 250;
        imp.getCalibration().pixelHeight = 500;
        Path cal = dir.resolve("cal.tiff");
        assertTrue(new FileSaver(imp).saveAsTiff(cal.toString()));
        LoadedImage lc = ImageFiles.load(cal);
        assertTrue(lc.calibrated());
        assertArrayEquals(new double[]{0.25, 0.5}, java.util.Arrays.copyOf(lc.volume().grid().voxelMm(), 2), 1e-9);
    }

    @Test
    void writeTiffAndNiftiKeepTheAffine() {
        double[][] a = {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}};
        Volume v = Volume.allocate(new Grid(4, 3, 2, new double[]{2, 2, 2}, a), 1);
        v.set(1, 2, 1, 3.5f);
        for (String name : new String[]{"out.tif", "out.nii", "out.nii.gz"}) {
            Path f = dir.resolve(name);
            ImageFiles.write(v, f);
            LoadedImage back = ImageFiles.load(f);
            assertTrue(back.calibrated(), name);
            assertEquals(3.5f, back.volume().get(1, 2, 1), name);
            assertTrue(back.volume().grid().sameAs(v.grid(), 1e-6), name + ": " + back.volume().grid());
            assertEquals("LAS", back.volume().grid().orientation(), name);
        }
        assertNotNull(ImageFiles.load(dir.resolve("out.nii")).nifti());
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.write(v, dir.resolve("out.png")));
        assertTrue(e.getMessage().contains(".tif"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out.png")));
    }

    @Test
    void unsupportedAndMissingInputsAreNamed() throws IOException {
        Path junk = dir.resolve("data.xyz");
        Files.writeString(junk, "neither NIfTI nor TIFF nor DICOM");
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.load(junk));
        assertTrue(e.getMessage().contains("unsupported format") && e.getMessage().contains("Bio-Formats"), e.getMessage());
        e = assertThrows(DopajException.class, () -> ImageFiles.load(dir.resolve("missing.nii")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        Path empty = dir.resolve("emptydir");
        Files.createDirectories(empty);
        e = assertThrows(DopajException.class, () -> ImageFiles.load(empty));
        assertTrue(e.getMessage().contains("without DICOM"), e.getMessage());
        Path badTif = dir.resolve("bad.tif");
        Files.write(badTif, new byte[]{'I', 'I', 42, 0, 1, 2, 3});
        e = assertThrows(DopajException.class, () -> ImageFiles.load(badTif));
        assertTrue(e.getMessage().contains("bad.tif"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no output written");
        }
    }
}
