package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.dopaj.io.DisplayOrientation;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.Side;
import org.dopaj.nigrosome.SmwiPhantom;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record → replay, as a user with the Macro Recorder open would: every DopaJ menu command is run once in a real
 * ImageJ 1.54p with ImageJ's own Recorder recording (points instead of typed centroids, defaults left alone), then the
 * recorded lines — exactly as the Recorder wrote them, only the output names changed — are run in a fresh ImageJ; both
 * runs must give the same numbers and the same files.
 */
class RecordReplayMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path smwi;
    static Path spect;
    static Path head;
    static Path normals;
    static SmwiPhantom.Result truth;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        ij.installHelper();
        Files.createSymbolicLink(ij.home.resolve("models"), Paths.get("models").toAbsolutePath());
        truth = SmwiPhantom.generate(3.6, 1.4, 21);
        smwi = dir.resolve("smwi.nii.gz");
        Nifti.write(truth.smwi(), smwi, null);
        spect = dir.resolve("dat.nii.gz");
        Nifti.write(SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12)
                .moreAffected(SpectPhantom.Side.LEFT).seed(8).build()).image(), spect, null);
        head = dir.resolve("head.nii.gz");
        Nifti.write(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 11).t1(), head, null, NiftiDatatype.byName("int16"));
        normals = dir.resolve("normals.csv");
        Files.writeString(normals, "region,mean,sd,age_slope,ref_age\nputamen_l,2.6,0.4,-0.01,60\n"
                + "putamen_r,2.6,0.4,-0.01,60\nstriatum_l,2.9,0.4,0,60\n");
    }

    /** Display position (x, y, slice 1-based) of a nigrosome in the radiological reading view. */
    static int[] shown(Side s) {
        Grid g = truth.smwi().grid();
        int[] v = truth.nigrosomes().get(s).nearestVoxel();
        double[] d = DisplayOrientation.of(g.affine(), DisplayOrientation.Convention.RADIOLOGICAL)
                .toDisplay(g.dims(), v[0], v[1], v[2]);
        return new int[]{(int) d[0], (int) d[1], (int) d[2] + 1};
    }

    /** The result lines every command logs (numbers to compare between the runs). */
    static List<String> results(String out) {
        return out.lines().filter(l -> l.startsWith("DopaJ Crop ROIs:") || l.startsWith("DopaJ Predict SBR: sbr")
                || l.startsWith("DopaJ SBR {") || l.startsWith("DopaJ Classify dat")
                || l.matches("DopaJ Brain Mask: head (brain|intracranial) mask volume .*")).collect(Collectors.toList());
    }

    /** The voxel size of an uncalibrated image is recorded under its documented key, whichever way it was given. */
    @Test
    void theVoxelSizeIsRecordedAsVoxelSize() throws Exception {
        String model = Path.of("models", SbrRegressor.BUNDLED + "-left").toAbsolutePath().toString();
        String image = "newImage(\"plain\", \"32-bit ramp\", 120, 100, 40);\nrun(\"Add...\", \"value=1 stack\");\n";
        String macro = "setBatchMode(true);\n" + image
                + "run(\"DopaJ Test Helper\", \"start\");\n"
                // the keys an older version's prompt recorded
                + "run(\"Predict SBR\", \"centroids=[left=35,52,18 right=82,47,18] units=voxel model=[" + model
                + "] opacity=0.4 x=0.5 y=0.5 z=1\");\n"
                + "run(\"DopaJ Test Helper\", \"print\");\n";
        String out = ij.runMacro(macro, 240).output();
        String line = out.lines().filter(l -> l.startsWith("RECORDED run(\"Predict SBR\"")).findFirst().orElse("");
        assertTrue(line.contains(" voxel_size=0.5,0.5,1 "), out);
        assertFalse(line.contains(" x="), line);
        String replay = "setBatchMode(true);\n" + image + line.substring("RECORDED ".length()) + "\n";
        List<String> a = results(out);
        List<String> b = results(ij.runMacro(replay, 240).output());
        assertEquals(1, a.size(), out);
        assertEquals(a, b);
    }

    @Test
    void everyCommandRecordsALineThatReplaysToTheSameResult() throws Exception {
        int[] l = shown(Side.LEFT);
        int[] r = shown(Side.RIGHT);
        String model = Path.of("models", SbrRegressor.BUNDLED + "-left").toAbsolutePath().toString();
        String macro = "setBatchMode(true);\n"
                + "run(\"DopaJ Test Helper\", \"start\");\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + smwi + "]\");\n"
                + "run(\"Volume Info\");\n"
                // two clicked points on the displayed slice of the left nigrosome, right one first
                + "setSlice(" + l[2] + ");\n"
                + "makeSelection(\"point\", newArray(" + r[0] + "," + l[0] + "), newArray(" + r[1] + "," + l[1] + "));\n"
                + "run(\"Crop ROIs\", \"units=voxel output_folder=[" + dir.resolve("rec_crops") + "]\");\n"
                + "selectImage(\"smwi\");\n"
                + "setSlice(" + l[2] + ");\n"
                + "makeSelection(\"point\", newArray(" + r[0] + "," + l[0] + "), newArray(" + r[1] + "," + l[1] + "));\n"
                + "run(\"Predict SBR\", \"units=voxel model=[" + model + "] opacity=0.4\");\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + spect + "]\");\n"
                + "run(\"Quantify SBR\", \"hottest_voxels=125 normals=[" + normals + "] age=67\");\n"
                + "run(\"Classify\", \"opacity=0.4 colour_map=hot\");\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + head + "]\");\n"
                + "run(\"Brain Mask\", \"intervals=49 show_pseudocolour\");\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + dir.resolve("rec_mask.nii.gz") + "]\");\n"
                + "run(\"DopaJ Test Helper\", \"print\");\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result rec = ij.runMacro(macro, 400);
        String out = rec.output();
        assertTrue(out.contains("DONE"), out);
        assertFalse(out.contains("error:"), out);
        List<String> recorded = new ArrayList<>();
        for (String line : out.lines().collect(Collectors.toList())) {
            if (line.startsWith("RECORDED run(")) {
                recorded.add(line.substring("RECORDED ".length()));
            }
        }
        String text = String.join("\n", recorded);
        for (String cmd : new String[]{"NIfTI (DopaJ)...", "Volume Info", "Crop ROIs", "Predict SBR", "Quantify SBR",
            "Classify", "Brain Mask", "NIfTI (DopaJ)... "}) {
            assertTrue(text.contains("run(\"" + cmd + "\""), cmd + " not recorded:\n" + text);
        }
        assertFalse(text.contains("centroids=[]"), text);
        assertFalse(text.contains("makePoint"), text);
        int[] lv = truth.nigrosomes().left().nearestVoxel();
        assertTrue(text.contains("centroids=[left=" + lv[0] + "," + lv[1] + "," + lv[2] + " right="),
                "points recorded as the file's voxel indices:\n" + text);
        assertTrue(text.contains("normals=" + normals) && text.contains("age=67"), text);
        assertTrue(text.contains("open=" + smwi), text);

        // the user clicked the SMWI window again before Predict SBR: the Recorder writes that click as selectWindow
        String lines = String.join("\n", recorded).replace("rec_", "rep_")
                .replace("run(\"Predict SBR\"", "selectWindow(\"smwi\");\nrun(\"Predict SBR\"");
        String replay = "setBatchMode(true);\n" + lines + "\nprint(\"DONE\");\n";
        ImageJRunner.Result rep = ij.runMacro(replay, 400);
        assertTrue(rep.output().contains("DONE"), rep.output());
        assertFalse(rep.output().contains("error:"), rep.output());
        List<String> a = results(out);
        List<String> b = results(rep.output());
        assertEquals(5, a.size(), "one result line per computing command: " + a);
        assertEquals(a, b, "the replay gives what the recorded run gave");
        for (String f : new String[]{"crops/nigrosome_left.nii.gz", "crops/nigrosome_right.nii.gz", "mask.nii.gz"}) {
            assertArrayEquals(Nifti.read(dir.resolve("rec_" + f)).data(), Nifti.read(dir.resolve("rep_" + f)).data(), f);
        }
        Volume m = Nifti.readVolume(dir.resolve("rep_mask.nii.gz"));
        for (float[] p : m.planes()) {
            for (float v : p) {
                assertTrue(v == 0 || v == 1, "the saved mask reads 0/1 as the CLI's: " + v);
            }
        }
    }
}
