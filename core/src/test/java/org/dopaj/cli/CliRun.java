package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.io.NiftiImage;

/** Runs {@link Main#run} in-process and captures stdout/stderr; builds small NIfTI files for the CLI tests. */
record CliRun(int code, String out, String err) {

    static CliRun of(Object... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] a = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = Main.run(List.of(a), po, pe);
        }
        return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Asserts exit 0 and nothing on stderr. */
    CliRun ok() {
        assertEquals(0, code, "exit code; stderr: " + err);
        assertEquals("", err, "stderr");
        return this;
    }

    /** Asserts exit 0 and exactly one JSON object on stdout, and returns it. */
    JsonObject json() {
        assertEquals(0, code, "exit code; stderr: " + err);
        String[] lines = out.strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stdout: " + out);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    /** Asserts exit 2, nothing on stdout, and exactly one stderr line containing every fragment; returns it. */
    String failure(String... fragments) {
        assertEquals(2, code, "exit code; stdout: " + out + " stderr: " + err);
        assertEquals("", out, "nothing on stdout on failure");
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + err);
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), "stderr '" + lines[0] + "' should contain '" + f + "'");
        }
        return lines[0];
    }

    /** A header for {@code dims} in {@code type} with the given affine as sform and qform (code 2). */
    static NiftiHeader header(NiftiDatatype type, double[][] affine, long... dims) {
        NiftiHeader h = new NiftiHeader();
        Arrays.fill(h.dim, 1);
        h.dim[0] = dims.length;
        for (int i = 0; i < dims.length; i++) {
            h.dim[i + 1] = dims[i];
        }
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        h.setSform(affine, NiftiHeader.XFORM_ALIGNED);
        h.setQform(affine, NiftiHeader.XFORM_SCANNER);
        h.extensionBlock = new byte[0];
        return h;
    }

    /** Random voxel bytes, with float types kept finite (random bits would make NaNs). */
    static byte[] voxels(NiftiDatatype type, int n, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(n * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (type == NiftiDatatype.FLOAT32) {
                b.putFloat((float) (r.nextGaussian() * 100));
            } else if (type == NiftiDatatype.FLOAT64) {
                b.putDouble(r.nextGaussian() * 100);
            } else {
                byte[] x = new byte[type.bytes()];
                r.nextBytes(x);
                b.put(x);
            }
        }
        return b.array();
    }

    static Path write(Path file, NiftiHeader h, byte[] data) {
        Nifti.write(new NiftiImage(h, data), file);
        return file;
    }

    static double[][] diag(double x, double y, double z, double ox, double oy, double oz) {
        return new double[][]{{x, 0, 0, ox}, {0, y, 0, oy}, {0, 0, z, oz}, {0, 0, 0, 1}};
    }

    /** The file's bytes, gunzipped when it is gzip. */
    static byte[] uncompressed(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                return in.readAllBytes();
            }
        }
        return b;
    }
}
