package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiTest {
    @TempDir
    Path dir;

    /** A header with every field set to something non-default, so a lost field shows. */
    static NiftiHeader richHeader(int version, NiftiDatatype type, long... dims) {
        NiftiHeader h = new NiftiHeader();
        h.version = version;
        h.magic = NiftiHeader.singleFileMagic(version);
        Arrays.fill(h.dim, 1);
        h.dim[0] = dims.length;
        for (int i = 0; i < dims.length; i++) {
            h.dim[i + 1] = dims[i];
        }
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        h.dimInfo = 57;
        h.intentP1 = 1.5;
        h.intentP2 = -2.25;
        h.intentP3 = 3.125;
        h.intentCode = 1002;
        h.sliceStart = 1;
        h.sliceEnd = 2;
        h.sliceCode = 3;
        h.sliceDuration = 0.0625;
        h.toffset = 7.5;
        h.pixdim = new double[]{-1, 1.5, 2.5, 3.25, 2.0, 0.5, 0.25, 0.125};
        h.sclSlope = 0.5;
        h.sclInter = -3;
        h.xyztUnits = 2 | 8;
        h.calMin = -10;
        h.calMax = 99.5;
        h.setDescrip("DopaJ round-trip test ✓");
        h.auxFile = NiftiHeader.textBytes("aux.txt", 24);
        h.intentName = NiftiHeader.textBytes("labels", 16);
        h.qformCode = 1;
        h.sformCode = 4;
        h.quaternB = 0.1;
        h.quaternC = -0.2;
        h.quaternD = 0.3;
        h.qoffsetX = 10.5;
        h.qoffsetY = -20.25;
        h.qoffsetZ = 30.125;
        h.srowX = new double[]{-1.5, 0.1, 0, 90.5};
        h.srowY = new double[]{0, 2.5, 0.2, -126.25};
        h.srowZ = new double[]{0.05, 0, 3.25, -72.125};
        if (version == 1) {
            h.glmax = 255;
            h.glmin = -5;
            h.regular = 'r';
            h.extents = 16384;
            h.dbName = NiftiHeader.textBytes("db", 18);
        } else {
            h.unusedStr[3] = 9;
        }
        // one 32-byte extension (ecode 6 = comment) after the flag
        ByteBuffer ext = ByteBuffer.allocate(4 + 32).order(ByteOrder.LITTLE_ENDIAN);
        ext.put(0, (byte) 1);
        ext.putInt(4, 32);
        ext.putInt(8, 6);
        byte[] txt = "hello extension".getBytes();
        ext.put(12, txt);
        h.extensionBlock = ext.array();
        return h;
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void everyDatatypeRoundTripsBitExactInBothVersionsAndCompressions() throws IOException {
        for (NiftiDatatype type : NiftiDatatype.values()) {
            for (int version = 1; version <= 2; version++) {
                for (String ext : new String[]{".nii", ".nii.gz"}) {
                    NiftiHeader h = richHeader(version, type, 5, 4, 3);
                    byte[] data = randomBytes(5 * 4 * 3 * type.bytes(), type.code() * 10L + version);
                    NiftiImage img = new NiftiImage(h, data);
                    Path f = dir.resolve(type.label() + "_v" + version + ext);
                    Nifti.write(img, f);
                    NiftiImage back = Nifti.read(f);
                    String what = type + " v" + version + ext;
                    assertArrayEquals(data, back.data(), what);
                    assertEquals(type, back.datatype(), what);
                    assertEquals(type.label(), back.datatypeName());
                    assertEquals(version, back.header().version, what);
                    NiftiHeader bh = back.header();
                    assertEquals(NiftiHeader.headerSize(version) + 36, bh.voxOffset, what);
                    h.voxOffset = bh.voxOffset;
                    assertArrayEquals(h.toBytes(), bh.toBytes(), "header bytes " + what);
                    assertArrayEquals(h.extensionBlock, bh.extensionBlock, what);
                    assertEquals(1, bh.extensions().size());
                    assertEquals(6, bh.extensions().get(0).code());
                    assertEquals("DopaJ round-trip test ?", bh.descrip(), "non-Latin-1 written as '?'");
                    assertEquals(0.5, bh.sclSlope);
                    assertEquals(4, bh.sformCode);
                    assertEquals(1, bh.qformCode);
                    assertEquals(7.5, bh.toffset);
                    assertEquals(3, bh.sliceCode);
                    // writing what was read gives the same file bytes again
                    Path f2 = dir.resolve("again_" + f.getFileName());
                    Nifti.write(back, f2);
                    assertArrayEquals(uncompressed(f), uncompressed(f2), what);
                }
            }
        }
    }

    static byte[] uncompressed(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b)).readAllBytes();
        }
        return b;
    }

    @Test
    void headerAloneIsReadWithoutTheVoxels() {
        NiftiImage img = new NiftiImage(richHeader(2, NiftiDatatype.INT16, 6, 5, 4), randomBytes(240, 4));
        Path f = dir.resolve("h.nii.gz");
        Nifti.write(img, f);
        NiftiHeader h = Nifti.readHeader(f);
        assertArrayEquals(new long[]{6, 5, 4}, h.shape());
        assertEquals(2, h.version);
        assertEquals("int16", h.datatypeEnum().label());
        assertEquals(1, h.extensions().size());
        assertEquals("sform", h.affineSource());
        assertEquals("mni", NiftiHeader.xformName(h.sformCode));
    }

    @Test
    void gzipIsWrittenByNameAndReadByContent() throws IOException {
        NiftiImage img = new NiftiImage(richHeader(1, NiftiDatatype.INT16, 3, 3, 3), randomBytes(54, 1));
        Path gz = dir.resolve("a.nii.gz");
        Nifti.write(img, gz);
        byte[] raw = Files.readAllBytes(gz);
        assertEquals(0x1f, raw[0] & 0xff);
        Path misnamed = dir.resolve("b.nii");
        Files.write(misnamed, raw);
        assertArrayEquals(img.data(), Nifti.read(misnamed).data());
    }

    @Test
    void versionConversionKeepsFieldsAndData() {
        NiftiImage img = new NiftiImage(richHeader(1, NiftiDatatype.FLOAT32, 4, 4, 2), randomBytes(128, 2));
        Path f2 = dir.resolve("v2.nii");
        Nifti.write(img.withVersion(2), f2);
        NiftiImage v2 = Nifti.read(f2);
        assertEquals(2, v2.header().version);
        assertEquals(544 + 32, v2.header().voxOffset);
        Path f1 = dir.resolve("v1.nii");
        Nifti.write(v2.withVersion(1), f1);
        NiftiImage v1 = Nifti.read(f1);
        NiftiHeader orig = img.header().copy();
        orig.voxOffset = v1.header().voxOffset;
        // NIfTI-2 has no room for the unused ANALYZE fields of NIfTI-1: they come back as zeros
        NiftiHeader blank = new NiftiHeader();
        orig.dataTypeLegacy = blank.dataTypeLegacy;
        orig.dbName = blank.dbName;
        orig.extents = 0;
        orig.sessionError = 0;
        orig.regular = 0;
        orig.glmax = 0;
        orig.glmin = 0;
        assertArrayEquals(orig.toBytes(), v1.header().toBytes());
        assertArrayEquals(img.data(), v1.data());
    }

    @Test
    void scalingIsAppliedAsNibabelDoes() {
        NiftiHeader h = richHeader(1, NiftiDatatype.INT16, 2, 1, 1);
        ByteBuffer d = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        d.putShort(0, (short) -7);
        d.putShort(2, (short) 1000);
        h.sclSlope = 2;
        h.sclInter = -5;
        Volume v = new NiftiImage(h, d.array()).toVolume();
        assertEquals(-19f, v.get(0, 0, 0));
        assertEquals(1995f, v.get(1, 0, 0));
        h.sclSlope = 0; // no scaling
        assertEquals(-7f, new NiftiImage(h, d.array()).toVolume().get(0, 0, 0));
        h.sclSlope = Double.NaN;
        assertEquals(1000f, new NiftiImage(h, d.array()).toVolume().get(1, 0, 0));
        assertNull(new NiftiImage(h, d.array()).scaling());
        h.sclSlope = 1;
        h.sclInter = Double.POSITIVE_INFINITY;
        DopajException e = assertThrows(DopajException.class, () -> new NiftiImage(h, d.array()).toVolume());
        assertTrue(e.getMessage().contains("scl_inter"), e.getMessage());
    }

    @Test
    void unsignedAndWideTypesDecodeToTheirValues() {
        NiftiHeader h = richHeader(2, NiftiDatatype.UINT16, 1, 1, 1);
        h.sclSlope = 1;
        h.sclInter = 0;
        assertEquals(65535f, new NiftiImage(h, new byte[]{-1, -1}).toVolume().get(0, 0, 0));
        h.datatype = NiftiDatatype.UINT32.code();
        h.bitpix = 32;
        assertEquals(4294967295f, new NiftiImage(h, new byte[]{-1, -1, -1, -1}).toVolume().get(0, 0, 0));
        h.datatype = NiftiDatatype.UINT64.code();
        h.bitpix = 64;
        byte[] max = new byte[8];
        Arrays.fill(max, (byte) -1);
        assertEquals(1.8446744073709552E19f, new NiftiImage(h, max).toVolume().get(0, 0, 0));
        h.datatype = NiftiDatatype.INT64.code();
        assertEquals(-1f, new NiftiImage(h, max).toVolume().get(0, 0, 0));
        h.datatype = NiftiDatatype.INT8.code();
        h.bitpix = 8;
        assertEquals(-128f, new NiftiImage(h, new byte[]{-128}).toVolume().get(0, 0, 0));
        h.datatype = NiftiDatatype.FLOAT64.code();
        h.bitpix = 64;
        byte[] d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, -2.5e10).array();
        assertEquals(-2.5e10f, new NiftiImage(h, d).toVolume().get(0, 0, 0));
    }

    static void assertMatrix(double[][] expected, double[][] actual, double tol) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected[r][c], actual[r][c], tol, "affine[" + r + "][" + c + "] of " + Arrays.deepToString(actual));
            }
        }
    }

    @Test
    void bestAffineFollowsNibabel() {
        NiftiHeader h = new NiftiHeader();
        h.dim = new long[]{3, 91, 109, 91, 1, 1, 1, 1};
        h.pixdim = new double[]{-1, 2, 2, 2, 1, 0, 0, 0};
        // neither: nibabel's base affine (LAS, centred)
        h.sformCode = 0;
        h.qformCode = 0;
        assertEquals("base", h.affineSource());
        assertMatrix(new double[][]{{-2, 0, 0, 90}, {0, 2, 0, -108}, {0, 0, 2, -90}, {0, 0, 0, 1}}, h.bestAffine(), 0);
        // qform only: the FSL MNI152 quaternion (0,1,0), qfac −1 → diag(−2,2,2)
        h.qformCode = 4;
        h.quaternB = 0;
        h.quaternC = 1;
        h.quaternD = 0;
        h.qoffsetX = 90;
        h.qoffsetY = -126;
        h.qoffsetZ = -72;
        assertEquals("qform", h.affineSource());
        assertMatrix(new double[][]{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}}, h.bestAffine(), 1e-12);
        // qfac 0 is read as +1: then the third axis is not flipped
        h.pixdim[0] = 0;
        assertMatrix(new double[][]{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, -2, -72}, {0, 0, 0, 1}}, h.bestAffine(), 1e-12);
        // 90° about z: d = sin(45°)
        h.pixdim = new double[]{1, 1, 2, 3, 1, 0, 0, 0};
        h.quaternC = 0;
        h.quaternD = Math.sqrt(0.5);
        assertMatrix(new double[][]{{0, -2, 0, 90}, {1, 0, 0, -126}, {0, 0, 3, -72}, {0, 0, 0, 1}}, h.bestAffine(), 1e-12);
        // sform wins whenever sform_code != 0
        h.setSform(new double[][]{{1, 0, 0, -90}, {0, 1, 0, -125}, {0, 0, 1, -71}, {0, 0, 0, 1}}, 4);
        assertEquals("sform", h.affineSource());
        assertMatrix(new double[][]{{1, 0, 0, -90}, {0, 1, 0, -125}, {0, 0, 1, -71}, {0, 0, 0, 1}}, h.bestAffine(), 0);
    }

    @Test
    void setQformRecoversTheAffineAndTheMniQuaternion() {
        NiftiHeader h = new NiftiHeader();
        h.setQform(new double[][]{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}}, 4);
        assertEquals(-1, h.pixdim[0]);
        assertEquals(0, h.quaternB, 1e-15);
        assertEquals(1, h.quaternC, 1e-15);
        assertEquals(0, h.quaternD, 1e-15);
        // an oblique affine with a flip: qform() must give it back
        double t = Math.toRadians(17);
        double[][] a = {
                {-1.5 * Math.cos(t), -2 * Math.sin(t), 0, 12},
                {-1.5 * Math.sin(t), 2 * Math.cos(t), 0, -30},
                {0, 0, 3, 4.5},
                {0, 0, 0, 1}};
        h.setQform(a, 1);
        assertMatrix(a, h.qform(), 1e-12);
        assertEquals(1.5, h.pixdim[1], 1e-12);
        assertEquals(2, h.pixdim[2], 1e-12);
        assertEquals(3, h.pixdim[3], 1e-12);
    }

    @Test
    void volumeIsWrittenWithSformQformAndMmUnits() {
        double t = Math.toRadians(10);
        double[][] a = {
                {2 * Math.cos(t), -2 * Math.sin(t), 0, -90},
                {2 * Math.sin(t), 2 * Math.cos(t), 0, -126},
                {0, 0, 2.5, -72},
                {0, 0, 0, 1}};
        Grid g = Grid.fromAffine(4, 3, 2, a);
        Volume v = Volume.allocate(g, 2);
        for (int i = 0; i < v.planes().length; i++) {
            Arrays.fill(v.planes()[i], i * 1.5f - 2);
        }
        Path f = dir.resolve("vol.nii.gz");
        Nifti.write(v, f, null);
        NiftiImage back = Nifti.read(f);
        NiftiHeader h = back.header();
        assertEquals(NiftiHeader.XFORM_ALIGNED, h.sformCode);
        assertEquals(NiftiHeader.XFORM_ALIGNED, h.qformCode);
        assertEquals("mm", h.spatialUnit());
        assertEquals("float32", back.datatypeName());
        assertArrayEquals(new int[]{4, 3, 2, 2}, back.dims());
        assertEquals(2, back.nt());
        assertMatrix(a, h.sform(), 1e-5);
        assertMatrix(a, h.qform(), 1e-5);
        assertEquals(2.5, h.pixdim[3], 1e-6);
        Volume r = back.toVolume();
        for (int i = 0; i < v.planes().length; i++) {
            assertArrayEquals(v.planes()[i], r.planes()[i]);
        }
        // template codes and descrip are kept; integer datatype rounds
        NiftiHeader tpl = new NiftiHeader();
        tpl.sformCode = 4;
        tpl.qformCode = 0;
        tpl.setDescrip("from template");
        Path f2 = dir.resolve("vol16.nii");
        Nifti.write(v, f2, tpl, NiftiDatatype.INT16);
        NiftiImage b2 = Nifti.read(f2);
        assertEquals(4, b2.header().sformCode);
        assertEquals(4, b2.header().qformCode);
        assertEquals("from template", b2.header().descrip());
        assertEquals("int16", b2.datatypeName());
        assertEquals(Math.rint(0 * 1.5f - 2), b2.toVolume().get(0, 0, 0, 0));
        assertEquals(Math.rint(3 * 1.5f - 2), b2.toVolume().get(0, 0, 1, 1));
    }

    @Test
    void overflowingDatatypeIsRefusedAndNothingIsLeft() throws IOException {
        Volume v = Volume.allocate(Grid.of(2, 2, 1, 1, 1, 1));
        v.set(1, 1, 0, 300f);
        Path f = dir.resolve("over.nii");
        DopajException e = assertThrows(DopajException.class, () -> Nifti.write(v, f, null, NiftiDatatype.UINT8));
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains("(1,1,0)") && e.getMessage().contains("uint8"), e.getMessage());
        v.set(1, 1, 0, Float.NaN);
        assertThrows(DopajException.class, () -> Nifti.write(v, f, null, NiftiDatatype.INT16));
        assertEquals(0, listDir().length);
        // a failure in the middle of writing leaves neither the target nor a temporary file
        assertThrows(DopajException.class, () -> AtomicFiles.write(f, true, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(0, listDir().length, Arrays.toString(listDir()));
        // and an existing target is left untouched by a failed write
        Files.write(f, new byte[]{1, 2, 3});
        assertThrows(DopajException.class, () -> AtomicFiles.write(f, false, out -> {
            out.write(new byte[10]);
            throw new IOException("simulated");
        }));
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f));
        assertEquals(1, listDir().length);
    }

    private String[] listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toArray(String[]::new);
        }
    }

    @Test
    void fiveDimensionalVolumesAreRefused() {
        NiftiHeader h = richHeader(1, NiftiDatatype.UINT8, 2, 2, 2, 1, 3);
        NiftiImage img = new NiftiImage(h, new byte[24]);
        DopajException e = assertThrows(DopajException.class, img::toVolume);
        assertTrue(e.getMessage().contains("3D and 4D"), e.getMessage());
        // but a 5D file still converts NIfTI→NIfTI bit-exactly
        Path f = dir.resolve("5d.nii");
        Nifti.write(img, f);
        assertArrayEquals(new int[]{2, 2, 2, 1, 3}, Nifti.read(f).dims());
    }

    /** A big-endian NIfTI-1 int16 file, crafted field by field. */
    static byte[] bigEndianFile() {
        ByteBuffer b = ByteBuffer.allocate(352 + 24 + 2 * 2 * 3 * 2).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, 348);
        short[] dim = {3, 2, 3, 2, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
        }
        b.putShort(70, (short) 4);
        b.putShort(72, (short) 16);
        float[] pix = {1, 1.5f, 2, 3, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, pix[i]);
        }
        b.putFloat(108, 376);
        b.putFloat(112, 2f);
        b.putFloat(116, 1f);
        b.put(123, (byte) 2);
        b.putShort(254, (short) 1);
        float[] srow = {1.5f, 0, 0, -1, 0, 2, 0, -2, 0, 0, 3, -3};
        for (int i = 0; i < 12; i++) {
            b.putFloat(280 + 4 * i, srow[i]);
        }
        b.put(344, new byte[]{'n', '+', '1', 0});
        b.put(348, (byte) 1); // one extension, 24 bytes
        b.putInt(352, 24);
        b.putInt(356, 6);
        b.put(360, "big endian!".getBytes());
        for (int i = 0; i < 12; i++) {
            b.putShort(376 + 2 * i, (short) (i * 100 - 300));
        }
        return b.array();
    }

    @Test
    void bigEndianFilesAreReadAndWrittenBackLittleEndian() throws IOException {
        Path f = dir.resolve("be.nii");
        Files.write(f, bigEndianFile());
        NiftiImage img = Nifti.read(f);
        assertEquals(ByteOrder.BIG_ENDIAN, img.header().byteOrder);
        assertArrayEquals(new int[]{2, 3, 2}, img.dims());
        Volume v = img.toVolume();
        assertEquals(-300 * 2 + 1, v.get(0, 0, 0));
        assertEquals((11 * 100 - 300) * 2 + 1, v.get(1, 2, 1));
        assertEquals(1, img.header().extensions().size());
        assertEquals(6, img.header().extensions().get(0).code());
        assertTrue(new String(img.header().extensions().get(0).data()).startsWith("big endian!"));
        assertMatrix(new double[][]{{1.5, 0, 0, -1}, {0, 2, 0, -2}, {0, 0, 3, -3}, {0, 0, 0, 1}}, img.affine(), 0);
        Path le = dir.resolve("le.nii");
        Nifti.write(img, le);
        byte[] leBytes = Files.readAllBytes(le);
        assertEquals(348, ByteBuffer.wrap(leBytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        NiftiImage back = Nifti.read(le);
        assertEquals(ByteOrder.LITTLE_ENDIAN, back.header().byteOrder);
        assertEquals(24, ByteBuffer.wrap(leBytes).order(ByteOrder.LITTLE_ENDIAN).getInt(352), "extension size swapped");
        assertEquals(1, back.header().extensions().size());
        for (int i = 0; i < 12; i++) {
            assertEquals(img.rawValue(i), back.rawValue(i));
        }
        assertArrayEquals(Files.readAllBytes(f), bigEndianFile(), "input untouched");
    }

    @Test
    void bigEndianFilesOfEveryDatatypeAndBothVersionsReadAsTheirLittleEndianTwins() throws IOException {
        for (NiftiDatatype type : NiftiDatatype.values()) {
            for (int version = 1; version <= 2; version++) {
                NiftiHeader h = richHeader(version, type, 3, 2, 2);
                h.extensionBlock = new byte[4];
                h.voxOffset = NiftiHeader.headerSize(version) + 4;
                byte[] le = randomBytes(12 * type.bytes(), type.code() + version);
                byte[] be = le.clone();
                Nifti.swap(be, type.swapUnit());
                ByteArrayOutputStream f = new ByteArrayOutputStream();
                f.writeBytes(h.toBytes(ByteOrder.BIG_ENDIAN));
                f.writeBytes(h.extensionBlock);
                f.writeBytes(be);
                Path p = dir.resolve("be_" + type.label() + "_v" + version + ".nii");
                Files.write(p, f.toByteArray());
                NiftiImage img = Nifti.read(p);
                String what = type + " v" + version;
                assertEquals(ByteOrder.BIG_ENDIAN, img.header().byteOrder, what);
                assertArrayEquals(le, img.data(), what);
                h.byteOrder = ByteOrder.BIG_ENDIAN;
                assertArrayEquals(h.toBytes(), img.header().toBytes(), what);
                if (type != NiftiDatatype.RGB24) {
                    assertEquals(new NiftiImage(h, le).toVolume().get(2, 1, 1), img.toVolume().get(2, 1, 1), what);
                }
            }
        }
    }

    @Test
    void hdrImgPairIsRead() throws IOException {
        NiftiHeader h = richHeader(1, NiftiDatatype.INT16, 3, 2, 2);
        h.magic = new byte[]{'n', 'i', '1', 0};
        h.voxOffset = 0;
        h.extensionBlock = new byte[4];
        byte[] data = randomBytes(24, 5);
        Files.write(dir.resolve("pair.hdr"), h.toBytes());
        Files.write(dir.resolve("pair.img"), data);
        NiftiImage viaHdr = Nifti.read(dir.resolve("pair.hdr"));
        NiftiImage viaImg = Nifti.read(dir.resolve("pair.img"));
        assertArrayEquals(data, viaHdr.data());
        assertArrayEquals(data, viaImg.data());
        Path nii = dir.resolve("pair.nii");
        Nifti.write(viaHdr, nii);
        NiftiImage single = Nifti.read(nii);
        assertEquals('+', single.header().magic[1]);
        assertEquals(352, single.header().voxOffset);
        assertArrayEquals(data, single.data());
    }

    // ---------------------------------------------------------------- bad input

    private Path validFile(String name) {
        Path f = dir.resolve(name);
        NiftiHeader h = richHeader(1, NiftiDatatype.INT16, 4, 4, 4);
        h.extensionBlock = new byte[0];
        Nifti.write(new NiftiImage(h, randomBytes(128, 9)), f);
        return f;
    }

    private void assertBad(Path f, String... phrases) {
        DopajException e = assertThrows(DopajException.class, () -> Nifti.read(f));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), "names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String p : phrases) {
            assertTrue(m.contains(p), "'" + p + "' in: " + m);
        }
    }

    private Path patched(String name, int offset, ByteBuffer patch) throws IOException {
        Path f = validFile(name);
        byte[] b = Files.readAllBytes(f);
        byte[] p = patch.array();
        System.arraycopy(p, 0, b, offset, p.length);
        Files.write(f, b);
        return f;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void truncatedFileSaysHowLongItIs() throws IOException {
        Path f = validFile("trunc.nii");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, 400));
        assertBad(f, "ends after 400 bytes, header says 480");
        Files.write(f, Arrays.copyOf(b, 100));
        assertBad(f, "ends after 100 bytes", "header");
        // the same cut inside a .gz
        Path g = dir.resolve("trunc.nii.gz");
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bo)) {
            z.write(Arrays.copyOf(b, 400));
        }
        Files.write(g, bo.toByteArray());
        assertBad(g, "ends after 400 bytes, header says 480");
    }

    @Test
    void notNiftiAndWrongMagicAreNamed() throws IOException {
        Path t = dir.resolve("text.nii");
        Files.writeString(t, "this is not an image at all, just some text that is long enough");
        assertBad(t, "not a NIfTI file");
        Path e = dir.resolve("empty.nii");
        Files.write(e, new byte[0]);
        assertBad(e, "not a NIfTI file");
        assertBad(patched("magic.nii", 344, ByteBuffer.wrap(new byte[]{'x', 'y', 'z', 0})), "wrong NIfTI magic 'xyz'");
    }

    @Test
    void gzipErrorsAreNamed() throws IOException {
        Path good = dir.resolve("g.nii.gz");
        NiftiHeader h = richHeader(1, NiftiDatatype.FLOAT32, 16, 16, 16);
        Nifti.write(new NiftiImage(h, randomBytes(16 * 16 * 16 * 4, 3)), good);
        byte[] b = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.nii.gz");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        assertBad(cut, "gzip", "truncated");
        Path corrupt = dir.resolve("corrupt.nii.gz");
        byte[] c = b.clone();
        for (int i = b.length / 2; i < b.length / 2 + 64; i++) {
            c[i] ^= 0x5a;
        }
        Files.write(corrupt, c);
        assertBad(corrupt, "gzip");
        Path header = dir.resolve("hdronly.nii.gz");
        Files.write(header, new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        assertBad(header, "gzip");
    }

    @Test
    void badDimsAreRefused() throws IOException {
        assertBad(patched("zero.nii", 42, le(2).putShort(0, (short) 0)), "dim[1] = 0");
        assertBad(patched("neg.nii", 44, le(2).putShort(0, (short) -4)), "dim[2] = -4");
        assertBad(patched("ndim.nii", 40, le(2).putShort(0, (short) 9)), "dim[0] = 9");
        // NIfTI-2 dims whose product overflows 64 bits
        NiftiHeader h = richHeader(2, NiftiDatatype.UINT8, 1, 1, 1);
        h.extensionBlock = new byte[0];
        Path f = dir.resolve("overflow.nii");
        Nifti.write(new NiftiImage(h, new byte[1]), f);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(16 + 8, 1L << 40).putLong(16 + 16, 1L << 40);
        Files.write(f, b);
        assertBad(f, "overflow");
    }

    @Test
    void datatypeBitpixAndVoxOffsetAreChecked() throws IOException {
        assertBad(patched("complex.nii", 70, le(4).putShort(0, (short) 32).putShort(2, (short) 64)), "unsupported NIfTI datatype 32", "complex64");
        assertBad(patched("bitpix.nii", 72, le(2).putShort(0, (short) 8)), "bitpix 8 does not match datatype 4");
        assertBad(patched("voxoff.nii", 108, le(4).putFloat(0, 100000f)), "vox_offset 100000 is beyond the end of the file");
        assertBad(patched("voxin.nii", 108, le(4).putFloat(0, 100f)), "vox_offset 100 lies inside");
    }

    @Test
    void directoryAndMissingFileAreNamed() {
        assertBad(dir, "is a directory");
        assertBad(dir.resolve("nope.nii.gz"), "not found");
    }

    @Test
    void nifti1CannotHoldHugeDimsAndSaysSo() {
        NiftiHeader h = richHeader(1, NiftiDatatype.UINT8, 40000, 1, 1);
        Path f = dir.resolve("wide.nii");
        DopajException e = assertThrows(DopajException.class, () -> Nifti.write(new NiftiImage(h, new byte[40000]), f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("NIfTI-2"), e.getMessage());
        assertFalse(Files.exists(f));
        Nifti.write(new NiftiImage(h, new byte[40000]).withVersion(2), f);
        assertArrayEquals(new int[]{40000, 1, 1}, Nifti.read(f).dims());
    }

    @Test
    void invalidInputLeavesNoOutputAndInputUntouched() throws IOException {
        Path f = validFile("src.nii");
        byte[] before = Files.readAllBytes(f);
        Nifti.read(f);
        assertArrayEquals(before, Files.readAllBytes(f));
        DopajException e = assertThrows(DopajException.class, () -> Nifti.write(Nifti.read(f), dir.resolve("out.txt")));
        assertTrue(e.getMessage().contains(".nii"));
        assertFalse(Files.exists(dir.resolve("out.txt")));
    }

    @Test
    void writeLikeKeepsTheOriginalDatatypeAndScalingWhenExactElseFloat32() {
        Grid g = Grid.of(6, 5, 4, 1, 1, 1);
        Volume v = Volume.allocate(g);
        for (int z = 0; z < 4; z++) {
            for (int i = 0; i < 30; i++) {
                v.plane(z)[i] = 2.5f * ((i + z) % 7) + 10; // int16 stored values 0..6 with slope 2.5, intercept 10
            }
        }
        Path orig = dir.resolve("orig.nii.gz");
        // stored = (v - 10) / 2.5
        Volume stored = v.copy();
        for (float[] p : stored.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (p[i] - 10) / 2.5f;
            }
        }
        NiftiImage o = NiftiImage.fromVolume(stored, null, NiftiDatatype.INT16);
        o.header().sclSlope = 2.5;
        o.header().sclInter = 10;
        Nifti.write(o, orig);
        NiftiImage back = Nifti.read(orig);
        Volume masked = Nifti.readVolume(orig);
        masked.plane(0)[3] = 10; // a "masked" voxel: stored 0, exact
        Path same = dir.resolve("same.nii.gz");
        Nifti.writeLike(masked, same, back.header());
        assertEquals("int16", Nifti.read(same).datatypeName());
        assertArrayEquals(masked.plane(0), Nifti.readVolume(same).plane(0));
        masked.plane(1)[2] = 10.3f; // not representable with slope 2.5: float32, value kept
        Path flt = dir.resolve("float.nii.gz");
        Nifti.writeLike(masked, flt, back.header());
        assertEquals("float32", Nifti.read(flt).datatypeName());
        assertEquals(10.3f, Nifti.readVolume(flt).plane(1)[2]);
        Nifti.writeLike(masked, dir.resolve("none.nii"), null);
        assertEquals("float32", Nifti.read(dir.resolve("none.nii")).datatypeName());
    }
}
