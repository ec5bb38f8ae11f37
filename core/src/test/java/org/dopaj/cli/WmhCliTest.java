package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import com.google.gson.JsonObject;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import org.dopaj.batch.BatchTasks;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.wmh.WmhData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dopaj wmh}: outputs on the input's grid with the JSON volumes; every bad input is one stderr line, exit 2,
 * nothing written; {@code dopaj batch wmh} equals the single call.
 */
class WmhCliTest {
    @TempDir
    Path dir;

    Path mniHead() {
        Path p = dir.resolve("mni.nii.gz");
        if (!Files.exists(p)) {
            Nifti.write(WmhData.mniHead(), p, null, NiftiDatatype.FLOAT32);
        }
        return p;
    }

    static void assertEmpty(Path out) throws Exception {
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                assertEquals(0, s.count(), "nothing written in " + out);
            }
        }
    }

    @Test
    void thresholdMethodWritesMaskAndProbabilityOnTheInputGrid() throws Exception {
        Path in = mniHead();
        Path out = dir.resolve("out");
        JsonObject j = CliRun.of("wmh", in, "-o", out, "--method", "threshold", "--json").json();
        for (String k : new String[] {"wmh_ml", "wmh_pv_ml", "regions", "grade", "method", "model", "notice"}) {
            assertTrue(j.has(k), k + " in " + j);
        }
        JsonObject reg = j.getAsJsonObject("regions");
        double sum = reg.get("periventricular_ml").getAsDouble() + reg.get("deep_ml").getAsDouble()
                + reg.get("juxtacortical_ml").getAsDouble();
        assertEquals(j.get("wmh_ml").getAsDouble(), sum, 0.01);
        assertEquals("threshold", j.get("method").getAsString());
        NiftiImage src = Nifti.read(in);
        NiftiImage mask = Nifti.read(out.resolve("mni_wmh.nii.gz"));
        NiftiImage prob = Nifti.read(out.resolve("mni_wmh_prob.nii.gz"));
        assertEquals("uint8", mask.datatypeName());
        for (NiftiImage n : new NiftiImage[] {mask, prob}) {
            assertArrayEquals(src.dims(), n.dims());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(src.affine()[i], n.affine()[i], 1e-6);
            }
        }
        long n = 0;
        for (float[] p : Nifti.readVolume(out.resolve("mni_wmh.nii.gz")).planes()) {
            for (float v : p) {
                n += v > 0 ? 1 : 0;
            }
        }
        assertEquals(j.get("wmh_ml").getAsDouble(), n * 8 / 1000.0, 0.001, "JSON volume = mask voxels × 8 mm³");
        // an existing output without --force: refused, files untouched; with --force: rewritten
        long before = Files.getLastModifiedTime(out.resolve("mni_wmh.nii.gz")).toMillis();
        CliRun.of("wmh", in, "-o", out, "--method", "threshold").failure("exists", "--force");
        assertEquals(before, Files.getLastModifiedTime(out.resolve("mni_wmh.nii.gz")).toMillis());
        CliRun.of("wmh", in, "-o", out, "--method", "threshold", "--force", "--json").json();
    }

    @Test
    void networkMethodWhenTheModelIsInstalled() {
        assumeTrue(WmhData.hasModel(), "models/wmh-unet3d not trained yet");
        JsonObject j = CliRun.of("wmh", mniHead(), "-o", dir.resolve("net"), "--json").json();
        assertEquals("network", j.get("method").getAsString());
        assertEquals("wmh-unet3d", j.get("model").getAsString());
    }

    @Test
    void badInputsAreOneLineAndWriteNothing() throws Exception {
        Path out = dir.resolve("bad");
        CliRun.of("wmh", mniHead()).failure("-o DIR");
        CliRun.of("wmh", dir.resolve("missing.nii.gz"), "-o", out).failure("missing.nii.gz");
        CliRun.of("wmh", mniHead(), "-o", out, "--method", "guess").failure("network or threshold");
        // 2D
        Path flat = dir.resolve("flat.nii.gz");
        Nifti.write(noise(Grid.of(128, 128, 1, 1, 1, 1), 1), flat, null, NiftiDatatype.FLOAT32);
        CliRun.of("wmh", flat, "-o", out).failure("flat.nii.gz", "2D");
        // 4D without a frame
        Path four = dir.resolve("four.nii.gz");
        Volume v4 = Volume.allocate(Grid.of(40, 40, 40, 2, 2, 2), 2);
        v4.plane(0)[0] = 1;
        Nifti.write(v4, four, null, NiftiDatatype.FLOAT32);
        CliRun.of("wmh", four, "-o", out).failure("4D", "--frame");
        // no usable geometry: a TIFF stack without calibration
        ImageStack st = new ImageStack(64, 64);
        Random r = new Random(2);
        for (int z = 0; z < 64; z++) {
            float[] p = new float[64 * 64];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
            st.addSlice(new FloatProcessor(64, 64, p));
        }
        Path tif = dir.resolve("raw.tif");
        new FileSaver(new ImagePlus("raw", st)).saveAsTiffStack(tif.toString());
        CliRun.of("wmh", tif, "-o", out).failure("raw.tif", "no usable geometry");
        // no brain: uniform noise
        Path noise = dir.resolve("noise.nii.gz");
        Nifti.write(noise(Grid.of(90, 100, 90, 2, 2, 2), 3), noise, null, NiftiDatatype.FLOAT32);
        CliRun.of("wmh", noise, "-o", out, "--method", "threshold").failure("noise.nii.gz", "no brain found");
        // not T1-weighted: the MNI head with its brain's contrast inverted
        Path t2 = dir.resolve("t2like.nii.gz");
        Nifti.write(WmhData.invertedBrain(), t2, null, NiftiDatatype.FLOAT32);
        CliRun.of("wmh", t2, "-o", out, "--method", "threshold").failure("t2like.nii.gz", "does not look T1-weighted");
        assertEmpty(out);
        assertFalse(Files.exists(out.resolve("t2like_wmh.nii.gz")));
    }

    @Test
    void batchRowEqualsTheSingleCall() throws Exception {
        assertTrue(BatchTasks.CAPABILITIES.contains("wmh"));
        Path in = mniHead();
        Path out = dir.resolve("batch");
        CliRun.of("batch", "wmh", in, "-o", out, "--method", "threshold", "--json").json();
        Map<String, Object> row = BatchCliTest.rows(out).get("mni");
        assertEquals("ok", row.get("status"), String.valueOf(row.get("error")));
        assertTrue(Files.isRegularFile(out.resolve("mni/mni_wmh.nii.gz")));
        JsonObject single = CliRun.of("wmh", in, "-o", dir.resolve("single"), "--method", "threshold", "--json").json();
        assertEquals(single.get("wmh_ml").getAsDouble(), ((Number) row.get("wmh_ml")).doubleValue(), 1e-9);
    }

    static Volume noise(Grid g, long seed) {
        Random r = new Random(seed);
        Volume v = Volume.allocate(g);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextDouble();
            }
        }
        return v;
    }
}
