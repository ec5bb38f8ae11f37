package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectPhantom;
import org.dopaj.spect.SpectVois;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dopaj phantom spect}, {@code spect-sbr} and {@code spect-classify} end to end (in-process). */
class SpectCliTest {
    @TempDir
    static Path dir;
    static Path stage2;

    @BeforeAll
    static void phantom() {
        stage2 = dir.resolve("stage2.nii.gz");
        CliRun.of("phantom", "spect", stage2, "--stage", 2, "--side", "right", "--seed", 5, "--fwhm", 12).ok();
    }

    @Test
    void phantomSpectWritesTheImageAndItsGroundTruthSidecar() throws Exception {
        Path img = dir.resolve("p.nii.gz");
        JsonObject j = CliRun.of("phantom", "spect", img, "--stage", 1.5, "--side", "left", "--age", 70, "--seed", 9,
                "--shift", "1,-2,0.5", "--json").json();
        Path truth = dir.resolve("p.json");
        assertEquals(truth.toString(), j.get("truth").getAsString());
        assertTrue(Files.isRegularFile(img) && Files.isRegularFile(truth));
        SpectPhantom.Phantom expected = SpectPhantom.generate(SpectPhantom.Params.builder().stage(1.5)
                .moreAffected(SpectPhantom.Side.LEFT).age(70).seed(9).shiftMm(1, -2, 0.5).build());
        assertArrayEquals(expected.image().toArray(), Nifti.readVolume(img).toArray(), "voxels = SpectPhantom's");
        JsonObject t = JsonParser.parseString(Files.readString(truth)).getAsJsonObject();
        assertTrue(t.get("synthetic").getAsBoolean());
        assertEquals(expected.truth().sbr().get("putamen_l"), t.getAsJsonObject("true_sbr").get("putamen_l").getAsDouble(),
                1e-12);
        assertEquals(1.5, t.get("stage").getAsDouble());
        // same seed, same bytes; an existing output needs --force and is left alone otherwise
        byte[] before = Files.readAllBytes(img);
        CliRun.of("phantom", "spect", img, "--stage", 1.5, "--seed", 9).failure("exists");
        assertArrayEquals(before, Files.readAllBytes(img));
        CliRun.of("phantom", "spect", dir.resolve("q.nii.gz"), "--side", "middle").failure("--side");
        assertFalse(Files.exists(dir.resolve("q.nii.gz")) || Files.exists(dir.resolve("q.json")), "nothing written");
    }

    @Test
    void sbrOfAnIdealPhantomIsWithinTwoPercentOfItsTruth() throws Exception {
        Path img = dir.resolve("ideal.nii");
        CliRun.of("phantom", "spect", img, "--stage", 2.5, "--side", "right", "--fwhm", 0, "--no-noise").ok();
        JsonObject truth = JsonParser.parseString(Files.readString(dir.resolve("ideal.json"))).getAsJsonObject()
                .getAsJsonObject("true_sbr");
        JsonObject sbr = CliRun.of("spect-sbr", img, "--json").json().getAsJsonObject("sbr");
        for (String k : SpectSbrCli.MAIN) {
            double t = truth.get(k).getAsDouble();
            double m = sbr.get(k).getAsDouble();
            assertEquals(t, m, 0.02 * Math.abs(t), k);
        }
    }

    @Test
    void spectSbrJsonHasTheContractFieldsAndTheQuantifierValues() {
        JsonObject j = CliRun.of("spect-sbr", stage2, "--json").json();
        SbrResult r = SbrQuantifier.defaults().quantify(Nifti.readVolume(stage2));
        JsonObject sbr = j.getAsJsonObject("sbr");
        JsonObject hot = j.getAsJsonObject("hottest_voxel_sbr");
        assertEquals(SpectSbrCli.MAIN, List.copyOf(sbr.keySet()));
        assertEquals(SpectSbrCli.MAIN, List.copyOf(hot.keySet()));
        for (String k : SpectSbrCli.MAIN) {
            assertEquals(r.sbr().get(k), sbr.get(k).getAsDouble(), 1e-12, k);
            assertEquals(r.hottestSbr().get(k), hot.get(k).getAsDouble(), 1e-12, k);
        }
        assertEquals(r.putamenAsymmetryPct(), j.get("putamen_asymmetry_pct").getAsDouble(), 1e-12);
        assertEquals(r.putamenCaudateRatioL(), j.getAsJsonObject("putamen_caudate_ratio").get("l").getAsDouble(), 1e-12);
        assertEquals(r.putamenCaudateRatioR(), j.getAsJsonObject("putamen_caudate_ratio").get("r").getAsDouble(), 1e-12);
        assertTrue(sbr.get("putamen_r").getAsDouble() < sbr.get("putamen_l").getAsDouble(), "right more affected");
        assertTrue(j.get("notice").getAsString().toLowerCase().contains("research"));
    }

    @Test
    void atlasLabelsGiveTheSameNumbersAsAnIndependentComputation() throws Exception {
        Grid g = HeadPhantom.mni2mm();
        Volume ours = SpectVois.rasterise(g);
        Volume atlas = Volume.allocate(g);
        Map<Integer, Integer> remap = Map.of(1, 71, 2, 72, 3, 73, 5, 73, 4, 74, 6, 74, 7, 50);
        for (int z = 0; z < g.nz(); z++) {
            float[] a = atlas.plane(z);
            float[] o = ours.plane(z);
            for (int i = 0; i < a.length; i++) {
                a[i] = remap.getOrDefault((int) o[i], 0);
            }
        }
        Path atlasFile = dir.resolve("atlas.nii.gz");
        Nifti.write(atlas, atlasFile, null);
        JsonObject j = CliRun.of("spect-sbr", stage2, "--atlas", atlasFile, "--labels",
                "caudate_l=71,caudate_r=72,putamen_l=73,putamen_r=74,reference=50", "--json").json();
        Volume img = Nifti.readVolume(stage2);
        double ref = mean(img, atlas, 50, -1);
        double[] expect = {mean(img, atlas, 71, -1), mean(img, atlas, 72, -1), mean(img, atlas, 73, -1),
            mean(img, atlas, 74, -1), mean(img, atlas, 71, 73), mean(img, atlas, 72, 74)};
        JsonObject sbr = j.getAsJsonObject("sbr");
        for (int k = 0; k < 6; k++) {
            assertEquals((expect[k] - ref) / ref, sbr.get(SpectSbrCli.MAIN.get(k)).getAsDouble(), 1e-6,
                    SpectSbrCli.MAIN.get(k));
        }
        CliRun.of("spect-sbr", stage2, "--atlas", atlasFile, "--labels",
                "caudate_l=71,caudate_r=72,putamen_l=73,putamen_r=74,reference=99").failure("99", "reference");
        CliRun.of("spect-sbr", stage2, "--atlas", dir.resolve("none.nii")).failure("none.nii");
    }

    private static double mean(Volume img, Volume atlas, int a, int b) {
        double s = 0;
        long n = 0;
        for (int z = 0; z < img.nz(); z++) {
            float[] p = img.plane(z);
            float[] l = atlas.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (l[i] == a || l[i] == b) {
                    s += p[i];
                    n++;
                }
            }
        }
        return s / n;
    }

    @Test
    void badImagesFailWithOneLineAndNoOutput() throws Exception {
        Path flat = dir.resolve("flat.nii");
        Nifti.write(Volume.allocate(Grid.of(91, 109, 1, 2, 2, 2)), flat, null);
        CliRun.of("spect-sbr", flat, "--json").failure("flat.nii", "2D");
        Path cam = dir.resolve("never-cam.nii.gz");
        CliRun.of("spect-classify", flat, "--cam", cam, "--json").failure("flat.nii", "2D");
        assertFalse(Files.exists(cam), "no CAM for a refused image");
        Path four = dir.resolve("four.nii");
        Nifti.write(Volume.allocate(HeadPhantom.mni2mm(), 2), four, null);
        CliRun.of("spect-sbr", four).failure("four.nii", "frames");
        Path nan = dir.resolve("nan.nii");
        Volume v = Nifti.readVolume(stage2);
        v.set(40, 50, 40, Float.NaN);
        Nifti.write(v, nan, null);
        CliRun.of("spect-sbr", nan).failure("nan.nii", "non-finite");
        CliRun.of("spect-classify", dir.resolve("missing.nii")).failure("missing.nii");
    }

    @Test
    void spectClassifyWritesTheCamOnTheInputGrid() throws Exception {
        Path cam = dir.resolve("cam.nii.gz");
        JsonObject j = CliRun.of("spect-classify", stage2, "--cam", cam, "--json").json();
        assertEquals("parkinsonian", j.get("label").getAsString());
        double p = j.get("probability_parkinsonian").getAsDouble();
        assertTrue(p > 0.5 && p <= 1, "p " + p);
        Volume c = Nifti.readVolume(cam);
        Volume in = Nifti.readVolume(stage2);
        assertTrue(c.grid().sameAs(in.grid(), 1e-6), "CAM grid = input grid");
        float max = 0;
        for (float[] pl : c.planes()) {
            for (float x : pl) {
                max = Math.max(max, x);
            }
        }
        // normalised to 1 on the network's 16 mm-cell map, then trilinearly upsampled: the peak stays high but
        // need not sit on a voxel centre
        assertTrue(max > 0.5f && max <= 1f, "CAM peak " + max);
        byte[] before = Files.readAllBytes(cam);
        CliRun.of("spect-classify", stage2, "--cam", cam).failure("exists");
        assertArrayEquals(before, Files.readAllBytes(cam));
        CliRun.of("spect-classify", stage2, "--cam", dir.resolve("cam.png")).failure(".nii");
    }

    @Test
    void aScannerSpaceScanIsNormalisedFirstAndSaysSo() throws Exception {
        // a stage-3 phantom as a camera would have reconstructed it: head turned and moved, 3.3 mm LPS voxels
        Path stage3 = dir.resolve("stage3.nii.gz");
        CliRun.of("phantom", "spect", stage3, "--stage", 3, "--side", "right", "--seed", 6, "--fwhm", 12).ok();
        Volume mni = Nifti.readVolume(stage3);
        Volume twin = org.dopaj.spect.DatScannerTwins.twin(mni, new double[] {10, -8, 12}, new double[] {15, -20, 10});
        Path scan = dir.resolve("scanner.nii.gz");
        Nifti.write(twin, scan, null);
        byte[] before = Files.readAllBytes(scan);
        Path qc = dir.resolve("scanner_qc.png");
        Path cam = dir.resolve("scanner_cam.nii.gz");
        JsonObject c = CliRun.of("spect-classify", scan, "--cam", cam, "--qc", qc, "--json").json();
        assertTrue(c.get("normalised").getAsBoolean());
        assertTrue(c.get("template_ncc").getAsDouble() >= org.dopaj.spect.DatNormaliser.MIN_REGISTERED_NCC);
        assertEquals(3, c.getAsJsonArray("image_to_mni_affine").size());
        assertEquals("parkinsonian", c.get("label").getAsString());
        assertTrue(Nifti.readVolume(cam).grid().sameAs(Nifti.readVolume(scan).grid(), 1e-4), "CAM back on the scanner grid");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(qc.toFile());
        assertTrue(png.getWidth() > 300, "QC picture written");
        assertArrayEquals(before, Files.readAllBytes(scan), "input untouched");
        // the SBRs of the normalised twin are those of the MNI original within 12 %
        JsonObject s = CliRun.of("spect-sbr", scan, "--json").json();
        JsonObject m = CliRun.of("spect-sbr", stage3, "--json").json();
        assertTrue(s.get("normalised").getAsBoolean());
        assertFalse(m.get("normalised").getAsBoolean(), "an MNI image is taken as it is");
        double a = m.getAsJsonObject("sbr").get("putamen_l").getAsDouble();
        double b = s.getAsJsonObject("sbr").get("putamen_l").getAsDouble();
        assertEquals(a, b, 0.15 * a, "putamen_l SBR of the scanner twin");
        // --no-normalise keeps the old behaviour, with a warning when the image is far from aligned
        Path far = dir.resolve("far.nii.gz");
        Nifti.write(org.dopaj.spect.DatScannerTwins.twin(mni, new double[] {20, -15, 20}, new double[] {40, -30, 25}),
                far, null);
        CliRun r = CliRun.of("spect-sbr", far, "--no-normalise", "--json");
        JsonObject n = r.json();
        assertFalse(n.get("normalised").getAsBoolean());
        assertTrue(n.toString().contains("does not look aligned"), n.toString());
    }

    @Test
    void aNonBrainImageOrAbsurdGeometryIsRefusedAndNothingIsWritten() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        Volume noise = Volume.allocate(Grid.of(64, 64, 40, 3.5, 3.5, 3.5));
        for (float[] pl : noise.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = (float) r.nextDouble();
            }
        }
        Path f = dir.resolve("noise.nii");
        Nifti.write(noise, f, null);
        Path qc = dir.resolve("noise_qc.png");
        Path cam = dir.resolve("noise_cam.nii.gz");
        CliRun.of("spect-classify", f, "--cam", cam, "--qc", qc).failure("noise.nii", "quality check");
        CliRun.of("spect-sbr", f, "--qc", qc).failure("noise.nii", "quality check");
        assertFalse(Files.exists(qc) || Files.exists(cam), "nothing written for a failed registration");
        Volume absurd = Nifti.readVolume(stage2).withGrid(Grid.of(91, 109, 91, 1e30, 1e30, 1e30));
        Path g = dir.resolve("absurd.nii");
        Nifti.write(absurd, g, null);
        CliRun.of("spect-classify", g, "--json").failure("absurd.nii", "no usable geometry");
        // a brain mask on the MNI grid registers fine but has no striatal binding: refused, nothing written
        Path mask = Path.of("samples/head_phantom_brainmask.nii.gz");
        CliRun.of("spect-classify", mask, "--cam", cam, "--qc", qc).failure("head_phantom_brainmask",
                "no striatal binding");
        assertFalse(Files.exists(qc) || Files.exists(cam), "nothing written for an image without striatal binding");
        CliRun.of("spect-sbr", g, "--json").failure("absurd.nii", "no usable geometry");
        CliRun.of("spect-sbr", stage2, "--qc", dir.resolve("qc.jpg")).failure(".png");
    }
}
