package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gives exit code 2, nothing on stdout and exactly one line on stderr naming the file (or the
 * option) and the problem, for {@code info} and {@code convert}; and no output file appears.
 */
class BadInputTest {
    @TempDir
    Path dir;
    Path good;
    Path goodGz;

    @BeforeEach
    void files() {
        NiftiHeader h = CliRun.header(NiftiDatatype.INT16, CliRun.diag(2, 2, 2, 0, 0, 0), 20, 20, 20);
        good = CliRun.write(dir.resolve("good.nii"), h, CliRun.voxels(NiftiDatatype.INT16, 8000, 1));
        goodGz = CliRun.write(dir.resolve("good.nii.gz"), h, CliRun.voxels(NiftiDatatype.INT16, 8000, 1));
    }

    /** info and convert on {@code bad} both fail naming it and {@code problem}; convert writes nothing. */
    private void bothRefuse(Path bad, String problem) {
        CliRun.of("info", bad, "--json").failure("dopaj info: ", bad.toString(), problem);
        CliRun.of("info", bad).failure(bad.toString(), problem);
        Path out = dir.resolve("out_" + bad.getFileName() + ".nii");
        CliRun.of("convert", bad, out).failure("dopaj convert: ", bad.toString(), problem);
        assertFalse(Files.exists(out));
    }

    private Path cut(Path src, String name, int keep) throws IOException {
        byte[] b = Files.readAllBytes(src);
        return Files.write(dir.resolve(name), Arrays.copyOf(b, keep));
    }

    @Test
    void truncatedFiles() throws IOException {
        bothRefuse(cut(good, "trunc.nii", 352 + 1000), "ends after 1352 bytes");
        bothRefuse(cut(good, "header_only_part.nii", 200), "inside the 348-byte NIfTI header");
        long gzSize = Files.size(goodGz);
        bothRefuse(cut(goodGz, "trunc.nii.gz", (int) (gzSize / 2)), "truncated");
    }

    @Test
    void wrongMagicAndCorruptGzip() throws IOException {
        byte[] b = Files.readAllBytes(good);
        b[344] = 'x';
        bothRefuse(Files.write(dir.resolve("magic.nii"), b), "wrong NIfTI magic");
        byte[] g = Files.readAllBytes(goodGz);
        for (int i = g.length / 3; i < g.length / 3 + 64; i++) {
            g[i] ^= 0x5a;
        }
        bothRefuse(Files.write(dir.resolve("corrupt.nii.gz"), g), "gzip");
        bothRefuse(Files.write(dir.resolve("text.nii"), "hello, not an image at all\n".getBytes()), "not a NIfTI file");
    }

    @Test
    void missingFileAndFolder() throws IOException {
        bothRefuse(dir.resolve("nothere.nii.gz"), "file not found");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        bothRefuse(folder, "folder without DICOM files");
    }

    @Test
    void unsupportedDatatype() throws IOException {
        byte[] b = Files.readAllBytes(good);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putShort(70, (short) 32); // complex64
        bb.putShort(72, (short) 64);
        bothRefuse(Files.write(dir.resolve("complex.nii"), b), "unsupported NIfTI datatype 32 (complex64)");
    }

    @Test
    void outputProblems() throws IOException {
        Path out = dir.resolve("exists.nii");
        Files.write(out, new byte[]{1, 2, 3});
        CliRun.of("convert", good, out).failure(out.toString(), "exists", "--force");
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(out), "an existing output is left alone");
        CliRun.of("convert", good, out, "--force", "--json").json();
        assertArrayEquals(Files.readAllBytes(good), Files.readAllBytes(out));

        CliRun.of("convert", good, good, "--force").failure(good.toString(), "output is the input");
        CliRun.of("convert", good, dir.resolve("sub/../good.nii"), "--force").failure("output is the input");
        CliRun.of("convert", good, dir.resolve("x.png")).failure("x.png", ".nii, .nii.gz, .tif or .tiff");
        CliRun.of("convert", good, dir.resolve("nofolder/x.nii")).failure("x.nii", "does not exist");
        CliRun.of("convert", good, dir).failure(dir.toString(), "is a directory");
        Path d = Files.createDirectory(dir.resolve("d.nii"));
        CliRun.of("convert", good, d, "--force").failure(d.toString(), "is a directory");
        CliRun.of("convert", good, dir.resolve("y.nii"), "--datatype", "complex64").failure("unknown datatype 'complex64'");
        assertFalse(Files.exists(dir.resolve("y.nii")));
    }

    @Test
    void unknownOptionsCommandsAndMissingArguments() {
        CliRun.of("info", good, "--jsn").failure("dopaj info: ", "unknown option --jsn");
        CliRun.of("convert", good, dir.resolve("z.nii"), "--frobnicate").failure("unknown option --frobnicate");
        CliRun.of("info").failure("missing FILE");
        CliRun.of("info", good, "extra").failure("unexpected argument 'extra'");
        CliRun.of("convert", good).failure("missing OUT");
        CliRun.of("frobnicate").failure("unknown command 'frobnicate'");
        CliRun.of("phantom", "brain", dir.resolve("p.nii")).failure("unknown kind 'brain'", "head");
        // the training module's commands are named as such when its jar is absent (the core's tests run without it)
        CliRun.of("evaluate").failure("training module", "dopaj-train.jar");
        CliRun.of("phantom", "head", dir.resolve("p.nii"), "--seed", "x1").failure("--seed", "x1");
    }

    @Test
    void helpListsEveryCommand() {
        CliRun r = CliRun.of("help");
        assertEquals(0, r.code());
        for (String c : new String[]{"info", "convert", "phantom head", "spect-sbr", "brain-mask", "batch"}) {
            assertTrue(r.out().contains("dopaj " + c) || r.out().contains("| " + c), c + " in " + r.out());
        }
    }
}
