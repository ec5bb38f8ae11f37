package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import java.util.concurrent.ExecutionException;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectPhantom;
import org.dopaj.spect.SpectVois;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The DaT-SPECT SciJava commands headless through CommandService, and the Fiji command cores they share. */
class SpectCommandServiceTest {
    static Context context;
    static CommandService commands;
    static SpectPhantom.Phantom stage3;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.getService(CommandService.class);
        stage3 = SpectPhantom.generate(SpectPhantom.Params.builder().stage(3).fwhmMm(12)
                .moreAffected(SpectPhantom.Side.LEFT).seed(21).build());
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    @Test
    void quantifyGivesTheQuantifierNumbers() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(stage3.image(), "stage3");
        CommandModule m = commands.run(SpectQuantifyCommand.class, true, "image", imp, "hottest_voxels", 125).get();
        SbrResult r = SbrQuantifier.defaults().quantify(stage3.image());
        assertEquals(r.sbr().get("putamen_l"), (double) m.getOutput("putamen_l"), 1e-12);
        assertEquals(r.sbr().get("striatum_r"), (double) m.getOutput("striatum_r"), 1e-12);
        assertEquals(r.putamenAsymmetryPct(), (double) m.getOutput("putamen_asymmetry_pct"), 1e-12);
        assertTrue((double) m.getOutput("putamen_l") < (double) m.getOutput("putamen_r"), "left more affected");
    }

    @Test
    void quantifyTableAndVoiOverlay() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(stage3.image(), "stage3");
        SpectQuantifyCommand.Result r = SpectQuantifyCommand.quantify(imp, "", "", 125, true);
        ResultsTable rt = SpectQuantifyCommand.table(r.sbr());
        assertEquals("caudate_l", rt.getStringValue("region", 0));
        assertEquals(r.sbr().sbr().get("caudate_l"), rt.getValue("sbr", 0), 1e-9);
        Overlay o = SpectQuantifyCommand.voiOverlay(r.vois(), imp, r.normalisation());
        assertTrue(o.size() > 20, "outlines on many slices: " + o.size());
        // slice through the putamen centre (z = 2 mm → k = 37) carries putamen outlines
        boolean putamen = false;
        for (int i = 0; i < o.size(); i++) {
            putamen |= o.get(i).getName().startsWith("putamen_post_l z38");
        }
        assertTrue(putamen, "posterior left putamen outline on slice 38");
    }

    @Test
    void classifyGivesLabelProbabilityOverlayAndCamImage() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(stage3.image(), "stage3");
        CommandModule m = commands.run(SpectClassifyCommand.class, true, "image", imp, "opacity", 0.4,
                "colour_map", "inferno").get();
        assertEquals("parkinsonian", m.getOutput("label"));
        assertTrue((double) m.getOutput("probability_parkinsonian") > 0.5);
        ImagePlus cam = (ImagePlus) m.getOutput("cam");
        assertNotNull(cam);
        assertEquals(91, cam.getWidth());
        assertEquals(109, cam.getHeight());
        assertEquals(91, cam.getStackSize());
        Overlay o = imp.getOverlay();
        assertNotNull(o);
        assertEquals(91, Overlays.count(imp, Overlays.CAM), "one CAM slice per z");
        assertEquals(1, Overlays.count(imp, Legends.GROUP), "one colour bar");
        assertTrue(o.get(91).getName().startsWith("DopaJ legend Grad-CAM inferno 0..1"), o.get(91).getName());
        // the overlay renders: flattening the middle slice gives an RGB image
        imp.setSlice(40);
        assertEquals(ImagePlus.COLOR_RGB, imp.flatten().getType());
    }

    @Test
    void classifyRefusesBadOpacityAndAnEmptyImage() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(stage3.image(), "stage3");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(SpectClassifyCommand.class, true, "image", imp, "opacity", 1.5).get());
        assertTrue(causes(e).contains("opacity"), causes(e));
        ImagePlus empty = ImagePlusBridge.toImagePlus(org.dopaj.image.Volume.allocate(SpectVois.mni2mm().grid()), "e");
        ExecutionException e2 = assertThrows(ExecutionException.class,
                () -> commands.run(SpectClassifyCommand.class, true, "image", empty, "opacity", 0.5).get());
        assertTrue(causes(e2).contains("empty"), causes(e2));
    }

    /** The messages of the whole cause chain (SciJava wraps a command's exception). */
    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
