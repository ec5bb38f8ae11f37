package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.msa.MsaAnatomy;
import org.dopaj.msa.MsaPhantom;
import org.dopaj.msa.MsaSharedData;
import org.dopaj.msa.MsaSubtype;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj msa-pd}, {@code md}, {@code gm-density} and {@code msa-normal-db}: contract and every bad input. */
class MsaCliTest {
    @TempDir
    static Path dir;
    static Path gd;
    static Path md;

    @BeforeAll
    static void maps() {
        MsaAnatomy a = MsaAnatomy.aal(MsaSharedData.dir());
        MsaPhantom.Subject s = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 11, MsaSubtype.MSA_C);
        gd = dir.resolve("gd.nii.gz");
        md = dir.resolve("md.nii.gz");
        ImageFiles.write(s.gd(), gd);
        ImageFiles.write(s.md(), md);
    }

    static Path write(String name, Volume v) {
        Path p = dir.resolve(name);
        ImageFiles.write(v, p);
        return p;
    }

    static Volume scaled(Path f, double k) {
        Volume v = Nifti.readVolume(f);
        for (int z = 0; z < v.nz(); z++) {
            float[] p = v.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] *= (float) k;
            }
        }
        return v;
    }

    static boolean models() {
        return Files.isDirectory(Path.of("models/msa-pd-gd-md")) && Files.isDirectory(Path.of("models/msa-pd-gd"))
                && Files.isDirectory(Path.of("models/msa-pd-md"));
    }

    @Test
    void batchOfMapPairsEqualsSingleCalls() throws Exception {
        assumeTrue(models(), "bundled msa-pd models not present");
        Path manifest = dir.resolve("pairs.csv");
        Files.writeString(manifest, "id,gd,md\nboth,gd.nii.gz,md.nii.gz\ngdonly,gd.nii.gz,\nnone,,\n");
        Path out = dir.resolve("batch-msa");
        CliRun r = CliRun.of("batch", "msa-pd", manifest, "-o", out, "--json");
        assertEquals(3, r.code(), "the row without maps fails: " + r.err());
        java.util.Map<String, java.util.Map<String, Object>> rows = new java.util.HashMap<>();
        for (java.util.Map<String, Object> row : org.dopaj.batch.BatchResults.read(out.resolve("results.jsonl"), false)) {
            rows.put((String) row.get("case"), row);
        }
        double both = CliRun.of("msa-pd", "--gd", gd, "--md", md, "--json").json().get("probability_msa").getAsDouble();
        double gdOnly = CliRun.of("msa-pd", "--gd", gd, "--json").json().get("probability_msa").getAsDouble();
        assertEquals(both, (Double) rows.get("both").get("probability_msa"), 1e-6);
        assertEquals(gdOnly, (Double) rows.get("gdonly").get("probability_msa"), 1e-6, "monomodal model for one map");
        assertEquals("error", rows.get("none").get("status"));
    }

    @Test
    void badMapsAreRefusedInOneLineAndNothingIsWritten() {
        Path cam = dir.resolve("cam-bad.nii.gz");
        CliRun.of("msa-pd", "--cam", cam).failure("give a GD map, an MD map or both");
        CliRun.of("msa-pd", "--gd", write("gd2.nii.gz", scaled(gd, 2.5)), "--cam", cam).failure("outside [0, 1.5]");
        CliRun.of("msa-pd", "--md", write("md_um.nii.gz", scaled(md, 1000)), "--cam", cam).failure("µm²/ms",
                "divide the map by 1000");
        CliRun.of("msa-pd", "--md", write("md_bad.nii.gz", scaled(md, 30)), "--cam", cam).failure("physiological");
        Volume nan = Nifti.readVolume(gd);
        nan.set(3, 4, 5, Float.NaN);
        CliRun.of("msa-pd", "--gd", write("gd_nan.nii.gz", nan), "--cam", cam).failure("non-finite");
        Volume crop = Resample.toGrid(Nifti.readVolume(gd), Grid.of(60, 60, 30, 1, 1, 2), Resample.Interpolation.LINEAR,
                0);
        CliRun.of("msa-pd", "--gd", write("gd_native.nii.gz", crop), "--cam", cam).failure("not an MNI grid");
        Grid mni1 = new Grid(182, 218, 182, new double[] {1, 1, 1},
                new double[][] {{-1, 0, 0, 90}, {0, 1, 0, -126}, {0, 0, 1, -72}, {0, 0, 0, 1}});
        Path md1 = write("md_1mm.nii.gz", Resample.toGrid(Nifti.readVolume(md), mni1, Resample.Interpolation.LINEAR, 0));
        CliRun.of("msa-pd", "--gd", gd, "--md", md1, "--cam", cam).failure("different grids");
        CliRun.of("msa-pd", "--gd", gd, "--task", "msa-x").failure("unknown task");
        CliRun.of("msa-pd", "--gd", gd, "--zmap-gd", dir.resolve("z.nii.gz")).failure("--normal-db");
        CliRun.of("msa-pd", "--gd", dir.resolve("missing.nii.gz")).failure("file not found");
        CliRun.of("msa-pd", "--gd", gd, "--cam", dir.resolve("cam.png")).failure(".nii");
        CliRun.of("msa-pd", "--gd", gd, "--cam", gd).failure("output is the input");
        assertFalse(Files.exists(cam), "no output written");
        assertFalse(Files.exists(dir.resolve("z.nii.gz")));
    }

    @Test
    void bimodalAndMonomodalRunsFollowTheContract() {
        assumeTrue(models(), "models/msa-pd-* not bundled yet");
        Path cam = dir.resolve("cam.nii.gz");
        JsonObject j = CliRun.of("msa-pd", "--gd", gd, "--md", md, "--cam", cam, "--json").json();
        assertTrue(j.get("label").getAsString().equals("MSA") || j.get("label").getAsString().equals("PD"));
        double p = j.get("probability_msa").getAsDouble();
        assertTrue(p >= 0 && p <= 1);
        assertEquals("msa", j.get("task").getAsString());
        assertEquals(2, j.getAsJsonArray("modalities").size());
        assertEquals("msa-pd-gd-md", j.get("model").getAsString());
        Volume c = Nifti.readVolume(cam);
        assertEquals(91, c.nx());
        assertEquals(109, c.ny());
        float max = 0;
        for (float v : c.toArray()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertTrue(max > 0.5f, "CAM normalised per image");
        // an existing output needs --force
        CliRun.of("msa-pd", "--gd", gd, "--md", md, "--cam", cam).failure("exists");
        JsonObject g = CliRun.of("msa-pd", "--gd", gd, "--json").json();
        assertEquals("[\"gd\"]", g.getAsJsonArray("modalities").toString());
        assertEquals("msa-pd-gd", g.get("model").getAsString());
        JsonObject m = CliRun.of("msa-pd", "--md", md, "--json").json();
        assertEquals("msa-pd-md", m.get("model").getAsString());
    }

    @Test
    void normalDatabaseAndZMaps() throws Exception {
        assumeTrue(models(), "models/msa-pd-* not bundled yet");
        MsaAnatomy a = MsaAnatomy.aal(MsaSharedData.dir());
        StringBuilder gl = new StringBuilder("# PD-like reference phantoms\n");
        StringBuilder ml = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            MsaPhantom.Subject s = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 500 + i, MsaSubtype.PD);
            ImageFiles.write(s.gd(), dir.resolve("c" + i + "_gd.nii.gz"));
            ImageFiles.write(s.md(), dir.resolve("c" + i + "_md.nii.gz"));
            gl.append("c").append(i).append("_gd.nii.gz\n");
            ml.append("c").append(i).append("_md.nii.gz\n");
        }
        Path gdl = Files.writeString(dir.resolve("gd.txt"), gl);
        Path mdl = Files.writeString(dir.resolve("md.txt"), ml);
        Path db = dir.resolve("db");
        JsonObject b = CliRun.of("msa-normal-db", "--gd-list", gdl, "--md-list", mdl, "-o", db, "--json").json();
        assertEquals(6, b.get("gd_n").getAsInt());
        Path zg = dir.resolve("zg.nii.gz");
        JsonObject j = CliRun.of("msa-pd", "--gd", gd, "--md", md, "--normal-db", db, "--zmap-gd", zg, "--zmap-md",
                dir.resolve("zm.nii.gz"), "--json").json();
        JsonObject z = j.getAsJsonObject("z_scores");
        assertTrue(z.getAsJsonObject("gd").has("abnormal_clusters"));
        assertTrue(z.getAsJsonObject("md").get("abnormal_extent_ml").getAsDouble() >= 0);
        assertTrue(Files.isRegularFile(zg));
        CliRun.of("msa-normal-db", "--gd-list", gdl, "-o", db).failure("exists");
    }

    @Test
    void mdOnTheRealDwiAndItsBadInputs() throws Exception {
        Path d = MsaSharedData.diffusion();
        Path out = dir.resolve("md-out");
        Path dwi = d.resolve("small_64D.nii");
        CliRun.of("md", dwi, "--bval", d.resolve("small_101D.bval"), "--bvec", d.resolve("small_101D.bvec"), "-o", out,
                "--native").failure("b-values for a DWI of 65 volumes");
        CliRun.of("md", dwi, "--bval", d.resolve("small_64D.bval"), "--bvec", d.resolve("small_101D.bvec"), "-o", out,
                "--native").failure("to match the 65 b-values");
        CliRun.of("md", dwi, "--bval", d.resolve("small_64D.bval"), "-o", out).failure("--bvec");
        CliRun.of("md", dwi, "--bval", d.resolve("small_64D.bval"), "--bvec", d.resolve("small_64D.bvec"), "-o", out)
                .failure("too small to normalise", "--native");
        CliRun.of("md", d.resolve("small_64D_MD_DERIVED.nii.gz"), "--bval", d.resolve("small_64D.bval"), "--bvec",
                d.resolve("small_64D.bvec"), "-o", out, "--native").failure("4D");
        assertFalse(Files.exists(out), "nothing written");
        JsonObject j = CliRun.of("md", dwi, "--bval", d.resolve("small_64D.bval"), "--bvec",
                d.resolve("small_64D.bvec"), "-o", out, "--native", "--json").json();
        assertEquals(1000, j.get("fitted_voxels").getAsInt());
        double med = j.get("md_median_mm2_s").getAsDouble();
        assertTrue(Math.abs(med / 8.4269e-4 - 1) < 0.05, "median " + med + " vs the reference map's 8.4269e-4");
        assertTrue(Files.isRegularFile(out.resolve("small_64D_md_native.nii.gz")));
        CliRun.of("md", dwi, "--bval", d.resolve("small_64D.bval"), "--bvec", d.resolve("small_64D.bvec"), "-o", out,
                "--native").failure("exists");
    }

    @Test
    void gmDensityRefusesBadInput() {
        Path out = dir.resolve("gd-out");
        Volume four = Volume.allocate(Grid.of(10, 10, 10, 2, 2, 2), 3);
        CliRun.of("gm-density", write("four.nii.gz", four), "-o", out).failure("3D");
        CliRun.of("gm-density", gd).failure("-o DIR");
        Volume nan = Nifti.readVolume(gd);
        nan.set(1, 1, 1, Float.NaN);
        CliRun.of("gm-density", write("t1nan.nii.gz", nan), "-o", out, "--templates", MsaSharedData.dir())
                .failure("non-finite");
        assertFalse(Files.exists(out));
    }
}
