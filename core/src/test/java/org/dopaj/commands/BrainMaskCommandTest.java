package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import ij.ImagePlus;
import ij.gui.Overlay;
import org.dopaj.Version;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Brain Mask through CommandService (as a Fiji script would run it) and the command's image building. */
class BrainMaskCommandTest {
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
    void masksThroughCommandServiceWithoutTouchingTheInput() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 2).t1(), "head.nii.gz");
        float before = imp.getStack().getProcessor(46).getf(45, 55);
        CommandModule m = commands.run(BrainMaskCommand.class, true, "image", imp, "intervals", 49).get();
        ImagePlus mask = (ImagePlus) m.getOutput("mask");
        ImagePlus pc = (ImagePlus) m.getOutput("pseudocolour");
        double ml = (Double) m.getOutput("volume_ml");
        assertEquals("head_brainmask", mask.getTitle());
        assertEquals(91, mask.getStackSize());
        assertEquals(imp.getProp(ImagePlusBridge.AFFINE_PROP), mask.getProp(ImagePlusBridge.AFFINE_PROP));
        assertEquals(8, mask.getBitDepth(), "masks are 8-bit 0/255, as ImageJ's binary commands expect");
        assertEquals(255, mask.getStack().getProcessor(46).get(45, 55), "brain centre is in the mask");
        assertEquals(1.0, mask.getCalibration().getCValue(255), 1e-12, "calibrated value 1 inside, as the CLI's file");
        ImagePlus brain = (ImagePlus) m.getOutput("brain");
        assertTrue(brain.getDisplayRangeMax() > 0, "the masked brain is not shown as solid white (range 0..0)");
        assertEquals(8, pc.getBitDepth());
        assertEquals("49", pc.getProp("dopaj.intervals"));
        assertTrue(ml > 1000 && ml < 2600, "volume " + ml);
        assertEquals(Version.NOTICE, m.getOutput("notice"));
        assertEquals(before, imp.getStack().getProcessor(46).getf(45, 55), "input unchanged");
        assertEquals(null, imp.getOverlay(), "no overlay put on the input");
    }

    @Test
    void conventionParameterGivesTheIntracranialMaskAroundTheBrain() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 2).t1(), "head");
        double brain = (Double) commands.run(BrainMaskCommand.class, true, "image", imp, "convention", "brain").get()
                .getOutput("volume_ml");
        double icv = (Double) commands.run(BrainMaskCommand.class, true, "image", imp, "convention", "intracranial")
                .get().getOutput("volume_ml");
        assertTrue(icv >= brain, "intracranial " + icv + " mL holds the brain's " + brain + " mL");
        BrainMaskCommand.Output o = BrainMaskCommand.compute(imp, 1, 49, 0, 0, org.dopaj.brainmask.BrainMaskModel.Convention
                .INTRACRANIAL, false, false, false);
        assertEquals(org.dopaj.brainmask.BrainMaskModel.Convention.INTRACRANIAL, o.result().convention());
        assertEquals("intracranial", BrainMaskCommand.table("head", o).getStringValue("convention", 0));
    }

    @Test
    void outlineOverlayFollowsTheMaskSliceBySlice() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 2).t1(), "head");
        BrainMaskCommand.Output o = BrainMaskCommand.compute(imp, 1, 49, 0, 0, false, false, true);
        Overlay ov = o.outline().getOverlay();
        assertNotNull(ov);
        int slicesWithBrain = 0;
        for (int z = 1; z <= o.mask().getStackSize(); z++) {
            if (o.mask().getStack().getProcessor(z).getStatistics().max > 0) {
                slicesWithBrain++;
            }
        }
        int outlines = 0;
        for (ij.gui.Roi r : ov.toArray()) {
            if (r.getName().startsWith("DopaJ brain outline")) {
                outlines++;
                assertTrue(r.getPosition() >= 1);
            }
        }
        assertEquals(slicesWithBrain, outlines, "one outline ROI per slice with brain");
    }

    @Test
    void anUncalibratedImageIsMaskedWithAWarningNotASilentVolume() {
        ImagePlus cal = ImagePlusBridge.toImagePlus(HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 2).t1(), "x");
        ImagePlus imp = new ImagePlus("plain", cal.getStack());
        imp.setCalibration(new ij.measure.Calibration());
        BrainMaskCommand.Output o = BrainMaskCommand.compute(imp, 1, 49, 0, 0, false, false, false);
        assertEquals(1, o.warnings().size(), o.warnings().toString());
        assertTrue(o.warnings().get(0).contains("1 mm voxels assumed"), o.warnings().get(0));
        assertTrue(BrainMaskCommand.table("plain", o).getStringValue("notes", 0).contains("no voxel size in mm"));
    }

    @Test
    void refusesAnEmptyImage() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(BrainMaskCommand.class, true, "image", new ImagePlus()).get());
        assertTrue(String.valueOf(CommandServiceTest.rootMessage(e)).contains("missing"),
                String.valueOf(CommandServiceTest.rootMessage(e)));
    }
}
