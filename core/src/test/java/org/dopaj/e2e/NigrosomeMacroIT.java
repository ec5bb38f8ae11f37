package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.Side;
import org.dopaj.nigrosome.SmwiPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the built plugin: open an SMWI phantom, then Plugins›DopaJ›Nigrosome›
 * Predict SBR from a two-point selection, from typed centroids and from ROI Manager points on different slices, and
 * Crop ROIs to a folder — each must give what the core gives in this JVM.
 */
class NigrosomeMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path input;
    static SmwiPhantom.Result truth;
    static double[] expected;
    /** With both points on the left nigrosome's slice (one multi-point selection lies on one slice). */
    static double[] expectedOneSlice;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        truth = SmwiPhantom.generate(3.6, 1.4, 21);
        input = dir.resolve("smwi.nii.gz");
        Nifti.write(truth.smwi(), input, null);
        Volume v = Nifti.readVolume(input);
        try (SbrRegressor reg = SbrRegressor.load(model("left"), model("right"), ComputeDevice.CPU)) {
            SbrRegressor.Result r = reg.predict(v, org.dopaj.nigrosome.Centroids.parse("left=" + vox(Side.LEFT)
                    + " right=" + vox(Side.RIGHT), org.dopaj.nigrosome.Units.VOXEL, v.grid()));
            expected = new double[]{r.left().sbr(), r.right().sbr()};
            // both points on the left one's displayed slice: the right point's file voxel on that slice
            int[] rs = shown(v(Side.RIGHT));
            double[] rv = org.dopaj.io.DisplayOrientation.of(v.grid().affine(),
                    org.dopaj.io.DisplayOrientation.Convention.RADIOLOGICAL).toFile(v.grid().dims(), rs[0], rs[1],
                    shown(v(Side.LEFT))[2]);
            SbrRegressor.Result o = reg.predict(v, org.dopaj.nigrosome.Centroids.parse("left=" + vox(Side.LEFT)
                    + " right=" + (int) rv[0] + "," + (int) rv[1] + "," + (int) rv[2], org.dopaj.nigrosome.Units.VOXEL,
                    v.grid()));
            expectedOneSlice = new double[]{o.left().sbr(), o.right().sbr()};
        }
    }

    static Path model(String side) {
        return Path.of("models", SbrRegressor.BUNDLED + "-" + side).toAbsolutePath();
    }

    static int[] v(Side s) {
        return truth.nigrosomes().get(s).nearestVoxel();
    }

    /** Where voxel {@code v} of the file is shown (x, y, 0-based slice) in the radiological reading view. */
    static int[] shown(int[] v) {
        org.dopaj.image.Grid g = truth.smwi().grid();
        double[] d = org.dopaj.io.DisplayOrientation.of(g.affine(),
                org.dopaj.io.DisplayOrientation.Convention.RADIOLOGICAL).toDisplay(g.dims(), v[0], v[1], v[2]);
        return new int[]{(int) d[0], (int) d[1], (int) d[2]};
    }

    static String vox(Side s) {
        int[] p = v(s);
        return p[0] + "," + p[1] + "," + p[2];
    }

    /** The first Predict SBR log line after the line {@code tag}. */
    static double[] sbrs(String output, String tag) {
        Matcher t = Pattern.compile("(?m)^" + tag + "$").matcher(output);
        assertTrue(t.find(), tag + " missing:\n" + output);
        int at = t.end();
        Matcher m = Pattern.compile("DopaJ Predict SBR: sbr_left=(-?[0-9.]+) sbr_right=(-?[0-9.]+)").matcher(output);
        assertTrue(m.find(at), tag + " line missing:\n" + output);
        return new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void predictSbrFromPointsTextAndRoiManagerAndCropRois() throws Exception {
        // points are clicked where the image shows the nigrosomes (the reading view), typed centroids are file voxels
        int[] l = shown(v(Side.LEFT));
        int[] r = shown(v(Side.RIGHT));
        String model = "model=[" + model("left") + "]";
        Path crops = dir.resolve("crops");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                // two points on one slice, right one first: the sides come from the orientation
                + "setSlice(" + (l[2] + 1) + ");\n"
                + "makeSelection(\"point\", newArray(" + r[0] + "," + l[0] + "), newArray(" + r[1] + "," + l[1] + "));\n"
                + "print(\"POINTS\");\n"
                + "run(\"Predict SBR\", \"units=voxel " + model + " opacity=0.4\");\n"
                + "print(\"TEXT\");\n"
                + "run(\"Select None\");\n"
                + "run(\"Predict SBR\", \"centroids=[left=" + vox(Side.LEFT) + " right=" + vox(Side.RIGHT)
                + "] units=voxel " + model + " opacity=0.4\");\n"
                + "print(\"TABLE \" + Table.getString(\"side\", 0, \"DopaJ Nigrosome SBR\") + \" \""
                + " + d2s(Table.get(\"sbr\", 0, \"DopaJ Nigrosome SBR\"), 4));\n"
                + "run(\"Select None\");\n"
                + "setSlice(" + (r[2] + 1) + "); makePoint(" + r[0] + "," + r[1] + "); roiManager(\"add\");\n"
                + "setSlice(" + (l[2] + 1) + "); makePoint(" + l[0] + "," + l[1] + "); roiManager(\"add\");\n"
                + "run(\"Select None\");\n"
                + "print(\"MANAGER\");\n"
                + "run(\"Predict SBR\", \"units=voxel " + model + " opacity=0.4\");\n"
                + "run(\"Crop ROIs\", \"centroids=[left=" + vox(Side.LEFT) + " right=" + vox(Side.RIGHT)
                + "] units=voxel output_folder=[" + crops + "]\");\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result res = ij.runMacro(macro, 300);
        String out = res.output();
        assertTrue(out.contains("DONE"), res.output());
        assertFalse(res.output().contains("\tat org.dopaj"), res.output());
        assertArrayEquals(expectedOneSlice, sbrs(out, "POINTS"), 1e-4, "two points on one slice");
        assertArrayEquals(expected, sbrs(out, "TEXT"), 1e-4, "typed centroids");
        assertArrayEquals(expected, sbrs(out, "MANAGER"), 1e-4, "ROI Manager points on their own slices");
        assertTrue(out.contains("TABLE left " + String.format(java.util.Locale.ROOT, "%.4f", expected[0])), out);
        assertTrue(out.contains("DopaJ Crop ROIs: left " + vox(Side.LEFT).replace(",", ", ")), out);
        for (String side : new String[]{"left", "right"}) {
            Path f = crops.resolve("nigrosome_" + side + ".nii.gz");
            assertTrue(Files.isRegularFile(f), f + "\n" + res.output());
            Volume c = Nifti.readVolume(f);
            assertArrayEquals(truth.smwi().grid().toMm(v(side.equals("left") ? Side.LEFT : Side.RIGHT)[0],
                    v(side.equals("left") ? Side.LEFT : Side.RIGHT)[1], v(side.equals("left") ? Side.LEFT : Side.RIGHT)[2]),
                    c.grid().toMm(25, 25, 10), 1e-4);
        }
        assertEquals(2, Files.list(crops).count());
    }

    @Test
    void anUncalibratedImageIsRefusedInBatchModeAndAcceptedWithAVoxelSize() throws Exception {
        String model = "model=[" + model("left") + "]";
        String c = "centroids=[left=35,52,18 right=82,47,18] units=voxel";
        String macro = "setBatchMode(true);\n"
                + "newImage(\"plain\", \"32-bit ramp\", 120, 100, 40);\n"
                + "run(\"Add...\", \"value=1 stack\");\n"
                + "print(\"WITH\");\n"
                + "run(\"Predict SBR\", \"" + c + " voxel_size=0.5,0.5,1 " + model + " opacity=0.4\");\n"
                + "print(\"OLD KEYS\");\n"
                // the keys earlier versions recorded from the voxel-size prompt are still accepted
                + "run(\"Predict SBR\", \"" + c + " " + model + " opacity=0.4 x=0.5 y=0.5 z=1\");\n"
                + "print(\"WITHOUT\");\n"
                + "run(\"Predict SBR\", \"" + c + " " + model + " opacity=0.4\");\n"
                + "print(\"NOT REACHED\");\n";
        ImageJRunner.Result res = ij.runMacro(macro, 240);
        String out = res.output();
        assertArrayEquals(sbrs(out, "WITH"), sbrs(out, "OLD KEYS"), 0, "x= y= z= mean voxel_size=x,y,z");
        assertTrue(out.contains("DopaJ Predict SBR error: plain: no voxel size in mm"), out);
        assertFalse(out.contains("NOT REACHED"), "the macro must stop after the refusal:\n" + out);
    }
}
