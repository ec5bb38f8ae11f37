package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.nigrosome.NigrosomeCropper;
import org.dopaj.nigrosome.SmwiPhantom;
import org.dopaj.nigrosome.TinyRegressors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dopaj phantom smwi}, {@code nigrosome-crop} and {@code nigrosome-sbr}: crops land where the planted markers
 * say, their sform maps voxel 25,25,10 to the centroid, the published pair gives what DopajModel gives on the same
 * crops, and every bad input is one line with exit 2 and nothing written.
 */
class NigrosomeCommandsTest {
    @TempDir
    Path dir;

    /** An RAS volume of 120×100×40 voxels of 0.5×0.5×1 mm (origin off the grid) with markers around (30,50,20) and (85,50,20). */
    private Path markers(String name) {
        double[][] a = {{0.5, 0, 0, -31.3}, {0, 0.5, 0, -24.1}, {0, 0, 1, -17.2}, {0, 0, 0, 1}};
        Volume v = Volume.allocate(new Grid(120, 100, 40, new double[]{0.5, 0.5, 1}, a));
        int[][] at = {{0, 0, 0}, {-25, 0, 0}, {24, 0, 0}, {0, -25, 0}, {0, 24, 0}, {0, 0, -10}, {0, 0, 9}, {3, -7, 2},
                {25, 0, 0}, {0, 0, 10}};
        for (int m = 0; m < at.length; m++) {
            v.set(30 + at[m][0], 50 + at[m][1], 20 + at[m][2], 100 + m);
            v.set(85 + at[m][0], 50 + at[m][1], 20 + at[m][2], 200 + m);
        }
        Path f = dir.resolve(name);
        Nifti.write(v, f, null);
        return f;
    }

    @Test
    void cropsLandOnThePlantedMarkersAndTheirAffineMapsTheCentreToTheCentroid() {
        Path in = markers("m.nii.gz");
        Path out = dir.resolve("crops");
        JsonObject j = CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "--right", "85,50,20", "-o", out, "--json")
                .json();
        assertEquals("left", j.getAsJsonObject("left").get("side").getAsString());
        int[][] inside = {{0, 0, 0}, {-25, 0, 0}, {24, 0, 0}, {0, -25, 0}, {0, 24, 0}, {0, 0, -10}, {0, 0, 9}, {3, -7, 2}};
        for (int s = 0; s < 2; s++) {
            Volume c = Nifti.readVolume(out.resolve(NigrosomeCropCli.NAMES[s]));
            assertEquals(List.of(50, 50, 20), List.of(c.nx(), c.ny(), c.nz()));
            assertArrayEquals(new double[]{0.5, 0.5, 1}, c.grid().voxelMm(), 1e-6);
            double base = s == 0 ? 100 : 200;
            int found = 0;
            for (int m = 0; m < inside.length; m++) {
                assertEquals(base + m, c.get(25 + inside[m][0], 25 + inside[m][1], 10 + inside[m][2]), 0f, "marker " + m);
            }
            for (float[] p : c.planes()) {
                for (float x : p) {
                    found += x != 0 ? 1 : 0;
                }
            }
            assertEquals(inside.length, found, "the markers 25 in-plane / 10 through-plane past the centre stay outside");
            double cx = s == 0 ? 30 : 85;
            double[] want = {cx * 0.5 - 31.3, 50 * 0.5 - 24.1, 20 - 17.2};
            assertArrayEquals(want, c.grid().toMm(25, 25, 10), 1e-4, "sform maps (25,25,10) to the centroid");
        }
        assertTrue(Files.isRegularFile(out.resolve(NigrosomeCropCli.SIDECAR)));
        // the same centroids typed in mm give the same crops
        Path out2 = dir.resolve("crops_mm");
        String l = (30 * 0.5 - 31.3) + "," + (50 * 0.5 - 24.1) + "," + (20 - 17.2);
        String r = (85 * 0.5 - 31.3) + "," + (50 * 0.5 - 24.1) + "," + (20 - 17.2);
        CliRun.of("nigrosome-crop", in, "--left", l, "--right", r, "--mm", "-o", out2).ok();
        assertArrayEquals(Nifti.readVolume(out.resolve(NigrosomeCropCli.NAMES[0])).toArray(),
                Nifti.readVolume(out2.resolve(NigrosomeCropCli.NAMES[0])).toArray(), 1e-3f);
        // existing outputs are not overwritten without --force
        CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "--right", "85,50,20", "-o", out)
                .failure("output file exists");
    }

    @Test
    void smwiPhantomIsDeterministicAndCarriesItsTruth() throws Exception {
        Path a = dir.resolve("a.nii.gz");
        Path b = dir.resolve("b.nii.gz");
        JsonObject j = CliRun.of("phantom", "smwi", a, "--seed", "5", "--sbr-left", "3.5", "--sbr-right", "1.5", "--json")
                .json();
        CliRun.of("phantom", "smwi", b, "--seed", "5", "--sbr-left", "3.5", "--sbr-right", "1.5").ok();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        JsonObject t = JsonParser.parseString(Files.readString(dir.resolve("a.json"))).getAsJsonObject();
        assertEquals(3.5, t.get("sbr_left").getAsDouble());
        assertEquals(2.5, t.get("target_sbr").getAsDouble());
        assertTrue(t.get("synthetic").getAsBoolean());
        SmwiPhantom.Result r = SmwiPhantom.generate(3.5, 1.5, 5);
        assertArrayEquals(r.smwi().toArray(), Nifti.readVolume(a).toArray());
        assertEquals(r.nigrosomes().left().voxel().x(),
                j.getAsJsonObject("centroids").getAsJsonObject("left").getAsJsonArray("voxel").get(0).getAsDouble(), 0);
        // drawn from the seed when no SBR is given
        JsonObject k = CliRun.of("phantom", "smwi", dir.resolve("c.nii"), "--seed", "9", "--json").json();
        assertEquals(SmwiPhantom.random(9).sbrLeft(), k.get("sbr_left").getAsDouble(), 0);
    }

    private static String voxel(SmwiPhantom.Result r, org.dopaj.nigrosome.Side s) {
        int[] v = r.nigrosomes().get(s).nearestVoxel();
        return v[0] + "," + v[1] + "," + v[2];
    }

    @Test
    void bundledModelGivesOrderedSbrsAsJson() {
        Path h = dir.resolve("h.nii.gz");
        Path p = dir.resolve("p.nii.gz");
        // the realistic generator: what the bundled model is trained on (texture from ../shared)
        Assumptions.assumeTrue(org.dopaj.nigrosome.GreTexture.sharedDir() != null, "../shared absent");
        CliRun.of("phantom", "smwi", h, "--seed", "4000001", "--sbr-left", "3.8", "--sbr-right", "3.4", "--generator",
                "physics").ok();
        CliRun.of("phantom", "smwi", p, "--seed", "4000001", "--sbr-left", "1.3", "--sbr-right", "1.6", "--generator",
                "physics").ok();
        SmwiPhantom.Result r = org.dopaj.nigrosome.SmwiPhysicsPhantom.generate(3.8, 3.4, 4000001);
        String l = voxel(r, org.dopaj.nigrosome.Side.LEFT);
        String rt = voxel(r, org.dopaj.nigrosome.Side.RIGHT);
        JsonObject jh = CliRun.of("nigrosome-sbr", h, "--left", l, "--right", rt, "--json").json();
        JsonObject jp = CliRun.of("nigrosome-sbr", p, "--left", l, "--right", rt, "--json", "--cam", dir.resolve("cam"))
                .json();
        assertEquals("nigrosome-vgg3d-left", jh.get("model_left").getAsString());
        assertEquals("trained on phantoms", jh.get("training_data").getAsString(), jh.toString());
        assertTrue(jh.get("model_choice").getAsString().contains("phantoms"), jh.toString());
        assertTrue(jh.get("warnings").isJsonArray() && jh.getAsJsonObject("left").has("input_statistics"));
        assertTrue(jh.get("sbr_left").getAsDouble() > jp.get("sbr_left").getAsDouble() + 1, jh + " vs " + jp);
        assertTrue(jh.get("sbr_right").getAsDouble() > jp.get("sbr_right").getAsDouble() + 1, jh + " vs " + jp);
        for (String f : List.of("crop_left.nii.gz", "cam_left.nii.gz", "crop_right.nii.gz", "cam_right.nii.gz")) {
            assertTrue(Files.isRegularFile(dir.resolve("cam").resolve(f)), f);
        }
    }

    @Test
    void publishedPairThroughTheCommandEqualsADirectRunOnTheSameCrops() {
        String s = System.getProperty("dopaj.shared");
        Assumptions.assumeTrue(s != null && Files.isDirectory(Path.of(s, "data/thirdparty-models/mri_dat")),
                "../shared/data absent: skipping the mri_dat comparison");
        Path f = dir.resolve("p.nii.gz");
        CliRun.of("phantom", "smwi", f, "--seed", "11", "--sbr-left", "3", "--sbr-right", "2").ok();
        SmwiPhantom.Result r = SmwiPhantom.generate(3, 2, 11);
        String l = voxel(r, org.dopaj.nigrosome.Side.LEFT);
        String rt = voxel(r, org.dopaj.nigrosome.Side.RIGHT);
        JsonObject j = CliRun.of("nigrosome-sbr", f, "--left", l, "--right", rt, "--model",
                Path.of("models/mri-dat-nigral-vgg-left").toAbsolutePath(), "--json").json();
        assertEquals("mri-dat-nigral-vgg-right", j.get("model_right").getAsString());
        Volume img = Nifti.readVolume(f);
        var crops = new NigrosomeCropper().crop(img, org.dopaj.nigrosome.Centroids.parse("left=" + l + " right=" + rt,
                org.dopaj.nigrosome.Units.VOXEL, img.grid()));
        String[] sides = {"left", "right"};
        for (int i = 0; i < 2; i++) {
            try (DopajModel m = DopajModel.load(Path.of("models/mri-dat-nigral-vgg-" + sides[i]), ComputeDevice.CPU)) {
                var spec = m.modelPackage().inputs().get(0);
                Tensor out = m.predict(Map.of(spec.id(), TensorLayout.fromVolume(crops.get(i).volume(), spec)))
                        .get("dense");
                assertEquals(out.data()[0], j.get("sbr_" + sides[i]).getAsDouble(), 0.0, sides[i]);
            }
        }
    }

    @Test
    void publishedPairOnTheAuthorsPatchesGivesThePackagedTensorFlowOutputs() {
        String s = System.getProperty("dopaj.shared");
        Assumptions.assumeTrue(s != null && Files.isDirectory(Path.of(s, "data/thirdparty-models/mri_dat")),
                "../shared/data absent: skipping the mri_dat patch check");
        Path l = Path.of("models/mri-dat-nigral-vgg-left").toAbsolutePath();
        Path r = Path.of("models/mri-dat-nigral-vgg-right").toAbsolutePath();
        JsonObject j = CliRun.of("nigrosome-sbr", "--left-patch", l.resolve("test_input_input_1.npy"), "--right-patch",
                r.resolve("test_input_input_1.npy"), "--model-left", l, "--model-right", r, "--json").json();
        assertEquals(org.dopaj.dl.model.Npy.read(l.resolve("test_output_dense.npy")).data()[0],
                j.get("sbr_left").getAsDouble(), 0.0);
        assertEquals(org.dopaj.dl.model.Npy.read(r.resolve("test_output_dense.npy")).data()[0],
                j.get("sbr_right").getAsDouble(), 0.0);
        // a patch of the wrong size is refused, naming it
        Path crop = dir.resolve("c.nii");
        Volume wrong = Volume.allocate(Grid.of(40, 50, 20, 0.5, 0.5, 1));
        wrong.set(3, 4, 5, 1f); // not empty: an empty patch is refused for that first, before the models load
        Nifti.write(wrong, crop, null);
        CliRun.of("nigrosome-sbr", "--left-patch", crop, "--right-patch", r.resolve("test_input_input_1.npy"), "--model",
                l).failure(crop.toString(), "patch is 40×50×20, the models need 50×50×20");
    }

    @Test
    void badInputsAreOneLineAndWriteNothing() throws Exception {
        Path in = markers("m.nii.gz");
        Path out = dir.resolve("none");
        CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "--right", "170,50,20", "-o", out)
                .failure("right", "lies outside the image");
        // 119,50,39: 26 of 50 columns × 11 of 20 slices inside → 29 % (minimum 50 %)
        CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "--right", "119,50,39", "-o", out)
                .failure("right nigrosome-1 centroid", "only 29%", "lies inside the image");
        CliRun.of("nigrosome-crop", in, "--left", "85,50,20", "--right", "30,50,20", "-o", out)
                .failure("labels look swapped");
        CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "-o", out).failure("need --left x,y,z and --right");
        CliRun.of("nigrosome-crop", in, "--left", "30,50,20", "--right", "34,50,20", "-o", out)
                .failure("only 2.00 mm apart", "place one on each nigrosome-1");
        assertFalse(Files.exists(out), "nothing written");
        // 2D and 4D
        Path flat = dir.resolve("flat.nii");
        Nifti.write(Volume.allocate(Grid.of(100, 100, 1, 0.5, 0.5, 1)), flat, null);
        CliRun.of("nigrosome-crop", flat, "--left", "40,50,0", "--right", "70,50,0", "-o", out).failure("2D image");
        Path four = dir.resolve("four.nii");
        Nifti.write(Volume.allocate(Grid.of(100, 100, 30, 0.5, 0.5, 1), 2), four, null);
        CliRun.of("nigrosome-sbr", four, "--left", "40,50,10", "--right", "70,50,10").failure("4D image");
        // uncalibrated TIFF: refused in batch mode, accepted with --voxel-size
        ImageStack st = new ImageStack(100, 100);
        for (int z = 0; z < 30; z++) {
            ij.process.FloatProcessor fp = new ij.process.FloatProcessor(100, 100);
            fp.setValue(100 + z);   // not empty: an empty volume is refused for that reason first
            fp.fill();
            st.addSlice(fp);
        }
        Path tif = dir.resolve("u.tif");
        new FileSaver(new ImagePlus("u", st)).saveAsTiffStack(tif.toString());
        CliRun.of("nigrosome-crop", tif, "--left", "40,50,10", "--right", "70,50,10", "-o", out)
                .failure("no voxel size in mm", "--voxel-size");
        assertFalse(Files.exists(out), "nothing written");
        CliRun.of("nigrosome-crop", tif, "--left", "40,50,10", "--right", "70,50,10", "-o", out, "--voxel-size",
                "0.5,0.5,1").ok();
        // a model whose input is not a crop
        Path tl = TinyRegressors.wrongShapePackage(dir, "tiny-left", "left", 10, 10, 4);
        Path tr = TinyRegressors.wrongShapePackage(dir, "tiny-right", "right", 10, 10, 4);
        CliRun.of("nigrosome-sbr", in, "--left", "30,50,20", "--right", "85,50,20", "--model-left", tl, "--model-right",
                tr, "--cam", dir.resolve("nocam")).failure("needs [batch, x=50, y=50, z=20, channel=1]");
        CliRun.of("nigrosome-sbr", in, "--left", "30,50,20", "--right", "85,50,20", "--model", tl)
                .failure("needs [batch, x=50, y=50, z=20, channel=1]");
        assertFalse(Files.exists(dir.resolve("nocam")));
    }
}
