package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The SciJava commands run headless through CommandService, as a Fiji script or a headless batch would. */
class CommandServiceTest {
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
    void opensANiftiAndReportsItsGeometry(@TempDir Path dir) throws Exception {
        Grid g = HeadPhantom.mni2mm();
        Volume v = HeadPhantom.generate(g, 2, 7).t1();
        Path f = dir.resolve("head.nii.gz");
        Nifti.write(v, f, null);

        CommandModule open = commands.run(OpenVolumeCommand.class, true, "file", f.toFile()).get();
        ImagePlus imp = (ImagePlus) open.getOutput("image");
        assertNotNull(imp);
        assertEquals("LAS", open.getOutput("orientation"));
        assertEquals(91, imp.getWidth());
        assertEquals(109, imp.getHeight());
        assertEquals(91, imp.getStackSize());
        // shown in the radiological reading view: this LAS file's j (posterior→anterior) runs upwards
        assertEquals("+i -j +k", imp.getProp("dopaj.display"));
        assertEquals(v.get(45, 60, 40), imp.getStack().getProcessor(41).getf(45, 108 - 60), 0f);

        CommandModule info = commands.run(VolumeInfoCommand.class, true, "image", imp).get();
        assertEquals("91×109×91", info.getOutput("dims"));
        assertEquals("LAS", info.getOutput("orientation"));
        assertEquals("2.00000 2.00000 2.00000", info.getOutput("voxel_mm"));
        assertTrue(((String) info.getOutput("affine")).startsWith("[-2.0, 0.0, 0.0, 90.0]"), (String) info.getOutput("affine"));
    }

    @Test
    void refusesAMissingFileWithItsName(@TempDir Path dir) {
        File missing = dir.resolve("nope.nii.gz").toFile();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(OpenVolumeCommand.class, true, "file", missing).get());
        assertTrue(String.valueOf(rootMessage(e)).contains("nope.nii.gz"), String.valueOf(rootMessage(e)));
    }

    @Test
    void refusesAnEmptyImageInput() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> commands.run(VolumeInfoCommand.class, true, "image", new ImagePlus()).get());
        assertTrue(String.valueOf(rootMessage(e)).contains("image is missing"), String.valueOf(rootMessage(e)));
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
