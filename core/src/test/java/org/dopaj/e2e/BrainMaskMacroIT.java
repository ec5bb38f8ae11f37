package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiImage;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the built plugin and the bundled brain-mask model installed:
 * open a NIfTI head, Plugins›DopaJ›Brain Mask, save the mask as NIfTI; the saved mask has the input's grid.
 */
class BrainMaskMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path input;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        copyTree(Paths.get("models", "brainmask-deeplabv3plus"), ij.home.resolve("models").resolve("brainmask-deeplabv3plus"));
        Volume t1 = HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 11).t1();
        input = dir.resolve("head.nii.gz");
        Nifti.write(t1, input, null, NiftiDatatype.byName("int16"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }

    @Test
    void brainMaskFromAMacroIsSavedOnTheInputGrid() throws Exception {
        Path out = dir.resolve("mask.nii.gz");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "src = getTitle();\n"
                + "run(\"Brain Mask\", \"intervals=49 show_pseudocolour show_masked\");\n"
                + "print(\"VOLUME \" + Table.get(\"volume_ml\", 0, \"DopaJ Brain Mask\"));\n"
                + "print(\"IMAGES \" + nImages);\n"
                + "print(\"MASK \" + bitDepth() + \" \" + getTitle());\n"
                + "getMinAndMax(lo, hi); print(\"MASK_RANGE \" + lo + \" \" + hi);\n"
                + "selectImage(src); getMinAndMax(lo, hi); print(\"INPUT_RANGE \" + lo + \" \" + hi);\n"
                + "selectImage(\"head_brain\"); getMinAndMax(lo, hi); print(\"BRAIN_RANGE \" + lo + \" \" + hi);\n"
                + "selectImage(\"head_pseudocolour\");\n"
                + "names = \"\"; for (i = 0; i < Overlay.size; i++) { Overlay.activateSelection(i);"
                + " names = names + \"|\" + Roi.getName; }\n"
                + "run(\"Select None\"); print(\"PC_OVERLAY \" + names);\n"
                + "selectImage(\"head_brainmask\");\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + out + "]\");\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        assertTrue(r.output().contains("DONE"), r.output());
        assertTrue(r.output().contains("IMAGES 4"), "input, mask, masked brain and pseudo-colour view:\n" + r.output());
        assertTrue(r.output().contains("MASK 8 head_brainmask"), "the mask is 8-bit:\n" + r.output());
        assertTrue(r.output().contains("MASK_RANGE 0 1"), "pixels 0..255 shown in full, calibrated 0..1:\n" + r.output());
        String inRange = r.output().replaceAll("(?s).*INPUT_RANGE ([^\n]*).*", "$1");
        assertEquals(inRange, r.output().replaceAll("(?s).*BRAIN_RANGE ([^\n]*).*", "$1"),
                "the masked brain is shown with the input's range, not 0..0");
        assertTrue(r.output().contains("|DopaJ legend"), "the pseudo-colour view has its legend:\n" + r.output());
        assertTrue(r.output().contains("Research use only"), "notice in the log:\n" + r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), r.output());
        double ml = Double.parseDouble(r.output().replaceAll("(?s).*VOLUME ([0-9.]+).*", "$1"));
        assertTrue(ml > 1000 && ml < 2600, "volume " + ml);
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
    void anEmptyImageGivesOneClearLineAndNoMask() throws Exception {
        Path empty = dir.resolve("empty.nii.gz");
        Nifti.write(Volume.allocate(HeadPhantom.mni2mm()), empty, null);
        Path out = dir.resolve("never.nii.gz");
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + empty + "]\");\n"
                + "run(\"Brain Mask\", \"intervals=49\");\n"
                + "run(\"NIfTI (DopaJ)... \", \"save=[" + out + "]\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 180);
        assertTrue(r.output().contains("DopaJ Brain Mask error: ") && r.output().contains("empty"), r.output());
        assertFalse(Files.exists(out), "the macro must stop after the error");
    }
}
