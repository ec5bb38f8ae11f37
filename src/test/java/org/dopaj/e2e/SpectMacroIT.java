package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dopaj.io.Nifti;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's macro in a real ImageJ 1.54p with the built plugin and the bundled models: open a DaT-SPECT phantom,
 * Plugins›DopaJ›DaT-SPECT›Quantify SBR and ›Classify by menu label, in batch mode under Xvfb.
 */
class SpectMacroIT {
    @TempDir
    static Path dir;
    static ImageJRunner ij;
    static Path input;
    static SpectPhantom.Phantom phantom;

    @BeforeAll
    static void install() throws Exception {
        ij = ImageJRunner.install(dir);
        // the bundled model is found beside the plugins folder, as in a Fiji installation that ships models/
        Files.createSymbolicLink(ij.home.resolve("models"), Paths.get("models").toAbsolutePath());
        phantom = SpectPhantom.generate(SpectPhantom.Params.builder().stage(3).fwhmMm(12)
                .moreAffected(SpectPhantom.Side.RIGHT).seed(31).build());
        input = dir.resolve("dat.nii.gz");
        Nifti.write(phantom.image(), input, null);
    }

    @Test
    void quantifyAndClassifyFromAMacro() throws Exception {
        String t = "\"DopaJ SBR\"";
        String c = "\"DopaJ DaT-SPECT Classification\"";
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "run(\"Quantify SBR\", \"hottest_voxels=125\");\n"
                + "for (i = 0; i < Table.size(" + t + "); i++) print(\"SBR \" + Table.getString(\"region\", i, " + t
                + ") + \" \" + d2s(Table.get(\"sbr\", i, " + t + "), 9));\n"
                + "print(\"VOI_OVERLAY \" + Overlay.size);\n"
                + "run(\"Classify\", \"opacity=0.5\");\n"
                + "print(\"CLASS \" + Table.getString(\"label\", 0, " + c + ") + \" \" + d2s(Table.get("
                + "\"probability_parkinsonian\", 0, " + c + "), 6));\n"
                + "print(\"IMAGES \" + nImages + \" \" + getTitle());\n"
                + "selectImage(1);\n"
                + "print(\"CAM_OVERLAY \" + Overlay.size);\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        String out = r.output();
        assertTrue(out.contains("DONE"), out);
        assertFalse(out.contains("error:"), out);
        Map<String, Double> sbr = new HashMap<>();
        Matcher m = Pattern.compile("SBR (\\w+) (\\S+)").matcher(out);
        while (m.find()) {
            sbr.put(m.group(1), m.group(2).equals("NaN") ? Double.NaN : Double.parseDouble(m.group(2)));
        }
        SbrResult expected = SbrQuantifier.defaults().quantify(Nifti.readVolume(input));
        for (String k : new String[] {"caudate_l", "caudate_r", "putamen_l", "putamen_r", "striatum_l", "striatum_r"}) {
            assertEquals(expected.sbr().get(k), sbr.get(k), 1e-6, k);
        }
        assertEquals(expected.putamenAsymmetryPct(), sbr.get("putamen_asymmetry_pct"), 1e-6);
        Matcher o = Pattern.compile("VOI_OVERLAY (\\d+)").matcher(out);
        assertTrue(o.find() && Integer.parseInt(o.group(1)) > 20, out);
        Matcher cl = Pattern.compile("CLASS (\\w+) (\\S+)").matcher(out);
        assertTrue(cl.find(), out);
        assertEquals("parkinsonian", cl.group(1));
        assertTrue(Double.parseDouble(cl.group(2)) > 0.5);
        assertTrue(out.contains("IMAGES 2 CAM of dat.nii.gz") || out.contains("IMAGES 2 CAM of dat"), out);
        Matcher co = Pattern.compile("CAM_OVERLAY (\\d+)").matcher(out);
        assertTrue(co.find() && Integer.parseInt(co.group(1)) == 92, "91 CAM slices + colour bar:\n" + out);
    }

    @Test
    void a2dImageGivesOneClearLine() throws Exception {
        String macro = "setBatchMode(true);\n"
                + "newImage(\"flat\", \"32-bit ramp\", 91, 109, 1);\n"
                + "run(\"Classify\", \"opacity=0.5\");\n"
                + "print(\"AFTER\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 180);
        assertTrue(r.output().contains("DopaJ Classify error: ") && r.output().contains("2D"), r.output());
        assertFalse(r.output().contains("\tat org.dopaj"), r.output());
        assertFalse(r.output().contains("AFTER"), "the macro stops after the error");
    }
}
