package org.dopaj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.dopaj.batch.BatchResults;
import org.dopaj.io.Nifti;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins›DopaJ›Batch... from a macro in a real ImageJ 1.54p, batch mode: a folder in, a table and reports out. */
class BatchMacroIT {
    @TempDir
    Path dir;

    @Test
    void batchFromAMacroWritesResultsReportsAndTheTable() throws Exception {
        ImageJRunner ij = ImageJRunner.install(dir);
        ij.installHelper();
        Files.createSymbolicLink(ij.home.resolve("models"), Paths.get("models").toAbsolutePath());
        Path in = Files.createDirectories(dir.resolve("scans"));
        for (int s = 0; s <= 3; s += 3) {
            Nifti.write(SpectPhantom.generate(SpectPhantom.Params.builder().stage(s).seed(40 + s).build()).image(),
                    in.resolve("stage" + s + ".nii.gz"), null);
        }
        Path out = dir.resolve("out");
        String t = "\"DopaJ Batch\"";
        String macro = "setBatchMode(true);\n"
                + "run(\"Batch...\", \"input=[" + in + "] capability=spect-classify output=[" + out
                + "] options=[--cam] jobs=1 report\");\n"
                + "for (i = 0; i < Table.size(" + t + "); i++) print(\"ROW \" + Table.getString(\"case\", i, " + t
                + ") + \" \" + Table.getString(\"label\", i, " + t + "));\n"
                + "print(\"DONE\");\n";
        ImageJRunner.Result r = ij.runMacro(macro, 300);
        String log = r.output();
        assertTrue(log.contains("DONE"), log);
        assertFalse(log.contains("error:"), log);
        assertTrue(log.contains("ROW stage0 normal"), log);
        assertTrue(log.contains("ROW stage3 parkinsonian"), log);
        List<Map<String, Object>> rows = BatchResults.read(out.resolve(BatchResults.JOURNAL), false);
        assertEquals(2, rows.size());
        assertTrue(Files.size(out.resolve("stage3/report.pdf")) > 1000);
        assertTrue(Files.isRegularFile(out.resolve("stage3/cam.nii.gz")));
        assertTrue(Files.isRegularFile(out.resolve("summary.html")));

        // record → replay: the Recorder's line for Batch... runs again to the same table
        String rec = "setBatchMode(true);\n"
                + "run(\"DopaJ Test Helper\", \"start\");\n"
                + "run(\"Batch...\", \"input=[" + in + "] capability=spect-sbr output=[" + dir.resolve("rec_sbr")
                + "] options=[--hottest 100] jobs=2\");\n"
                + "run(\"DopaJ Test Helper\", \"print\");\n"
                + "print(\"DONE\");\n";
        String recOut = ij.runMacro(rec, 300).output();
        String line = recOut.lines().filter(x -> x.startsWith("RECORDED run(\"Batch...\"")).findFirst().orElseThrow(
                () -> new AssertionError("Batch... not recorded:\n" + recOut));
        ImageJRunner.Result rep = ij.runMacro("setBatchMode(true);\n" + line.substring("RECORDED ".length())
                .replace("rec_sbr", "rep_sbr") + "\nprint(\"DONE\");\n", 300);
        assertTrue(rep.output().contains("DONE") && !rep.output().contains("error:"), rep.output());
        assertEquals(withoutTimes(dir.resolve("rec_sbr")), withoutTimes(dir.resolve("rep_sbr")));
    }

    /** The rows of a batch without their timing column, for comparing two runs. */
    private static List<Map<String, Object>> withoutTimes(Path out) {
        List<Map<String, Object>> rows = BatchResults.read(out.resolve(BatchResults.JOURNAL), false);
        rows.forEach(r -> r.remove("seconds"));
        rows.sort(java.util.Comparator.comparing(r -> (String) r.get("case")));
        return rows;
    }
}
