package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj phantom head}: deterministic bytes, int16 image and uint8 mask on the MNI 2 mm grid. */
class PhantomCliTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        Path a = dir.resolve("a.nii.gz");
        Path am = dir.resolve("a_mask.nii.gz");
        Path b = dir.resolve("b.nii.gz");
        Path c = dir.resolve("c.nii.gz");
        JsonObject j = CliRun.of("phantom", "head", a, "--seed", 7, "--mask", am, "--json").json();
        assertEquals("[91,109,91]", j.get("dims").toString());
        assertEquals("LAS", j.get("orientation").getAsString());
        assertEquals(7, j.get("seed").getAsLong());
        assertTrue(j.get("notice").getAsString().contains("Research use only"));
        CliRun.of("phantom", "head", b, "--seed", 7).ok();
        CliRun.of("phantom", "head", c, "--seed", 8).ok();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same file bytes");
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "another seed, another noise");

        NiftiImage t1 = Nifti.read(a);
        assertEquals(NiftiDatatype.INT16, t1.datatype());
        assertEquals("LAS", t1.grid().orientation());
        assertEquals(4, t1.header().sformCode, "MNI space");
        NiftiImage mask = Nifti.read(am);
        assertEquals(NiftiDatatype.UINT8, mask.datatype());
        long brain = 0;
        for (byte v : mask.data()) {
            assertTrue(v == 0 || v == 1);
            brain += v;
        }
        assertEquals(j.get("brain_voxels").getAsLong(), brain);
        // a brain of 1.0–1.6 litres
        assertTrue(brain * 8 > 1.0e6 && brain * 8 < 1.6e6, "brain " + brain * 8 / 1000 + " ml");
    }

    @Test
    void noiseFreePhantomHasOnlyTissueIntensitiesAndRefusesToOverwrite() {
        Path a = dir.resolve("clean.nii");
        CliRun.of("phantom", "head", a, "--noise", 0, "--json").json();
        NiftiImage t1 = Nifti.read(a);
        // the centre of the brain is white matter (110), a corner of the box is air (0)
        assertEquals(110, t1.rawValue(45 + 91L * (55 + 109L * 45)));
        assertEquals(0, t1.rawValue(0));
        CliRun.of("phantom", "head", a).failure(a.toString(), "exists", "--force");
        CliRun.of("phantom", "head", dir.resolve("x.nii"), "--mask", dir.resolve("x.nii")).failure("--mask", "another file");
        CliRun.of("phantom", "head", dir.resolve("x.tif")).failure("x.tif", ".nii or .nii.gz");
        CliRun.of("phantom", "head", dir.resolve("x.nii"), "--noise", -1).failure("--noise");
        assertFalse(Files.exists(dir.resolve("x.nii")));
    }

    @Test
    void committedSampleIsWhatTheDocumentedCommandMakes() throws IOException {
        Path sample = Path.of("samples/head_phantom.nii.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sample), "samples/ absent: skipping");
        Path t = dir.resolve("head_phantom.nii.gz");
        Path m = dir.resolve("head_phantom_brainmask.nii.gz");
        CliRun.of("phantom", "head", t, "--seed", 1, "--mask", m).ok();
        assertArrayEquals(CliRun.uncompressed(sample), CliRun.uncompressed(t));
        assertArrayEquals(CliRun.uncompressed(Path.of("samples/head_phantom_brainmask.nii.gz")), CliRun.uncompressed(m));
    }
}
