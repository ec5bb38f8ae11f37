package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskProgressTest {
    @Test
    void aTerminalGetsOneRedrawnLineThatIsClearedAndALogGetsNothing() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TaskProgress t = new TaskProgress(new PrintStream(b, true, StandardCharsets.UTF_8), "dopaj brain-mask", true);
        t.progress(0.25, "sagittal slices 1–16 of 91");
        t.progress(0.26, "sagittal slices 17–32 of 91"); // within 0.1 s: not redrawn
        t.progress(1, "done");
        t.done();
        String s = b.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\rdopaj brain-mask:  25 % sagittal slices 1–16 of 91"), s);
        assertTrue(!s.contains("17–32") && s.contains("100 % done"), s);
        assertTrue(s.endsWith("\r") && !s.contains("\n"), "cleared in place, no new line");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TaskProgress quiet = new TaskProgress(new PrintStream(log, true, StandardCharsets.UTF_8), "dopaj wmh", false);
        quiet.progress(0.5, "registration");
        quiet.done();
        assertEquals(0, log.size(), "not a terminal: stderr keeps its one-line contract");
    }
}
