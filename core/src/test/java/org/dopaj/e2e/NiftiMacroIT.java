package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the built plugin installed: File›Import›NIfTI (DopaJ)...,
 * Plugins›DopaJ›Volume Info and File›Save As›NIfTI (DopaJ)... by menu label, in batch mode under Xvfb.
 */
class NiftiMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path input;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        Volume t1 = HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 11).t1();
        input = dir.resolve("head.nii.gz");
        Nifti.write(t1, input, null, NiftiDatatype.byName("int16"));
    }

    @Test
    void openInfoSaveRoundTripIsBitExact() throws Exception {
        Path out = dir.resolve("saved.nii.gz");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "print(\"DIMS \" + getWidth() + \" \" + getHeight() + \" \" + nSlices);\n"
                + "getVoxelSize(w, h, d, unit);\n"
                + "print(\"VOX \" + w + \" \" + h + \" \" + d + \" \" + unit);\n"
                + "print(\"DISPLAY \" + Property.get(\"dopaj.display\"));\n"
                + "run(\"Volume Info\");\n"
                + "print(\"ORIENT \" + Table.getString(\"value\", 3, \"DopaJ Volume Info\"));\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + out + "]\");\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 180);
        assertTrue(r.output().contains("DIMS 91 109 91"), r.output());
        assertTrue(r.output().contains("VOX 2 2 2 mm"), r.output());
        assertTrue(r.output().contains("ORIENT LAS"), r.output());
        assertTrue(r.output().contains("DISPLAY +i -j +k"), "shown anterior up, radiological:\n" + r.output());
        assertTrue(r.output().contains("DONE"), r.output());
        assertTrue(Files.isRegularFile(out), "saved file missing; ImageJ said:\n" + r.output());

        NiftiImage a = Nifti.read(input);
        NiftiImage b = Nifti.read(out);
        assertEquals("int16", b.datatypeName());
        assertArrayEquals(a.data(), b.data(), "voxels must be bit-exact after open/save in ImageJ");
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.affine()[i], b.affine()[i], 1e-9);
        }
    }

    /** After the user resets the calibration (Image>Properties), ImageJ's calibration wins, with a log line. */
    @Test
    void imageJsCalibrationWinsOverTheStoredAffineOnceChanged() throws Exception {
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "setVoxelSize(1, 1, 1, \"pixel\");\n"
                + "run(\"Volume Info\");\n"
                + "print(\"CALIBRATED \" + Table.getString(\"value\", 8, \"DopaJ Volume Info\"));\n"
                + "run(\"Quantify SBR\", \"hottest_voxels=125\");\n"
                + "print(\"NOT REACHED\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 180);
        String out = r.output();
        assertTrue(out.contains("DopaJ Volume Info: head: ImageJ's calibration (1×1×1 pixel) was changed after opening:"
                + " it wins over the file's affine"), out);
        assertTrue(out.contains("CALIBRATED false"), out);
        assertTrue(out.contains("DopaJ Quantify SBR error: head: no voxel size in mm"), "refused where mm matter:\n" + out);
        assertFalse(out.contains("NOT REACHED"), out);
    }

    @Test
    void aCorruptFileGivesOneClearLineAndNoImage() throws Exception {
        Path bad = dir.resolve("broken.nii.gz");
        byte[] good = Files.readAllBytes(input);
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 3));
        Path out = dir.resolve("never.nii.gz");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + bad + "]\");\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + out + "]\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 120);
        assertTrue(r.output().contains("DopaJ Import NIfTI error: ") && r.output().contains("broken.nii.gz"), r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), "no stack trace for a bad file:\n" + r.output());
        assertFalse(Files.exists(out), "the macro must stop after the error");
    }
}
