package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.msa.MsaAnatomy;
import org.dopaj.msa.MsaClassifier;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaPhantom;
import org.dopaj.msa.MsaResult;
import org.dopaj.msa.MsaSharedData;
import org.dopaj.msa.MsaSubtype;
import org.dopaj.msa.MsaTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the plugin and the bundled PD/MSA model installed: open a GD and an MD map
 * (a family-A phantom written as NIfTI), Plugins›DopaJ›MSA vs PD by its menu label, read label and probability from the
 * results table; the same maps through the core classifier give the same probability. A GD map in per cent instead of
 * a fraction stops the macro with one line and opens nothing.
 */
class MsaMacroIT {
    static final Path MODEL = Paths.get("models", "msa-pd-gd-md");
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path gd;
    static Path md;

    @BeforeAll
    static void install() throws Exception {
        assumeTrue(Files.isDirectory(MODEL), "models/msa-pd-gd-md not bundled: skipping the MSA macro test");
        MsaPhantom.Subject s = MsaPhantom.generate(MsaAnatomy.aal(MsaSharedData.dir()), MsaPhantom.Params.FAMILY_A, 31,
                MsaSubtype.MSA_P);
        ij = ImageJRunner.install(dir);
        BrainMaskMacroIT.copyTree(MODEL, ij.home.resolve("models").resolve("msa-pd-gd-md"));
        gd = dir.resolve("sub01_gd.nii.gz");
        md = dir.resolve("sub01_md.nii.gz");
        Nifti.write(s.gd(), gd, null, NiftiDatatype.FLOAT32);
        Nifti.write(s.md(), md, null, NiftiDatatype.FLOAT32);
    }

    @Test
    void macroByMenuLabelGivesTheCoreClassifiersProbability() throws Exception {
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + gd + "]\");\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + md + "]\");\n"
                + "run(\"MSA vs PD\", \"gd=sub01_gd md=sub01_md task=msa opacity=0.5 colour_map=jet\");\n"
                + "print(\"LABEL \" + Table.getString(\"label\", 0, \"DopaJ MSA vs PD\"));\n"
                + "print(\"P \" + d2s(Table.get(\"probability_msa\", 0, \"DopaJ MSA vs PD\"), 6));\n"
                + "print(\"MODEL \" + Table.getString(\"model\", 0, \"DopaJ MSA vs PD\"));\n"
                + "print(\"IMAGES \" + nImages);\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        assertTrue(r.output().contains("DONE"), r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), r.output());
        assertTrue(r.output().contains("MODEL msa-pd-gd-md"), r.output());
        assertTrue(r.output().contains("IMAGES 3"), "the two maps and the CAM image:\n" + r.output());
        assertTrue(r.output().toLowerCase(java.util.Locale.ROOT).contains("research use only"), "notice in the log:\n" + r.output());
        String label = r.output().replaceAll("(?s).*LABEL (\\w+).*", "$1");
        double p = Double.parseDouble(r.output().replaceAll("(?s).*\nP ([0-9.]+).*", "$1"));
        try (MsaClassifier c = MsaClassifier.load(MODEL, MsaTask.MSA, MsaModality.GD_MD, ComputeDevice.CPU)) {
            Volume g = MsaInputs.gd(Nifti.readVolume(gd), "gd").map();
            Volume m = MsaInputs.md(Nifti.readVolume(md), "md").map();
            MsaResult expected = c.classify(g, m, List.of());
            assertEquals(expected.probabilityMsa(), p, 2e-6, "macro vs core classifier");
            assertEquals(expected.label(), label);
        }
    }

    @Test
    void aGreyMatterMapInPerCentStopsTheMacroWithOneLine() throws Exception {
        Volume v = Nifti.readVolume(gd);
        for (float[] pl : v.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] *= 100;
            }
        }
        Path pct = dir.resolve("pct_gd.nii.gz");
        Nifti.write(v, pct, null, NiftiDatatype.FLOAT32);
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + pct + "]\");\n"
                + "run(\"MSA vs PD\", \"gd=pct_gd md=none task=msa opacity=0.5 colour_map=jet\");\n"
                + "print(\"AFTER \" + nImages);\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        assertTrue(r.output().contains("outside [0, 1.5]"), r.output());
        assertFalse(r.output().contains("AFTER"), "the macro stops on a bad map:\n" + r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), r.output());
    }
}
