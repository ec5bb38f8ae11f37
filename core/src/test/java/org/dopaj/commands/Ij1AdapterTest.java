package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;
import ij.measure.ResultsTable;
import org.dopaj.DopajException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;

/**
 * The ImageJ 1 adapter reads a command's inputs from macro options as plain ImageJ 1 does headless (defaults for
 * missing keys, checkboxes on only when named, older keys accepted, ranges and choices checked) and writes back the
 * options that replay the run.
 */
class Ij1AdapterTest {
    private String threadName;

    @BeforeEach
    void macroThread() {
        threadName = Thread.currentThread().getName();
        Thread.currentThread().setName("Run$_adapter_test"); // Macro.getOptions() is null on other threads
    }

    @AfterEach
    void restore() {
        Macro.setOptions(null);
        Thread.currentThread().setName(threadName);
    }

    private static Module run(String options) throws Exception {
        CommandInfo info = Ij1Adapter.info(AdapterProbeCommand.class.getName());
        Macro.setOptions(options);
        return Ij1Adapter.execute(info, new ImagePlus("probe", new ij.process.FloatProcessor(4, 4)), options, false);
    }

    @Test
    void missingKeysTakeTheDeclaredDefaultsAndCheckboxesNeedTheirKey() throws Exception {
        Module m = run("");
        assertEquals("probe - 125 0.5 jet false true ", m.getOutput("echo"), "no options at all: every default");
        m = run("opacity=0.25 colour_map=hot show_qc output_folder=[/tmp/a b]");
        assertEquals("probe - 125 0.25 hot true false /tmp/a b", m.getOutput("echo"),
                "with options, a checkbox is on only when its key is given");
        assertEquals(125.0, ((ResultsTable) m.getOutput("table")).getValue("hottest_voxels", 0), 0);
    }

    @Test
    void olderKeysAreAcceptedAndTheRecordedLineUsesTodaysKeys() throws Exception {
        CommandInfo info = Ij1Adapter.info(AdapterProbeCommand.class.getName());
        Module m = run("hottest=64 colour_map=hot");
        assertTrue(((String) m.getOutput("echo")).startsWith("probe - 64 "), (String) m.getOutput("echo"));
        String recorded = Ij1Adapter.options(Ij1Adapter.fields(info, info.createModule()), m);
        assertEquals("other=none hottest_voxels=64 opacity=0.5 colour_map=hot note=[filled by the command]", recorded);
        assertEquals("hottest_voxels=8", Ij1Adapter.canonical("hottest_voxels=8", Ij1Adapter.fields(info,
                info.createModule())), "today's key is left alone");
        // the recorded line replays to the same values
        Module replay = run(recorded);
        assertEquals(m.getOutput("echo"), replay.getOutput("echo"));
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        DopajException e = assertThrows(DopajException.class, () -> run("opacity=2"));
        assertEquals("parameter opacity must be between 0 and 1, got 2", e.getMessage());
        e = assertThrows(DopajException.class, () -> run("hottest_voxels=0"));
        assertEquals("parameter hottest_voxels must be at least 1, got 0", e.getMessage());
        e = assertThrows(DopajException.class, () -> run("hottest_voxels=2.5"));
        assertEquals("parameter hottest_voxels needs a whole number, got 2.5", e.getMessage());
        e = assertThrows(DopajException.class, () -> run("colour_map=rainbow"));
        assertEquals("parameter colour_map must be one of jet, hot; got 'rainbow'", e.getMessage());
        e = assertThrows(DopajException.class, () -> run("opacity=abc"));
        assertEquals("parameter opacity needs a number, got 'abc'", e.getMessage());
        e = assertThrows(DopajException.class, () -> run("other=[no such image]"));
        assertEquals("no open image titled 'no such image'", e.getMessage());
    }

    @Test
    void theTitleIsTheMenuLabelAndAClassThatIsNoCommandIsRefused() {
        assertEquals("Adapter Probe", Ij1Adapter.title(Ij1Adapter.info(AdapterProbeCommand.class.getName())));
        assertThrows(IllegalArgumentException.class, () -> Ij1Adapter.info("java.lang.String"));
        assertThrows(IllegalArgumentException.class, () -> Ij1Adapter.info("org.dopaj.NoSuchCommand"));
    }
}
