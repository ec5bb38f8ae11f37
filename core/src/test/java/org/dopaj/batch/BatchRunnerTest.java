package org.dopaj.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch machinery with a task that needs no network: inputs, error rows, commits, resume, shards, merge. */
class BatchRunnerTest {
    @TempDir
    Path tmp;

    /** Reads the file's text length; fails on files named "bad*"; writes one output file per case. */
    static final class LengthTask implements BatchTask {
        final AtomicInteger opened = new AtomicInteger();
        final List<String> processed = Collections.synchronizedList(new ArrayList<>());
        final String name;

        LengthTask(String name) {
            this.name = name;
        }

        @Override
        public String capability() {
            return name;
        }

        @Override
        public Set<String> columns() {
            return Set.of("age");
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }

        @Override
        public Worker open() {
            opened.incrementAndGet();
            return new Worker() {
                @Override
                public String model() {
                    return "length 1";
                }

                @Override
                public String trainingData() {
                    return "none";
                }

                @Override
                public CaseResult process(BatchCase c, CaseFolder out, boolean figures) throws Exception {
                    processed.add(c.id());
                    Path in = Path.of(c.input());
                    if (in.getFileName().toString().startsWith("full")) {
                        throw new java.io.IOException("No space left on device");
                    }
                    if (in.getFileName().toString().startsWith("bad")) {
                        Files.writeString(out.file("partial.txt"), "half");
                        throw new DopajException(in + ": unreadable\nsecond line");
                    }
                    Files.writeString(out.file("out.txt"), "x");
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("length", Files.size(in));
                    m.put("nested", Map.of("age", c.option("age") == null ? "" : c.option("age")));
                    m.put("warnings", List.of("w1"));
                    m.put("file", out.recorded("out.txt"));
                    return new CaseResult(m, List.of());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private List<Path> files(String... names) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("in"));
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            out.add(Files.writeString(d.resolve(n), n));
        }
        return out;
    }

    @Test
    void failedCaseIsAnErrorRowAndOthersRun() throws Exception {
        files("a.nii.gz", "bad.nii", "c.nii", "full.nii");
        LengthTask t = new LengthTask("fake");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), t.columns(), Set.of());
        assertEquals(List.of("a", "bad", "c", "full"), cases.stream().map(BatchCase::id).toList());
        Path out = tmp.resolve("out");
        BatchRunner.Summary s = BatchRunner.run(t, cases, new BatchRunner.Settings(out, 2, false, false, 1, 1, false),
                BatchRunner.Listener.NONE);
        assertEquals(3, s.exitCode());
        assertEquals(2, s.failed());
        assertEquals(1, t.opened.get(), "the model loads once per batch");
        List<Map<String, Object>> rows = BatchResults.read(out.resolve(BatchResults.JOURNAL), false);
        assertEquals(4, rows.size());
        Map<String, Object> full = rows.stream().filter(r -> r.get("case").equals("full")).findFirst().orElseThrow();
        assertEquals("cannot write this case's files (No space left on device)", full.get("error"));
        Map<String, Object> bad = rows.stream().filter(r -> r.get("case").equals("bad")).findFirst().orElseThrow();
        assertEquals("error", bad.get("status"));
        assertFalse(((String) bad.get("error")).contains("\n"), "one-line reason");
        assertFalse(Files.exists(out.resolve("bad")), "nothing a failed case wrote is kept");
        assertTrue(Files.isRegularFile(out.resolve("a/out.txt")));
        assertFalse(Files.exists(out.resolve(BatchRunner.WORK)));
        List<String> csv = Files.readAllLines(out.resolve(BatchResults.TABLE));
        assertTrue(csv.get(0).startsWith("case,input,status,error,model,warnings,seconds,length,nested.age,file"),
                csv.get(0));
        assertEquals(5, csv.size());
    }

    @Test
    void resumeRedoesNothingCommittedAndRepairsACrash() throws Exception {
        files("a.nii", "b.nii", "c.nii");
        LengthTask t = new LengthTask("fake");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), t.columns(), Set.of());
        Path out = tmp.resolve("out");
        BatchRunner.run(t, cases.subList(0, 2), BatchRunner.Settings.of(out), BatchRunner.Listener.NONE);
        // a crash while case c was committing: its folder is there, its row is half written
        Files.createDirectories(out.resolve("c"));
        Files.writeString(out.resolve("c/out.txt"), "stale");
        Files.writeString(out.resolve(BatchResults.JOURNAL), "{\"case\":\"c\",\"sta", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(out.resolve(BatchRunner.WORK).resolve("c"));
        assertThrows(DopajException.class, () -> BatchRunner.run(t, cases, BatchRunner.Settings.of(out),
                BatchRunner.Listener.NONE), "without --resume an existing batch is never overwritten");
        LengthTask t2 = new LengthTask("fake");
        BatchRunner.Summary s = BatchRunner.run(t2, cases, new BatchRunner.Settings(out, 1, true, false, 1, 1, false),
                BatchRunner.Listener.NONE);
        assertEquals(List.of("c"), t2.processed);
        assertEquals(2, s.skipped());
        assertEquals(0, s.exitCode());
        assertEquals(3, BatchResults.read(out.resolve(BatchResults.JOURNAL), false).size());
        assertEquals("x", Files.readString(out.resolve("c/out.txt")));
    }

    @Test
    void retryFailedRunsOnlyTheErrors() throws Exception {
        files("a.nii", "bad.nii");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), Set.of(), Set.of());
        Path out = tmp.resolve("out");
        BatchRunner.run(new LengthTask("fake"), cases, BatchRunner.Settings.of(out), BatchRunner.Listener.NONE);
        LengthTask t = new LengthTask("fake");
        BatchRunner.run(t, cases, new BatchRunner.Settings(out, 1, true, true, 1, 1, false), BatchRunner.Listener.NONE);
        assertEquals(List.of("bad"), t.processed);
        assertEquals(2, BatchResults.read(out.resolve(BatchResults.JOURNAL), false).size(), "the newest row wins");
    }

    @Test
    void anotherCapabilitysFolderAndAForeignFolderAreRefused() throws Exception {
        files("a.nii");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), Set.of(), Set.of());
        Path out = tmp.resolve("out");
        BatchRunner.run(new LengthTask("one"), cases, BatchRunner.Settings.of(out), BatchRunner.Listener.NONE);
        DopajException e = assertThrows(DopajException.class, () -> BatchRunner.run(new LengthTask("two"), cases,
                new BatchRunner.Settings(out, 1, true, false, 1, 1, false), BatchRunner.Listener.NONE));
        assertTrue(e.getMessage().contains("holds a one batch"), e.getMessage());
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.docx"), "mine");
        e = assertThrows(DopajException.class, () -> BatchRunner.run(new LengthTask("one"), cases,
                BatchRunner.Settings.of(foreign), BatchRunner.Listener.NONE));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine", Files.readString(foreign.resolve("thesis.docx")));
    }

    @Test
    void shardsPartitionTheCasesAndMergeBack() throws Exception {
        files("a.nii", "b.nii", "c.nii", "d.nii", "e.nii");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), Set.of(), Set.of());
        List<Path> dirs = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            Path o = tmp.resolve("shard" + k);
            BatchRunner.run(new LengthTask("fake"), cases, new BatchRunner.Settings(o, 1, false, false, k, 2, false),
                    BatchRunner.Listener.NONE);
            dirs.add(o);
        }
        assertEquals(3, BatchResults.read(dirs.get(0).resolve(BatchResults.JOURNAL), false).size());
        assertEquals(2, BatchResults.read(dirs.get(1).resolve(BatchResults.JOURNAL), false).size());
        List<Map<String, Object>> merged = BatchMerge.merge(dirs, tmp.resolve("merged"));
        assertEquals(5, merged.size());
        assertTrue(Files.readString(tmp.resolve("merged/results.csv")).contains(dirs.get(1).toString()));
        assertThrows(DopajException.class, () -> BatchMerge.merge(List.of(dirs.get(0), dirs.get(0)),
                tmp.resolve("merged2")), "a case in two shards");
    }

    @Test
    void cancelStopsAfterTheCasesInFlight() throws Exception {
        files("a.nii", "b.nii", "c.nii");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), Set.of(), Set.of());
        BatchRunner.Listener stopAfterOne = new BatchRunner.Listener() {
            volatile boolean stop;

            @Override
            public void caseDone(int done, int total, int failed, Map<String, Object> row) {
                stop = true;
            }

            @Override
            public boolean cancelled() {
                return stop;
            }
        };
        BatchRunner.Summary s = BatchRunner.run(new LengthTask("fake"), cases, BatchRunner.Settings.of(tmp.resolve("o")),
                stopAfterOne);
        assertEquals(1, s.ran());
        assertEquals(2, s.cancelled());
        assertEquals(4, s.exitCode());
    }

    @Test
    void anyProgressListenerFollowsAndStopsABatch() throws Exception {
        files("a.nii", "b.nii", "c.nii", "d.nii");
        List<BatchCase> cases = BatchInputs.expand(List.of(tmp.resolve("in").toString()), Set.of(), Set.of());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        org.dopaj.progress.ProgressListener p = new org.dopaj.progress.ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                seen.add(fraction + " " + message);
            }

            @Override
            public boolean cancelled() {
                return seen.size() >= 2;
            }
        };
        BatchRunner.Summary s = BatchRunner.run(new LengthTask("fake"), cases, BatchRunner.Settings.of(tmp.resolve("o")),
                BatchRunner.Listener.of(p));
        assertEquals(List.of("0.25 1/4 cases", "0.5 2/4 cases"), seen);
        assertEquals(2, s.ran());
        assertEquals(2, s.cancelled());
    }

    @Test
    void manifestColumnsRowsAndPaths() throws Exception {
        files("a.nii", "b.nii");
        Path m = tmp.resolve("in/manifest.csv");
        Files.writeString(m, "id,input,Age\nfirst,a.nii,61\nsecond,b.nii\n,missing.nii,70\n");
        List<BatchCase> cases = BatchInputs.expand(List.of(m.toString()), Set.of("age"), Set.of());
        assertEquals(3, cases.size());
        assertEquals("61", cases.get(0).option("age"));
        assertEquals(tmp.resolve("in/a.nii").toString(), cases.get(0).input(), "relative to the manifest's folder");
        assertTrue(cases.get(1).problem().contains("line 3"), "a bad row is that case's error");
        assertEquals("missing", cases.get(2).id());
        BatchRunner.Summary s = BatchRunner.run(new LengthTask("fake"), cases, BatchRunner.Settings.of(tmp.resolve("o")),
                BatchRunner.Listener.NONE);
        assertEquals(2, s.failed(), "the short row and the vanished input fail; the first case runs");
        Files.writeString(m, "input,weight\na.nii,3\n");
        DopajException e = assertThrows(DopajException.class, () -> BatchInputs.expand(List.of(m.toString()),
                Set.of("age"), Set.of()));
        assertTrue(e.getMessage().contains("unknown column 'weight'"), e.getMessage());
        Files.writeString(m, "input\na.nii\n");
        e = assertThrows(DopajException.class, () -> BatchInputs.expand(List.of(m.toString()), Set.of("left", "right"),
                Set.of("left", "right")));
        assertTrue(e.getMessage().contains("no 'left' column"), e.getMessage());
    }

    @Test
    void pathColumnsWithoutAnInputColumn() throws Exception {
        files("gd.nii", "md.nii");
        Path m = tmp.resolve("in/pairs.csv");
        Files.writeString(m, "id,gd,md\ns1,gd.nii,md.nii\n");
        List<BatchCase> c = BatchInputs.expand(List.of(m.toString()), Set.of("gd", "md"), Set.of("gd", "md"),
                Set.of("gd", "md"), false);
        assertEquals(tmp.resolve("in/md.nii").toString(), c.get(0).option("md"), "resolved like input");
        assertEquals(tmp.resolve("in/gd.nii").toString(), c.get(0).input(), "the first file column names the case");
        DopajException e = assertThrows(DopajException.class, () -> BatchInputs.expand(List.of(m.toString()),
                Set.of("gd", "md"), Set.of(), Set.of("gd", "md"), true));
        assertTrue(e.getMessage().contains("no 'input' column"), e.getMessage());
    }

    @Test
    void globsAndUniqueIds() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("g/s1"));
        Path d2 = Files.createDirectories(tmp.resolve("g/s2"));
        Files.writeString(d.resolve("scan.nii.gz"), "1");
        Files.writeString(d2.resolve("scan.nii.gz"), "2");
        Files.writeString(d2.resolve("notes.txt"), "x");
        List<BatchCase> c = BatchInputs.expand(List.of(tmp.resolve("g") + "/*/*.nii.gz"), Set.of(), Set.of());
        assertEquals(List.of("scan", "scan-2"), c.stream().map(BatchCase::id).toList());
        assertThrows(DopajException.class, () -> BatchInputs.expand(List.of(tmp.resolve("g") + "/*/*.dcm"), Set.of(),
                Set.of()));
    }

    @Test
    void flattenKeepsNestingReadable() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sbr", Map.of("putamen_l", 2.5));
        row.put("warnings", List.of("a", "b"));
        row.put("affine", List.of(List.of(1.0, 0.0), List.of(0.0, 1.0)));
        row.put("count", 3.0);
        Map<String, String> f = BatchResults.flatten(row);
        assertEquals("2.5", f.get("sbr.putamen_l"));
        assertEquals("a; b", f.get("warnings"));
        assertEquals("[[1.0,0.0],[0.0,1.0]]", f.get("affine"));
        assertEquals("3", f.get("count"));
    }
}
