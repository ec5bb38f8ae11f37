package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.io.Nifti;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.dopaj.image.Volume;
import org.dopaj.image.Grid;

class ImagePlusBridgeTest {
    static Volume sample(Grid g, int nt) {
        Volume v = Volume.allocate(g, nt);
        float[][] p = v.planes();
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < p[i].length; k++) {
                p[i][k] = i * 1000 + k;
            }
        }
        return v;
    }

    static final double[][] LAS = {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2.5, -72}, {0, 0, 0, 1}};

    @Test
    void volumeToImagePlusSharesArraysAndCarriesGeometry() {
        Grid g = new Grid(5, 4, 3, new double[]{2, 2, 2.5}, LAS);
        Volume v = sample(g, 1);
        ImagePlus imp = ImagePlusBridge.toImagePlus(v, "t");
        assertEquals(32, imp.getBitDepth());
        assertEquals(3, imp.getNSlices());
        for (int z = 0; z < 3; z++) {
            assertSame(v.plane(z), imp.getStack().getPixels(z + 1));
        }
        imp.getStack().getProcessor(2).putPixelValue(1, 2, -42);
        assertEquals(-42f, v.get(1, 2, 1), "a write through ImageJ is seen in the volume");
        Calibration cal = imp.getCalibration();
        assertEquals("mm", cal.getUnit());
        assertEquals(2, cal.pixelWidth);
        assertEquals(2.5, cal.pixelDepth);
        assertEquals(45, cal.xOrigin, 1e-12, "x = 45 is 0 mm");
        assertEquals(63, cal.yOrigin, 1e-12);
        assertEquals(28.8, cal.zOrigin, 1e-12);
        assertEquals("-2.0 0.0 0.0 90.0 0.0 2.0 0.0 -126.0 0.0 0.0 2.5 -72.0 0.0 0.0 0.0 1.0", imp.getProp(ImagePlusBridge.AFFINE_PROP));
        // and back: zero-copy, same grid
        Volume back = ImagePlusBridge.toVolume(imp);
        assertSame(v.plane(0), back.plane(0));
        assertTrue(back.grid().sameAs(g, 0));
        assertEquals("LAS", back.grid().orientation());
        assertTrue(ImagePlusBridge.isCalibrated(imp));
    }

    @Test
    void fourDimensionalVolumesBecomeHyperstacks() {
        Volume v = sample(Grid.of(3, 2, 4, 1, 1, 1), 5);
        ImagePlus imp = ImagePlusBridge.toImagePlus(v, "4d");
        assertEquals(4, imp.getNSlices());
        assertEquals(5, imp.getNFrames());
        assertTrue(imp.isHyperStack());
        // ImageJ position (z=2, t=3) is Volume plane t·nz+z
        assertSame(v.plane(2, 3), imp.getStack().getPixels(imp.getStackIndex(1, 3, 4)));
        Volume back = ImagePlusBridge.toVolume(imp);
        assertEquals(5, back.nt());
        assertEquals(v.get(1, 1, 2, 3), back.get(1, 1, 2, 3));
    }

    @Test
    void eightAndSixteenBitAreConvertedThroughTheCalibration() {
        ImageStack s = new ImageStack(2, 1);
        s.addSlice(null, new short[]{0, (short) 40000});
        ImagePlus imp = new ImagePlus("s16", s);
        imp.getCalibration().setSigned16BitCalibration();
        Volume v = ImagePlusBridge.toVolume(imp);
        assertEquals(-32768f, v.get(0, 0, 0));
        assertEquals(40000 - 32768f, v.get(1, 0, 0));
        ImageStack b = new ImageStack(2, 1);
        b.addSlice(null, new byte[]{10, (byte) 200});
        ImagePlus imp8 = new ImagePlus("u8", b);
        assertEquals(200f, ImagePlusBridge.toVolume(imp8).get(1, 0, 0));
        imp8.getCalibration().setFunction(Calibration.STRAIGHT_LINE, new double[]{-1, 0.5}, "");
        assertEquals(99f, ImagePlusBridge.toVolume(imp8).get(1, 0, 0));
    }

    @Test
    void rgbAndMultichannelAreRefused() {
        ImagePlus rgb = new ImagePlus("colour", new ColorProcessor(3, 3));
        DopajException e = assertThrows(DopajException.class, () -> ImagePlusBridge.toVolume(rgb));
        assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("colour"), e.getMessage());
        ImageStack s = new ImageStack(2, 2);
        s.addSlice(null, new float[4]);
        s.addSlice(null, new float[4]);
        ImagePlus two = new ImagePlus("two", s);
        two.setDimensions(2, 1, 1);
        e = assertThrows(DopajException.class, () -> ImagePlusBridge.toVolume(two));
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
        assertThrows(DopajException.class, () -> ImagePlusBridge.toVolume(new ImagePlus()));
    }

    @Test
    void gridFromCalibrationWhenNoAffineProperty() {
        ImagePlus imp = new ImagePlus("c", new ShortProcessor(10, 8));
        assertFalse(ImagePlusBridge.isCalibrated(imp), "pixels only");
        assertArrayEquals(new double[]{1, 1, 1}, ImagePlusBridge.gridOf(imp).voxelMm());
        Calibration cal = imp.getCalibration();
        cal.setUnit("µm");
        cal.pixelWidth = 500;
        cal.pixelHeight = 250;
        cal.pixelDepth = 1000;
        cal.xOrigin = 4;
        assertTrue(ImagePlusBridge.isCalibrated(imp));
        Grid g = ImagePlusBridge.gridOf(imp);
        assertArrayEquals(new double[]{0.5, 0.25, 1}, g.voxelMm(), 1e-12);
        assertArrayEquals(new double[]{0, 0, 0}, g.toMm(4, 0, 0), 1e-12);
        cal.setUnit("furlong");
        assertFalse(ImagePlusBridge.isCalibrated(imp), "not a length unit: not guessed");
        // an affine property made for other dimensions is ignored
        imp.setProp(ImagePlusBridge.AFFINE_PROP, ImagePlusBridge.affineString(LAS));
        imp.setProp(ImagePlusBridge.DIMS_PROP, "10 8 2");
        assertFalse(ImagePlusBridge.isCalibrated(imp));
        imp.setProp(ImagePlusBridge.DIMS_PROP, "10 8 1");
        assertEquals("LAS", ImagePlusBridge.gridOf(imp).orientation());
    }

    // ---------------------------------------------------------------- NIfTI importer / saver path

    static NiftiImage synthetic(NiftiDatatype type, double slope, double inter, long seed) {
        NiftiHeader h = new NiftiHeader();
        h.dim = new long[]{4, 4, 3, 2, 2, 1, 1, 1};
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        h.sclSlope = slope;
        h.sclInter = inter;
        h.setSform(LAS, 4);
        h.setQform(LAS, 4);
        h.pixdim[4] = 2.5;
        h.setDescrip("synthetic " + type.label());
        h.toffset = 3;
        int n = 4 * 3 * 2 * 2;
        byte[] d = new byte[n * type.bytes()];
        Random r = new Random(seed);
        ByteBuffer bb = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32: bb.putFloat(4 * i, (float) r.nextGaussian() * 100); break;
                case FLOAT64: bb.putDouble(8 * i, (float) r.nextGaussian()); break;
                case INT16: bb.putShort(2 * i, (short) r.nextInt()); break;
                case INT32: bb.putInt(4 * i, r.nextInt(1 << 24) - (1 << 23)); break;
                default:
                    for (int k = 0; k < type.bytes(); k++) {
                        d[i * type.bytes() + k] = (byte) r.nextInt();
                    }
            }
        }
        return new NiftiImage(h, d);
    }

    @TempDir
    Path dir;

    /** Same datatype and the same file bytes when both are written (header, extensions, voxels). */
    void assertSameNifti(NiftiImage a, NiftiImage b, String what) throws java.io.IOException {
        assertEquals(a.datatype(), b.datatype(), what);
        assertArrayEquals(a.data(), b.data(), what);
        Path fa = dir.resolve("a.nii");
        Path fb = dir.resolve("b.nii");
        Nifti.write(a, fa);
        Nifti.write(b, fb);
        assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb), "file bytes of " + what);
    }

    @Test
    void niftiOpenAndSaveThroughImageJIsBitExact() throws Exception {
        Object[][] cases = {
                {NiftiDatatype.UINT8, 1.0, 0.0, 8},
                {NiftiDatatype.UINT8, 0.5, -3.0, 8},
                {NiftiDatatype.UINT16, 1.0, 0.0, 16},
                {NiftiDatatype.UINT16, 2.0, 1.0, 32},
                {NiftiDatatype.INT16, 0.0, 0.0, 32},
                {NiftiDatatype.INT16, 0.25, 10.0, 32},
                {NiftiDatatype.INT8, 1.0, 0.0, 32},
                {NiftiDatatype.INT32, 1.0, 0.0, 32},
                {NiftiDatatype.FLOAT32, Double.NaN, Double.NaN, 32},
                {NiftiDatatype.FLOAT64, 1.0, 0.0, 32},
                {NiftiDatatype.RGB24, 0.0, 0.0, 24},
        };
        for (Object[] c : cases) {
            NiftiDatatype type = (NiftiDatatype) c[0];
            NiftiImage img = synthetic(type, (Double) c[1], (Double) c[2], type.code());
            ImagePlus imp = ImagePlusBridge.toImagePlus(img, "n");
            String what = type + " slope " + c[1];
            assertEquals((int) (Integer) c[3], imp.getBitDepth(), what);
            assertEquals(2, imp.getNFrames(), what);
            assertNotNull(ImagePlusBridge.originalHeader(imp));
            NiftiImage back = ImagePlusBridge.toNifti(imp);
            assertSameNifti(img, back, what);
            if (type != NiftiDatatype.RGB24) {
                // the values ImageJ shows are the scaled values
                Volume fromImp = ImagePlusBridge.toVolume(imp);
                Volume direct = img.toVolume();
                assertArrayEquals(direct.plane(1, 1), fromImp.plane(1, 1), what);
            }
        }
    }

    @Test
    void editedImagesFallBackToFloat32AndKeepGeometry() {
        NiftiImage img = synthetic(NiftiDatatype.INT16, 1, 0, 3);
        ImagePlus imp = ImagePlusBridge.toImagePlus(img, "edit");
        imp.getStack().getProcessor(1).putPixelValue(0, 0, 0.5); // no longer an int16 value
        NiftiImage back = ImagePlusBridge.toNifti(imp);
        assertEquals(NiftiDatatype.FLOAT32, back.datatype());
        assertEquals(0.5f, back.toVolume().get(0, 0, 0));
        assertEquals("synthetic int16", back.header().descrip());
        assertEquals(4, back.header().sformCode);
        // a plain ImageJ image without NIfTI history: 16-bit → uint16, calibration → pixdim
        ImagePlus plain = new ImagePlus("plain", new ShortProcessor(3, 2));
        plain.getProcessor().putPixel(2, 1, 65000);
        Calibration cal = plain.getCalibration();
        cal.setUnit("mm");
        cal.pixelWidth = 0.5;
        cal.pixelHeight = 0.5;
        cal.pixelDepth = 3;
        NiftiImage p = ImagePlusBridge.toNifti(plain);
        assertEquals(NiftiDatatype.UINT16, p.datatype());
        assertEquals(65000.0, p.rawValue(5));
        assertEquals(0.5, p.header().pixdim[1], 1e-12);
        assertEquals(3, p.header().pixdim[3], 1e-12);
        assertEquals("RAS", p.grid().orientation());
    }

    @Test
    void sharedFilesOpenAndSaveThroughImageJBitExact() throws Exception {
        Path data = Path.of(System.getProperty("dopaj.shared", "../shared"), "data");
        Assumptions.assumeTrue(Files.isDirectory(data), "../shared/data absent: skipping the ImageJ NIfTI round trip of real files");
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".nii") || p.toString().endsWith(".nii.gz")).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            NiftiImage img = Nifti.read(f);
            ImagePlus imp = ImagePlusBridge.toImagePlus(img, f.getFileName().toString());
            NiftiImage back = ImagePlusBridge.toNifti(imp);
            boolean scaledFloat = (img.datatype() == org.dopaj.io.NiftiDatatype.FLOAT32
                    || img.datatype() == org.dopaj.io.NiftiDatatype.FLOAT64) && img.scaling() != null
                    && !(img.scaling()[0] == 1 && img.scaling()[1] == 0);
            if (scaledFloat) {
                // float voxels with scl_slope ≠ 1: several stored floats decode to the same value, so the decoded
                // values round-trip exactly but a stored float may come back one unit in the last place away
                assertArrayEquals(img.toVolume().toArray(), back.toVolume().toArray(), f.toString());
            } else {
                assertSameNifti(img, back, f.toString());
            }
        }
    }
}
