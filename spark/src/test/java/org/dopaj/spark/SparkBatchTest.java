package org.dopaj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dopaj.batch.BatchCase;
import org.dopaj.batch.BatchInputs;
import org.dopaj.batch.BatchRunner;
import org.dopaj.batch.BatchTask;
import org.dopaj.batch.BatchTasks;
import org.dopaj.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark runner in local mode against the single-process batch: the same rows, one model load per JVM. */
class SparkBatchTest {
    @TempDir
    Path dir;

    private void phantom(Path file, int stage, int seed) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, Main.run(List.of("phantom", "spect", file.toString(), "--stage", "" + stage, "--seed", "" + seed),
                quiet, quiet));
    }

    /** results.csv without the timing column, rows sorted by case. */
    private static List<String> table(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        List<String> header = Arrays.asList(org.dopaj.io.Csv.split(lines.get(0), ','));
        int seconds = header.indexOf("seconds");
        List<String> rows = new ArrayList<>();
        for (String l : lines) {
            List<String> f = new ArrayList<>(Arrays.asList(org.dopaj.io.Csv.split(l, ',')));
            f.remove(seconds);
            rows.add(org.dopaj.io.Csv.line(f));
        }
        List<String> body = new ArrayList<>(rows.subList(1, rows.size()));
        body.sort(null);
        body.add(0, rows.get(0));
        return body;
    }

    @Test
    void localModeEqualsTheSingleProcessBatch() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        phantom(in.resolve("a.nii.gz"), 0, 1);
        phantom(in.resolve("b.nii.gz"), 2, 2);
        phantom(in.resolve("c.nii.gz"), 3, 3);
        Files.writeString(in.resolve("d.nii"), "broken");
        Path single = dir.resolve("single");
        BatchTask task = BatchTasks.create("spect-classify", Map.of());
        List<BatchCase> cases = BatchInputs.expand(List.of(in.toString()), Set.of(), Set.of());
        BatchRunner.Summary s = BatchRunner.run(task, cases, BatchRunner.Settings.of(single), BatchRunner.Listener.NONE);
        assertEquals(1, s.failed());

        SparkSession spark = SparkSession.builder().master("local[2]").appName("dopaj-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        try {
            Path out = dir.resolve("spark");
            int n = SparkBatch.run(spark, List.of("spect-classify", in.toString(), "-o", out.toString(),
                    "--partitions", "3"));
            assertEquals(4, n);
            assertEquals(table(single), table(out), "Spark rows = single-process rows (timings aside)");
            assertEquals(1, SparkBatch.loadedWorkers(), "one model load in this JVM for three partitions");
            List<Row> parquet = spark.read().parquet(out.resolve("results.parquet").toString()).collectAsList();
            assertEquals(4, parquet.size());
            long parkinsonian = parquet.stream().filter(r -> "parkinsonian".equals(r.getAs("label"))).count();
            assertTrue(parkinsonian >= 1, "the stage-2 and stage-3 phantoms");
            Row bRow = parquet.stream().filter(r -> "b".equals(r.getAs("case"))).findFirst().orElseThrow();
            assertTrue((Double) bRow.getAs("probability_parkinsonian") > 0.5);
        } finally {
            spark.stop();
        }
    }
}
