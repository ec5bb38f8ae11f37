package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.wmh.WmhData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** White-Matter Hypointensities through CommandService (as a Fiji script would run it), and its table. */
class WmhCommandServiceTest {
    static Context context;
    static CommandService commands;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.getService(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    @Test
    void runsThroughCommandServiceWithAnOverlayAndLeavesTheInputAlone() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(WmhData.mniHead(), "mni.nii.gz");
        float before = imp.getStack().getProcessor(46).getf(45, 55);
        CommandModule m = commands.run(WmhCommand.class, true, "image", imp, "method", "threshold", "show", "mask",
                "colour_map", "hot", "opacity", 0.6).get();
        ImagePlus mask = (ImagePlus) m.getOutput("mask");
        ImagePlus prob = (ImagePlus) m.getOutput("probability");
        ImagePlus ov = (ImagePlus) m.getOutput("overlay");
        assertEquals("mni_wmh", mask.getTitle());
        assertEquals("mni_wmh_prob", prob.getTitle());
        assertEquals(91, mask.getStackSize());
        assertEquals(imp.getProp(ImagePlusBridge.AFFINE_PROP), mask.getProp(ImagePlusBridge.AFFINE_PROP));
        assertNotNull(ov.getOverlay(), "the overlay image carries the colour overlay");
        double ml = (Double) m.getOutput("wmh_ml");
        double sum = (Double) m.getOutput("periventricular_ml") + (Double) m.getOutput("deep_ml")
                + (Double) m.getOutput("juxtacortical_ml");
        assertEquals(ml, sum, 1e-6);
        assertEquals(Version.NOTICE, m.getOutput("notice"));
        assertEquals(before, imp.getStack().getProcessor(46).getf(45, 55), "input unchanged");
        assertEquals(null, imp.getOverlay(), "no overlay put on the input");
        WmhCommand.Output o = WmhCommand.compute(imp, 1, "threshold", "probability", "viridis", 0.5, false);
        ResultsTable rt = WmhCommand.table("mni", o);
        assertEquals(o.result().wmhMl(), rt.getValue("wmh_ml", 0), 1e-9);
        assertEquals("threshold", rt.getStringValue("method", 0));
    }

    @Test
    void badParametersAreRefused() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(WmhData.mniHead(), "mni");
        DopajException e = assertThrows(DopajException.class,
                () -> WmhCommand.compute(imp, 1, "threshold", "mask", "hot", 1.5, false));
        assertTrue(e.getMessage().contains("opacity"), e.getMessage());
        ExecutionException x = assertThrows(ExecutionException.class,
                () -> commands.run(WmhCommand.class, true, "image", new ImagePlus()).get());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = x; t != null; t = t.getCause()) {
            chain.append(t).append(" | ");
        }
        assertTrue(chain.toString().contains("missing or empty"), chain.toString());
    }
}
