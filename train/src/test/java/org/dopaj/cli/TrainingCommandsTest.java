package org.dopaj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training module's sub-commands reach the CLI through ServiceLoader, with the core's contracts. */
class TrainingCommandsTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheTrainingCommandsWhenTheirJarIsOnTheClassPath() {
        CliRun r = CliRun.of("help");
        assertEquals(0, r.code());
        for (String c : new String[]{"train", "evaluate segmentation", "evaluate classification", "evaluate regression",
            "nigrosome-train", "nigrosome-evaluate", "spect-sbr"}) {
            assertTrue(r.out().contains("dopaj " + c) || r.out().contains("| " + c), c + " in " + r.out());
        }
        CliRun.of("evaluate").failure("missing kind", "segmentation");
    }

    @Test
    void nigrosomeEvaluateNeverOverwritesItsCsvWithoutForce() throws Exception {
        Path csv = Files.writeString(dir.resolve("cases.csv"), "earlier results");
        CliRun.of("nigrosome-evaluate", "--phantoms", 2, "--csv", csv).failure("cases.csv", "exists", "--force");
        assertEquals("earlier results", Files.readString(csv));
    }
}
