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
        ij.installHelper();
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
                + "print(\"OPENED_AT \" + getSliceNumber());\n"
                + "run(\"DopaJ Test Helper\", \"png=[" + dir.resolve("vois.png") + "]\");\n"
                + "run(\"Classify\", \"opacity=0.5\");\n"
                + "print(\"CLASS \" + Table.getString(\"label\", 0, " + c + ") + \" \" + d2s(Table.get("
                + "\"probability_parkinsonian\", 0, " + c + "), 6));\n"
                + "print(\"IMAGES \" + nImages + \" \" + getTitle());\n"
                // the CAM window opens on the slice of the CAM's maximum
                + "print(\"CAM_SHOWN \" + getSliceNumber());\n"
                + "best = 1; top = -1; for (z = 1; z <= nSlices; z++) { setSlice(z); getStatistics(a, m, mn, mx);"
                + " if (mx > top) { top = mx; best = z; } }\n"
                + "print(\"CAM_SLICE \" + best);\n"
                + "selectImage(1);\n"
                + "shownAt = getSliceNumber();\n"
                + "names = \"\"; for (i = 0; i < Overlay.size; i++) { Overlay.activateSelection(i);"
                + " names = names + \"|\" + Roi.getName; }\n"
                + "run(\"Select None\");\n"
                + "print(\"GROUPS \" + names);\n"
                + "setSlice(shownAt);\n" // activating an overlay ROI moved to its slice
                + "run(\"DopaJ Test Helper\", \"png=[" + dir.resolve("vois_cam.png") + "]\");\n"
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
        // the image opens at the striatum (MNI z ≈ +2 mm: slice 38 of 91) and the CAM window at its maximum
        int opened = Integer.parseInt(out.replaceAll("(?s).*OPENED_AT (\\d+).*", "$1"));
        assertTrue(Math.abs(opened - 38) <= 5, "opened at slice " + opened);
        assertEquals(out.replaceAll("(?s).*CAM_SLICE (\\d+).*", "$1"), out.replaceAll("(?s).*CAM_SHOWN (\\d+).*", "$1"),
                "the CAM window opens on the slice of its maximum");
        // VOIs and CAM add up: both groups, the CAM's titled colour bar and the orientation letters
        String groups = out.replaceAll("(?s).*GROUPS ([^\n]*).*", "$1");
        String[] names = groups.substring(1).split("\\|");
        long vois = java.util.Arrays.stream(names).filter(n -> n.startsWith("DopaJ VOIs")).count();
        long cam = java.util.Arrays.stream(names).filter(n -> n.startsWith("DopaJ CAM")).count();
        assertTrue(vois > 20, groups);
        assertEquals(91, cam, groups);
        assertTrue(groups.contains("|DopaJ legend Grad-CAM jet 0..1"), groups);
        assertEquals(4, java.util.Arrays.stream(names).filter(n -> n.startsWith("DopaJ orientation")).count(), groups);
        assertPixels(dir.resolve("vois.png"), dir.resolve("vois_cam.png"));
    }

    /**
     * Flattened pictures before and after Classify: every VOI-outline pixel (caudate blue, putamen green/yellow) is still
     * there with the CAM drawn, the CAM changed many other pixels, the colour bar's white box with its black title sits
     * in the top-right corner, and yellow orientation letters are on the edges.
     */
    static void assertPixels(Path before, Path after) throws java.io.IOException {
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(before.toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(after.toFile());
        assertEquals(a.getWidth(), b.getWidth());
        int outline = 0;
        int changed = 0;
        int[] voiColours = {0x00a0ff, 0x00dc00, 0xffc800};
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int pa = a.getRGB(x, y) & 0xffffff;
                int pb = b.getRGB(x, y) & 0xffffff;
                for (int c : voiColours) {
                    if (pa == c) {
                        outline++;
                        assertEquals(c, pb, "VOI outline pixel at " + x + "," + y + " lost under the CAM");
                    }
                }
                if (pa != pb) {
                    changed++;
                }
            }
        }
        assertTrue(outline > 20, "VOI outlines drawn: " + outline);
        assertTrue(changed > 200, "CAM blended into the picture: " + changed);
        int white = 0;
        int black = 0;
        for (int y = 2; y < 20; y++) {
            for (int x = b.getWidth() - 40; x < b.getWidth() - 2; x++) {
                int p = b.getRGB(x, y) & 0xffffff;
                white += p == 0xffffff ? 1 : 0;
                black += p == 0 ? 1 : 0;
            }
        }
        assertTrue(white > 200 && black > 10, "colour-bar title box: white " + white + ", black " + black);
        int yellow = 0;
        for (int y = 0; y < b.getHeight(); y++) {
            for (int x = 0; x < 10; x++) {
                yellow += (b.getRGB(x, y) & 0xffffff) == 0xffff00 ? 1 : 0;
            }
        }
        assertTrue(yellow > 5, "orientation letter on the left edge: " + yellow);
    }

    /** The atlas may be a file or an open image (by title): both give the same SBRs. */
    @Test
    void atlasFromAFileOrAnOpenImage() throws Exception {
        Path atlas = dir.resolve("labels.nii.gz");
        Nifti.write(org.dopaj.spect.SpectVois.mni2mm().labels(), atlas, null);
        String spec = "caudate_l=1,caudate_r=2,putamen_l=3+5,putamen_r=4+6,reference=7";
        String t = "\"DopaJ SBR\"";
        String macro = "setBatchMode(true);\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + atlas + "]\");\n"
                + "run(\"NIfTI (DopaJ)...\", \"open=[" + input + "]\");\n"
                + "run(\"Quantify SBR\", \"atlas=[" + atlas + "] atlas_labels=[" + spec + "] no_normalise\");\n"
                + "print(\"FILE \" + d2s(Table.get(\"sbr\", 2, " + t + "), 9));\n"
                + "run(\"Quantify SBR\", \"atlas=labels atlas_labels=[" + spec + "] no_normalise\");\n"
                + "print(\"IMAGE \" + d2s(Table.get(\"sbr\", 2, " + t + "), 9));\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 240);
        String out = r.output();
        assertTrue(out.contains("DONE"), out);
        assertFalse(out.contains("error:"), out);
        String file = out.replaceAll("(?s).*\nFILE (\\S+).*", "$1");
        assertEquals(file, out.replaceAll("(?s).*\nIMAGE (\\S+).*", "$1"), out);
        assertTrue(Double.parseDouble(file) > 0, out);
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
