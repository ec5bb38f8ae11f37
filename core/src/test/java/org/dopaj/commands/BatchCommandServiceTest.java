package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dopaj.DopajException;
import org.dopaj.io.Nifti;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The Batch command headless through SciJava's CommandService, and its option parsing. */
class BatchCommandServiceTest {
    @TempDir
    Path dir;

    @Test
    void batchThroughCommandService() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Nifti.write(SpectPhantom.generate(SpectPhantom.Params.builder().stage(0).seed(8).build()).image(),
                in.resolve("hc.nii.gz"), null);
        Files.writeString(in.resolve("bad.nii"), "x");
        Context context = new Context(CommandService.class);
        try {
            CommandModule m = context.getService(CommandService.class).run(BatchAnalysisCommand.class, true, "input",
                    in.toString(), "capability", "spect-sbr", "output", dir.resolve("out").toString(), "options", "",
                    "jobs", 1, "report", false, "resume", false).get();
            assertEquals(2, (int) m.getOutput("cases"));
            assertEquals(1, (int) m.getOutput("failed"));
            assertTrue(Files.readString(Path.of((String) m.getOutput("results"))).contains("hc,"));
        } finally {
            context.dispose();
        }
    }

    @Test
    void optionsAreTheCommandLinesOwn() {
        assertEquals("", BatchAnalysisCommand.options("--cam --device cpu").get("cam"));
        assertEquals("cpu", BatchAnalysisCommand.options("--cam --device cpu").get("device"));
        assertThrows(DopajException.class, () -> BatchAnalysisCommand.options("--camm"));
        assertThrows(DopajException.class, () -> BatchAnalysisCommand.options("cam"));
    }
}
