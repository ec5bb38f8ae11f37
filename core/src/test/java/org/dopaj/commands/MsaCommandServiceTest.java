package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.msa.MsaAnatomy;
import org.dopaj.msa.MsaPhantom;
import org.dopaj.msa.MsaSharedData;
import org.dopaj.msa.MsaSubtype;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Plugins›DopaJ›MSA vs PD: its SciJava twin headless through CommandService, and the table of the IJ1 command. */
class MsaCommandServiceTest {
    static Context context;
    static CommandService commands;
    static MsaPhantom.Subject subject;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.getService(CommandService.class);
        subject = MsaPhantom.generate(MsaAnatomy.aal(MsaSharedData.dir()), MsaPhantom.Params.FAMILY_A, 31,
                MsaSubtype.MSA_P);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    @Test
    void bimodalRunGivesLabelProbabilityCamOverlayAndTable() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("models/msa-pd-gd-md")), "models/msa-pd-gd-md not bundled yet");
        ImagePlus gd = ImagePlusBridge.toImagePlus(subject.gd().copy(), "gd");
        ImagePlus md = ImagePlusBridge.toImagePlus(subject.md().copy(), "md");
        CommandModule m = commands.run(MsaPdCommand.class, true, "gd", gd, "md", md, "task", "msa", "opacity", 0.4,
                "colour_map", "inferno").get();
        String label = (String) m.getOutput("label");
        assertTrue(label.equals("MSA") || label.equals("PD"), label);
        double p = (double) m.getOutput("probability_msa");
        assertTrue(p >= 0 && p <= 1);
        ImagePlus cam = (ImagePlus) m.getOutput("cam");
        assertNotNull(cam);
        assertEquals(91, cam.getWidth());
        assertEquals(91, cam.getStackSize());
        Overlay o = gd.getOverlay();
        assertNotNull(o);
        assertTrue(o.get(o.size() - 1).getName().startsWith("colour bar inferno"));
        gd.setSlice(30);
        assertEquals(ImagePlus.COLOR_RGB, gd.flatten().getType());
        MsaPdCommand.Outcome out = MsaPdCommand.classify(gd, null, "msa", "", "");
        ResultsTable rt = MsaPdCommand.table(out, gd, null);
        assertEquals("msa-pd-gd", rt.getStringValue("model", 0));
        assertEquals(out.result().probabilityMsa(), rt.getValue("probability_msa", 0), 1e-12);
    }

    @Test
    void badInputsAreRefused() {
        ImagePlus gd = ImagePlusBridge.toImagePlus(subject.gd().copy(), "gd");
        ImagePlus mdUm = ImagePlusBridge.toImagePlus(subject.md().copy(), "md");
        for (int z = 1; z <= mdUm.getStackSize(); z++) {
            mdUm.getStack().getProcessor(z).multiply(1000);
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(MsaPdCommand.class, true, "gd", gd, "md", mdUm, "opacity", 0.5).get());
        assertTrue(causes(e).contains("µm²/ms"), causes(e));
        ExecutionException e2 = assertThrows(ExecutionException.class,
                () -> commands.run(MsaPdCommand.class, true, "gd", gd, "opacity", 1.5).get());
        assertTrue(causes(e2).contains("opacity"), causes(e2));
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
