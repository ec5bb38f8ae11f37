package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterfileTest {
    @TempDir
    Path dir;

    private static final int NX = 7;
    private static final int NY = 6;
    private static final int NZ = 5;

    /** A distinct stored value per voxel: 100·z + 10·y + x (fits int16/uint16). */
    private static int value(int x, int y, int z) {
        return 100 * z + 10 * y + x;
    }

    /** The raw voxels of a 7×6×5 volume, x fastest, in {@code order}, encoded as {@code type}. */
    private static byte[] voxels(String type, ByteOrder order) {
        int bpp = type.equals("float64") ? 8 : type.endsWith("32") ? 4 : type.endsWith("16") ? 2 : 1;
        ByteBuffer b = ByteBuffer.allocate(NX * NY * NZ * bpp).order(order);
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    int v = value(x, y, z);
                    switch (type) {
                        case "uint16": b.putShort((short) (v + 40000)); break; // above 32767: must read unsigned
                        case "int16": b.putShort((short) (-v)); break;
                        case "float32": b.putFloat(v + 0.25f); break;
                        case "float64": b.putDouble(v + 0.125); break;
                        case "uint8": b.put((byte) (v % 256)); break;
                        default: throw new IllegalArgumentException(type);
                    }
                }
            }
        }
        return b.array();
    }

    /** A 3.3-style header of a reconstructed SPECT volume; {@code extra} lines are added before the end. */
    private static String header(String dataFile, String format, int bpp, String order, String... extra) {
        StringBuilder s = new StringBuilder();
        s.append("!INTERFILE :=\r\n");
        s.append("!imaging modality := nucmed\r\n");
        s.append("!version of keys := 3.3\r\n");
        s.append("!GENERAL DATA :=\r\n");
        s.append("!data offset in bytes := 0\r\n");
        s.append("!name of data file := ").append(dataFile).append("   ; relative to this header\r\n");
        s.append("patient name := Doe^Jane\r\n");
        s.append("!GENERAL IMAGE DATA :=\r\n");
        s.append("!type of data := Tomographic\r\n");
        s.append("!total number of images := ").append(NZ).append("\r\n");
        if (order != null) {
            s.append("imagedata byte order := ").append(order).append("\r\n");
        }
        s.append("!SPECT STUDY (general) :=\r\n");
        s.append("number of detector heads := 1\r\n");
        s.append("!number of images/energy window := ").append(NZ).append("\r\n");
        s.append("!process status := Reconstructed\r\n");
        s.append("!matrix size [1] := ").append(NX).append("\r\n");
        s.append("!MATRIX SIZE [2]:=").append(NY).append("\r\n");
        s.append("!number format := ").append(format).append("\r\n");
        s.append("!number of bytes per pixel := ").append(bpp).append("\r\n");
        s.append("scaling factor (mm/pixel) [1] := 3.3\r\n");
        s.append("scaling factor (mm/pixel) [2] := 3.3\r\n");
        s.append("!number of projections := 120\r\n");
        s.append("!SPECT STUDY (reconstructed data) :=\r\n");
        s.append("method of reconstruction := OSEM\r\n");
        s.append("!number of slices := ").append(NZ).append("\r\n");
        s.append("slice thickness (pixels) := 1.5\r\n");
        for (String e : extra) {
            s.append(e).append("\r\n");
        }
        s.append("!END OF INTERFILE :=\r\n");
        return s.toString();
    }

    private Path write(String name, String header, String dataName, byte[] data) throws IOException {
        Path h = dir.resolve(name);
        Files.write(h, header.getBytes(StandardCharsets.ISO_8859_1));
        if (data != null) {
            Files.write(dir.resolve(dataName), data);
        }
        return h;
    }

    private static void assertVoxels(Volume v, java.util.function.IntUnaryOperator expectedOfValue, double tol) {
        for (int[] p : new int[][]{{0, 0, 0}, {6, 0, 0}, {0, 5, 0}, {0, 0, 4}, {6, 5, 4}, {3, 2, 1}, {1, 4, 3}}) {
            int raw = value(p[0], p[1], p[2]);
            assertEquals(expectedOfValue.applyAsInt(raw), v.get(p[0], p[1], p[2]), tol, Arrays.toString(p));
        }
    }

    @Test
    void readsBigEndianUint16ByDefault() throws IOException {
        Path h = write("spect.hdr", header("spect.img", "unsigned integer", 2, null), "spect.img", voxels("uint16", ByteOrder.BIG_ENDIAN));
        LoadedImage li = Interfile.load(h);
        Volume v = li.volume();
        assertEquals("interfile", li.format());
        assertEquals("uint16", li.datatype());
        assertTrue(li.calibrated());
        assertNull(li.nifti());
        assertArrayEquals(new int[]{NX, NY, NZ}, v.grid().dims());
        assertFalse(v.is4D());
        assertVoxels(v, r -> r + 40000, 0);
        // 3.3 mm in plane; slice thickness 1.5 pixels × 3.3 mm
        assertArrayEquals(new double[]{3.3, 3.3, 4.95}, v.grid().voxelMm(), 1e-9);
        assertTrue(li.warning().startsWith("Interfile has no orientation matrix: transverse slices"), li.warning());
        assertTrue(li.warning().contains("centred"), li.warning());
    }

    @Test
    void littleEndianDataWithoutAByteOrderKeyIsRecognised() throws IOException {
        Path h = write("le.hdr", header("le.img", "unsigned integer", 2, null), "le.img", voxels("uint16", ByteOrder.LITTLE_ENDIAN));
        LoadedImage li = Interfile.load(h);
        assertVoxels(li.volume(), r -> r + 40000, 0);
        assertTrue(li.warning().contains("no 'imagedata byte order' key: read little-endian"), li.warning());
        Path f = write("lef.hdr", header("lef.img", "short float", 4, null), "lef.img", voxels("float32", ByteOrder.LITTLE_ENDIAN));
        assertEquals(value(3, 2, 1) + 0.25f, Interfile.load(f).volume().get(3, 2, 1), 0);
        // a stated byte order is obeyed, and big-endian data without the key stay big-endian (no warning)
        assertFalse(Interfile.load(write("be.hdr", header("be.img", "short float", 4, null), "be.img",
                voxels("float32", ByteOrder.BIG_ENDIAN))).warning().contains("byte order"));
    }

    @Test
    void geometryIsTransverseLpsCentred() throws IOException {
        Path h = write("g.h33", header("g.i33", "unsigned integer", 2, "BIGENDIAN"), "g.i33", voxels("uint16", ByteOrder.BIG_ENDIAN));
        Grid g = Interfile.load(h).volume().grid();
        assertEquals("LPS", g.orientation());
        double[] centre = g.toMm((NX - 1) / 2.0, (NY - 1) / 2.0, (NZ - 1) / 2.0);
        assertArrayEquals(new double[]{0, 0, 0}, Arrays.copyOf(centre, 3), 1e-9);
        // +i goes to the patient's left (RAS x decreases), +j posterior, +k superior
        double[] o = g.toMm(0, 0, 0);
        double[] step = g.toMm(1, 1, 1);
        assertEquals(-3.3, step[0] - o[0], 1e-9);
        assertEquals(-3.3, step[1] - o[1], 1e-9);
        assertEquals(4.95, step[2] - o[2], 1e-9);
    }

    @Test
    void readsLittleEndianInt16WithRescale() throws IOException {
        Path h = write("s.hdr", header("data/s.img", "signed integer", 2, "LITTLEENDIAN",
                "data rescale slope := 0.5", "data rescale offset := 10"), "ignored", null);
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/s.img"), voxels("int16", ByteOrder.LITTLE_ENDIAN));
        LoadedImage li = Interfile.load(h);
        assertEquals("int16", li.datatype());
        for (int[] p : new int[][]{{0, 0, 0}, {6, 5, 4}, {3, 2, 1}}) {
            assertEquals(-value(p[0], p[1], p[2]) * 0.5 + 10, li.volume().get(p[0], p[1], p[2]), 0, Arrays.toString(p));
        }
    }

    @Test
    void readsFloat32AndFloat64WithOffsetAndCaseInsensitiveKeys() throws IOException {
        byte[] body = voxels("float32", ByteOrder.LITTLE_ENDIAN);
        byte[] withGap = new byte[4096 + body.length];
        System.arraycopy(body, 0, withGap, 4096, body.length);
        String hdr = header("F.I33", "short float", 4, "littleendian", "%Data_Starting_Block := 2",
                "scaling factor (mm/pixel) [3] := 2.5")
                .replace("!data offset in bytes := 0\r\n", "");
        Path h = write("f.h33", hdr, "F.I33", withGap);
        LoadedImage li = Interfile.load(h);
        assertEquals("float32", li.datatype());
        assertVoxels(li.volume(), r -> r, 0.25 + 1e-6);
        assertEquals(value(3, 2, 1) + 0.25f, li.volume().get(3, 2, 1), 0);
        assertEquals(2.5, li.volume().grid().voxelMm()[2], 1e-12);

        Path d = write("d.hdr", header("d.img", "long float", 8, "BIGENDIAN"), "d.img", voxels("float64", ByteOrder.BIG_ENDIAN));
        LoadedImage ld = Interfile.load(d);
        assertEquals("float64", ld.datatype());
        assertEquals(value(6, 5, 4) + 0.125f, ld.volume().get(6, 5, 4), 0);
    }

    @Test
    void imageFilesDispatchesOnContentNotExtension() throws IOException {
        Path h = write("vol.hdr", header("vol.img", "unsigned integer", 1, null), "vol.img", voxels("uint8", ByteOrder.BIG_ENDIAN));
        LoadedImage li = ImageFiles.load(h);
        assertEquals("interfile", li.format());
        assertEquals("uint8", li.datatype());
        assertEquals(value(6, 5, 2) % 256, li.volume().get(6, 5, 2), 0);
        // the data file given instead of the header is read through the header beside it
        assertEquals("interfile", ImageFiles.load(dir.resolve("vol.img")).format());
        assertTrue(Interfile.isInterfile(h));
        assertTrue(Interfile.isInterfile(dir.resolve("vol.img")));
        assertEquals(h, Interfile.headerBeside(dir.resolve("vol.img")));
    }

    @Test
    void niftiPairNamedHdrStillReadsAsNifti() throws IOException {
        NiftiHeader nh = NiftiTest.richHeader(1, NiftiDatatype.INT16, 3, 2, 2);
        nh.magic = new byte[]{'n', 'i', '1', 0};
        nh.voxOffset = 0;
        nh.extensionBlock = new byte[4];
        Files.write(dir.resolve("pair.hdr"), nh.toBytes());
        Files.write(dir.resolve("pair.img"), new byte[24]);
        assertEquals("nifti1", ImageFiles.load(dir.resolve("pair.hdr")).format());
        assertEquals("nifti1", ImageFiles.load(dir.resolve("pair.img")).format());
        assertFalse(Interfile.isInterfile(dir.resolve("pair.hdr")));
        assertFalse(Interfile.isInterfile(dir.resolve("pair.img")));
        assertFalse(Interfile.isInterfile(dir.resolve("absent.hdr")));
    }

    @Test
    void magicIsTheFirstKeyLine() {
        assertTrue(Interfile.hasMagic("!INTERFILE :=\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(Interfile.hasMagic("\uFEFF!interfile:=\r\n".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Interfile.hasMagic("!INTERFILES :=".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Interfile.hasMagic("patient name := x\n!INTERFILE :=".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Interfile.hasMagic(new byte[]{0x5c, 1, 0, 0}));
    }

    // ---------------------------------------------------------------- refusals, each one line naming the problem

    private DopajException refused(Path h) {
        DopajException e = assertThrows(DopajException.class, () -> ImageFiles.load(h));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(h.toString()), e.getMessage());
        return e;
    }

    @Test
    void truncatedDataFileIsRefused() throws IOException {
        byte[] full = voxels("uint16", ByteOrder.BIG_ENDIAN);
        Path h = write("t.hdr", header("t.img", "unsigned integer", 2, null), "t.img", Arrays.copyOf(full, full.length - 10));
        String m = refused(h).getMessage();
        assertTrue(m.contains("ends after " + (full.length - 10) + " bytes") && m.contains("says " + full.length), m);
    }

    @Test
    void missingDataFileIsRefused() throws IOException {
        Path h = write("m.hdr", header("nothere.img", "unsigned integer", 2, null), "x", null);
        String m = refused(h).getMessage();
        assertTrue(m.contains("data file 'nothere.img' not found"), m);
        Path abs = write("a.hdr", header("C:\\Hermes\\export\\gone.i33", "unsigned integer", 2, null), "x", null);
        String ma = refused(abs).getMessage();
        assertTrue(ma.contains("gone.i33' not found") && ma.contains(dir.resolve("gone.i33").toString()), ma);
    }

    @Test
    void absoluteWorkstationPathFallsBackToTheHeaderFolder() throws IOException {
        Path h = write("w.hdr", header("C:\\Hermes\\export\\w.i33", "unsigned integer", 2, null), "w.i33",
                voxels("uint16", ByteOrder.BIG_ENDIAN));
        assertEquals(value(3, 2, 1) + 40000, Interfile.load(h).volume().get(3, 2, 1), 0);
    }

    @Test
    void fourDimensionalHeadersAreRefused() throws IOException {
        byte[] data = voxels("uint16", ByteOrder.BIG_ENDIAN);
        String m = refused(write("d4.hdr", header("d4.img", "unsigned integer", 2, null, "!number of time frames := 3"), "d4.img", data))
                .getMessage();
        assertTrue(m.contains("has 3 time frames: DopaJ reads one 3D volume; choose one"), m);
        String w = refused(write("w2.hdr", header("w2.img", "unsigned integer", 2, null, "number of energy windows := 2"), "w2.img", data))
                .getMessage();
        assertTrue(w.contains("has 2 energy windows"), w);
        String g = refused(write("g.hdr", header("g.img", "unsigned integer", 2, null).replace("!type of data := Tomographic",
                "!type of data := Gated"), "g.img", data)).getMessage();
        assertTrue(g.contains("type of data is 'Gated'"), g);
        String t = refused(write("t2.hdr", header("t2.img", "unsigned integer", 2, null).replace("!total number of images := " + NZ,
                "!total number of images := " + 2 * NZ), "t2.img", data)).getMessage();
        assertTrue(t.contains("holds 10 images but 5 slices"), t);
    }

    @Test
    void projectionSetIsRefused() throws IOException {
        String hdr = header("p.img", "unsigned integer", 2, null)
                .replace("!process status := Reconstructed", "!process status := Acquired")
                .replace("!SPECT STUDY (reconstructed data) :=\r\n", "")
                .replace("method of reconstruction := OSEM\r\n", "")
                .replace("!number of slices := " + NZ + "\r\n", "");
        String m = refused(write("p.hdr", hdr, "p.img", voxels("uint16", ByteOrder.BIG_ENDIAN))).getMessage();
        assertTrue(m.contains("is a projection set (120 projections), not a reconstructed volume"), m);
    }

    @Test
    void unsupportedPixelsAndAbsurdSizesAreRefused() throws IOException {
        byte[] data = voxels("uint16", ByteOrder.BIG_ENDIAN);
        String b = refused(write("b.hdr", header("b.img", "bit", 1, null), "b.img", data)).getMessage();
        assertTrue(b.contains("unsupported Interfile pixels: number format 'bit'"), b);
        String b3 = refused(write("b3.hdr", header("b3.img", "unsigned integer", 3, null), "b3.img", data)).getMessage();
        assertTrue(b3.contains("with 3 bytes per pixel"), b3);
        String z = refused(write("z.hdr", header("z.img", "unsigned integer", 2, null).replace("!matrix size [1] := " + NX,
                "!matrix size [1] := 0"), "z.img", data)).getMessage();
        assertTrue(z.contains("'matrix size [1]' is 0"), z);
        String px = refused(write("px.hdr", header("px.img", "unsigned integer", 2, null).replace("scaling factor (mm/pixel) [1] := 3.3",
                "scaling factor (mm/pixel) [1] := -2"), "px.img", data)).getMessage();
        assertTrue(px.contains("'scaling factor (mm/pixel) [1]' is -2"), px);
        String bo = refused(write("bo.hdr", header("bo.img", "unsigned integer", 2, "MIDDLEENDIAN"), "bo.img", data)).getMessage();
        assertTrue(bo.contains("unknown 'imagedata byte order'"), bo);
    }

    @Test
    void notAnInterfileHeaderWhenTheFirstLineIsNotTheKey() throws IOException {
        Path h = write("x.h33", "patient name := x\r\n!INTERFILE :=\r\n", "x", null);
        DopajException e = assertThrows(DopajException.class, () -> Interfile.load(h));
        assertTrue(e.getMessage().contains("not an Interfile header"), e.getMessage());
    }
}
