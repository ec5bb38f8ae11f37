package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line's options come from the menu commands' declarations, by kebab-case name and type. */
class DeclaredOptionsTest {
    @Test
    void parametersSpelledAsTheirNameAreOptionsOfTheCommandLine() {
        Set<String> valued = DeclaredOptions.valued("spect-sbr", "qc");
        assertTrue(valued.containsAll(Set.of("atlas", "normals", "age", "qc")), valued.toString());
        assertFalse(valued.contains("atlas-labels"), "a parameter with a legacy spelling (--labels) is the CLI's own");
        assertEquals(Set.of("no-normalise", "json"), DeclaredOptions.flags("spect-sbr", "json"));
        assertTrue(DeclaredOptions.flags("batch").containsAll(Set.of("report", "resume")));
        assertTrue(DeclaredOptions.valued("batch").contains("jobs"));
        assertTrue(DeclaredOptions.valued("nigrosome-sbr").contains("voxel-size"));
    }

    @Test
    void aCommandLineWithoutAMenuTwinIsAnInternalErrorNotASilentlyEmptySet() {
        assertThrows(IllegalStateException.class, () -> DeclaredOptions.valued("no-such-command"));
    }

    @Test
    void aDeclaredOptionIsParsedWithoutASecondList() {
        Args a = Args.parse(java.util.List.of("x.nii", "--age", "63", "--no-normalise"),
                DeclaredOptions.valued("spect-sbr"), DeclaredOptions.flags("spect-sbr"));
        assertEquals("63", a.option("age"));
        assertTrue(a.flag("no-normalise"));
    }
}
