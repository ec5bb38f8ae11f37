package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.wmh.WmhData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the plugin and the models installed: open the MNI152 T1 head,
 * Plugins›DopaJ›White-Matter Hypointensities, read the volumes from the results table, save the mask as NIfTI; the
 * saved mask has the input's grid and its voxels add up to the table's volume. The network when its package is
 * installed, else the threshold baseline.
 */
class WmhMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path input;
    static String method;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        BrainMaskMacroIT.copyTree(Paths.get("models", "brainmask-deeplabv3plus"),
                ij.home.resolve("models").resolve("brainmask-deeplabv3plus"));
        method = WmhData.hasModel() ? "network" : "threshold";
        if (WmhData.hasModel()) {
            BrainMaskMacroIT.copyTree(Paths.get("models", "wmh-unet3d"), ij.home.resolve("models").resolve("wmh-unet3d"));
        }
        input = dir.resolve("mni.nii.gz");
        Nifti.write(WmhData.mniHead(), input, null, NiftiDatatype.FLOAT32);
    }

    @Test
    void wmhFromAMacroIsSavedOnTheInputGrid() throws Exception {
        Path out = dir.resolve("wmh.nii.gz");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "run(\"White-Matter Hypointensities\", \"method=" + method
                + " show=probability colour_map=hot opacity=0.5 frame=0\");\n"
                + "print(\"VOLUME \" + Table.get(\"wmh_ml\", 0, \"DopaJ WMH\"));\n"
                + "print(\"PERI \" + Table.get(\"periventricular_ml\", 0, \"DopaJ WMH\"));\n"
                + "print(\"IMAGES \" + nImages);\n"
                + "selectImage(\"mni_wmh\");\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + out + "]\");\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        assertTrue(r.output().contains("DONE"), r.output());
        assertTrue(r.output().contains("IMAGES 4"), "input, overlay, probability and mask:\n" + r.output());
        assertTrue(r.output().contains("Research use only"), "notice in the log:\n" + r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), r.output());
        double ml = Double.parseDouble(r.output().replaceAll("(?s).*VOLUME ([0-9.]+).*", "$1"));
        NiftiImage a = Nifti.read(input);
        NiftiImage b = Nifti.read(out);
        assertArrayEquals(a.dims(), b.dims());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.affine()[i], b.affine()[i], 1e-6);
        }
        Volume m = Nifti.readVolume(out);
        long n = 0;
        for (float[] p : m.planes()) {
            for (float v : p) {
                assertTrue(v == 0 || v == 1);
                n += (long) v;
            }
        }
        assertEquals(ml, n * 8 / 1000.0, 0.01, "saved mask voxels × 8 mm³ = table volume");
    }

    @Test
    void aNonT1ImageStopsTheMacroWithOneLine() throws Exception {
        Path t2 = dir.resolve("t2like.nii.gz");
        Nifti.write(WmhData.invertedBrain(), t2, null, NiftiDatatype.FLOAT32);
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + t2 + "]\");\n"
                + "run(\"White-Matter Hypointensities\", \"method=threshold show=mask colour_map=hot opacity=0.5\");\n"
                + "print(\"AFTER \" + nImages);\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        assertTrue(r.output().contains("does not look T1-weighted"), r.output());
        assertFalse(r.output().contains("AFTER"), "the macro stops on a bad image:\n" + r.output());
        assertFalse(Files.exists(dir.resolve("t2like_wmh.nii.gz")));
    }
}
