package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj brain-mask}: outputs on the input's grid and affine, JSON volume, bad input leaves no file. */
class BrainMaskCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesMaskAndBrainOnTheInputGridWithJsonVolume() throws Exception {
        Path in = dir.resolve("head.nii.gz");
        Nifti.write(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 5).t1(), in, null, NiftiDatatype.byName("int16"));
        Path out = dir.resolve("out");
        Run r = run("brain-mask", in.toString(), "-o", out.toString(), "--pseudocolour", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out().trim()).getAsJsonObject();
        double ml = j.get("volume_ml").getAsDouble();
        assertTrue(ml > 1000 && ml < 2600, "volume " + ml + " mL");
        NiftiImage src = Nifti.read(in);
        NiftiImage mask = Nifti.read(out.resolve("head_brainmask.nii.gz"));
        NiftiImage brain = Nifti.read(out.resolve("head_brain.nii.gz"));
        assertTrue(Files.isRegularFile(out.resolve("head_pseudocolour.nii.gz")));
        assertEquals("uint8", mask.datatypeName());
        assertEquals("int16", brain.datatypeName(), "the masked brain keeps the input's datatype (every value fits)");
        for (NiftiImage n : new NiftiImage[] {mask, brain}) {
            assertArrayEquals(src.dims(), n.dims());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(src.affine()[i], n.affine()[i], 1e-6);
            }
        }
        Volume m = Nifti.readVolume(out.resolve("head_brainmask.nii.gz"));
        long n = 0;
        for (float[] p : m.planes()) {
            for (float v : p) {
                n += v == 1 ? 1 : 0;
            }
        }
        assertEquals(ml, n * 8 / 1000.0, 1e-3, "JSON volume = mask voxels × 8 mm³");
        assertEquals(n, j.get("voxels").getAsLong());
        Volume b = Nifti.readVolume(out.resolve("head_brain.nii.gz"));
        Volume t = Nifti.readVolume(in);
        for (int z = 0; z < m.nz(); z++) {
            for (int i = 0; i < m.plane(z).length; i++) {
                assertEquals(m.plane(z)[i] == 1 ? t.plane(z)[i] : 0f, b.plane(z)[i], "brain = input inside the mask, 0 outside");
            }
        }
    }

    @Test
    void fourDNeedsAFrameAndEmptyImagesAreRefusedWithoutFiles() throws Exception {
        Grid g = HeadPhantom.mni2mm();
        Volume v4 = Volume.allocate(g, 2);
        Volume t1 = HeadPhantom.generate(g, 3, 5).t1();
        for (int t = 0; t < 2; t++) {
            for (int z = 0; z < g.nz(); z++) {
                System.arraycopy(t1.plane(z), 0, v4.plane(z, t), 0, t1.plane(z).length);
            }
        }
        Path in4 = dir.resolve("series.nii.gz");
        Nifti.write(v4, in4, null);
        Path out = dir.resolve("out4");
        Run r = run("brain-mask", in4.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("4D") && r.err().contains("--frame"), r.err());
        assertFalse(Files.exists(out.resolve("series_brainmask.nii.gz")));
        r = run("brain-mask", in4.toString(), "-o", out.toString(), "--frame", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("series_brainmask.nii.gz")));

        Path empty = dir.resolve("empty.nii.gz");
        Nifti.write(Volume.allocate(g), empty, null);
        Path out2 = dir.resolve("out-empty");
        r = run("brain-mask", empty.toString(), "-o", out2.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty.nii.gz") && r.err().contains("empty"), r.err());
        assertFalse(Files.exists(out2) && listed(out2) > 0, "no output for a refused image");

        Volume noise = Volume.allocate(g);
        java.util.Random rnd = new java.util.Random(1);
        for (float[] p : noise.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.abs(rnd.nextGaussian() * 100);
            }
        }
        Path noiseFile = dir.resolve("noise.nii.gz");
        Nifti.write(noise, noiseFile, null);
        Path out3 = dir.resolve("out-noise");
        r = run("brain-mask", noiseFile.toString(), "-o", out3.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no brain found") && r.err().contains("nothing written"), r.err());
        assertFalse(Files.exists(out3) && listed(out3) > 0, "no output when there is no brain");

        r = run("brain-mask", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("-o"), r.err());
    }

    @Test
    void conventionsExistingOutputsAndForce() throws Exception {
        Path in = dir.resolve("head.nii.gz");
        Nifti.write(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 5).t1(), in, null, NiftiDatatype.byName("int16"));
        Path out = dir.resolve("out");
        Run r = run("brain-mask", in.toString(), "-o", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject brain = JsonParser.parseString(r.out().trim()).getAsJsonObject();
        assertEquals("brain", brain.get("convention").getAsString());
        assertTrue(brain.get("warnings").isJsonArray());
        Path mask = out.resolve("head_brainmask.nii.gz");
        byte[] before = Files.readAllBytes(mask);

        r = run("brain-mask", in.toString(), "-o", out.toString(), "--convention", "intracranial", "--json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("exists") && r.err().contains("--force"), r.err());
        assertEquals(1, r.err().trim().split("\n").length, "one line: " + r.err());
        assertArrayEquals(before, Files.readAllBytes(mask), "nothing written without --force");

        r = run("brain-mask", in.toString(), "-o", out.toString(), "--convention", "intracranial", "--force", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject icv = JsonParser.parseString(r.out().trim()).getAsJsonObject();
        assertEquals("intracranial", icv.get("convention").getAsString());
        assertTrue(icv.get("volume_ml").getAsDouble() >= brain.get("volume_ml").getAsDouble(),
                "intracranial " + icv.get("volume_ml") + " mL holds brain " + brain.get("volume_ml") + " mL");

        r = run("brain-mask", in.toString(), "-o", dir.resolve("other").toString(), "--convention", "skull");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("brain or intracranial"), r.err());
        assertFalse(Files.exists(dir.resolve("other")), "nothing written for a bad convention");
    }

    static long listed(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
