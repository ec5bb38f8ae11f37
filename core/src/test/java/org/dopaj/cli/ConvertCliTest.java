package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.io.NiftiImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj convert}: bit-exact NIfTI↔NIfTI, datatype changes, non-finite refusal, TIFF round trip. */
class ConvertCliTest {
    @TempDir
    Path dir;

    /** A header with scaling, text fields and one extension, so that a lost field shows in the bytes. */
    private static NiftiHeader rich(NiftiDatatype type) {
        NiftiHeader h = CliRun.header(type, new double[][]{{-1.5, 0.1, 0, 90.5}, {0, 2.5, 0.2, -126.25}, {0.05, 0, 3.25, -72}, {0, 0, 0, 1}},
                5, 4, 3);
        h.sclSlope = 0.5;
        h.sclInter = -3;
        h.calMax = 99.5;
        h.intentCode = 1002;
        h.toffset = 7.5;
        h.setDescrip("convert test");
        ByteBuffer ext = ByteBuffer.allocate(4 + 32).order(ByteOrder.LITTLE_ENDIAN);
        ext.put(0, (byte) 1);
        ext.putInt(4, 32);
        ext.putInt(8, 6);
        ext.put(12, "hello extension".getBytes());
        h.extensionBlock = ext.array();
        return h;
    }

    @Test
    void niftiGzToNiiToGzIsBitExactForEveryDatatype() throws IOException {
        for (NiftiDatatype type : NiftiDatatype.values()) {
            Path gz = CliRun.write(dir.resolve(type.label() + ".nii.gz"), rich(type), CliRun.voxels(type, 60, type.code()));
            Path nii = dir.resolve(type.label() + "_a.nii");
            Path gz2 = dir.resolve(type.label() + "_b.nii.gz");
            JsonObject j = CliRun.of("convert", gz, nii, "--json").json();
            assertEquals(type.label(), j.get("datatype").getAsString());
            assertEquals(nii.toString(), j.get("output").getAsString());
            assertEquals("[5,4,3]", j.get("dims").toString());
            assertEquals(0, CliRun.of("convert", nii, gz2).code());
            byte[] original = CliRun.uncompressed(gz);
            assertArrayEquals(original, Files.readAllBytes(nii), type + ": .nii.gz → .nii");
            assertArrayEquals(original, CliRun.uncompressed(gz2), type + ": .nii → .nii.gz");
            assertTrue(Files.readAllBytes(gz2).length > 2 && (Files.readAllBytes(gz2)[0] & 0xff) == 0x1f, "gzip by name");
        }
    }

    @Test
    void versionIsKeptUnlessAskedAndDataStayIdentical() throws IOException {
        Path v1 = CliRun.write(dir.resolve("v1.nii"), rich(NiftiDatatype.INT16), CliRun.voxels(NiftiDatatype.INT16, 60, 3));
        Path v2 = dir.resolve("v2.nii.gz");
        assertEquals("nifti2", CliRun.of("convert", v1, v2, "--nifti2", "--json").json().get("format").getAsString());
        NiftiImage a = Nifti.read(v1);
        NiftiImage b = Nifti.read(v2);
        assertEquals(2, b.header().version);
        assertArrayEquals(a.data(), b.data());
        assertEquals(a.header().sclSlope, b.header().sclSlope);
        // a NIfTI-2 input stays NIfTI-2 (bit-exact), --nifti1 takes it back to the very first bytes
        Path v2b = dir.resolve("v2b.nii");
        assertEquals("nifti2", CliRun.of("convert", v2, v2b, "--json").json().get("format").getAsString());
        assertArrayEquals(CliRun.uncompressed(v2), Files.readAllBytes(v2b));
        Path back = dir.resolve("back.nii");
        CliRun.of("convert", v2, back, "--nifti1", "--json").json();
        assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(back));
    }

    @Test
    void datatypeChangeKeepsScaledValues() {
        Path in = CliRun.write(dir.resolve("s.nii.gz"), rich(NiftiDatatype.INT16), CliRun.voxels(NiftiDatatype.INT16, 60, 4));
        Path out = dir.resolve("f.nii");
        assertEquals("float32", CliRun.of("convert", in, out, "--datatype", "float32", "--json").json().get("datatype").getAsString());
        Volume a = Nifti.readVolume(in);
        NiftiImage b = Nifti.read(out);
        assertEquals(NiftiDatatype.FLOAT32, b.datatype());
        assertArrayEquals(a.toArray(), b.toVolume().toArray(), 0f);
        assertArrayEquals(Nifti.read(in).affine()[0], b.affine()[0], 1e-6);
        assertEquals("convert test", b.header().descrip(), "header fields kept from the input");
    }

    @Test
    void nonFiniteVoxelsStayInFloatOutputsAndAreRefusedForIntegers() throws IOException {
        NiftiHeader h = CliRun.header(NiftiDatatype.FLOAT32, CliRun.diag(1, 1, 1, 0, 0, 0), 4, 3, 2);
        byte[] data = CliRun.voxels(NiftiDatatype.FLOAT32, 24, 5);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * (1 + 4 * 2 + 12 * 1), Float.NaN);
        Path in = CliRun.write(dir.resolve("nan.nii"), h, data);
        Path f64 = dir.resolve("nan64.nii");
        CliRun.of("convert", in, f64, "--datatype", "float64", "--json").json();
        assertTrue(Double.isNaN(Nifti.read(f64).rawValue(1 + 4 * 2 + 12)));
        Path i16 = dir.resolve("nan16.nii");
        String msg = CliRun.of("convert", in, i16, "--datatype", "int16").failure(in.toString(), "NaN at voxel (1,2,1)", "int16");
        assertFalse(Files.exists(i16), msg);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> parts = s.filter(p -> p.getFileName().toString().endsWith(".part")).collect(Collectors.toList());
            assertEquals(List.of(), parts, "no temporary file left behind");
        }
    }

    @Test
    void tiffOutAndBack() {
        NiftiHeader h = CliRun.header(NiftiDatatype.INT16, CliRun.diag(-2, 2, 3, 90, -126, -72), 6, 5, 4);
        Path in = CliRun.write(dir.resolve("t.nii.gz"), h, CliRun.voxels(NiftiDatatype.INT16, 120, 6));
        Path tif = dir.resolve("t.tif");
        JsonObject j = CliRun.of("convert", in, tif, "--json").json();
        assertEquals("tiff", j.get("format").getAsString());
        Path back = dir.resolve("back.nii.gz");
        JsonObject k = CliRun.of("convert", tif, back, "--json").json();
        assertEquals("float32", k.get("datatype").getAsString(), "DopaJ TIFFs are 32-bit float");
        Volume a = Nifti.readVolume(in);
        Volume b = Nifti.readVolume(back);
        assertArrayEquals(a.toArray(), b.toArray(), 0f);
        Grid ga = a.grid();
        Grid gb = b.grid();
        assertTrue(ga.sameAs(gb, 1e-6), ga + " vs " + gb);
        assertEquals("LAS", gb.orientation());
        // --datatype int16 from the float TIFF gives back the original stored values
        Path i16 = dir.resolve("i16.nii");
        CliRun.of("convert", tif, i16, "--datatype", "int16", "--json").json();
        assertArrayEquals(Nifti.read(in).data(), Nifti.read(i16).data());
        CliRun.of("convert", in, dir.resolve("x.tif"), "--datatype", "int16").failure("x.tif", "TIFF");
        assertEquals(ImageFiles.load(tif).format(), "tiff");
    }

    @Test
    void analyzeStylePairBecomesOneFileWithTheSameHeaderAndVoxels() throws IOException {
        Path single = CliRun.write(dir.resolve("single.nii"), CliRun.header(NiftiDatatype.INT16, CliRun.diag(-2, 2, 2, 90, -126, -72), 4, 3, 2),
                CliRun.voxels(NiftiDatatype.INT16, 24, 8));
        byte[] b = Files.readAllBytes(single);
        byte[] hdr = java.util.Arrays.copyOf(b, 352);
        ByteBuffer hb = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);
        hb.putFloat(108, 0f); // vox_offset 0 in the .img
        hdr[345] = 'i'; // magic "ni1": a pair
        Files.write(dir.resolve("pair.hdr"), hdr);
        Files.write(dir.resolve("pair.img"), java.util.Arrays.copyOfRange(b, 352, b.length));
        JsonObject info = CliRun.of("info", dir.resolve("pair.hdr"), "--json").json();
        assertEquals("LAS", info.get("orientation").getAsString());
        Path out = dir.resolve("from_pair.nii");
        CliRun.of("convert", dir.resolve("pair.img"), out, "--json").json();
        assertArrayEquals(b, Files.readAllBytes(out), "single-file magic and vox_offset 352 restored, all else equal");
        Files.delete(dir.resolve("pair.img"));
        CliRun.of("info", dir.resolve("pair.hdr")).failure("pair.hdr", "no .img data file");
    }

    @Test
    void sharedFilesConvertBitExact() throws IOException {
        Path data = Path.of(System.getProperty("dopaj.shared", "../shared"), "data");
        Assumptions.assumeTrue(Files.isDirectory(data), "../shared/data absent: skipping convert on the shared files");
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".nii") || p.toString().endsWith(".nii.gz")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty());
        int i = 0;
        for (Path f : files) {
            boolean gz = f.toString().endsWith(".gz");
            Path out = dir.resolve("shared" + (i++) + (gz ? ".nii" : ".nii.gz"));
            CliRun.of("convert", f, out, "--json").json();
            NiftiImage a = Nifti.read(f);
            byte[] original = CliRun.uncompressed(f);
            if (a.header().byteOrder == ByteOrder.LITTLE_ENDIAN) {
                assertArrayEquals(original, CliRun.uncompressed(out), f.toString());
            } else {
                NiftiImage b = Nifti.read(out);
                assertArrayEquals(a.data(), b.data(), f.toString());
            }
            Files.delete(out);
        }
    }
}
